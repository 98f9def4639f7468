"""Derived facts about a document's claim graph that several rules share.

Read from the one argument graph (argmap/graph.py); plain dicts and one iterative
Tarjan, no networkx: the rules run on every `argmap check` and must stay well under
the parse time on large maps.

Definitions used by the rules (and documented in docs/rules.md):

* the *thesis* is the argument graph's one decision (`argmap.graph`, as
  docs/scoring.md defines it: frontmatter, `#thesis`, else automatic), the same
  claim `score`, `render`, `report` and `serve` use.
* an argument's *effects* are what its main conclusion does: relations written
  from the conclusion (`+> [T]`, `-> [T]`, `_> <B>`), contradictions in either
  direction, the conclusion *being* a statement, and, one step on, supporting or
  attacking an argument by relating to one of its premises or its conclusion.
* a *declared* relation is one whose source is the argument itself, as in a
  relation tree (`[T]` / `+ <A>`) or `<A>` / `+> [T]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from argmap.graph import (
    NEGATIVE,
    POSITIVE,
    SYMMETRIC,
    ArgumentGraph,
    NodeKey,
    argument_graph,
    argument_key,
    source_key,
    statement_key,
    strong_components,
    target_key,
)
from argmap.model import Argument, Document, ElementKind, Relation, RelationKind

Node = NodeKey
__all__ = ["NEGATIVE", "POSITIVE", "SYMMETRIC", "Facts", "Node", "build_facts", "show", "sign"]


def show(n: Node) -> str:
    return str(n)


def sign(kind: RelationKind) -> str:
    return "+" if kind in POSITIVE else "-"


@dataclass
class Facts:
    """What the graph rules share: the argument graph, plus the top-level and
    redefined statements, and each argument's effects (computed on demand)."""

    graph: ArgumentGraph
    top_level: list[str] = field(default_factory=list)  # defined top-level statements
    redefined: list[str] = field(default_factory=list)  # titles with more than one definition
    _effects: dict[str, dict[Node, tuple[set[str], Relation | None]]] = field(default_factory=dict)
    by_source: dict[Node, list[Relation]] = field(init=False)
    by_target: dict[Node, list[Relation]] = field(init=False)
    premise_of: dict[str, list[str]] = field(init=False)  # statement -> arguments
    conclusion_of: dict[str, list[str]] = field(init=False)  # main conclusions only
    in_pcs: set[str] = field(init=False)

    @property
    def document(self) -> Document:
        return self.graph.document

    def __post_init__(self) -> None:
        g = self.graph  # the graph's own indexes, under the names the rules use
        self.by_source, self.by_target = g.out_edges, g.in_edges
        self.premise_of, self.conclusion_of, self.in_pcs = g.premise_of, g.conclusion_of, g.in_pcs

    @property
    def theses(self) -> list[str]:
        """The thesis the map itself decides (a statement), as a list: none when there is none."""
        key = self.graph.thesis.key
        return [key.title] if key is not None and key.is_statement else []

    # ---- queries -------------------------------------------------------------------

    def relations_of(self, n: Node) -> int:
        return self.graph.relations_of(n)

    def declared(self, argument: str) -> list[Relation]:
        """Relations whose source is the argument itself (tree entries)."""
        return self.by_source.get(argument_key(argument), [])

    def effects(self, argument: Argument) -> dict[Node, tuple[set[str], Relation | None]]:
        """What the argument's main conclusion does: target -> (signs, first relation)."""
        cached = self._effects.get(argument.title)
        if cached is None:
            cached = self._effects[argument.title] = self._compute_effects(argument)
        return cached

    def _compute_effects(self, argument: Argument) -> dict[Node, tuple[set[str], Relation | None]]:
        result: dict[Node, tuple[set[str], Relation | None]] = {}
        conclusion = argument.conclusion
        if conclusion is None:
            return result

        def add(target: Node, s: str, relation: Relation | None) -> None:
            signs, first = result.setdefault(target, (set(), relation))
            signs.add(s)
            if first is None and relation is not None:
                result[target] = (signs, relation)

        here = statement_key(conclusion.statement.title)
        add(here, "+", None)
        direct: list[tuple[Node, str, Relation]] = []
        for relation in self.by_source.get(here, ()):
            direct.append((target_key(relation), sign(relation.kind), relation))
        for relation in self.by_target.get(here, ()):
            if relation.kind in SYMMETRIC and relation.source_kind is ElementKind.STATEMENT:
                direct.append((statement_key(relation.source), "-", relation))
        for target, s, relation in direct:
            add(target, s, relation)
            if target.is_statement:
                for other in self.premise_of.get(target.title, ()):
                    add(argument_key(other), s, relation)
                for other in self.conclusion_of.get(target.title, ()):
                    add(argument_key(other), s, relation)
        return result

    def conclusion_points_somewhere(self, argument: Argument) -> bool:
        conclusion = argument.conclusion
        return conclusion is not None and bool(self.by_source.get(statement_key(conclusion.statement.title)))


def build_facts(document: Document) -> Facts:
    """The rules' view of the document's argument graph (built once, shared)."""
    graph = argument_graph(document)
    return Facts(graph, top_level=list(graph.top_level), redefined=list(graph.redefined))


def support_edges(graph: ArgumentGraph) -> dict[Node, list[tuple[Node, Relation | None]]]:
    """The support graph: each support or entailment, and each step of a PCS (premise
    -> argument -> main conclusion), from its source, with the relation written."""
    edges: dict[Node, list[tuple[Node, Relation | None]]] = {}
    for source, target, relation in _support_steps(graph):
        edges.setdefault(source, []).append((target, relation))
    return edges


def _support_steps(graph: ArgumentGraph) -> Iterator[tuple[Node, Node, Relation | None]]:
    """What the support graph is made of, in the order written: each support or
    entailment with its relation, then each step of a PCS (premise -> argument -> main
    conclusion), which has none."""
    for relation in graph.document.relations:
        if relation.kind in POSITIVE:
            yield source_key(relation), target_key(relation), relation
    for source, target, from_argument in graph.pcs_steps:
        if from_argument:
            yield argument_key(source), statement_key(target), None
        else:
            yield statement_key(source), argument_key(target), None


def support_cycles(graph: ArgumentGraph) -> Iterator[list[Node]]:
    """The strongly connected components of the support graph (`support_edges`) that
    hold a cycle (more than one node, or a node supporting itself), as Tarjan's
    algorithm finishes them when searched from each node with an incoming edge, in the
    order the nodes first relate to another, and each node's steps in the order they
    are written (a node without an incoming edge is on no cycle). On small ints, not
    keys: `support_edges`, with the relations on the edges, is built only for a map
    with a cycle to show."""
    ints = _SupportInts(graph)
    successors = ints.successors
    entered = bytearray(len(successors))
    for out in successors:
        for i in out:
            entered[i] = 1
    for i in ints.entered:
        entered[i] = 1
    for members in strong_components(successors, [i for i in ints.sources if entered[i]]):
        root = members[-1]  # the node Tarjan's algorithm found the component from
        if len(members) > 1 or root in successors[root]:
            yield [ints.key(i) for i in members]


class _SupportInts:
    """The support graph on small ints: each node's successors in the order they are
    written (supports and entailments, then the PCS steps), and the nodes with
    successors in the order they first have one. Numbered by title, one dict per
    kind (no key per node: every PCS line of the map comes here).

    A premise nothing supports and nothing concludes is left out, its arguments only
    noted as `entered`: no search reaches it (no edge enters it) and none starts from
    it (a node no edge enters is no root), so the search, and what it finds, are the
    same without it; most premises of a map are such."""

    def __init__(self, graph: ArgumentGraph) -> None:
        self.ids: dict[ElementKind, dict[str, int]] = {ElementKind.STATEMENT: {}, ElementKind.ARGUMENT: {}}
        self.names: list[tuple[ElementKind, str]] = []
        self.successors: list[list[int]] = []
        self.sources: list[int] = []
        self.entered: list[int] = []  # arguments entered by a premise left out
        statement, argument = ElementKind.STATEMENT, ElementKind.ARGUMENT
        supported = set(graph.conclusion_of)  # the statements some edge enters
        for r in graph.document.relations:
            if r.kind in POSITIVE:
                self.step(self.number(r.source_kind, r.source), self.number(r.target_kind, r.target))
                if r.target_kind is statement:
                    supported.add(r.target)
        for source, target, from_argument in graph.pcs_steps:
            if from_argument:
                self.step(self.number(argument, source), self.number(statement, target))
            elif source in supported:
                self.step(self.number(statement, source), self.number(argument, target))
            else:
                self.entered.append(self.number(argument, target))

    def number(self, kind: ElementKind, title: str) -> int:
        ids = self.ids[kind]
        found = ids.get(title)
        if found is None:
            found = ids[title] = len(self.names)
            self.names.append((kind, title))
            self.successors.append([])
        return found

    def step(self, i: int, j: int) -> None:
        out = self.successors[i]
        if not out:
            self.sources.append(i)
        out.append(j)

    def key(self, i: int) -> Node:
        kind, title = self.names[i]
        return statement_key(title) if kind is ElementKind.STATEMENT else argument_key(title)


def cycle_path(
    component: Iterable[Node], edges: dict[Node, list[tuple[Node, Relation | None]]]
) -> tuple[list[Node], list[Relation]]:
    """One cycle through the component's first node, and the written relations on it."""
    members = set(component)
    start = min(members)
    parents: dict[Node, tuple[Node, Relation | None]] = {}
    queue = [start]
    seen = {start}
    found: tuple[Node, Relation | None] | None = None
    while queue and found is None:
        next_queue: list[Node] = []
        for current in queue:
            for child, relation in edges.get(current, ()):
                if child == start:
                    found = (current, relation)
                    break
                if child in members and child not in seen:
                    seen.add(child)
                    parents[child] = (current, relation)
                    next_queue.append(child)
            if found is not None:
                break
        queue = next_queue
    if found is None:  # cannot happen for a strongly connected component
        return [start, start], []
    path = [start]
    relations: list[Relation] = [found[1]] if found[1] is not None else []
    current = found[0]
    while current != start:
        path.append(current)
        parent, relation = parents[current]
        if relation is not None:
            relations.append(relation)
        current = parent
    path.append(start)
    # path was collected backwards from the closing edge: start, ..., start reversed
    ordered = [start, *reversed(path[1:-1]), start]
    return ordered, relations
