"""What the Argdown ecosystem reads from a JSON export, for comparing two exports.

`project` keeps titles, member texts, PCS roles, relations with their types,
sections, tags and data of an `argdown json` document (ours or the reference's)
and drops what legitimately differs: positions and colours, whitespace inside
texts (the reference keeps a trailing space where a data block was removed), and
which end of a symmetric relation (contradictory, contrary) is called `from`, and
how a number is spelled in data (`1000` and `1000.0`: JavaScript has one number type).
The golden tests and `bench/parity.py` compare through it, on JSON as written.
"""

from __future__ import annotations

import json
import re
from typing import Any


def _text(value: Any) -> Any:
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else value


def _numbers(value: Any) -> Any:
    """Every number as a double, as JavaScript holds it."""
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _data(value: Any) -> str:
    return json.dumps(_numbers(value), sort_keys=True)


def _member(m: dict[str, Any]) -> tuple[Any, ...]:
    return (
        m.get("title"),
        _text(m.get("text")) or None,
        m.get("role"),
        _data(m.get("data")),
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
                    _data(s.get("data")),
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
                "data": _data(ec.get("data")),
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
                "data": _data(a.get("data")),
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
