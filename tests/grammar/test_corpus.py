"""The real 468-line map (../shared/corpus/adapters): everything where it is.

Expectations are derived from the raw file by plain line scanning, independently of
the parser, so the test checks positions, not the parser against itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from argmap.grammar import parse_file
from argmap.model import Document, PcsRole, Statement
from tests.conftest import CORPUS_DEFECT_LINE


def _statements(document: Document) -> list[Statement]:
    return [s for ec in document.statements.values() for s in ec.members + ec.references]


def test_real_map_parses_with_only_the_known_defect(corpus_map: Path) -> None:
    document = parse_file(corpus_map)
    assert [(d.code, d.line) for d in document.diagnostics] == [("P106", CORPUS_DEFECT_LINE)]
    assert document.mode.value == "strict"
    assert document.frontmatter["title"].startswith("Adapters as Representational Hypotheses")


def test_every_element_is_where_it_is_in_the_file(corpus_map: Path) -> None:
    lines = corpus_map.read_text(encoding="utf-8").split("\n")
    document = parse_file(corpus_map)
    statements = _statements(document)

    argument_lines = {
        i + 1: m.group(1) for i, line in enumerate(lines) if (m := re.fullmatch(r"<([^>]+)>", line))
    }
    top_level = {
        d.span.line: a.title
        for a in document.arguments.values()
        for d in a.descriptions
        if d.span.column == 1
    }
    assert top_level == argument_lines
    assert all(len(a.pcs) >= 2 for a in document.arguments.values())

    member_lines = sorted(i + 1 for i, line in enumerate(lines) if re.match(r"\(\d+\) ", line))
    pcs_lines = sorted(m.statement.span.line for a in document.arguments.values() for m in a.pcs)
    assert pcs_lines == member_lines

    conclusions = sorted(a.pcs[-1].statement.span.line for a in document.arguments.values())
    assert all(a.pcs[-1].role is PcsRole.MAIN_CONCLUSION for a in document.arguments.values())
    inference_lines = [i + 1 for i, line in enumerate(lines) if line == "----"]
    assert sorted([line + 1 for line in inference_lines] + [CORPUS_DEFECT_LINE]) == conclusions

    evidence_lines = sorted(i + 1 for i, line in enumerate(lines) if "[evidence](" in line)
    assert sorted(e.span.line for s in statements for e in s.evidence) == evidence_lines
    assert all(e.line_start is not None and e.line_end is not None for s in statements for e in s.evidence)

    quote_lines = sorted(i + 1 for i, line in enumerate(lines) if line.lstrip().startswith("> "))
    assert sorted(q.span.line for s in statements for q in s.quotes) == quote_lines
    assert len(quote_lines) == 26

    source_lines = sorted(
        i + 1 for i, line in enumerate(lines) if re.match(r"\s+\[[^\]]+\]\(https?://", line)
    )
    assert sorted(src.span.line for s in statements for src in s.sources) == source_lines

    data_lines = sorted(i + 1 for i, line in enumerate(lines) if line.lstrip().startswith("{reason:"))
    assert sorted(s.data.span.line for s in statements if s.data is not None) == data_lines

    tag_lines = sorted(
        i + 1 for i, line in enumerate(lines) for _ in re.findall(r"#(?:observation|assumption)\b", line)
    )
    tagged = sorted(
        line
        for s in statements
        for tag in s.tags
        for line in [next(i + 1 for i in range(s.span.line - 1, s.span.end_line) if f"#{tag}" in lines[i])]
    )
    assert tagged == tag_lines


def test_relations_of_the_real_map(corpus_map: Path) -> None:
    document = parse_file(corpus_map)
    tree = [r for r in document.relations if r.target == "Natural Manifold" and not r.parent_is_pcs_member]
    assert [(r.source, r.kind.value) for r in tree] == [
        ("SVD Basis Cluster", "support"),
        ("Orthogonal Preservation", "support"),
        ("Direction Magnitude Decoupling", "support"),
        ("Functional Architecture", "support"),
        ("Shared Structure Evidence", "support"),
        ("Prompt Tuning Orthogonal Paradigm", "support"),
        ("Gain Control Sufficiency", "attack"),
        ("Rank Is Secondary", "attack"),
        ("SVD Is Linear Decomposition", "attack"),
    ]
    under_conclusions = [r for r in document.relations if r.parent_is_pcs_member]
    assert len(under_conclusions) == 17
    assert {r.kind.value for r in under_conclusions} == {"entails", "contrary"}
