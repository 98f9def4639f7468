"""Derived facts about a document's claim graph that several rules share.

Plain dicts and one iterative Tarjan, no networkx: the rules run on every
`argmap check` and must stay well under the parse time on large maps.

Definitions used by the rules (and documented in docs/rules.md):

* a *thesis* is a defined, top-level statement that is not a premise of any
  argument, does not itself support or attack anything (no outgoing support,
  entailment, attack or contrariness), and that something points at: a relation
  targets it, or an argument concludes it. A map may have several.
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

from argmap.model import Argument, Document, ElementKind, PcsRole, Relation, RelationKind

Node = tuple[str, str]  # ("s" | "a", title)

POSITIVE = frozenset({RelationKind.SUPPORT, RelationKind.ENTAILS})
NEGATIVE = frozenset(
    {RelationKind.ATTACK, RelationKind.CONTRARY, RelationKind.CONTRADICTION, RelationKind.UNDERCUT}
)
SYMMETRIC = frozenset({RelationKind.CONTRADICTION, RelationKind.CONTRARY})


def node(kind: ElementKind, title: str) -> Node:
    return ("s" if kind is ElementKind.STATEMENT else "a", title)


def show(n: Node) -> str:
    return f"[{n[1]}]" if n[0] == "s" else f"<{n[1]}>"


def sign(kind: RelationKind) -> str:
    return "+" if kind in POSITIVE else "-"


@dataclass
class Facts:
    document: Document
    by_source: dict[Node, list[Relation]] = field(default_factory=dict)
    by_target: dict[Node, list[Relation]] = field(default_factory=dict)
    premise_of: dict[str, list[str]] = field(default_factory=dict)  # statement -> arguments
    conclusion_of: dict[str, list[str]] = field(default_factory=dict)  # main conclusions only
    in_pcs: set[str] = field(default_factory=set)
    theses: list[str] = field(default_factory=list)
    top_level: list[str] = field(default_factory=list)  # defined top-level statements
    redefined: list[str] = field(default_factory=list)  # titles with more than one definition
    edges: dict[Node, list[tuple[Node, Relation | None]]] = field(default_factory=dict)
    _effects: dict[str, dict[Node, tuple[set[str], Relation | None]]] = field(default_factory=dict)

    # ---- queries -------------------------------------------------------------------

    def relations_of(self, n: Node) -> int:
        return len(self.by_source.get(n, ())) + len(self.by_target.get(n, ()))

    def declared(self, argument: str) -> list[Relation]:
        """Relations whose source is the argument itself (tree entries)."""
        return self.by_source.get(("a", argument), [])

    def effects(self, argument: Argument) -> dict[Node, tuple[set[str], Relation | None]]:
        """What the argument's main conclusion does: target -> (signs, first relation)."""
        cached = self._effects.get(argument.title)
        if cached is not None:
            return cached
        result: dict[Node, tuple[set[str], Relation | None]] = {}
        conclusion = argument.conclusion
        if conclusion is not None:
            title = conclusion.statement.title

            def add(target: Node, s: str, relation: Relation | None) -> None:
                signs, first = result.setdefault(target, (set(), relation))
                signs.add(s)
                if first is None and relation is not None:
                    result[target] = (signs, relation)

            add(("s", title), "+", None)
            direct: list[tuple[Node, str, Relation]] = []
            for relation in self.by_source.get(("s", title), ()):
                direct.append((node(relation.target_kind, relation.target), sign(relation.kind), relation))
            for relation in self.by_target.get(("s", title), ()):
                if relation.kind in SYMMETRIC and relation.source_kind is ElementKind.STATEMENT:
                    direct.append((("s", relation.source), "-", relation))
            for target, s, relation in direct:
                add(target, s, relation)
                if target[0] == "s":
                    for other in self.premise_of.get(target[1], ()):
                        add(("a", other), s, relation)
                    for other in self.conclusion_of.get(target[1], ()):
                        add(("a", other), s, relation)
        self._effects[argument.title] = result
        return result

    def conclusion_points_somewhere(self, argument: Argument) -> bool:
        conclusion = argument.conclusion
        return conclusion is not None and bool(self.by_source.get(("s", conclusion.statement.title)))


def build_facts(document: Document) -> Facts:
    """One pass over relations, PCSs and statements (the model is large and walking
    it is memory-bound, so the graph rules share this instead of each walking it)."""
    facts = Facts(document)
    edges = facts.edges
    positive = POSITIVE
    for relation in document.relations:
        source = node(relation.source_kind, relation.source)
        target = node(relation.target_kind, relation.target)
        facts.by_source.setdefault(source, []).append(relation)
        facts.by_target.setdefault(target, []).append(relation)
        if relation.kind in positive:
            edges.setdefault(source, []).append((target, relation))
    premise, main = PcsRole.PREMISE, PcsRole.MAIN_CONCLUSION
    for argument in document.arguments.values():
        pcs = argument.pcs
        if not pcs:
            continue
        a: Node = ("a", argument.title)
        has_conclusion = pcs[-1].role is main
        for member in pcs:
            title = member.statement.title
            facts.in_pcs.add(title)
            if member.role is premise:
                facts.premise_of.setdefault(title, []).append(argument.title)
                if has_conclusion:
                    edges.setdefault(("s", title), []).append((a, None))
            elif member.role is main:
                facts.conclusion_of.setdefault(title, []).append(argument.title)
                edges.setdefault(a, []).append((("s", title), None))
    for title, ec in document.statements.items():
        members = ec.members
        if len(members) > 1:
            facts.redefined.append(title)
        if not ec.is_top_level or not members:
            continue
        facts.top_level.append(title)
        if title in facts.premise_of:
            continue
        n: Node = ("s", title)
        if any(
            r.kind in POSITIVE or r.kind in (RelationKind.ATTACK, RelationKind.CONTRARY)
            for r in facts.by_source.get(n, ())
        ):
            continue
        if facts.by_target.get(n) or title in facts.conclusion_of:
            facts.theses.append(title)
    return facts


def support_edges(document: Document, facts: Facts) -> dict[Node, list[tuple[Node, Relation | None]]]:
    """The support/entailment graph: written support and entailment relations, plus
    premise -> argument -> main conclusion for every reconstructed argument; nodes
    without an incoming edge are left out (they cannot be on a cycle)."""
    targets = {child for children in facts.edges.values() for child, _ in children}
    return {n: children for n, children in facts.edges.items() if n in targets}


def strongly_connected(edges: dict[Node, list[tuple[Node, Relation | None]]]) -> Iterator[list[Node]]:
    """Tarjan's algorithm, iterative; yields components with a cycle (size > 1 or a self-loop)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    counter = 0
    for root in list(edges):
        if root in index:
            continue
        work: list[tuple[Node, Iterator[tuple[Node, Relation | None]]]] = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            current, children = work[-1]
            advanced = False
            for child, _ in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                component: list[Node] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1 or any(c == current for c, _ in edges.get(current, ())):
                    yield component


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
