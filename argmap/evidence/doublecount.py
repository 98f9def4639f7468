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
from collections.abc import Callable

from argmap.diagnostics import Diagnostic, Level
from argmap.graph import POSITIVE, NodeKey, argument_graph, argument_key, statement_key, target_key
from argmap.model import Document, EvidenceLink


def _forward(document: Document) -> dict[NodeKey, set[NodeKey]]:
    """Reach on the argument graph: support and entailment edges, premise -> argument,
    argument -> its main conclusion."""
    graph = argument_graph(document)
    edges: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    for source, relations in graph.out_edges.items():
        targets = {target_key(r) for r in relations if r.kind in POSITIVE}
        if targets:
            edges[source] |= targets
    for title, arguments in graph.conclusion_of.items():
        for argument in arguments:
            edges[argument_key(argument)].add(statement_key(title))
    for title, arguments in graph.premise_of.items():
        edges[statement_key(title)].update(argument_key(a) for a in arguments)
    return edges


def _reach(start: NodeKey, edges: dict[NodeKey, set[NodeKey]]) -> list[NodeKey]:
    """Everything reachable from `start`, nearest first (breadth first), without `start`."""
    seen: set[NodeKey] = {start}
    order: list[NodeKey] = []
    frontier = [start]
    while frontier:
        following: list[NodeKey] = []
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


Hit = tuple[str, str, NodeKey]  # code, the earlier argument, the common target


class _Passages:
    """The earlier links of one file, found by line: a link is filed under every bucket
    of `BUCKET` lines its range touches (a range over `WIDE` buckets, or without
    lines, in a list of its own), so the links that may overlap a range are the few in
    its buckets, not every earlier link of the file."""

    BUCKET = 64
    WIDE = 64

    def __init__(self) -> None:
        self.entries: list[tuple[str, EvidenceLink]] = []
        self.buckets: dict[int, list[int]] = defaultdict(list)
        self.wide: list[int] = []

    @classmethod
    def _span(cls, link: EvidenceLink) -> range | None:
        """The buckets a link's range touches (either way round); None for a wide one."""
        if link.line_start is None or link.line_end is None:
            return range(0)  # overlaps nothing
        low, high = sorted((link.line_start, link.line_end))
        first, last = low // cls.BUCKET, high // cls.BUCKET
        return None if last - first >= cls.WIDE else range(first, last + 1)

    def add(self, title: str, link: EvidenceLink) -> None:
        index = len(self.entries)
        self.entries.append((title, link))
        buckets = self._span(link)
        if buckets is None:
            self.wide.append(index)
        for bucket in buckets or ():
            self.buckets[bucket].append(index)

    def candidates(self, link: EvidenceLink) -> list[tuple[str, EvidenceLink]]:
        """The earlier links that may overlap `link`, in the order they were added."""
        buckets = self._span(link)
        if buckets is None:
            return self.entries
        found = set(self.wide)
        for bucket in buckets:
            found.update(self.buckets.get(bucket, ()))
        return [self.entries[i] for i in sorted(found)]


def _passage_hit(
    title: str,
    link: EvidenceLink,
    earlier: _Passages,
    order: list[NodeKey],
    reach: Callable[[str], tuple[list[NodeKey], set[NodeKey]]],
) -> Hit | None:
    """E410: an earlier argument cites an overlapping passage and reaches a node this one reaches."""
    for other, other_link in earlier.candidates(link):
        if other == title or not _overlap(other_link, link):
            continue
        other_reach = reach(other)[1]
        common = [n for n in order if n in other_reach and n != argument_key(other)]
        if common:
            return ("E410", other, common[0])
    return None


def _file_hit(title: str, order: list[NodeKey], owners: dict[NodeKey, str]) -> Hit | None:
    """E411: an earlier argument citing the same file reaches a node this one reaches."""
    for node in order:
        owner = owners.get(node)
        if owner is not None and owner != title and node != argument_key(owner):
            return ("E411", owner, node)
    return None


def _finding(file: str, path: str, title: str, link: EvidenceLink, hit: Hit) -> Diagnostic:
    code, first, target = hit
    same_passage = code == "E410"
    what = "the same passage of" if same_passage else "the same file"
    return Diagnostic.at(
        code,
        Level.WARNING if same_passage else Level.INFO,
        f"{what} {path} backs premises of <{first}> and <{title}>, which both "
        f"reach {target}: the evidence is counted twice",
        file,
        link.span,
        "merge the arguments, or lower the credence of one premise",
    )


def double_counting(document: Document, root: object = None) -> list[Diagnostic]:
    """One finding per premise link whose file an earlier argument's premise also
    cites, when both arguments reach a common target: `E410` when the passages
    overlap, else `E411`. The nearest common target is named. Runs in time linear in
    the number of links (times the depth of the map, and the number of overlapping
    earlier passages), not quadratic in the pairs."""
    edges = _forward(document)
    uses: dict[str, list[tuple[str, EvidenceLink]]] = defaultdict(list)
    for argument in document.arguments.values():
        for member in argument.premises:
            for link in member.statement.evidence:
                uses[link.path.strip()].append((argument.title, link))
    reach_cache: dict[str, tuple[list[NodeKey], set[NodeKey]]] = {}

    def reach(title: str) -> tuple[list[NodeKey], set[NodeKey]]:
        if title not in reach_cache:
            order = _reach(argument_key(title), edges)
            reach_cache[title] = (order, set(order))
        return reach_cache[title]

    found: list[Diagnostic] = []
    for path, entries in uses.items():
        if len(entries) < 2:
            continue
        earlier = _Passages()
        owners: dict[NodeKey, str] = {}  # the first argument citing this file that reaches the node
        for title, link in entries:
            order = reach(title)[0]
            hit = _passage_hit(title, link, earlier, order, reach) or _file_hit(title, order, owners)
            earlier.add(title, link)
            for node in order:
                owners.setdefault(node, title)
            if hit is not None:
                found.append(_finding(document.path, path, title, link, hit))
    return found
