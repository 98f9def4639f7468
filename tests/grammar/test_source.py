"""The comment pre-pass: where an opener is protected (inside a link's URL or a data
block), checked against a plain reading of the rule on random text, both ways the pass
answers: by reading the line, and (past its budget) by binary searches over marks it
lists once."""

from __future__ import annotations

import random

from argmap.grammar import parse_text
from argmap.grammar.source import _Protection


def _by_slices(text: str, line_start: int, at: int, last_close: int) -> bool:
    """The rule read literally: a `](` earlier on the line with no `)` since and a `)`
    later on the line; or more `{` than `}` before the opener in its line (or, when
    the line has none, in its block since the last empty line), counting only the
    `{` that a later `}` can close."""
    prefix = text[line_start:at]
    link = prefix.rfind("](")
    if link != -1 and ")" not in prefix[link + 2 :]:
        line_end = text.find("\n", at)
        if ")" in text[at : len(text) if line_end == -1 else line_end]:
            return True
    block_start = line_start
    if "{" not in prefix:
        block_start = text.rfind("\n\n", 0, line_start) + 1
        if "{" not in text[block_start:line_start]:
            return False
        prefix = text[block_start:at]
    live = prefix[: max(last_close + 1 - block_start, 0)]
    return live.count("{") > prefix.count("}")


def test_protection_agrees_with_the_rule_on_random_text() -> None:
    rng = random.Random(14)
    pieces = ["](", ")", "(", "{", "}", "\n", "\n\n", "//", "a", " ", "[x]", "/*"]
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        last_close = text.rfind("}")
        reading = _Protection(text, last_close)
        indexed = _Protection(text, last_close)
        indexed.budget = 0  # answers from the listed marks at once
        for at in range(len(text)):
            if text.startswith(("//", "/*"), at):
                line_start = text.rfind("\n", 0, at) + 1
                expected = _by_slices(text, line_start, at, last_close)
                assert reading(line_start, at) == expected, (text, at)
                assert indexed(line_start, at) == expected, (text, at)


def test_unclosed_openers_on_one_line_are_each_reported() -> None:
    document = parse_text("[A]: " + "x /* " * 200 + "\n")
    assert sum(1 for d in document.diagnostics if d.code == "P103") == 200
    assert document.statements["A"].members[0].text.count("/*") == 200
