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


def _reach(start: Node, edges: dict[Node, set[Node]]) -> set[Node]:
    seen: set[Node] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    seen.discard(start)
    return seen


def _overlap(a: EvidenceLink, b: EvidenceLink) -> bool:
    if None in (a.line_start, a.line_end, b.line_start, b.line_end):
        return False
    assert a.line_start is not None and a.line_end is not None
    assert b.line_start is not None and b.line_end is not None
    return a.line_start <= b.line_end and b.line_start <= a.line_end


def double_counting(document: Document, root: object = None) -> list[Diagnostic]:
    edges = _graph(document)
    uses: dict[str, list[tuple[str, EvidenceLink]]] = defaultdict(list)
    for argument in document.arguments.values():
        for member in argument.premises:
            for link in member.statement.evidence:
                uses[link.path.strip()].append((argument.title, link))
    reach_cache: dict[str, set[Node]] = {}

    def reach(title: str) -> set[Node]:
        if title not in reach_cache:
            reach_cache[title] = _reach(("a", title), edges)
        return reach_cache[title]

    found: list[Diagnostic] = []
    for path, entries in uses.items():
        reported: set[tuple[str, str]] = set()
        for i, (first, link_a) in enumerate(entries):
            for second, link_b in entries[i + 1 :]:
                if first == second or (first, second) in reported:
                    continue
                shared = {n for n in reach(first) & reach(second) if n not in {("a", first), ("a", second)}}
                if not shared:
                    continue
                reported.add((first, second))
                target = sorted(shared)[0]
                name = f"[{target[1]}]" if target[0] == "s" else f"<{target[1]}>"
                same_passage = _overlap(link_a, link_b)
                code, level = ("E410", Level.WARNING) if same_passage else ("E411", Level.INFO)
                what = "the same passage of" if same_passage else "the same file"
                found.append(
                    Diagnostic(
                        code=code,
                        level=level,
                        file=document.path,
                        message=(
                            f"{what} {path} backs premises of <{first}> and <{second}>, which both "
                            f"reach {name}: the evidence is counted twice"
                        ),
                        line=link_b.span.line,
                        column=link_b.span.column,
                        end_line=link_b.span.end_line,
                        end_column=link_b.span.end_column,
                        hint="merge the arguments, or lower the credence of one premise",
                    )
                )
    return found
