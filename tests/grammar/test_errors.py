"""Syntax errors: reported where the fix goes, with every broken block at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_file, parse_text
from argmap.model import PcsRole

GOLDEN = Path(__file__).parents[1] / "golden" / "syntax"


def errors(document: object) -> list[tuple[str, int, int]]:
    return [
        (d.code, d.line, d.column)
        for d in document.diagnostics  # type: ignore[attr-defined]
        if d.level is Level.ERROR
    ]


def test_missing_inference_is_reported_at_the_conclusion() -> None:
    # @argdown/cli reports this at the empty line after the PCS (6:19, see
    # 90_error_missing_inference.expected.errors.json); the fix goes above line 5.
    document = parse_file(GOLDEN / "90_error_missing_inference.argdown")
    assert errors(document) == [("P106", 5, 1)]
    hint = document.diagnostics[0].hint or ""
    assert "----" in hint and "line 5" in hint


def test_missing_inference_recovers_the_argument() -> None:
    document = parse_text("<A>\n\n(1) [P]: premise\n(2) [C]: conclusion\n  +> [T]\n\n[T]: thesis\n")
    assert errors(document) == [("P106", 4, 1)]
    argument = document.arguments["A"]
    assert [m.role for m in argument.pcs] == [PcsRole.PREMISE, PcsRole.MAIN_CONCLUSION]
    assert document.relations[0].source == "C"


def test_relation_after_an_empty_line() -> None:
    document = parse_file(GOLDEN / "92_error_relation_after_empty_line.argdown")
    found = errors(document)
    assert found and all(code == "P108" for code, _, _ in found)


def test_snake_case_is_rejected_at_the_underscore_and_read_literally() -> None:
    # The reference rejects an unmatched `_` (91_error_unclosed_italic.expected.log, at
    # the end of the line); argmap rejects the map too, at the underscore, and reads it
    # as a literal underscore, which is what the author meant.
    document = parse_file(GOLDEN / "91_error_unclosed_italic.argdown")
    assert errors(document) == [("P133", 1, 33)]
    assert "snake_case" in document.statements["Naming"].members[0].text


def test_every_broken_block_is_reported() -> None:
    text = (
        "<A>\n\n(1) p\n(2) c\n\n"  # missing ----
        "[T]: thesis\n  + <A>\n\n"
        "  - <B>\n\n"  # relation after an empty line
        "<C>\n\n(1) p\n----\n(2) c\n\n"  # fine
        "<D>\n\n(1) p\n----\n\n"  # inference without conclusion
        "[E]: text {credence: 0.5\n\n[F]: closed later }\n"  # unclosed data, a `}` further on
    )
    document = parse_text(text)
    assert [code for code, _, _ in errors(document)] == ["P106", "P108", "P111", "P102"]
    assert document.arguments["C"].conclusion is not None


def test_inference_first_and_numbering() -> None:
    document = parse_text("<A>\n\n----\n(1) p\n(3) q\n----\n(4) c\n")
    found = [(d.code, d.line) for d in document.diagnostics]
    assert ("P114", 3) in found
    assert ("P107", 5) in found


def test_heading_inside_a_block() -> None:
    document = parse_text("[A]: text\n# Heading\n\n[B]: after\n")
    assert [code for code, _, _ in errors(document)] == ["P122"]
    assert "B" in document.statements


def test_contradiction_with_an_argument() -> None:
    document = parse_text("[A]: text\n  >< <B>\n")
    assert [code for code, _, _ in errors(document)] == ["P116"]


REJECTED = sorted(
    p
    for p in GOLDEN.glob("*.argdown")
    if p.with_suffix(".expected.errors.json").exists() and not p.name.startswith("91_")
)


@pytest.mark.parametrize("path", REJECTED, ids=[p.stem for p in REJECTED])
def test_what_the_reference_rejects_is_an_error_with_a_hint(path: Path) -> None:
    # Each of these documents was rejected by the reference CLI (its *.expected.log);
    # argmap must reject it too, with a located error that says how to fix it.
    found = [d for d in parse_file(path).diagnostics if d.level.value == "error"]
    assert found, path.name
    assert all(d.code.startswith("P") and d.hint for d in found)


def test_an_empty_heading_mark_under_a_line_is_a_heading_inside_a_block() -> None:
    # the reference reads `## ` directly under a line as a heading start and rejects it,
    # with text after the marks or without
    for text in ("[A]: a\n## \n\n[B]: b\n", "[A]: a\n  + [B]: b\n# "):
        assert [code for code, _, _ in errors(parse_text(text))] == ["P122"], text


def test_no_emphasis_in_an_expanded_inference() -> None:
    # the reference lexes inference rules in a mode without emphasis: `_` and `*` are text
    document = parse_text("(1) a\n(2) b\n--\nrule_one, 2*3\n--\n(3) c\n")
    assert errors(document) == []
    assert document.arguments["Untitled 1"].pcs[-1].inference.rules == ["rule_one", "2*3"]  # type: ignore[union-attr]


def test_a_fence_under_text_runs_on_into_a_comment() -> None:
    # the reference's frontmatter token runs from `===` to the next `===`, even one inside a
    # comment below it (a `// =====` banner), so the map is rejected there
    document = parse_text("Some text\n===\n\n// ========\n\n[A]: a\n")
    assert [(code, line) for code, line, _ in errors(document)] == [("P110", 2)]
    assert errors(parse_text("[A]: a\n\n// === x ===\n\n[B]: b\n")) == []


def test_a_bracket_title_starting_with_a_hyphen_is_no_reference() -> None:
    # the reference's reference token is `[` + not `-` ...: `[-Main Q]` is plain text
    document = parse_text("[A]: a\n  - [-Main Q]\n")
    assert "-Main Q" not in document.statements
    assert errors(document) == []


@pytest.mark.parametrize(
    ("text", "rejected"),
    [
        ("[A]: a\n2.", False),  # nothing after the marker: text, as there
        ("[A]: a\n2.\n", True),
        ("[A]: a\n2.\n    ", True),  # a line break, then blanks and the end of the map
        ("[A]: a\n*   ", True),  # blanks after the marker
    ],
)
def test_a_list_marker_ending_a_map_is_text_only_with_nothing_after_it(text: str, rejected: bool) -> None:
    # the reference's list markers need a blank or line break after them (`(?=\s)`); each
    # was run through `argdown json` (rejected: "expecting ... relations" at the marker)
    found = [(code, line) for code, line, _ in errors(parse_text(text))]
    assert found == ([("P127", 2)] if rejected else [])
