"""`--explain`: the thesis's strength taken apart, from the thesis down.

Each claim shows its base (and, for a conclusion, how the base was derived), the
aggregate of its supporters and attackers (for the sum-based semantics the sum of
supporter strengths minus attacker strengths; for DF-QuAD and QuAD v_s - v_a) and
its final strength. Each incoming edge shows its *contribution*: how much the
claim's strength would drop (or rise) if that one support, attack or undercut
were deleted, others kept ("+0.21 from <SVD Basis Cluster>"). A claim reached a
second time is shown once and marked `(see above)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from argmap.engine.evaluate import Aggregates, Array, Compiled, Semantics, evaluate
from argmap.engine.types import ExplainNode


def _indexes(
    g: Any, present: Array
) -> tuple[dict[int, list[int]], dict[int, list[int]], dict[int, list[int]]]:
    """Derivations by conclusion node, present edges by target, present undercuts by
    derivation (undercut columns follow the edges' in the mask)."""
    derivations: dict[int, list[int]] = {}
    for k, d in enumerate(g.derivations):
        derivations.setdefault(d.node, []).append(k)
    incoming: dict[int, list[int]] = {}
    for i, e in enumerate(g.edges):
        if present[i] > 0:
            incoming.setdefault(e.target, []).append(i)
    undercuts: dict[int, list[int]] = {}
    for j, u in enumerate(g.undercuts):
        if present[len(g.edges) + j] > 0:
            undercuts.setdefault(u.target, []).append(len(g.edges) + j)
    return derivations, incoming, undercuts


def explain_tree(
    compiled: Compiled, semantics: Semantics, means: Array, mask: Array | None, max_depth: int = 12
) -> ExplainNode:
    g = compiled.graph
    assert g.thesis is not None
    n_edges = compiled.n_edges
    present = np.ones(n_edges) if mask is None else mask[:, 0]
    masks = np.repeat(present[:, None], n_edges + 1, axis=1)
    for i in range(n_edges):
        masks[i, i + 1] = 0.0
    params = np.repeat(means[:, None], n_edges + 1, axis=1)
    result = evaluate(compiled, semantics, params, masks)
    strengths = result.strengths
    s = strengths[:, 0]
    base = compiled.bases(params[:, :1], strengths[:, :1], masks[:, :1])[:, 0]
    aggregate = _aggregate(compiled, semantics, strengths[:, :1], masks[:, :1], params[:, :1])
    derivations, incoming, undercuts = _indexes(g, present)
    d_values = compiled.derivation_values(params[:, :1], strengths[:, :1], masks[:, :1])[:, 0]
    seen: set[int] = set()

    def build(node: int, relation: str, contribution: float | None, depth: int) -> ExplainNode:
        n = g.nodes[node]
        label = n.label
        item = ExplainNode(
            key=n.key,
            label=label,
            relation=relation,
            contribution=contribution,
            base=round(float(base[node]), 6),
            aggregate=_r(aggregate[node]),
            strength=round(float(s[node]), 6),
        )
        if node in seen or depth >= max_depth:
            item.repeated = node in seen
            return item
        seen.add(node)
        parts = []
        for k in derivations.get(node, []):
            d = g.derivations[k]
            factors = [f"{s[p]:.2f}" for p in d.premises]
            if d.inference_param is not None:
                factors.append(f"inference {means[d.inference_param]:.2f}")
            text = " x ".join(factors) or "1"
            for e in undercuts.get(k, []):
                u = g.undercuts[e - len(g.edges)]
                text += f" x (1 - {s[u.source]:.2f} undercut)"
            parts.append(f"<{d.argument}>: {text} = {d_values[k]:.3f}")
            for p in d.premises:
                item.children.append(build(p, "premise", None, depth + 1))
            for e in undercuts.get(k, []):
                u = g.undercuts[e - len(g.edges)]
                delta = float(s[node] - strengths[node, e + 1])
                item.children.append(build(u.source, "undercut", round(delta, 6), depth + 1))
        parts.extend(_cluster_parts(compiled, incoming.get(node, []), s))
        item.detail = "; ".join(parts)
        for e in sorted(incoming.get(node, []), key=lambda i: -abs(s[node] - strengths[node, i + 1])):
            edge = g.edges[e]
            delta = float(s[node] - strengths[node, e + 1])
            child = build(
                edge.source, "support" if edge.polarity > 0 else "attack", round(delta, 6), depth + 1
            )
            child.label = edge.owner or child.label
            if edge.cluster:
                child.label += f" (#cluster-{edge.cluster})"
            item.children.append(child)
        return item

    return build(g.thesis, "thesis", None, 0)


def _cluster_parts(compiled: Compiled, edges: list[int], s: Array) -> list[str]:
    """How each cluster of a claim's supporters (attackers) combined: one per cluster."""
    g = compiled.graph
    groups: dict[tuple[str, int], list[int]] = {}
    for e in edges:
        edge = g.edges[e]
        if edge.cluster:
            groups.setdefault((edge.cluster, edge.polarity), []).append(edge.source)
    parts = []
    for (name, polarity), sources in groups.items():
        factors = " x ".join(f"(1 - {s[i]:.2f})" for i in sources)
        combined = 1.0 - float(np.prod([1.0 - s[i] for i in sources]))
        role = "supporter" if polarity > 0 else "attacker"
        parts.append(f"#cluster-{name}: 1 - {factors} = {combined:.3f}, one {role}")
    return parts


def _aggregate(
    compiled: Compiled, semantics: Semantics, strengths: Array, mask: Array, params: Array
) -> Array:
    agg = Aggregates(compiled, strengths, mask, compiled.rho(params))
    if semantics.name in ("dfquad", "quad"):
        out: Array = (1.0 - np.exp(agg.log_not_support) - (1.0 - np.exp(agg.log_not_attack)))[:, 0]
        return out
    if semantics.name == "vargdown-compat":
        return np.full(compiled.n, np.nan)
    energy: Array = agg.energy[:, 0]
    return energy


def _r(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 6)


def render_explanation(root: ExplainNode) -> str:
    lines: list[str] = []

    def walk(node: ExplainNode, prefix: str, last: bool, top: bool) -> None:
        if node.relation in ("support", "attack", "undercut") and node.contribution is not None:
            head = f"{node.contribution:+.2f} from {node.label}"
            if node.relation == "undercut":
                head += " (undercut)"
        elif node.relation == "premise":
            head = f"premise {node.label}"
        else:
            head = node.label
        agg = "" if node.aggregate is None else f", aggregate {node.aggregate:+.2f}"
        text = f"{head}: {node.strength:.3f} (base {node.base:.3f}{agg})"
        if node.repeated:
            text += " (see above)"
        connector = "" if top else ("└─ " if last else "├─ ")
        lines.append(prefix + connector + text)
        child_prefix = prefix if top else prefix + ("   " if last else "│  ")
        if node.detail:
            lines.append(child_prefix + ("   " if not node.children else "│  ") + "= " + node.detail)
        for i, child in enumerate(node.children):
            walk(child, child_prefix, i == len(node.children) - 1, False)

    walk(root, "", True, True)
    return "\n".join(lines) + "\n"
