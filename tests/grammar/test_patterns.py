"""The shared patterns of argmap/grammar/patterns.py."""

from __future__ import annotations

import re

import pytest

from argmap.grammar.patterns import TAG_CHAR, TAG_CHAR_ASCII_LETTERS

# Every code point, lone surrogates included (text decoded with `surrogateescape` can hold them).
_EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize(
    ("written", "fast"),
    [
        # the reference lexer's tag class as it writes it (`a-zA-z`, sic)
        ("[a-zA-z0-9\\-\\u00a0-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\uffef]", TAG_CHAR),
        ("[A-Za-z0-9\\-\\u00a0-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\uffef]", TAG_CHAR_ASCII_LETTERS),
    ],
)
def test_tag_class_takes_exactly_the_characters_of_the_class_as_written(written: str, fast: str) -> None:
    expected = re.findall(written, _EVERY_CHARACTER)
    assert re.findall(fast, _EVERY_CHARACTER) == expected
    assert len(expected) > 50_000  # the class is the large one, not an empty match


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("#tag", "#tag"),
        ("#über-straße", "#über-straße"),
        ("#a_b`c^d", "#a_b`c^d"),  # `A-z` takes `_`, the backtick, `^`, `[`, `]`, `\`
        ("#x—y", "#x—y"),  # U+2014, inside U+00A0-U+D7FF
        ("#tag.", "#tag"),
        ("#tag:", "#tag"),
        ("#tag/x", "#tag"),
        ("#tag\U0001f600", "#tag"),  # past U+FFFF: no tag character
        ("#tag\ue000", "#tag"),  # private use: none either
        ("#tag\ufdd0", "#tag"),  # a noncharacter: none
    ],
)
def test_tag_char_in_a_tag(text: str, tag: str) -> None:
    match = re.match(f"#{TAG_CHAR}+", text)
    assert match is not None and match.group() == tag
