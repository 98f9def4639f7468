"""`> ...` quote lines inside an element: which lines are quotes, their text and span."""

from __future__ import annotations

from argmap.grammar import parse_text


def _quotes(text: str, title: str = "A") -> list[tuple[str, int, int, int]]:
    statement = parse_text(text).statements[title].members[0]
    return [(q.text, q.span.line, q.span.column, q.span.end_column) for q in statement.quotes]


def test_quote_lines_after_the_first_line() -> None:
    text = "[A]: Claim text\n    [paper](https://x.org)\n    > first quote \n    >  second\n"
    assert _quotes(text) == [("first quote", 3, 5, 18), ("second", 4, 5, 14)]


def test_the_first_line_is_never_a_quote() -> None:
    assert _quotes("[A]: > not a quote\n") == []
    assert _quotes("(1) [A]: > not a quote\n(2) b\n----\n(3) c\n") == []


def test_a_marker_needs_space_or_line_end_after_it() -> None:
    text = "[A]: Claim\n  >no space\n  >\n\t> tab indented\n"
    assert _quotes(text) == [("", 3, 3, 4), ("tab indented", 4, 2, 16)]


def test_quote_in_a_premise_keeps_tags_out() -> None:
    text = "(1) [P]: premise #observation\n    > quoted #nottag text\n(2) [Q]: q\n----\n(3) [C]: c\n"
    document = parse_text(text)
    premise = document.statements["P"].members[0]
    assert [q.text for q in premise.quotes] == ["quoted #nottag text"]
    assert premise.tags == ["observation"]


def test_relation_arrows_are_not_quotes() -> None:
    text = "[A]: claim\n  +> [B]: other\n  -> [C]: third > still text\n"
    document = parse_text(text)
    assert all(not m.quotes for ec in document.statements.values() for m in ec.members)
