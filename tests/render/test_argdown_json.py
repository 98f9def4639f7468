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
import re
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.render.argdown_json import export_dict

GOLDEN = Path(__file__).parents[1] / "golden" / "syntax"
CASES = sorted(p for p in GOLDEN.glob("*.argdown") if p.with_suffix(".expected.json").exists())


def _text(value: Any) -> Any:
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else value


def _member(m: dict[str, Any]) -> tuple[Any, ...]:
    return (
        m.get("title"),
        _text(m.get("text")) or None,
        m.get("role"),
        json.dumps(m.get("data"), sort_keys=True),
    )


def project(d: dict[str, Any]) -> dict[str, Any]:
    def sections(items: list[dict[str, Any]], parent: str | None = None) -> list[Any]:
        out = []
        for s in items:
            out.append(
                (
                    _text(s["title"]),
                    s["level"],
                    parent,
                    sorted(s.get("tags", [])),
                    json.dumps(s.get("data"), sort_keys=True),
                )
            )
            out.extend(sections(s.get("children", []), _text(s["title"])))
        return out

    return {
        "statements": {
            title: {
                "texts": sorted(
                    _text(m["text"]) for m in ec["members"] if m.get("text") and m.get("text").strip()
                ),
                "tags": sorted(ec.get("tags", [])),
                "data": json.dumps(ec.get("data"), sort_keys=True),
            }
            for title, ec in d["statements"].items()
        },
        "arguments": {
            title: {
                "descriptions": sorted(
                    _text(m["text"]) for m in a["members"] if (m.get("text") or "").strip()
                ),
                "pcs": [_member(m) for m in a["pcs"]],
                "tags": sorted(a.get("tags", [])),
                "data": json.dumps(a.get("data"), sort_keys=True),
            }
            for title, a in d["arguments"].items()
        },
        "relations": sorted(_relation(r) for r in d["relations"]),
        "sections": sections(d.get("sections", [])),
        "tags": sorted(d.get("tags", {})),
    }


def _relation(r: dict[str, Any]) -> tuple[Any, ...]:
    ends = [(r["from"], r["fromType"]), (r["to"], r["toType"])]
    if r["relationType"] in ("contradictory", "contrary"):
        ends.sort()  # symmetric: which end the reference calls `from` is arbitrary
    return (*ends[0], *ends[1], r["relationType"], r.get("conclusionIndex"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_export_matches_reference(path: Path) -> None:
    expected = project(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))
    document = parse_file(path)
    assert [d for d in document.diagnostics if d.level.value == "error"] == []
    actual = project(export_dict(document))
    for key in ("statements", "arguments", "relations", "sections", "tags"):
        assert actual[key] == expected[key], key
