"""The claim graph as networkx: what later stages (rules, scoring, rendering) walk.

Nodes are `("statement", title)` and `("argument", title)` with attributes `kind`,
`title`, `text`, `tags`, `data`. Edges are keyed by relation kind:
- one edge per unique written relation, `kind` = support / attack / undercut /
  contradiction / entails / contrary, with `span` and `symbol` of its first writing;
- `premise` edges from each PCS premise's statement to its argument and a
  `conclusion` edge from the argument to its main conclusion, so reasoning flows
  premise -> argument -> conclusion -> what the conclusion supports.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from argmap.model import Document, ElementKind, PcsRole

NodeId = tuple[str, str]


def node_id(kind: ElementKind | str, title: str) -> NodeId:
    return (kind.value if isinstance(kind, ElementKind) else kind, title)


def build_graph(document: Document) -> nx.MultiDiGraph:
    graph: Any = nx.MultiDiGraph(path=document.path, mode=document.mode.value)
    for ec in document.statements.values():
        graph.add_node(
            node_id(ElementKind.STATEMENT, ec.title),
            kind="statement",
            title=ec.title,
            text=ec.text,
            tags=ec.tags,
            data=ec.data,
            defined=bool(ec.members),
            top_level=ec.is_top_level,
        )
    for argument in document.arguments.values():
        graph.add_node(
            node_id(ElementKind.ARGUMENT, argument.title),
            kind="argument",
            title=argument.title,
            text=next((d.text for d in argument.descriptions if d.text), ""),
            tags=argument.tags,
            data=argument.data,
            defined=bool(argument.descriptions and not all(d.is_reference for d in argument.descriptions))
            or bool(argument.pcs),
        )
        here = node_id(ElementKind.ARGUMENT, argument.title)
        for member in argument.pcs:
            statement = node_id(ElementKind.STATEMENT, member.statement.title)
            if member.role is PcsRole.PREMISE:
                graph.add_edge(statement, here, key="premise", kind="premise", number=member.number)
            elif member.role is PcsRole.MAIN_CONCLUSION:
                graph.add_edge(here, statement, key="conclusion", kind="conclusion", number=member.number)
            else:
                graph.add_edge(here, statement, key="intermediary", kind="intermediary", number=member.number)
    for relation in document.unique_relations:
        source = node_id(relation.source_kind, relation.source)
        target = node_id(relation.target_kind, relation.target)
        graph.add_edge(
            source,
            target,
            key=relation.kind.value,
            kind=relation.kind.value,
            symbol=relation.symbol,
            line=relation.span.line,
            via_inference=relation.via_inference,
        )
    return graph
