"""Unclosed emphasis (P133): argmap accepts and rejects what the reference parser does.

Every verdict below was produced once by @argdown/core 1.7.5 (`argdown json`, or its
lexer and parser on the same text), not by argmap: "ok" is accepted, "reject" is
"Incomplete italic/bold text range". A random sample of 4,000 strings over
`ab _*.,:-)!x`, `__`, `**` and `\\_` agreed in full when the rules were written.
"""

from __future__ import annotations

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_text

# Statement text after `[S]: `, with the reference's verdict.
IN_RUNNING_TEXT = [
    ("uses snake_case names.", "reject"),
    ("uses snake_case_name here.", "reject"),
    ("uses snake_case and other_name.", "reject"),
    ("x_1 and x_2 are vars.", "reject"),
    ("it costs $5_000.", "reject"),
    ("an email a_b@c.de here.", "reject"),
    ("path docs/a_b.md here.", "reject"),
    ("under _score here.", "reject"),
    ("2*3 is six.", "reject"),
    ("3 * 4 = 12 and 2*x.", "reject"),
    ("a__b", "reject"),
    ("**a**b", "reject"),
    ("_a_'s", "reject"),
    ("__a_b__", "reject"),
    ("`code_name` here.", "reject"),
    ("uses __init__ here.", "ok"),
    ("__bold__ and __init__.py here.", "ok"),
    ("a file_ at the end_", "ok"),
    ("_italic_ word.", "ok"),
    ("_italic_, word.", "ok"),
    ("*bold* and **strong** here.", "ok"),
    ("a * b is ok.", "ok"),
    ("2*3*4*", "reject"),  # the second `*` opens again: only the inner range closes
    ("snake_case_ x", "ok"),
    ("_a__b_", "ok"),
    ("*_a_*", "ok"),
    ("_a _", "ok"),
    ("uses snake\\_case names.", "ok"),
    ("_a \\_ b_", "ok"),
    ("a.b_c_ d", "ok"),
    ("x:_a_: y", "ok"),
    ("_a .A._ b", "ok"),
    # tokens the reference reads whole: a marker inside them is not one
    ("a #tag_name here.", "ok"),
    ("see [link](https://x.org/a_b) here.", "ok"),
    ("_a [l](https://x.org)_ b", "ok"),
    ("_a @[T]_ b", "ok"),
    ("_a #tag_ b", "reject"),  # the tag takes `tag_`: the range stays open
    ('data here. {reason: "a_b c", credence: 0.5}', "ok"),
]

# Whole maps, with the reference's verdict.
MAPS = [
    ("[S]: _a\nb_ here.\n\n[F]: fine.\n", "ok"),  # a range may span the lines of one element
    ("[S]: _a here.\n\n[F]: b_ fine.\n", "reject"),
    ("# Head_ing x_y\n\n[F]: fine.\n", "reject"),
    ("<A>\n\n(1) [P]: uses x_y.\n----\n(2) [C]: c.\n", "reject"),
    ("[T]: t.\n  + [P]: snake_case.\n", "reject"),
    ("[S]: text.\n  > a quote with x_y\n\n[F]: fine.\n", "reject"),
    ("[S]: text // a comment x_y\n\n[F]: fine.\n", "ok"),
    ("[Snake_case title]: text.\n", "ok"),
    ("<Arg_name>: text.\n", "ok"),
    # a marker that ends a file with no line break opens a range there (nothing follows it)
    ("[A]: a **", "reject"),
    ("[A]: a **\n", "ok"),  # `*` opens, the `*` before the line break closes
    ("[A]: a _", "reject"),
    ("[A]: a _ ", "ok"),
    ("[A]: *a* b *", "reject"),
    ("[A]: a\n\n[B]: b__", "reject"),
    ("[A]: _a_", "ok"),
    ("[A]: a\n*", "reject"),  # no list item (no blank after `*`): an italic range
]


def verdict(text: str) -> str:
    document = parse_text(text, "m.argdown")
    found = [d for d in document.diagnostics if d.level is Level.ERROR and d.code.startswith("P")]
    assert all(d.code == "P133" for d in found), [d.code for d in found]
    return "reject" if found else "ok"


@pytest.mark.parametrize(("text", "expected"), IN_RUNNING_TEXT)
def test_running_text_as_the_reference_reads_it(text: str, expected: str) -> None:
    assert verdict(f"[S]: {text}\n\n[Fine]: fine.\n") == expected


@pytest.mark.parametrize(("text", "expected"), MAPS)
def test_maps_as_the_reference_reads_them(text: str, expected: str) -> None:
    assert verdict(text) == expected


def test_the_finding_points_at_the_marker_and_says_how_to_escape_it() -> None:
    document = parse_text("[S]: Revenue grew 2**3 times.\n", "m.argdown")
    (finding,) = document.diagnostics
    assert (finding.code, finding.line, finding.column, finding.end_column) == ("P133", 1, 20, 22)
    assert finding.message.startswith("`**` opens bold")
    assert finding.hint is not None and "`\\*\\*`" in finding.hint


def test_the_text_keeps_the_literal_character() -> None:
    document = parse_text("[S]: uses snake_case names.\n", "m.argdown")
    assert document.statements["S"].members[0].text == "uses snake_case names."


def test_a_marker_at_the_very_end_says_a_line_break_fixes_it() -> None:
    document = parse_text("[A]: Fares rose, see the note **", "m.argdown")
    (finding,) = [d for d in document.diagnostics if d.code == "P133"]
    assert (finding.line, finding.column, finding.end_column) == (1, 31, 33)
    assert finding.message.startswith("`**` at the very end of the map opens bold")
    assert finding.hint is not None and finding.hint.startswith("end the file with a line break")
