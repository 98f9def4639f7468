"""Export of the bundled example and of the real map against the reference."""

from __future__ import annotations

import json
from pathlib import Path

from argmap.grammar import parse_file
from argmap.render.argdown_json import export_dict
from tests.conftest import EXAMPLE
from tests.render.test_argdown_json import project

GOLDEN = Path(__file__).parents[1] / "golden"


def test_example_export_matches_reference() -> None:
    expected = project(json.loads((GOLDEN / "example" / "picnic.expected.json").read_text(encoding="utf-8")))
    document = parse_file(EXAMPLE)
    assert document.diagnostics == []
    actual = project(export_dict(document))
    assert actual == expected


def test_fixed_corpus_export_matches_reference(fixed_corpus_map: Path) -> None:
    """tests/corpus/adapters_reference_summary.json holds only titles and relations
    of `@argdown/cli json` on the fixed copy (the corpus itself is never committed)."""
    summary = json.loads((GOLDEN.parent / "corpus" / "adapters_reference_summary.json").read_text("utf-8"))
    document = parse_file(fixed_corpus_map)
    assert document.diagnostics == []
    exported = export_dict(document)
    assert sorted(exported["arguments"]) == summary["arguments"]
    assert sorted(exported["statements"]) == summary["statements"]
    kinds = {"equivalence-class": "statement", "argument": "argument", "inference": "inference"}
    relations = sorted(
        [r["from"], r["to"], r["relationType"], kinds[r["fromType"]], kinds[r["toType"]]]
        for r in exported["relations"]
    )
    assert relations == summary["relations"]
