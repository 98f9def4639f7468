"""Line markers after apostrophes. The reference lexer's line-start patterns for
relations, inference starts, PCS numbers and list items read their indentation with the
class `[' '\\t]*`, which holds the apostrophe; so ` '   +> x` is a relation indented five
columns there. Each case below was run through the reference CLI (`argdown json`)."""

from __future__ import annotations

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_text
from argmap.model import Document


def _errors(document: Document) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in document.diagnostics if d.level is Level.ERROR]


def _relations(document: Document) -> list[tuple[str, str, str]]:
    return [(r.source, r.kind.value, r.target) for r in document.relations]


def test_an_apostrophe_indents_a_relation() -> None:
    text = "[A]: a\n    - [B]: b\n '   +> [C]: c\n    -> [D]: d\n"
    document = parse_text(text)
    assert _errors(document) == []
    # ` '   ` is five columns: deeper than `    - [B]`, so [B] supports [C]
    assert _relations(document) == [
        ("B", "attack", "A"),
        ("B", "support", "C"),
        ("A", "attack", "D"),
    ]
    (relation,) = [r for r in document.relations if r.target == "C"]
    assert (relation.span.line, relation.span.column) == (3, 6)  # at the sign


@pytest.mark.parametrize(
    "text",
    ["[A]: a\n'+ [B]: b\n", "[A]: a\n  '+ [B]: b\n", "[A]: a\n\t'\t+ [B]: b\n", "[A]: a\n'''+ [B]: b\n"],
)
def test_apostrophes_and_blanks_before_a_sign(text: str) -> None:
    document = parse_text(text)
    assert _errors(document) == []
    assert _relations(document) == [("B", "support", "A")]
    assert document.statements["A"].members[0].text == "a"  # the line is no more text of [A]


def test_a_glued_sign_after_an_apostrophe_under_text() -> None:
    # `'-ism ...` under a statement: an attack relation there, not more of the statement
    document = parse_text("[A]: text\n'-ism is a suffix\n")
    assert _errors(document) == []
    assert [r.kind.value for r in document.relations] == ["attack"]
    assert document.statements["A"].members[0].text == "text"


def test_pcs_lines_and_inference_after_apostrophes() -> None:
    document = parse_text("<A1>\n\n'(1) [P]: p\n' (2) [Q]: q\n'----\n''(3) [C]: c\n")
    assert _errors(document) == []
    roles = [(m.statement.title, m.role.value) for m in document.arguments["A1"].pcs]
    assert roles == [("P", "premise"), ("Q", "premise"), ("C", "main-conclusion")]


def test_list_items_after_apostrophes() -> None:
    document = parse_text("'* [A]: a\n'* [B]: b\n\n''1. [C]: c\n''2. [D]: d\n")
    assert _errors(document) == []
    assert sorted(document.statements) == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    "text",
    [
        "[A]: a\n'just a quote' here\n",  # no marker after the apostrophe: text
        "[A]: a {\n  q:\n    '- x'\n}\n",  # inside a data block: YAML
        "===\ntitle: x\n===\n\n[A]: it's\n",
    ],
)
def test_an_apostrophe_without_a_marker_after_it_is_text(text: str) -> None:
    document = parse_text(text)
    assert _errors(document) == []
    assert document.relations == []


def test_a_relation_after_an_empty_line_is_still_one_with_no_parent() -> None:
    document = parse_text("[A]: a\n\n'+ [B]: b\n")
    assert [code for code, _, _ in _errors(document)] == ["P108"]


def test_list_items_indented_unlike_by_an_apostrophe_are_a_nested_list() -> None:
    # `* item` / `'* item two`: the second item is indented one column more there
    document = parse_text("* item\n'* item two\n")
    assert [code for code, _, _ in _errors(document)] == ["P129"]
