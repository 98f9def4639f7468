"""Correlated arguments: clusters, the correlation rho, and the bottom line they qualify.

Eleven moderate arguments for one thesis add up to near-certainty under the semantics
that add strengths (logodds, qe, euler) only if they are independent evidence. Two
ways to say they are not:

* **Clusters.** Arguments tagged with the same `#cluster-NAME` (or `{cluster: NAME}`)
  that bear on the same claim combine first, by the probabilistic sum
  1 - prod(1 - s_i), and the cluster enters the claim as one supporter (or one
  attacker), under every semantics (argmap/engine/evaluate.py, `Grouping`). Under
  DF-QuAD and QuAD, which already combine supporters by that product, a cluster
  changes nothing but the count of supporters; under vargdown-compat the cluster's
  combined credence enters the log-odds sum once.
* **rho.** For logodds, qe and euler a correlation rho among a claim's k supporters
  (a cluster counting as one) divides their sum: E_support = sum(s_i) / (1 + (k - 1) rho),
  and the same for its attackers. rho = 0 is independence (the sum unchanged);
  rho = 1 makes k supporters count as their average. It is the design effect of
  k equally correlated estimates: their sum carries the information of
  k / (1 + (k - 1) rho) independent ones. rho is an input like a credence
  (`--rho`, with an uncertainty from `--rho-interval`), so it is sampled by the
  Monte Carlo and ranked among the cruxes.

`bottom_line` computes what a credence for the thesis rests on: the range of the
thesis over every semantics, and the thesis at rho = 0, 0.25, 0.5 and 1 with the rho
where it crosses 0.5 (docs/scoring.md).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from argmap.engine.qbaf import Param, ScoreGraph
from argmap.engine.types import BottomLine, ClusterPart, RhoPoint

if TYPE_CHECKING:
    from argmap.engine.evaluate import Array, Compiled

RHO_APPLIES = ("logodds", "qe", "euler")
"""The semantics whose aggregate is a sum of strengths: rho divides it."""
SWEEP = (0.0, 0.25, 0.5, 1.0)
GRID = 201
MAX_CELLS = 4_000_000  # claims x columns per evaluation (as the Monte Carlo chunks)


def set_rho(graph: ScoreGraph, rho: float, interval: tuple[float, float] | None = None) -> None:
    """Give the graph a correlation rho (an input named `rho`); a fixed value unless
    `interval` (a 90% interval, as for credences) makes it uncertain. rho = 0 with no
    interval removes nothing and adds nothing: independence is the default."""
    if rho == 0.0 and interval is None and graph.rho_param is None:
        return
    param = Param(
        name="rho",
        kind="correlation",
        mean=rho,
        claim="correlation among co-target arguments",
        interval=interval,
        concentration=None if interval is not None else float("inf"),
    )
    if graph.rho_param is None:
        graph.rho_param = graph.add_param(param)
    else:
        graph.params[graph.rho_param] = param


def with_rho(graph: ScoreGraph) -> ScoreGraph:
    """The graph itself when it has a rho input, else a shallow copy that has one (at 0)."""
    if graph.rho_param is not None:
        return graph
    twin = copy.copy(graph)
    twin.params = list(graph.params)
    twin.rho_param = twin.add_param(Param(name="rho", kind="correlation", mean=0.0))
    return twin


def bottom_line(
    compiled: Compiled,
    semantics: str,
    means: Array,
    mask: Array | None,
    credence: float | None,
    interval: tuple[float, float] | None,
) -> BottomLine:
    """The thesis under every semantics and over rho (see the module docstring)."""
    from argmap.engine import semantics as registry
    from argmap.engine.evaluate import evaluate

    graph = compiled.graph
    assert graph.thesis is not None
    by_semantics: dict[str, float | None] = {}
    parts: list[ClusterPart] = []
    for name in registry.names():
        result = evaluate(compiled, registry.get(name), means[:, None], mask)
        value = float(result.strengths[graph.thesis, 0]) if result.converged else None
        by_semantics[name] = None if value is None else round(value, 6)
        if name == semantics and result.converged:
            parts = cluster_parts(graph, result.strengths[:, 0])
    values = [v for v in by_semantics.values() if v is not None]
    line = BottomLine(
        semantics=semantics,
        credence=credence,
        interval=interval,
        rho=float(means[graph.rho_param]) if graph.rho_param is not None else 0.0,
        semantics_range=(min(values), max(values)) if values else None,
        by_semantics=by_semantics,
        rho_applies=semantics in RHO_APPLIES,
        clusters=_clusters(graph),
        cluster_parts=parts,
    )
    line.supporters, line.attackers = _thesis_degree(graph)
    if line.rho_applies:
        _sweep(line, compiled, semantics, means, mask)
    every = values + [p.credence for p in line.rho_sweep if p.credence is not None]
    line.model_range = (min(every), max(every)) if every else None
    return line


def _sweep(line: BottomLine, original: Compiled, semantics: str, means: Array, mask: Array | None) -> None:
    """The thesis over a grid of rho in one evaluation (one column per rho)."""
    import numpy

    from argmap.engine import semantics as registry
    from argmap.engine.evaluate import Compiled, evaluate

    graph = original.graph
    swept = with_rho(graph)
    compiled = original if swept is graph else Compiled(swept)
    base = numpy.asarray(list(means) + ([0.0] if swept is not graph else []), dtype=numpy.float64)
    grid = numpy.unique(numpy.concatenate([numpy.linspace(0.0, 1.0, GRID), SWEEP]))
    params = numpy.repeat(base[:, None], len(grid), axis=1)
    assert swept.rho_param is not None and swept.thesis is not None
    params[swept.rho_param] = grid
    thesis = numpy.empty(len(grid))
    chunk = max(1, MAX_CELLS // max(compiled.n, 1))
    for start in range(0, len(grid), chunk):
        result = evaluate(compiled, registry.get(semantics), params[:, start : start + chunk], mask)
        if not result.converged:
            return
        thesis[start : start + chunk] = result.strengths[swept.thesis]
    line.rho_sweep = [
        RhoPoint(rho=r, credence=round(float(thesis[numpy.searchsorted(grid, r)]), 6)) for r in SWEEP
    ]
    line.rho_crosses_half_at = crossing(grid, thesis)


def crossing(grid: Array, values: Array) -> float | None:
    """The first x where `values` crosses 0.5 (linear interpolation on the grid), or None."""
    import numpy

    side = values - 0.5
    change = numpy.flatnonzero(numpy.sign(side[:-1]) * numpy.sign(side[1:]) < 0)
    exact = numpy.flatnonzero(side == 0.0)
    if len(exact) and (not len(change) or exact[0] <= change[0]):
        return round(float(grid[exact[0]]), 4)
    if not len(change):
        return None
    i = int(change[0])
    x0, x1, y0, y1 = grid[i], grid[i + 1], side[i], side[i + 1]
    return round(float(x0 + (x1 - x0) * y0 / (y0 - y1)), 4)


def cluster_parts(graph: ScoreGraph, strengths: Array) -> list[ClusterPart]:
    """Each cluster's combination at each claim where two or more of its members bear on it
    in one direction, at these strengths."""
    groups: dict[tuple[str, int, int], list[int]] = {}
    for edge in graph.edges:
        if edge.cluster:
            groups.setdefault((edge.cluster, edge.target, edge.polarity), []).append(edge.source)
    parts = []
    for (name, target, polarity), sources in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if len(sources) < 2:
            continue  # one member alone combines nothing: it is an ordinary supporter there
        values = [float(strengths[i]) for i in sources]
        remaining = 1.0
        for value in values:
            remaining *= 1.0 - value
        owners = {e.source: e.owner for e in graph.edges if e.target == target and e.cluster == name}
        parts.append(
            ClusterPart(
                cluster=name,
                target=graph.nodes[target].label if graph.nodes[target].display else graph.nodes[target].key,
                relation="support" if polarity > 0 else "attack",
                members=[owners.get(i) or graph.nodes[i].label for i in sources],
                strengths=[round(v, 6) for v in values],
                combined=round(1.0 - remaining, 6),
            )
        )
    return parts


def _clusters(graph: ScoreGraph) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.cluster:
            found.setdefault(edge.cluster, set()).add(edge.owner or graph.nodes[edge.source].label)
    return {name: sorted(members) for name, members in sorted(found.items())}


def _thesis_degree(graph: ScoreGraph) -> tuple[int, int]:
    """Supporters and attackers of the thesis, a cluster counting once."""
    support: set[object] = set()
    attack: set[object] = set()
    for i, edge in enumerate(graph.edges):
        if edge.target == graph.thesis:
            key = edge.cluster if edge.cluster else i
            (support if edge.polarity > 0 else attack).add(key)
    return len(support), len(attack)
