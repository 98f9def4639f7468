"""`argmap export --to json` against the reference's own output on golden documents.

Each `tests/golden/syntax/NN_*.argdown` was run once through `@argdown/cli json`
(version in tests/golden/syntax/README.md) and its output committed next to it. We
compare what the Argdown ecosystem reads: titles, member texts, PCS roles, relations
with their types, sections, tags and data. Positions and colours are not compared
(argmap reports its own 1-based, end-exclusive spans), whitespace in texts is
collapsed (the reference keeps a trailing space where a data block was removed), and
the two ends of a symmetric relation (contradictory, contrary) are compared as a set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from argmap.grammar import parse_file
from argmap.render.argdown_json import export_dict
from argmap.render.argdown_projection import project

GOLDEN = Path(__file__).parents[1] / "golden" / "syntax"
CASES = sorted(p for p in GOLDEN.glob("*.argdown") if p.with_suffix(".expected.json").exists())


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_export_matches_reference(path: Path) -> None:
    expected = project(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))
    document = parse_file(path)
    assert [d for d in document.diagnostics if d.level.value == "error"] == []
    actual = project(export_dict(document))
    for key in ("statements", "arguments", "relations", "sections", "tags"):
        assert actual[key] == expected[key], key
