"""Correlated arguments (`G311`): shared premises or passages without a common cluster.

The scoring adds the strengths of the arguments that bear on one claim (logodds, qe,
euler), which is right only for independent evidence. Two arguments that rest on
one premise statement, or on overlapping lines of one evidence file, and bear on
the same claim in the same direction are not independent; a shared `#cluster-NAME`
tag makes the scoring combine them first (argmap/engine/correlation.py). The rule
looks at the claim each argument bears on directly, the place where a cluster tag
takes effect; E410/E411 report shared evidence along longer chains. A plain Argdown
map (no credence or inference anywhere) adds nothing up, so the rule is silent there.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from argmap.diagnostics import Diagnostic
from argmap.graph import (
    NEGATIVE,
    POSITIVE,
    ArgumentGraph,
    NodeKey,
    argument_graph,
    argument_key,
    cluster_of,
    statement_key,
)
from argmap.model import Argument, Document, RelationKind, Statement
from argmap.rules.registry import Context, rule

MAX_RANGE = 10_000
"""Lines of one evidence link indexed for overlaps (longer ranges are E-rule findings)."""


class _Use(NamedTuple):
    """An argument (and its cluster) using a premise or cited lines: one per argument
    of the map, so a tuple (a frozen dataclass costs a Python `__init__` each)."""

    argument: str
    cluster: str | None


# the relations through which an argument bears on a claim (an undercut bears on an inference)
_BEARS = (POSITIVE | NEGATIVE) - {RelationKind.UNDERCUT}


def _bearing(graph: ArgumentGraph, argument: Argument) -> set[tuple[NodeKey, bool]]:
    """The claims an argument (with a PCS) bears on directly, with the direction (True: support)."""
    # the argument's own key and its claim: its last PCS line (its main conclusion, if any)
    here = argument_key(argument.title)
    conclusion = statement_key(graph.claim_titles[argument.title])
    found: set[tuple[NodeKey, bool]] = set()
    for source, claim in ((here, conclusion), (conclusion, conclusion)):
        for relation in graph.out_edges.get(source, ()):
            kind = relation.kind
            if kind not in _BEARS:
                continue
            target = graph.target_claim(relation)
            if target != claim and target != source:
                found.add((target, kind in POSITIVE))
    return found


class _Claim:
    """What the arguments bearing on one claim (in one direction) have used so far:
    each premise title and each cited line, with its first use."""

    __slots__ = ("lines", "premises")

    def __init__(self) -> None:
        self.premises: dict[str, _Use] = {}
        self.lines: dict[str, LineOwners] = {}  # evidence path -> who cited which lines first


class LineOwners:
    """The first use of every cited line of one file, as disjoint intervals
    (first line, last line, use) sorted by line: recording a range costs its
    overlaps, not its length."""

    __slots__ = ("intervals", "starts")

    def __init__(self) -> None:
        self.intervals: list[tuple[int, int, _Use]] = []
        self.starts: list[int] = []  # each interval's first line: searched without a key function

    @classmethod
    def of(cls, first: int, last: int, use: _Use) -> LineOwners:
        """`use` owning lines `first`..`last` of a file nobody cited before."""
        owners = cls()
        owners.intervals.append((first, last, use))
        owners.starts.append(first)
        return owners

    def record(self, first: int, last: int, use: _Use) -> _Use | None:
        """Record `use` on the lines `first`..`last` that nobody cited yet; the earliest
        (by line) earlier use of another argument outside its cluster, if any."""
        intervals = self.intervals
        i = bisect_right(self.starts, first) - 1
        if i < 0 or intervals[i][1] < first:
            i += 1
        begin, line, hit = i, first, None
        merged: list[tuple[int, int, _Use]] = []
        while i < len(intervals) and intervals[i][0] <= last:
            start, end, owner = intervals[i]
            if start > line:  # a gap before this interval: its lines are `use`'s now
                merged.append((line, start - 1, use))
            merged.append(intervals[i])
            if hit is None:
                hit = _foreign(owner, use)
            line = max(line, end + 1)
            i += 1
        if line <= last:
            merged.append((line, last, use))
        intervals[begin:i] = merged
        self.starts[begin:i] = [start for start, _, _ in merged]
        return hit


def _shared(premises: list[Statement], use: _Use, claim: _Claim) -> tuple[str, _Use] | None:
    """The first premise or evidence line of an argument (its `premises`) that an
    argument of another cluster (or of none) bearing on the same claim already used;
    recorded otherwise."""
    hit: tuple[str, _Use] | None = None
    for statement in premises:
        title = statement.title
        first = claim.premises.setdefault(title, use)
        if first is not use and hit is None:  # used before: by another argument outside the cluster?
            earlier = _foreign(first, use)
            if earlier is not None:
                hit = (f"premise [{title}]", earlier)
        for link in statement.evidence:
            if link.line_start is None or link.line_end is None:
                continue
            last = min(link.line_end, link.line_start + MAX_RANGE)
            if last < link.line_start:
                continue
            path = link.path.strip()
            owners = claim.lines.get(path)
            if owners is None:  # the first citation of this file here (the usual one): no overlap
                claim.lines[path] = LineOwners.of(link.line_start, last, use)
                continue
            earlier = owners.record(link.line_start, last, use)
            if hit is None and earlier is not None:  # the message is built once, for the hit
                hit = (f"lines of {path} (#L{link.line_start}-L{link.line_end})", earlier)
    return hit


def _foreign(earlier: _Use, use: _Use) -> _Use | None:
    """`earlier` when it is another argument's use outside `use`'s cluster, else None."""
    if earlier is use or earlier.argument == use.argument:
        return None
    return earlier if use.cluster is None or earlier.cluster != use.cluster else None


def correlated_pairs(graph: ArgumentGraph) -> Iterator[tuple[Argument, NodeKey, str, _Use]]:
    """(argument, claim, what is shared, the earlier argument) for each argument that
    shares a premise or passage with an earlier one bearing on the same claim in the
    same direction, without a common cluster. Linear in premises and cited ranges
    (and their overlaps), not in the number of lines cited."""
    if not _may_share(graph):
        return
    seen: dict[tuple[NodeKey, bool], _Claim] = {}
    for argument in graph.document.arguments.values():
        if not argument.pcs:
            continue
        targets = _bearing(graph, argument)
        if not targets:
            continue
        use = _Use(argument.title, graph.cluster_by_argument.get(argument.title))
        premises = graph.premises[argument.title]
        for target in sorted(targets) if len(targets) > 1 else targets:
            claim = seen.get(target)
            if claim is None:
                claim = seen[target] = _Claim()
            hit = _shared(premises, use, claim)
            if hit is not None:
                yield argument, target[0], hit[0], hit[1]


def _may_share(graph: ArgumentGraph) -> bool:
    """Whether two arguments may share something at all: a premise statement used twice,
    or an evidence file cited by two premises. Real maps rarely do (the real map and
    the large generated ones never), and this look costs a fraction of the search."""
    if any(len(arguments) > 1 for arguments in graph.premise_of.values()):
        return True
    cited: set[str] = set()
    for statements in graph.premises.values():
        for statement in statements:
            for link in statement.evidence:
                path = link.path.strip()
                if path in cited:
                    return True
                cited.add(path)
    return False


@rule(code="G311", name="correlated-arguments-without-cluster", level="warning")
def correlated_without_cluster(ctx: Context) -> Iterator[Diagnostic]:
    """Two arguments share a premise or a passage and bear on one claim, in no common cluster.

    **What it checks.** Two arguments whose premises include the same statement, or
    cite overlapping lines of one evidence file, and that support (or both attack)
    the same claim directly, without the same `#cluster-NAME` tag.

    **Why it matters.** logodds, qe and euler add the strengths of a claim's
    supporters as if they were independent evidence. Two arguments resting on one
    premise are not: their sum counts it twice and overstates the claim. Tagging
    them with one `#cluster-NAME` makes the scoring combine them first by
    1 - (1 - s1)(1 - s2), so they enter the claim as one supporter.

    ```argdown
    [T]: Thesis.

    <A>: First.

    (1) [Shared]: A shared premise. {credence: 0.8, reason: "r"}
    ----
    (2) [CA]: A concludes. {inference: 0.6}
        +> [T]

    <B>: Second.

    (1) [Shared]
    ----
    (2) [CB]: B concludes. {inference: 0.5}
        +> [T]
    ```

    Fixed: tag both arguments with one cluster (or merge them into one argument):

    ```argdown
    [T]: Thesis.

    <A>: First. #cluster-shared

    (1) [Shared]: A shared premise. {credence: 0.8, reason: "r"}
    ----
    (2) [CA]: A concludes. {inference: 0.6}
        +> [T]

    <B>: Second. #cluster-shared

    (1) [Shared]
    ----
    (2) [CB]: B concludes. {inference: 0.5}
        +> [T]
    ```
    """
    if not _has_numbers(ctx.document):
        return  # plain Argdown: nothing is added up, so nothing is counted twice
    graph = argument_graph(ctx.document)
    for argument, target, what, earlier in correlated_pairs(graph):
        name = cluster_of(argument) or earlier.cluster or _slug(earlier.argument)
        yield ctx.diagnostic(
            "G311",
            argument.span,
            f"<{argument.title}> and <{earlier.argument}> share {what} and both bear on {target}: "
            "scored as independent arguments, that is counted twice",
            f"tag both `#cluster-{name}` to combine them first (docs/scoring.md), or merge them",
        )


def _has_numbers(document: Document) -> bool:
    """Whether any PCS line states a credence or an inference (a vargdown map)."""
    for argument in document.arguments.values():
        for member in argument.pcs:
            data = member.statement.data
            if data is not None and ("credence" in data.values or "inference" in data.values):
                return True
    return False


def _slug(title: str) -> str:
    slug = "".join(c.lower() if c.isalnum() else "-" for c in title).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug or "shared"
