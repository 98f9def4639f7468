"""Bracket tokens as the reference lexer reads them, and comment openers inside them.

Expected token spans follow @argdown/core 1.7.5's patterns (a link, then `[Title]:`,
then `[Title]`; `<Title>:`, `<Title>`; `@[...]`, `@<...>`; `#(...)`), tried where a
token starts; the whole-map cases were checked with `argdown json`.
"""

from __future__ import annotations

import pytest

from argmap.grammar import parse_text
from argmap.grammar.brackets import bracket_tokens
from argmap.render.argdown_json import export_dict

TOKENS = [
    ("[See https://x.org/a]: text", ["[See https://x.org/a]:"]),
    ("a [l](http://x) // c [d]", ["[l](http://x)"]),  # the `//` ends the line's tokens
    ("[a] // c ]", ["[a]"]),  # a reference ends at its first `]`
    ("[a] b]: c", ["[a] b]:"]),  # a definition, tried first, runs to the first `]:`
    ("<A // b>: t", ["<A // b>:"]),
    ("@[B // c] x @<D> y", ["@[B // c]", "@<D>"]),
    ("[-a // b]", []),  # `[-` starts no reference
    ("x <!-- y --> [z]", ["[z]"]),  # a comment is no bracket token
    ("[]:a]", ["[]:a]"]),  # `[^-]` may be the `]` itself
    ("#(a // b) [c]", ["#(a // b)", "[c]"]),
    ("#() [c]", ["[c]"]),  # a tag needs a character inside
    ('{a: "[x"} [y]', ["[y]"]),  # a data block hides what it holds
    ("\\[x // y]", []),  # an escaped bracket starts nothing
    ("[l]() [m]", ["[l]", "[m]"]),  # an empty URL makes no link
    ("[a /* b */ c]: d", ["[a /* b */ c]:"]),
]


@pytest.mark.parametrize(("line", "expected"), TOKENS)
def test_tokens_on_a_line(line: str, expected: list[str]) -> None:
    assert [line[start:end] for start, end in bracket_tokens(line)] == expected


def test_a_url_in_a_title_is_no_comment() -> None:
    exported = export_dict(parse_text("[Smith 2020, https://doi.org/x]: Trains. // note\n"))
    assert list(exported["statements"]) == ["Smith 2020, https://doi.org/x"]
    assert exported["statements"]["Smith 2020, https://doi.org/x"]["members"][0]["text"] == "Trains."


def test_comment_openers_in_references_mentions_and_tags() -> None:
    text = "[A]: As @[B // c] and <D /* e */> say. #(f // g) /* real */\n"
    document = parse_text(text)
    statement = document.statements["A"].members[0]
    assert [m.title for m in statement.mentions] == ["B // c"]
    assert statement.tags == ["f // g"]
    assert [d.code for d in document.diagnostics] == ["P126"]  # `<D /* e */>` in running text
