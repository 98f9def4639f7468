"""`vargdown-compat`: vargdown's own rule, reproduced exactly, defects included.

vargdown (verify.mjs) computes

1. each argument's conclusion = product of its premises' *stated* credences x the
   inference, rounded to 4 decimals (an argument with a premise that states no
   credence gets no value; when several arguments conclude one claim, the last
   one written wins);
2. for every claim that statement-level relations point at, an implied credence
   sigmoid(sum over supporting/entailing sources of logit(c) - sum over
   attacking/contrary sources of logit(c)), each c clamped to [0.001, 0.999], the
   source's c being its computed conclusion or its stated credence (prior 0.5:
   the sum starts at 0). An undercut from a statement counts as a contrary of the
   undercut argument's conclusion.

What that gets wrong, and why it is not the default: an attack whose credence is
below 0.5 has negative log-odds, so subtracting it *raises* the target (a support
below 0.5 lowers it); implied credences are never fed onward, so chains stop after
one hop and undercuts never reach the thesis (they only change the undercut
conclusion's own implied value); relations written from an argument (`<A>` in a
thesis tree) are not read at all; and two arguments resting on the same evidence
are both counted in full. Loose-mode support/attack between statements count as
entails/contrary here (vargdown maps are strict-mode, where they are the same).
"""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import (
    Aggregates,
    Array,
    Compiled,
    Evaluation,
    Grouping,
    Segments,
    grouping_arrays,
)
from argmap.engine.semantics.logodds import sigmoid


class _Rows:
    def __init__(self, c: Compiled) -> None:
        g = c.graph
        self.node_param = np.full(c.n, -1, dtype=np.int64)
        self.node_param[c.param_nodes] = c.param_of_node
        last: dict[int, int] = {}
        for k, d in enumerate(g.derivations):
            last[d.node] = k
        self.last_nodes = np.asarray(list(last), dtype=np.int64)
        self.last_ders = np.asarray(list(last.values()), dtype=np.int64)
        src: list[int] = []
        tgt: list[int] = []
        sign: list[float] = []
        edge: list[int] = []
        cluster: list[str | None] = []
        for i, e in enumerate(g.edges):
            if e.statement_level:
                src.append(e.source)
                tgt.append(e.target)
                sign.append(float(e.polarity))
                edge.append(i)
                cluster.append(f"{e.polarity}:{e.cluster}" if e.cluster else None)
        for j, u in enumerate(g.undercuts):
            if u.statement_level:
                src.append(u.source)
                tgt.append(g.derivations[u.target].node)
                sign.append(-1.0)
                edge.append(len(g.edges) + j)
                cluster.append(None)
        self.src = np.asarray(src, dtype=np.int64)
        self.sign = np.asarray(sign, dtype=np.float64)[:, None]
        self.edge = np.asarray(edge, dtype=np.int64)
        targets = np.asarray(tgt, dtype=np.int64)
        self.seg = Segments(targets, c.n)
        # a cluster's sources (same target, same sign) combine by 1 - prod(1 - c) first
        arrays = grouping_arrays(cluster, targets)
        self.groups = None if arrays is None else Grouping(*arrays, c.n)
        if arrays is not None:
            first = np.zeros(len(arrays[1]), dtype=np.int64)
            first[arrays[0][::-1]] = np.arange(len(arrays[0]))[::-1]
            self.group_sign = self.sign[first]


class VargdownCompat:
    name = "vargdown-compat"
    title = "vargdown's rule (compatibility)"

    def combine(self, base: Array, agg: Aggregates) -> Array:  # pragma: no cover - not modular
        raise NotImplementedError("vargdown-compat is evaluated as a whole")

    def evaluate(self, c: Compiled, params: Array, mask: Array | None) -> Evaluation:
        rows: _Rows | None = getattr(c, "_vargdown_rows", None)
        if rows is None:
            rows = _Rows(c)
            c._vargdown_rows = rows  # type: ignore[attr-defined]
        columns = params.shape[1]
        stated = np.full((c.n, columns), np.nan)
        stated[c.param_nodes] = params[c.param_of_node]
        value = stated.copy()
        with np.errstate(divide="ignore", invalid="ignore"):
            if c.n_ders:
                d = np.exp(c.prem_seg(np.log(stated[c.prem_node])))
                if len(c.inf_ders):
                    d[c.inf_ders] *= params[c.inf_params]
                d = np.round(d * 10000.0) / 10000.0
                value[rows.last_nodes] = d[rows.last_ders]
            v = value[rows.src]
            valid = ~np.isnan(v)
            if mask is not None:
                valid &= mask[rows.edge] > 0.5
            total, count = _log_odds_sums(rows, v, valid)
        result = np.where(count > 0, sigmoid(total), value)
        result = np.where(np.isnan(result), c.fixed_base[:, None], result)
        return Evaluation(result, True, 1, 0.0)


def _log_odds_sums(rows: _Rows, v: Array, valid: Array) -> tuple[Array, Array]:
    """Per claim: the signed sum of its sources' clamped log-odds, and their count
    (a cluster's sources combined into one credence first)."""
    groups = rows.groups
    if groups is None:
        clamped = np.clip(np.where(valid, v, 0.5), 0.001, 0.999)
        log_odds = np.where(valid, rows.sign * (np.log(clamped) - np.log1p(-clamped)), 0.0)
        return rows.seg(log_odds), rows.seg(valid.astype(np.float64))
    combined = -np.expm1(groups.edges(np.log1p(-np.where(valid, np.minimum(v, 1.0), 0.0))))
    present = groups.edges(valid.astype(np.float64)) > 0.0
    clamped = np.clip(np.where(present, combined, 0.5), 0.001, 0.999)
    log_odds = np.where(present, rows.group_sign * (np.log(clamped) - np.log1p(-clamped)), 0.0)
    return groups.targets(log_odds), groups.targets(present.astype(np.float64))


SEMANTICS = VargdownCompat()
