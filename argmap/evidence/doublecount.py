"""Double counting: one evidence file or passage behind several arguments that reach
the same target.

The scoring treats arguments as independent, so evidence shared between two
arguments that both (directly or through a chain of support) reach one target is
counted twice. Reach follows support and entailment relations, an argument's link
to its own conclusion, and a statement's use as a premise of another argument.

- the same passage (overlapping line ranges of one file): `E410`, warning;
- the same file, different passages: `E411`, info.
"""

from __future__ import annotations

from collections import defaultdict

from argmap.diagnostics import Diagnostic, Level
from argmap.model import Document, ElementKind, EvidenceLink, PcsRole, RelationKind

Node = tuple[str, str]
_FORWARD = {RelationKind.SUPPORT, RelationKind.ENTAILS}


def _graph(document: Document) -> dict[Node, set[Node]]:
    edges: dict[Node, set[Node]] = defaultdict(set)
    for relation in document.relations:
        if relation.kind in _FORWARD:
            source = ("a" if relation.source_kind is ElementKind.ARGUMENT else "s", relation.source)
            target = ("a" if relation.target_kind is ElementKind.ARGUMENT else "s", relation.target)
            edges[source].add(target)
    for argument in document.arguments.values():
        conclusion = argument.conclusion
        if conclusion is not None:
            edges[("a", argument.title)].add(("s", conclusion.statement.title))
        for member in argument.pcs:
            if member.role is PcsRole.PREMISE:
                edges[("s", member.statement.title)].add(("a", argument.title))
    return edges


def _reach(start: Node, edges: dict[Node, set[Node]]) -> list[Node]:
    """Everything reachable from `start`, nearest first (breadth first), without `start`."""
    seen: set[Node] = {start}
    order: list[Node] = []
    frontier = [start]
    while frontier:
        following: list[Node] = []
        for node in frontier:
            for nxt in sorted(edges.get(node, ())):
                if nxt not in seen:
                    seen.add(nxt)
                    order.append(nxt)
                    following.append(nxt)
        frontier = following
    return order


def _overlap(a: EvidenceLink, b: EvidenceLink) -> bool:
    if None in (a.line_start, a.line_end, b.line_start, b.line_end):
        return False
    assert a.line_start is not None and a.line_end is not None
    assert b.line_start is not None and b.line_end is not None
    return a.line_start <= b.line_end and b.line_start <= a.line_end


def double_counting(document: Document, root: object = None) -> list[Diagnostic]:
    """One finding per premise link whose file an earlier argument's premise also
    cites, when both arguments reach a common target: `E410` when the passages
    overlap, else `E411`. The nearest common target is named. Runs in time linear in
    the number of links (times the depth of the map), not quadratic in the pairs."""
    edges = _graph(document)
    uses: dict[str, list[tuple[str, EvidenceLink]]] = defaultdict(list)
    for argument in document.arguments.values():
        for member in argument.premises:
            for link in member.statement.evidence:
                uses[link.path.strip()].append((argument.title, link))
    reach_cache: dict[str, tuple[list[Node], set[Node]]] = {}

    def reach(title: str) -> tuple[list[Node], set[Node]]:
        if title not in reach_cache:
            order = _reach(("a", title), edges)
            reach_cache[title] = (order, set(order))
        return reach_cache[title]

    found: list[Diagnostic] = []
    for path, entries in uses.items():
        if len(entries) < 2:
            continue
        earlier: list[tuple[str, EvidenceLink]] = []
        owners: dict[Node, str] = {}  # the first argument citing this file that reaches the node
        for title, link in entries:
            order, _ = reach(title)
            hit: tuple[str, str, Node] | None = None
            for other, other_link in earlier:
                if other == title or not _overlap(other_link, link):
                    continue
                other_reach = reach(other)[1]
                common = [n for n in order if n in other_reach and n != ("a", other)]
                if common:
                    hit = ("E410", other, common[0])
                    break
            if hit is None:
                for node in order:
                    owner = owners.get(node)
                    if owner is not None and owner != title and node != ("a", owner):
                        hit = ("E411", owner, node)
                        break
            earlier.append((title, link))
            for node in order:
                owners.setdefault(node, title)
            if hit is None:
                continue
            code, first, target = hit
            name = f"[{target[1]}]" if target[0] == "s" else f"<{target[1]}>"
            same_passage = code == "E410"
            what = "the same passage of" if same_passage else "the same file"
            found.append(
                Diagnostic(
                    code=code,
                    level=Level.WARNING if same_passage else Level.INFO,
                    file=document.path,
                    message=(
                        f"{what} {path} backs premises of <{first}> and <{title}>, which both "
                        f"reach {name}: the evidence is counted twice"
                    ),
                    line=link.span.line,
                    column=link.span.column,
                    end_line=link.span.end_line,
                    end_column=link.span.end_column,
                    hint="merge the arguments, or lower the credence of one premise",
                )
            )
    return found
