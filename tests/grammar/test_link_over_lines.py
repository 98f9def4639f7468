"""A link token over a line break (P141): the reference stops its export ("Could not
match link"), so argmap rejects the map there. Every case below was run through
`argdown json` (@argdown/cli 1.7.5); the comment says what it did."""

from __future__ import annotations

import pytest

from argmap.grammar import parse_text


def _p141(text: str) -> list[tuple[int, int]]:
    found = parse_text(text).diagnostics
    return [(d.line, d.column) for d in found if d.code == "P141"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[A]: See [the long\n  paper title](https://example.org/x) for details.\n", [(1, 10)]),
        ("[A]: See [label](http://x\n  y) here.\n", [(1, 10)]),  # the address wraps
        ("[A]: a [x\n  ](c).\n", [(1, 8)]),  # the label is `x` and a line break
        ("[A]: see @[A\n  b](c).\n", [(1, 11)]),  # no mention: `@` is text, `[` a link
        ("[A]: a.[x\n  b](c).\n", [(1, 8)]),  # `.[x` is no special-character token
        ("# Heading [a\n  b](c) more\n\n[A]: text.\n", [(1, 11)]),
        ("[T]: thesis.\n  + [A]: See [a\n    b](c).\n", [(2, 14)]),
        ("* item [a\n  b](c) x\n", [(1, 8)]),
        ("<Arg>: Text with a link [here\nto there](https://example.org).\n", [(1, 25)]),
        ("(1) [P1]: Premise with a [wrapped\n    label](https://x.org) in it.\n----\n(2) c\n", [(1, 26)]),
        ("[A]: one [a\n  b](c) and two [d\n  e](f).\n", [(1, 10), (2, 17)]),
    ],
)
def test_a_link_over_lines_is_rejected_where_it_starts(text: str, where: list[tuple[int, int]]) -> None:
    assert _p141(text) == where


@pytest.mark.parametrize(
    "text",
    [
        "[A]: See [a\n  b] (c) not a link.\n",  # a blank between `]` and `(`: accepted
        "[A]: See [a\n  b]c) not a link.\n",
        "[A]: a [x\n  y]().\n",  # an empty address: no link token
        "[A]: a #tag[a\n  b](c).\n",  # the tag token takes `[a`
        "[A]: See [a\n  b [c](d) e.\n",  # the reference finds `[c](d)` in the token
        "[A]: a [link](https://example.org) on one line.\n",
        "[A]: a [bracket\n  that never closes.\n",
    ],
)
def test_brackets_the_reference_reads_are_no_finding(text: str) -> None:
    assert _p141(text) == []


def test_the_finding_says_how_to_fix_it() -> None:
    (found,) = [d for d in parse_text("[A]: a [b\n  c](d).\n").diagnostics if d.code == "P141"]
    assert found.level.value == "error"
    assert "one line" in (found.hint or "")
    assert (found.line, found.end_line) == (1, 1)


def test_a_link_read_out_of_a_wrapped_token_keeps_its_label_as_text() -> None:
    # `argdown json`: "See the :+1: paper] here." (no shortcode inside a link's label, and
    # the rest of the token before the link dropped), as for a link on one line
    document = parse_text("[A]: See [wrapped\n  [the :+1: paper](https://x.org)] here.\n")
    assert _p141("[A]: See [wrapped\n  [the :+1: paper](https://x.org)] here.\n") == []
    assert document.statements["A"].members[0].text == "See the :+1: paper] here."
