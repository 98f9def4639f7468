"""`argmap export --to dot`: the claim graph for Graphviz.

Statements are rectangles, arguments rounded boxes; support and entailment green
solid arrows, attack and contrariness red, undercuts dashed red to the argument,
contradictions red with arrowheads at both ends; PCS edges grey dotted.
"""

from __future__ import annotations

from argmap.diagnostics import printable
from argmap.graph import to_networkx
from argmap.model import Document

_EDGE_STYLE = {
    "support": 'color="#1a9850"',
    "entails": 'color="#1a9850"',
    "attack": 'color="#d73027"',
    "contrary": 'color="#d73027", dir=both',
    "contradiction": 'color="#d73027", dir=both, style=bold',
    "undercut": 'color="#d73027", style=dashed',
    "premise": 'color="#999999", style=dotted, arrowhead=none',
    "conclusion": 'color="#999999", style=dotted',
    "intermediary": 'color="#999999", style=dotted',
}


def _quote(text: str) -> str:
    # control characters (a terminal escape in a title) written as visible escapes: the
    # file goes to stdout by default, and Graphviz would print them raw
    text = printable(text.replace("\n", " "))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def export_dot(document: Document) -> str:
    graph = to_networkx(document)
    ids = {node: f"n{index}" for index, node in enumerate(graph.nodes)}
    out = ["digraph argmap {", "  rankdir=BT;", '  node [fontname="Helvetica", fontsize=11];']
    for node, attrs in graph.nodes(data=True):
        kind, title = node
        label = f"<{title}>" if kind == "argument" else f"[{title}]"
        shape = (
            'shape=box, style="rounded,filled", fillcolor="#e8f0fe"' if kind == "argument" else "shape=box"
        )
        out.append(
            f"  {ids[node]} [label={_quote(label)}, {shape}, tooltip={_quote(attrs.get('text') or '')}];"
        )
    for source, target, attrs in graph.edges(data=True):
        style = _EDGE_STYLE.get(attrs["kind"], "")
        out.append(f"  {ids[source]} -> {ids[target]} [{style}, label={_quote(attrs['kind'])}];")
    out.append("}")
    return "\n".join(out) + "\n"
