"""`argmap export --to graphml`: the claim graph as GraphML (networkx's writer).

Attributes that GraphML cannot hold natively (tags, data) are written as JSON text.
"""

from __future__ import annotations

import json

import networkx as nx

from argmap.graph import to_networkx
from argmap.model import Document


def export_graphml(document: Document) -> str:
    graph = to_networkx(document)
    plain = nx.MultiDiGraph()
    ids = {node: f"{node[0]}:{node[1]}" for node in graph.nodes}
    for node, attrs in graph.nodes(data=True):
        plain.add_node(
            ids[node],
            kind=attrs["kind"],
            title=attrs["title"],
            text=attrs.get("text") or "",
            tags=json.dumps(attrs.get("tags") or []),
            data=json.dumps(attrs.get("data") or {}, default=str),
        )
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        plain.add_edge(ids[source], ids[target], key=key, kind=attrs["kind"])
    return "\n".join(nx.generate_graphml(plain)) + "\n"
