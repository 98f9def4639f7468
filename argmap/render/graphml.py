"""`argmap export --to graphml`: the claim graph as GraphML (networkx's writer).

Attributes that GraphML cannot hold natively (tags, data) are written as JSON text.
XML 1.0 cannot hold control characters at all: a title or text holding one (a terminal
escape) has it written as a visible escape (`\\x1b`), so the file stays well-formed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import networkx as nx

from argmap.diagnostics import printable
from argmap.graph import to_networkx
from argmap.model import Document


def _ids(nodes: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """`kind:title` for each node, printable, and unique: a title holding ESC and another
    holding the text `\\x1b` print alike, so a repeated id gets `#2`, `#3`, ..."""
    ids: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for node in nodes:
        base = candidate = printable(f"{node[0]}:{node[1]}")
        number = 1
        while candidate in taken:
            number += 1
            candidate = f"{base}#{number}"
        taken.add(candidate)
        ids[node] = candidate
    return ids


def export_graphml(document: Document) -> str:
    graph = to_networkx(document)
    plain = nx.MultiDiGraph()
    ids = _ids(graph.nodes)
    for node, attrs in graph.nodes(data=True):
        plain.add_node(
            ids[node],
            kind=attrs["kind"],
            title=printable(attrs["title"]),
            text=printable(attrs.get("text") or ""),
            tags=json.dumps(attrs.get("tags") or []),  # json.dumps escapes control characters itself
            data=json.dumps(attrs.get("data") or {}, default=str),
        )
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        plain.add_edge(ids[source], ids[target], key=key, kind=attrs["kind"])
    return "\n".join(nx.generate_graphml(plain)) + "\n"
