"""A relation symbol at the start of an indented line needs no space after it, as the
reference lexes it (`  +B` is a support, `  -1.5 percent` an attack); a bare `_` does
(`  _emph_ more` is emphasis in a wrapped line). Expected graphs: @argdown/cli 1.7.5's
`argdown json` on each document."""

from __future__ import annotations

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_text
from argmap.render.argdown_json import export_dict

CASES = [
    ("[A]: a\n  +B\n", {("Untitled 1", "support", "A")}),
    ("[A]: a\n  <-B\n", {("Untitled 1", "attack", "A")}),
    ("[A]: a\n  <_B\n", {("Untitled 1", "undercut", "A")}),
    ("[A]: a\n  ->B\n", {("A", "attack", "Untitled 1")}),
    ("[A]: a\n  +>B\n", {("A", "support", "Untitled 1")}),
    ("[A]: a\n  _>B\n", {("A", "undercut", "Untitled 1")}),
    ("[A]: a\n  ><B\n", {("A", "contradictory", "Untitled 1")}),
    ("[A]: a\n  + [C]: c\n    -B\n", {("C", "support", "A"), ("Untitled 1", "attack", "C")}),
    ("<X>\n\n(1) [P]: p\n  +B\n----\n(2) [C]: c\n", {("Untitled 1", "support", "P")}),
]


@pytest.mark.parametrize(("text", "relations"), CASES)
def test_a_symbol_glued_to_its_text_is_a_relation(text: str, relations: set[tuple[str, str, str]]) -> None:
    document = parse_text(text)
    assert not [d for d in document.diagnostics if d.level is Level.ERROR]
    exported = export_dict(document)
    assert {(r["from"], r["relationType"], r["to"]) for r in exported["relations"]} == relations
    assert exported["statements"]["Untitled 1"]["members"][0]["text"] == "B"


def test_a_wrapped_line_may_start_with_a_number_sign() -> None:
    exported = export_dict(parse_text("[A]: a b c\n  -1.5 percent more\n"))
    assert [(r["from"], r["relationType"], r["to"]) for r in exported["relations"]] == [
        ("Untitled 1", "attack", "A")
    ]
    assert exported["statements"]["Untitled 1"]["members"][0]["text"] == "1.5 percent more"


def test_a_bare_underscore_needs_a_space_to_undercut() -> None:
    exported = export_dict(parse_text("[A]: a\n  _emph_ more\n"))
    assert exported["relations"] == []
    assert exported["statements"]["A"]["members"][0]["text"] == "a emph more"


@pytest.mark.parametrize("text", ["[A]: a\n-B\n", "[A]: a\n+B\n", "[A]: a\n\n<-B\n"])
def test_an_unindented_glued_symbol_is_rejected_as_the_reference_rejects_it(text: str) -> None:
    assert [d for d in parse_text(text).diagnostics if d.level is Level.ERROR]


# A sign alone on its line: a relation from an untitled statement with no text (the
# reference's relation token needs nothing after the sign). Expected: `argdown json`.
LONE = [
    ("[A]: a\n  + [B]: b\n  -\n", {("B", "support", "A"), ("Untitled 1", "attack", "A")}),
    ("[A]: a\n  _\n  + [B]: b\n", {("Untitled 1", "undercut", "A"), ("B", "support", "A")}),
    ("[A]: a\n  <_\n  + [B]: b\n", {("Untitled 1", "undercut", "A"), ("B", "support", "A")}),
    ("[A]: a\n  +\n    [B]: b\n", None),  # rejected by the reference too
]


@pytest.mark.parametrize(("text", "relations"), LONE)
def test_a_sign_alone_on_its_line_is_a_relation(
    text: str, relations: set[tuple[str, str, str]] | None
) -> None:
    document = parse_text(text)
    errors = [d for d in document.diagnostics if d.level is Level.ERROR]
    if relations is None:
        assert errors
        return
    assert not errors
    exported = export_dict(document)
    assert {(r["from"], r["relationType"], r["to"]) for r in exported["relations"]} == relations
    assert "text" not in exported["statements"]["Untitled 1"]["members"][0]  # no text, as there


def test_a_sign_alone_before_an_empty_line_needs_text() -> None:
    (finding,) = [d for d in parse_text("[A]: a\n  ><\n\n[B]: b\n").diagnostics if d.code == "P139"]
    assert (finding.line, finding.message) == (
        2,
        "nothing follows `><`; the reference parser needs text here",
    )
    assert finding.hint == "write the text after `><`, on the same line"


def test_a_sign_alone_on_the_first_line_has_nothing_to_attach_to() -> None:
    (finding,) = [d for d in parse_text("<+\nSeats sell out.\n").diagnostics if d.code == "P108"]
    assert (finding.line, finding.column) == (1, 1)
    assert finding.hint == "write the statement or argument it relates to on the line above it"
