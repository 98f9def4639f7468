"""`--cruxes K`: which inputs and which arguments the thesis hangs on.

For every input (a stated credence or inference), all evaluated at once as columns:

* **gradient**: d thesis / d input at the stated values (central difference, h = 1e-4);
* **swing** (tornado): the thesis with the input at the low and at the high end of its
  own 90% interval (the author's `interval`, else the Beta's 5th/95th percentile),
  the others held at their stated values; inputs are ranked by |high - low|;
* **crosses_half_at**: the input value, others held, at which the thesis crosses
  0.5 (None when it stays on one side over [0, 1]); found on a 101-point grid and
  refined by linear interpolation;
* **sobol**: the first-order Sobol index Var(E[thesis | input]) / Var(thesis),
  estimated from the Monte Carlo samples by 20 equal-count bins (a given-data
  estimator; SALib's Saltelli designs would need their own samples).

For every argument or claim that relates to something (a *player*):

* **removal**: thesis minus the thesis without the player's edges;
* **shapley**: its Shapley value in the cooperative game "thesis strength with only
  these players' edges present" (Kampik, Potyka, Yin, Čyras and Toni, 2024):
  exact by enumerating coalitions up to 12 players, else estimated from 256
  seeded random permutations. Removal and Shapley coincide for an argument that
  interacts with no other; where they differ the argument's effect depends on
  the others (e.g. DF-QuAD's saturating product).

Maps with more than `MAX_INPUTS` inputs are analysed on the inputs nearest the thesis,
and maps with more than `MAX_PLAYERS` players give the contributions of the players
nearest the thesis (the others' edges stay present in every coalition): both keep the
cost linear in the size of the map (a chain of 1,000 arguments took 20 s in `report`).
"""

from __future__ import annotations

from collections import deque
from math import factorial
from typing import TYPE_CHECKING, Any

import numpy as np

from argmap.engine.evaluate import Array, Compiled, Semantics, evaluate

if TYPE_CHECKING:
    from collections.abc import Callable

    from argmap.engine.montecarlo import MonteCarlo
    from argmap.engine.qbaf import ScoreGraph
    from argmap.engine.types import Contribution, Crux

MAX_INPUTS = 2000
MAX_PLAYERS = 64
EXACT_PLAYERS = 12
PERMUTATIONS = 256
H = 1e-4
GRID = 101


def _thesis(compiled: Compiled, semantics: Semantics, params: Array, mask: Array | None) -> Array:
    t = compiled.graph.thesis
    assert t is not None
    out = np.empty(params.shape[1])
    chunk = max(1, 4_000_000 // max(compiled.n, 1))
    for start in range(0, params.shape[1], chunk):
        stop = min(params.shape[1], start + chunk)
        m = mask if mask is None or mask.shape[1] == 1 else mask[:, start:stop]
        out[start:stop] = evaluate(compiled, semantics, params[:, start:stop], m).strengths[t]
    return out


def _upstream_order(g: ScoreGraph) -> dict[int, int]:
    """Node -> its distance from the thesis, for every node upstream of it (breadth-first)."""
    parents: dict[int, list[int]] = {}
    for e in g.edges:
        parents.setdefault(e.target, []).append(e.source)
    for d in g.derivations:
        parents.setdefault(d.node, []).extend(d.premises)
    for u in g.undercuts:
        parents.setdefault(g.derivations[u.target].node, []).append(u.source)
    assert g.thesis is not None
    distance = {g.thesis: 0}
    queue = deque([g.thesis])
    while queue:
        node = queue.popleft()
        for p in parents.get(node, []):
            if p not in distance:
                distance[p] = distance[node] + 1
                queue.append(p)
    return distance


def upstream_params(compiled: Compiled) -> list[int]:
    """Params that can influence the thesis, nearest first (breadth-first upstream)."""
    g = compiled.graph
    inference_of: dict[int, list[int]] = {}
    for d in g.derivations:
        if d.inference_param is not None:
            inference_of.setdefault(d.node, []).append(d.inference_param)
    order: list[int] = []
    for node in _upstream_order(g):  # a dict keeps the breadth-first order
        param = g.nodes[node].base_param
        if param is not None:
            order.append(param)
        order.extend(inference_of.get(node, []))
    return order[:MAX_INPUTS]


def _nearest_players(g: ScoreGraph, players: dict[str, list[int]]) -> dict[str, list[int]]:
    """At most `MAX_PLAYERS` players, those acting nearest the thesis (in map order on ties)."""
    if len(players) <= MAX_PLAYERS:
        return players
    distance = _upstream_order(g)

    def acts_at(edge: int) -> int:
        if edge < len(g.edges):
            return g.edges[edge].target
        return g.derivations[g.undercuts[edge - len(g.edges)].target].node

    def nearest(name: str) -> int:
        return min(distance.get(acts_at(edge), len(g.nodes)) for edge in players[name])

    kept = set(sorted(players, key=nearest)[:MAX_PLAYERS])  # sorted() is stable: map order on ties
    return {name: edges for name, edges in players.items() if name in kept}


def _intervals(compiled: Compiled, means: Array, concentration: float) -> tuple[Array, Array]:
    from scipy.special import betaincinv  # type: ignore[import-untyped]

    from argmap.engine.montecarlo import beta_shapes

    a, b, fixed = beta_shapes(compiled, concentration, means)
    safe_a, safe_b = np.where(fixed, 1.0, a), np.where(fixed, 1.0, b)
    lo = np.where(fixed, means, betaincinv(safe_a, safe_b, 0.05))
    hi = np.where(fixed, means, betaincinv(safe_a, safe_b, 0.95))
    for i, param in enumerate(compiled.graph.params):
        if param.interval is not None and param.concentration is None:
            lo[i], hi[i] = param.interval
    return lo, hi


def _sobol(x: Array, y: Array, bins: int = 20) -> float | None:
    if len(y) < 10 * bins or float(np.var(y)) <= 0 or float(np.var(x)) <= 0:
        return None
    order = np.argsort(x, kind="stable")
    groups = np.array_split(y[order], bins)
    means = np.array([g.mean() for g in groups])
    weights = np.array([len(g) for g in groups]) / len(y)
    between = float(np.sum(weights * (means - y.mean()) ** 2))
    return round(min(1.0, between / float(np.var(y))), 4)


def rank_inputs(
    compiled: Compiled,
    semantics: Semantics,
    means: Array,
    mask: Array | None,
    k: int,
    concentration: float,
    mc: MonteCarlo | None = None,
) -> list[Crux]:
    from argmap.engine.types import Crux

    candidates = upstream_params(compiled)
    if not candidates:
        return []
    lo, hi = _intervals(compiled, means, concentration)
    n = len(candidates)
    grid = np.linspace(0.0, 1.0, GRID)
    columns = 1 + 4 * n
    block = np.repeat(means[:, None], columns, axis=1)
    for j, p in enumerate(candidates):
        block[p, 1 + j] = min(1.0, means[p] + H)
        block[p, 1 + n + j] = max(0.0, means[p] - H)
        block[p, 1 + 2 * n + j] = lo[p]
        block[p, 1 + 3 * n + j] = hi[p]
    values = _thesis(compiled, semantics, block, mask)
    base = values[0]
    plus, minus = values[1 : 1 + n], values[1 + n : 1 + 2 * n]
    steps = np.array([min(1.0, means[p] + H) - max(0.0, means[p] - H) for p in candidates])
    gradient = (plus - minus) / steps
    low, high = values[1 + 2 * n : 1 + 3 * n], values[1 + 3 * n : 1 + 4 * n]
    swing = np.abs(high - low)
    top = [candidates[j] for j in np.argsort(-swing, kind="stable")[:k]]
    position = {p: j for j, p in enumerate(candidates)}
    # the 0.5 crossing, only for the reported ones
    sweep = np.repeat(means[:, None], len(top) * GRID, axis=1)
    for r, p in enumerate(top):
        sweep[p, r * GRID : (r + 1) * GRID] = grid
    curves = _thesis(compiled, semantics, sweep, mask).reshape(len(top), GRID) if top else np.zeros((0, GRID))
    out: list[Crux] = []
    for r, p in enumerate(top):
        j = position[p]
        param = compiled.graph.params[p]
        crossing = _crossing(grid, curves[r], base)
        sobol = _sobol(mc.params[p], mc.thesis) if mc is not None and mc.thesis.size else None
        out.append(
            Crux(
                input=param.name,
                kind=param.kind,
                claim=param.claim,
                value=round(float(means[p]), 6),
                interval=(round(float(lo[p]), 6), round(float(hi[p]), 6)),
                gradient=round(float(gradient[j]), 6),
                swing=(round(float(low[j]), 6), round(float(high[j]), 6)),
                sobol=sobol,
                crosses_half_at=crossing,
            )
        )
    return out


def _crossing(grid: Array, curve: Array, base: float) -> float | None:
    side = curve - 0.5
    if base == 0.5:
        return None
    for i in range(len(grid) - 1):
        a, b = side[i], side[i + 1]
        if a == 0:
            return round(float(grid[i]), 4)
        if a * b < 0:
            x = grid[i] + (grid[i + 1] - grid[i]) * a / (a - b)
            return round(float(x), 4)
    return None


COALITION_ENTRIES = 4_000_000  # the most array entries one batch of coalitions may fill


def _sampled_shapley(
    value: Callable[[Array], Array], perms: list[np.ndarray[Any, Any]], n: int, rows: int
) -> Array:
    """Shapley values sampled over `perms`, a batch of permutations at a time: all of
    them at once filled arrays of rows x 256 (n + 1) entries (6 GB for a support chain
    of 1,000 statements). Each coalition is evaluated on its own, so batches give the
    same values."""
    per_batch = max(1, COALITION_ENTRIES // (rows * (n + 1)))
    shapley = np.zeros(n)
    for first in range(0, len(perms), per_batch):
        batch = perms[first : first + per_batch]
        # column `step` of a permutation's block holds its first `step` players
        steps = np.arange(n + 1)
        coalitions = np.hstack([(np.argsort(perm)[:, None] < steps).astype(np.float64) for perm in batch])
        v = value(coalitions).reshape(len(batch), n + 1)
        for r, perm in enumerate(batch):
            shapley[perm] += np.diff(v[r])
    return shapley / len(perms)


def contributions(
    compiled: Compiled, semantics: Semantics, means: Array, mask: Array | None, k: int, seed: int = 0
) -> list[Contribution]:
    from argmap.engine.types import Contribution

    g = compiled.graph
    present = np.ones(compiled.n_edges) if mask is None else mask[:, 0].copy()
    players = {name: [i for i in edges if present[i] > 0] for name, edges in g.players.items()}
    players = _nearest_players(g, {name: edges for name, edges in players.items() if edges})
    names = list(players)
    if not names:
        return []
    n = len(names)
    membership = np.zeros((compiled.n_edges, n))
    for j, name in enumerate(names):
        membership[players[name], j] = 1.0
    fixed = present * (membership.sum(axis=1) == 0)  # edges no player owns stay as they are

    def value(coalitions: Array) -> Array:  # coalitions: (n, C) of 0/1
        m = fixed[:, None] + membership @ coalitions
        params = np.repeat(means[:, None], coalitions.shape[1], axis=1)
        return _thesis(compiled, semantics, params, np.minimum(m, 1.0))

    full = np.ones((n, 1))
    everyone = value(full)[0]
    without = value(np.ones((n, n)) - np.eye(n))
    removal = everyone - without
    exact = n <= EXACT_PLAYERS
    if exact:
        count = 1 << n
        codes = np.arange(count)
        coalitions = ((codes[None, :] >> np.arange(n)[:, None]) & 1).astype(np.float64)
        v = value(coalitions)
        sizes = coalitions.sum(axis=0).astype(int)
        weights = np.array(
            [factorial(s) * factorial(n - s - 1) / factorial(n) if s < n else 0.0 for s in range(n + 1)]
        )
        shapley = np.zeros(n)
        for i in range(n):
            without_i = codes[((codes >> i) & 1) == 0]
            shapley[i] = float(np.sum(weights[sizes[without_i]] * (v[without_i | (1 << i)] - v[without_i])))
    else:
        rng = np.random.default_rng(seed)
        perms = [rng.permutation(n) for _ in range(PERMUTATIONS)]
        rows = max(compiled.n_edges, means.shape[0], n)
        shapley = _sampled_shapley(value, perms, n, rows)
    order = np.argsort(-np.abs(shapley), kind="stable")[:k]
    return [
        Contribution(
            name=names[j],
            removal=round(float(removal[j]), 6),
            shapley=round(float(shapley[j]), 6),
            shapley_exact=exact,
        )
        for j in order
    ]
