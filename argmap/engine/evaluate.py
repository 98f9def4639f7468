"""The numeric core: evaluate a `ScoreGraph` under a semantics, for many input vectors at once.

Every quantity is an array of shape (rows, S): one column per input vector (a Monte
Carlo sample, a what-if variant, a coalition of a Shapley computation). One
update step computes, for all claims at once:

1. bases: a param's value, a fixed prior, or for a derived claim the product of its
   premises' strengths x inference x prod(1 - undercutter strength) (several
   derivations of one claim combine by noisy-or: 1 - prod(1 - d));
2. aggregates of supporters' and attackers' strengths (sums, products, counts);
3. the semantics' influence function: strength = f(base, aggregates).

On an acyclic graph the claims are grouped by topological level (the longest
chain of dependencies into them) and evaluated one level per vectorised update, so
each claim is computed exactly once: the result of one pass in topological order.
A cyclic graph is iterated to a fixpoint (Jacobi steps, then, if those do not
settle, the continuous dynamics ds/dt = F(s) - s of Potyka 2018 integrated with
RK4), with a tolerance and an iteration limit; when it does not converge the result
says so and carries no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from argmap.memory import paused_gc

if TYPE_CHECKING:
    from argmap.engine.qbaf import ScoreGraph

Array = NDArray[np.float64]
TINY = 1e-300
MAX_ITERATIONS = 2000


class Segments:
    """Sum rows of a (E, S) array into (n, S) by a target index, fast (reduceat)."""

    def __init__(self, index: NDArray[np.int64], n: int) -> None:
        self.n = n
        self.size = len(index)
        self.order = np.argsort(index, kind="stable")
        ordered = index[self.order]
        if self.size:
            self.starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            self.targets = ordered[self.starts]
        else:
            self.starts = np.zeros(0, dtype=np.int64)
            self.targets = np.zeros(0, dtype=np.int64)

    def __call__(self, values: Array) -> Array:
        out = np.zeros((self.n, values.shape[1]))
        if self.size:
            out[self.targets] = np.add.reduceat(values[self.order], self.starts, axis=0)
        return out


class Grouping:
    """Edges into one claim from the arguments of one cluster (`#cluster-NAME`) count
    as one supporter (or attacker): their strengths combine first by the probabilistic
    sum 1 - prod(1 - s), and that enters the claim's sum. `edges` sums edge rows into
    groups, `targets` group rows into claims; an edge of no cluster is a group alone."""

    def __init__(self, group_of_edge: NDArray[np.int64], group_target: NDArray[np.int64], n: int) -> None:
        self.edges = Segments(group_of_edge, len(group_target))
        self.targets = Segments(group_target, n)

    def sum(self, values: Array) -> Array:
        """Per claim: the sum over its groups of 1 - prod(1 - s) (exact for a lone edge)."""
        combined = -np.expm1(self.edges(np.log1p(-np.minimum(values, 1.0))))
        return self.targets(combined)

    def count(self, present: Array) -> Array:
        """Per claim: how many groups have an edge present (a cluster counts once)."""
        return self.targets((self.edges(present) > 0.0).astype(np.float64))


def grouping_arrays(
    clusters: list[str | None], targets: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """(group of each edge, target of each group) for edges with these clusters and
    targets; None when no edge is in a cluster (every edge then stands alone)."""
    if not any(clusters):
        return None
    ids: dict[tuple[int, str | int], int] = {}
    group_of: list[int] = []
    group_target: list[int] = []
    for position, (cluster, target) in enumerate(zip(clusters, targets.tolist(), strict=True)):
        key = (target, cluster if cluster else position)
        group = ids.get(key)
        if group is None:
            group = ids[key] = len(group_target)
            group_target.append(target)
        group_of.append(group)
    return _ints(group_of), _ints(group_target)


def local_grouping(
    arrays: tuple[NDArray[np.int64], NDArray[np.int64]] | None,
    subset: NDArray[np.int64],
    local: NDArray[np.int64],
    size: int,
) -> Grouping | None:
    """The grouping of a subset of edges (one level's), groups and targets renumbered."""
    if arrays is None:
        return None
    group_of, group_target = arrays
    used, inverse = np.unique(group_of[subset], return_inverse=True)
    return Grouping(inverse.astype(np.int64), local[group_target[used]], size)


class Aggregates:
    """Supporters' and attackers' strengths of every claim (or of one topological
    level's claims), computed on demand. `view` is the `Compiled` graph or one of its
    `Level`s: its `sup_*` / `att_*` arrays index edges, sources (rows of `strengths`)
    and segments over the targets; `sup_groups` / `att_groups` combine a cluster's
    edges first. `rho` (shape (1, S), or None for 0) is the correlation among a
    claim's supporters (and among its attackers) that divides their sum by
    1 + (k - 1) rho, k counting a cluster once (argmap/engine/correlation.py)."""

    def __init__(
        self, view: EdgeView, strengths: Array, mask: Array | None, rho: Array | None = None
    ) -> None:
        self.c = view
        self.s = strengths
        self.mask = mask
        self.rho = rho

    def _edge_mask(self, which: NDArray[np.int64]) -> Array | None:
        return None if self.mask is None else self.mask[which]

    def _sum(self, src: NDArray[np.int64], edges: NDArray[np.int64], seg: Segments, values: Array) -> Array:
        mask = self._edge_mask(edges)
        return seg(values if mask is None else values * mask)

    def _grouped(
        self, groups: Grouping | None, src: NDArray[np.int64], edges: NDArray[np.int64], seg: Segments
    ) -> Array:
        values = self.s[src]
        if groups is None:
            return self._sum(src, edges, seg, values)
        mask = self._edge_mask(edges)
        return groups.sum(values if mask is None else values * mask)

    @cached_property
    def sum_support(self) -> Array:
        """Sum of supporters' strengths, a cluster's combined first."""
        c = self.c
        return self._grouped(c.sup_groups, c.sup_src, c.sup_edge, c.sup_seg)

    @cached_property
    def sum_attack(self) -> Array:
        c = self.c
        return self._grouped(c.att_groups, c.att_src, c.att_edge, c.att_seg)

    def _count(self, groups: Grouping | None, edges: NDArray[np.int64], plain: Array) -> Array:
        if groups is None:
            return plain
        mask = self._edge_mask(edges)
        return groups.count(np.ones((len(edges), self.s.shape[1])) if mask is None else mask)

    @cached_property
    def energy(self) -> Array:
        """Sum of supporters' strengths minus sum of attackers' strengths, each sum
        divided by 1 + (k - 1) rho when a correlation rho is set."""
        if self.rho is None:
            return self.sum_support - self.sum_attack
        c = self.c
        k_support = np.maximum(self._count(c.sup_groups, c.sup_edge, self.n_support), 1.0)
        k_attack = np.maximum(self._count(c.att_groups, c.att_edge, self.n_attack), 1.0)
        rho = self.rho
        return self.sum_support / (1.0 + (k_support - 1.0) * rho) - self.sum_attack / (
            1.0 + (k_attack - 1.0) * rho
        )

    @cached_property
    def log_not_support(self) -> Array:
        """log prod(1 - s) over supporters (0 when there are none)."""
        c = self.c
        return self._sum(c.sup_src, c.sup_edge, c.sup_seg, np.log(np.maximum(1.0 - self.s[c.sup_src], TINY)))

    @cached_property
    def log_not_attack(self) -> Array:
        c = self.c
        return self._sum(c.att_src, c.att_edge, c.att_seg, np.log(np.maximum(1.0 - self.s[c.att_src], TINY)))

    @cached_property
    def n_support(self) -> Array:
        c = self.c
        return self._sum(c.sup_src, c.sup_edge, c.sup_seg, np.ones((len(c.sup_src), self.s.shape[1])))

    @cached_property
    def n_attack(self) -> Array:
        c = self.c
        return self._sum(c.att_src, c.att_edge, c.att_seg, np.ones((len(c.att_src), self.s.shape[1])))


class EdgeView(Protocol):
    sup_src: NDArray[np.int64]
    sup_edge: NDArray[np.int64]
    sup_seg: Segments
    sup_groups: Grouping | None
    att_src: NDArray[np.int64]
    att_edge: NDArray[np.int64]
    att_seg: Segments
    att_groups: Grouping | None


class Semantics(Protocol):
    name: str
    title: str

    def combine(self, base: Array, agg: Aggregates) -> Array: ...


def _ints(values: list[int]) -> NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


def _groups(keys: NDArray[np.int64], count: int) -> list[NDArray[np.int64]]:
    """Positions of `keys` grouped by key value 0..count-1 (each group in ascending order)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(count + 1))
    return [order[bounds[k] : bounds[k + 1]] for k in range(count)]


class DerivationIndex(Protocol):
    """The index arrays one derivation product needs (a whole `Compiled`, or one `Level`)."""

    @property
    def prem_node(self) -> NDArray[Any]: ...
    @property
    def prem_seg(self) -> Segments: ...
    @property
    def inf_ders(self) -> NDArray[Any]: ...
    @property
    def inf_params(self) -> NDArray[Any]: ...
    @property
    def uc_src(self) -> NDArray[Any]: ...
    @property
    def uc_edge(self) -> NDArray[Any]: ...
    @property
    def uc_seg(self) -> Segments: ...


def derivation_products(index: DerivationIndex, params: Array, strengths: Array, mask: Array | None) -> Array:
    """Each derivation's value: product of its premises x inference x undercut weakening, (D, S)."""
    d = np.exp(index.prem_seg(np.log(np.maximum(strengths[index.prem_node], TINY))))
    if len(index.inf_ders):
        d[index.inf_ders] *= params[index.inf_params]
    if len(index.uc_src):
        weak = np.log(np.maximum(1.0 - strengths[index.uc_src], TINY))
        if mask is not None:
            weak = weak * mask[index.uc_edge]
        d *= np.exp(index.uc_seg(weak))
    return d


class Level:
    """One topological level of an acyclic graph: its claims, the derivations and
    edges into them, with targets renumbered locally (0..len(nodes)-1). Sources stay
    global: they index the strengths of earlier levels, which are final."""

    def __init__(
        self,
        c: Compiled,
        nodes: NDArray[np.int64],
        ders: NDArray[np.int64],
        prem: NDArray[np.int64],
        sup: NDArray[np.int64],
        att: NDArray[np.int64],
        uc: NDArray[np.int64],
    ) -> None:
        self.nodes = nodes
        local = c.local_index
        size = len(nodes)
        self.fixed_base = c.fixed_base[nodes][:, None]
        has_param = c.node_param[nodes] >= 0
        self.param_local = np.flatnonzero(has_param)
        self.param_index = c.node_param[nodes][has_param]
        # derivations of this level's claims, renumbered 0..len(ders)-1
        der_local = np.full(c.n_ders, -1, dtype=np.int64)
        der_local[ders] = np.arange(len(ders))
        self.n_ders = len(ders)
        self.prem_node = c.prem_node[prem]
        self.prem_seg = Segments(der_local[c.prem_der[prem]], self.n_ders)
        inf = c.der_inference[ders] >= 0
        self.inf_ders = np.flatnonzero(inf)
        self.inf_params = c.der_inference[ders][inf]
        self.uc_src = c.uc_src[uc]
        self.uc_edge = c.uc_edge[uc]
        self.uc_seg = Segments(der_local[c.uc_der[uc]], self.n_ders)
        der_node = local[c.der_node[ders]]
        counts = np.bincount(der_node, minlength=size) if self.n_ders else np.zeros(size, dtype=np.int64)
        single = counts[der_node] == 1 if self.n_ders else np.zeros(0, dtype=bool)
        self.single_ders = np.flatnonzero(single)
        self.single_nodes = der_node[self.single_ders]
        self.multi_ders = np.flatnonzero(~single)
        self.multi_nodes = np.flatnonzero(counts > 1)
        self.multi_seg = Segments(der_node[self.multi_ders], size)
        self.sup_edge, self.att_edge = c.sup_edge[sup], c.att_edge[att]
        self.sup_src, self.att_src = c.sup_src[sup], c.att_src[att]
        self.sup_seg = Segments(local[c.sup_tgt[sup]], size)
        self.att_seg = Segments(local[c.att_tgt[att]], size)
        self.sup_groups = local_grouping(c.sup_group_arrays, sup, local, size)
        self.att_groups = local_grouping(c.att_group_arrays, att, local, size)
        self.rho_param = c.rho_param

    def update(self, semantics: Semantics, params: Array, s: Array, mask: Array | None) -> None:
        """Compute this level's strengths into `s` (rows of earlier levels are final)."""
        columns = s.shape[1]
        base = np.repeat(self.fixed_base, columns, axis=1)
        if len(self.param_local):
            base[self.param_local] = params[self.param_index]
        if self.n_ders:
            d = derivation_products(self, params, s, mask)
            if len(self.single_ders):
                base[self.single_nodes] = d[self.single_ders]
            if len(self.multi_ders):
                noisy = self.multi_seg(np.log(np.maximum(1.0 - d[self.multi_ders], TINY)))
                base[self.multi_nodes] = 1.0 - np.exp(noisy[self.multi_nodes])
        rho = rho_of(self.rho_param, params)
        s[self.nodes] = np.clip(semantics.combine(base, Aggregates(self, s, mask, rho)), 0.0, 1.0)


class Compiled:
    """Index arrays of a ScoreGraph, built once and reused for every evaluation."""

    def __init__(self, graph: ScoreGraph) -> None:
        # Building index lists allocates many small objects next to a large parsed
        # document: without this, full collections rescan it (seconds on big maps).
        with paused_gc():
            self._build(graph)

    def _build(self, graph: ScoreGraph) -> None:
        self.graph = graph
        n = self.n = len(graph.nodes)
        self.n_params = len(graph.params)
        self.fixed_base = np.array([node.fixed_base for node in graph.nodes], dtype=np.float64)
        self.param_nodes = _ints([i for i, node in enumerate(graph.nodes) if node.base_param is not None])
        self.param_of_node = _ints([node.base_param for node in graph.nodes if node.base_param is not None])
        ders = graph.derivations
        self.n_ders = len(ders)
        self.der_node = _ints([d.node for d in ders])
        self.prem_der = _ints([k for k, d in enumerate(ders) for _ in d.premises])
        self.prem_node = _ints([p for d in ders for p in d.premises])
        self.prem_seg = Segments(self.prem_der, self.n_ders)
        self.inf_ders = _ints([k for k, d in enumerate(ders) if d.inference_param is not None])
        self.inf_params = _ints([d.inference_param for d in ders if d.inference_param is not None])
        counts = np.bincount(self.der_node, minlength=n) if self.n_ders else np.zeros(n, dtype=np.int64)
        single = counts[self.der_node] == 1 if self.n_ders else np.zeros(0, dtype=bool)
        self.single_ders = np.flatnonzero(single)
        self.multi_ders = np.flatnonzero(~single)
        self.multi_nodes = np.flatnonzero(counts > 1)
        self.multi_seg = Segments(self.der_node[self.multi_ders], n)
        edges = graph.edges
        self.n_edges = len(edges) + len(graph.undercuts)
        sup = [i for i, e in enumerate(edges) if e.polarity > 0]
        att = [i for i, e in enumerate(edges) if e.polarity < 0]
        self.sup_edge, self.att_edge = _ints(sup), _ints(att)
        self.sup_src = _ints([edges[i].source for i in sup])
        self.sup_tgt = _ints([edges[i].target for i in sup])
        self.att_src = _ints([edges[i].source for i in att])
        self.att_tgt = _ints([edges[i].target for i in att])
        self.sup_seg = Segments(self.sup_tgt, n)
        self.att_seg = Segments(self.att_tgt, n)
        self.sup_group_arrays = grouping_arrays([edges[i].cluster for i in sup], self.sup_tgt)
        self.att_group_arrays = grouping_arrays([edges[i].cluster for i in att], self.att_tgt)
        self.sup_groups = None if self.sup_group_arrays is None else Grouping(*self.sup_group_arrays, n)
        self.att_groups = None if self.att_group_arrays is None else Grouping(*self.att_group_arrays, n)
        self.rho_param = graph.rho_param
        self.uc_edge = _ints([len(edges) + j for j in range(len(graph.undercuts))])
        self.uc_src = _ints([u.source for u in graph.undercuts])
        self.uc_der = _ints([u.target for u in graph.undercuts])
        self.uc_seg = Segments(self.uc_der, self.n_ders)
        self.node_param = np.full(n, -1, dtype=np.int64)
        self.node_param[self.param_nodes] = self.param_of_node
        self.der_inference = np.full(self.n_ders, -1, dtype=np.int64)
        self.der_inference[self.inf_ders] = self.inf_params
        level, self.acyclic = self._levels()
        self.depth = max(level) if level else 0
        self.levels: list[Level] = []
        if self.acyclic and n:
            self._build_levels(_ints(level))

    def _build_levels(self, level: NDArray[np.int64]) -> None:
        """Index arrays per topological level: evaluating the levels in order computes
        every claim once (a claim depends only on claims of lower levels)."""
        count = self.depth + 1
        self.local_index = np.zeros(self.n, dtype=np.int64)
        nodes = _groups(level, count)
        for group in nodes:
            self.local_index[group] = np.arange(len(group))
        ders = _groups(level[self.der_node], count)
        prem = _groups(level[self.der_node[self.prem_der]], count)
        sup = _groups(level[self.sup_tgt], count)
        att = _groups(level[self.att_tgt], count)
        uc = _groups(level[self.der_node[self.uc_der]], count)
        self.levels = [Level(self, nodes[k], ders[k], prem[k], sup[k], att[k], uc[k]) for k in range(count)]

    def _levels(self) -> tuple[list[int], bool]:
        """Each claim's level, the longest dependency chain into it (Kahn's algorithm);
        acyclic is False on a cycle."""
        g = self.graph
        children: list[list[int]] = [[] for _ in g.nodes]
        indegree = [0] * len(g.nodes)

        def link(a: int, b: int) -> None:
            children[a].append(b)
            indegree[b] += 1

        for d in g.derivations:
            for p in d.premises:
                link(p, d.node)
        for e in g.edges:
            link(e.source, e.target)
        for u in g.undercuts:
            link(u.source, g.derivations[u.target].node)
        level = [0] * len(g.nodes)
        queue = [i for i, k in enumerate(indegree) if k == 0]
        seen = 0
        while queue:
            i = queue.pop()
            seen += 1
            for j in children[i]:
                level[j] = max(level[j], level[i] + 1)
                indegree[j] -= 1
                if indegree[j] == 0:
                    queue.append(j)
        return level, seen == len(g.nodes)

    # ---- one update ---------------------------------------------------------------------

    def bases(self, params: Array, strengths: Array, mask: Array | None) -> Array:
        columns = params.shape[1]
        base = np.repeat(self.fixed_base[:, None], columns, axis=1)
        if len(self.param_nodes):
            base[self.param_nodes] = params[self.param_of_node]
        if self.n_ders:
            d = self.derivation_values(params, strengths, mask)
            if len(self.single_ders):
                base[self.der_node[self.single_ders]] = d[self.single_ders]
            if len(self.multi_ders):
                noisy = self.multi_seg(np.log(np.maximum(1.0 - d[self.multi_ders], TINY)))
                base[self.multi_nodes] = 1.0 - np.exp(noisy[self.multi_nodes])
        return base

    def derivation_values(self, params: Array, strengths: Array, mask: Array | None = None) -> Array:
        """Each derivation's value (product x inference x undercut weakening), (D, S)."""
        if not self.n_ders:
            return np.zeros((0, params.shape[1]))
        return derivation_products(self, params, strengths, mask)

    def step(self, semantics: Semantics, params: Array, strengths: Array, mask: Array | None) -> Array:
        base = self.bases(params, strengths, mask)
        aggregates = Aggregates(self, strengths, mask, self.rho(params))
        return np.clip(semantics.combine(base, aggregates), 0.0, 1.0)

    def rho(self, params: Array) -> Array | None:
        return rho_of(self.rho_param, params)


def rho_of(rho_param: int | None, params: Array) -> Array | None:
    """The correlation rho per column, shape (1, S); None when it is 0 everywhere (the
    sums are then exactly the independent ones)."""
    if rho_param is None:
        return None
    rho = params[rho_param][None, :]
    return rho if rho.any() else None


@dataclass
class Evaluation:
    strengths: Array  # (N, S); NaN everywhere when not converged
    converged: bool
    iterations: int
    residual: float


def evaluate(
    compiled: Compiled,
    semantics: Semantics,
    params: Array,
    mask: Array | None = None,
    tolerance: float = 1e-10,
    max_iterations: int | None = None,
) -> Evaluation:
    """Strength of every claim for every column of `params` (shape (P, S)). A cyclic
    graph gets `max_iterations` Jacobi steps (default `MAX_ITERATIONS`), then 20 times
    as many RK4 steps, before it is declared not converged."""
    if max_iterations is None:
        max_iterations = MAX_ITERATIONS
    special = getattr(semantics, "evaluate", None)
    if special is not None:
        result: Evaluation = special(compiled, params, mask)
        return result
    columns = params.shape[1]
    if compiled.acyclic:
        s = np.zeros((compiled.n, columns))
        for level in compiled.levels:
            level.update(semantics, params, s, mask)
        return Evaluation(s, True, len(compiled.levels), 0.0)
    s = compiled.bases(params, np.full((compiled.n, columns), 0.5), mask)
    residual = float("inf")
    iterations = 0
    for iterations in range(1, max_iterations + 1):
        new = compiled.step(semantics, params, s, mask)
        residual = float(np.max(np.abs(new - s))) if new.size else 0.0
        s = new
        if residual < tolerance:
            return Evaluation(s, True, iterations, residual)
    # Jacobi steps oscillate on some cycles; the continuous dynamics often settle.
    delta = 0.1
    for step in range(1, 20 * max_iterations + 1):

        def f(x: Array) -> Array:
            return compiled.step(semantics, params, x, mask) - x

        k1 = f(s)
        k2 = f(s + 0.5 * delta * k1)
        k3 = f(s + 0.5 * delta * k2)
        k4 = f(s + delta * k3)
        s = np.clip(s + delta / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4), 0.0, 1.0)
        residual = float(np.max(np.abs(f(s)))) if s.size else 0.0
        if residual < tolerance:
            return Evaluation(s, True, iterations + step, residual)
    return Evaluation(np.full_like(s, np.nan), False, iterations + 20 * max_iterations, residual)


def point_params(compiled: Compiled, overrides: dict[int, float] | None = None) -> Array:
    """The stated values of all params as a (P, 1) array."""
    values = np.array([p.mean for p in compiled.graph.params], dtype=np.float64)
    for index, value in (overrides or {}).items():
        values[index] = value
    return values[:, None]
