"""An expanded inference (`--` / rules / data / `--`): between the hyphens the reference
lexes in an inference mode of its own, where no line starts a relation, PCS line,
heading or list item. Each case below was run through the reference CLI (`argdown
json`) and read there as written in the comment."""

from __future__ import annotations

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_text
from argmap.model import Document


def _errors(document: Document) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in document.diagnostics if d.level is Level.ERROR]


def _inference(document: Document, argument: str = "A1") -> tuple[list[str], dict[str, object] | None]:
    (inference,) = [m.inference for m in document.arguments[argument].pcs if m.inference is not None]
    return inference.rules, None if inference.data is None else dict(inference.data.values)


@pytest.mark.parametrize(
    ("rules_line", "rules", "data"),
    [
        ("<-{test: 1}", ["<-"], {"test": 1}),
        ("+ rule one, rule two", ["+ rule one", "rule two"], None),
        ("  >< opposite", [">< opposite"], None),
        ("_> a, b", ["_> a", "b"], None),
        ("<_ undercut-like", ["<_ undercut-like"], None),
        ("- a dash", ["- a dash"], None),
        ("(3) modus ponens", ["(3) modus ponens"], None),
    ],
)
def test_a_rules_line_that_starts_like_a_marker_is_rules(
    rules_line: str, rules: list[str], data: dict[str, object] | None
) -> None:
    document = parse_text(f"<A1>\n\n(1) A\n--\n{rules_line}\n--\n(2) B\n")
    assert _errors(document) == []
    assert _inference(document) == (rules, data)
    assert [m.role.value for m in document.arguments["A1"].pcs] == ["premise", "main-conclusion"]


def test_rules_and_a_data_block_below_them_that_look_like_markers() -> None:
    text = "<A1>\n\n(1) A\n--\n_> a, b\n{x: 1}\n--\n(2) B\n  + [D]: d\n"
    document = parse_text(text)
    assert _errors(document) == []
    assert _inference(document) == (["_> a", "b"], {"x": 1})
    # the support below the conclusion is still a relation
    assert len(document.relations) == 1


def test_an_undercut_below_the_closing_hyphens_still_hangs_from_the_inference() -> None:
    document = parse_text("<A1>\n\n(1) A\n--\n<- rule\n--\n  <_ [U]: u\n(2) B\n")
    assert _errors(document) == []
    assert _inference(document) == (["<- rule"], None)
    assert [(r.source, r.via_inference) for r in document.relations] == [("U", True)]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        # rules over two lines: the reference wants the closing hyphens after one
        ("<A1>\n\n(1) A\n--\nrule\n+ rule two\n--\n(2) B\n", "P138", 6),
        ("<A1>\n\n(1) A\n--\nmodus ponens,\n<- by analogy\n--\n(2) B\n", "P138", 5),
        # never closed before the PCS goes on: the lines keep their markers (recovery)
        ("<A1>\n\n(1) A\n--\n<-{test: 1}\n(2) B\n", "P120", 4),
    ],
)
def test_what_the_reference_rejects_there_is_still_an_error(text: str, code: str, line: int) -> None:
    found = [(c, at) for c, at, _ in _errors(parse_text(text))]
    assert (code, line) in found


@pytest.mark.parametrize(
    "text",
    [
        "<A1>\n\n(1) A\n--\nrule\n--\n(2) B\n----\n(3) C\n",
        "<A1>\n\n(1) A\n-- Chain rule\n--\n(2) B\n----\n(3) C\n",
        "<A1>\n\n(1) A\n--\nrule\n{a: 1}\n--\n(2) B\n--\nx\n--\n(3) C\n",
    ],
)
def test_closing_hyphens_never_open_another_inference(text: str) -> None:
    # the `--` that closes an inference is followed by a statement and another inference
    # line; it must not be read as the opening of an expanded inference up to that one
    document = parse_text(text)
    assert _errors(document) == []
    roles = [m.role.value for m in document.arguments["A1"].pcs]
    assert roles == ["premise", "intermediary-conclusion", "main-conclusion"]


def test_closing_hyphens_at_the_end_of_the_rules_line() -> None:
    # the reference's inference ends at the next `--` anywhere: `rule --` closes it
    document = parse_text("<A1>\n\n(1) A\n--\nrule --\n(2) B\n")
    assert _errors(document) == []
    assert _inference(document) == (["rule"], None)


def test_a_rule_then_the_closing_hyphens_on_the_next_line() -> None:
    document = parse_text("<A1>\n\n(1) A\n-- Chain rule {x: 2}\n--\n  <_ [U]: u\n(2) B\n")
    assert _errors(document) == []
    assert _inference(document) == (["Chain rule"], {"x": 2})
    assert [(r.source, r.via_inference) for r in document.relations] == [("U", True)]


@pytest.mark.parametrize(
    "text",
    [
        "<A1>\n\n(1) A\n--\n// a comment\n<- x\n--\n(2) B\n",
        "<A1>\n\n(1) A\n--\n<- x\n// a comment\n--\n(2) B\n",
        "<A1>\n\n(1) A\n(2) B\n--\n// uses in the data\n{uses: [1, 2]}\n--\n(3) C\n----\n(4) D\n",
    ],
)
def test_a_comment_only_line_inside_an_inference_is_skipped(text: str) -> None:
    # the reference skips a comment line with its line break inside the inference; the
    # closing `--` still opens no other inference after it
    document = parse_text(text)
    assert _errors(document) == []
    assert document.arguments["A1"].pcs[-1].role.value == "main-conclusion"


def test_a_line_of_blanks_inside_an_inference_is_a_line_break_too_many() -> None:
    document = parse_text("<A1>\n\n(1) A\n--\nrule\n   \n--\n(2) B\n")
    assert [code for code, _, _ in _errors(document)] == ["P138"]
