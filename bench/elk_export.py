#!/usr/bin/env python3
"""Export a map's layout graph as ELK JSON, to weigh ELK's layered layout against argmap's
own (docs/render.md, "Why not ELK"). The boxes have argmap's sizes; each section is an
ELK compound node; edges point from the conclusion side down, as argmap lays them out.

    python bench/elk_export.py MAP.argdown -o graph.json
    node bench/elk_time.mjs path/to/elkjs/lib/elk.bundled.js graph.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's argmap

from argmap.grammar import parse_file
from argmap.render.layout import build_layout

OPTIONS = {
    "elk.algorithm": "layered",
    "elk.direction": "UP",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.hierarchyHandling": "INCLUDE_CHILDREN",
    "elk.portConstraints": "FREE",
}


def export(path: str) -> dict[str, object]:
    layout = build_layout(parse_file(path))
    children: dict[str, list[dict[str, object]]] = {}
    for key, node in layout.nodes.items():
        children.setdefault(node.group, []).append({"id": key, "width": node.w, "height": node.h})
    top = children.pop("_top", [])
    sections = [{"id": "group:" + gid, "children": kids} for gid, kids in children.items()]
    edges = [
        {"id": f"e{i}", "sources": [edge.source], "targets": [edge.target]}
        for i, edge in enumerate(layout.edges)
    ]
    return {"id": "root", "layoutOptions": OPTIONS, "children": top + sections, "edges": edges}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("map")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    Path(args.output).write_text(json.dumps(export(args.map)), encoding="utf-8")


if __name__ == "__main__":
    main()
