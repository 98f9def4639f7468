"""What the Argdown ecosystem reads from a JSON export, for comparing two exports.

`project` keeps titles, member texts, PCS roles, relations with their types,
sections, tags and data of an `argdown json` document (ours or the reference's)
and drops what legitimately differs: positions and colours, whitespace inside
texts (the reference keeps a trailing space where a data block was removed), and
which end of a symmetric relation (contradictory, contrary) is called `from`.
The golden tests and `bench/parity.py` compare through it.
"""

from __future__ import annotations

import json
import re
from typing import Any


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
