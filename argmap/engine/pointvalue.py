"""Point strengths under the default semantics (`logodds`) in pure Python, without numpy.

`argmap check` needs computed credences for the coherence rules (`C501`-`C503`), but
must stay light: this evaluates a `ScoreGraph` at its stated values with the same
mapping and formula as the numpy engine (`evaluate.py`, `semantics/logodds.py`):

    base     = credence | prior | noisy-or over derivations of
               prod(premise strengths) x inference x prod(1 - undercutter strengths)
    strength = sigmoid(logit(base) + sum(supporter strengths) - sum(attacker strengths))

where the arguments of one `#cluster-NAME` that support (or attack) one claim count
as one supporter (attacker) of strength 1 - prod(1 - s), as in the engine.

An acyclic graph is evaluated once in topological order; a cyclic one by Jacobi
iteration to a fixpoint (tolerance 1e-10, at most 2,000 sweeps). When that does not
settle, `logodds_strengths` returns None (`argmap score` reports it as C591).
"""

from __future__ import annotations

import math

from argmap.engine.qbaf import ScoreGraph

EPS = 1e-9
TINY = 1e-300
_HIGH = 1.0 - EPS  # the upper clamp of `logit`, computed once
_NO_CLUSTERS: dict[tuple[int, str], list[int]] = {}


def sigmoid(x: float) -> float:
    x = min(700.0, max(-700.0, x))
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    q = min(_HIGH, max(EPS, p))
    return math.log(q / (1.0 - q))


class _Plan:
    """Per-claim inputs: stated base, derivations, incoming edges (built once; only the
    claims that have derivations or incoming edges get an entry)."""

    def __init__(self, graph: ScoreGraph, base: list[float] | None = None) -> None:
        params = graph.params
        if base is None:
            base = [
                params[node.base_param].mean if node.base_param is not None else node.fixed_base
                for node in graph.nodes
            ]
        self.base = base
        self.derivations: dict[int, list[tuple[list[int], float, list[int]]]] = {}
        undercutters: dict[int, list[int]] = {}
        for u in graph.undercuts:
            undercutters.setdefault(u.target, []).append(u.source)
        for k, d in enumerate(graph.derivations):
            inference = params[d.inference_param].mean if d.inference_param is not None else 1.0
            self.derivations.setdefault(d.node, []).append((d.premises, inference, undercutters.get(k, [])))
        self.incoming: dict[int, list[tuple[int, int]]] = {}
        # edges into one claim from one `#cluster-NAME` (same sign): one supporter or attacker
        self.clustered: dict[int, dict[tuple[int, str], list[int]]] = {}
        for e in graph.edges:
            if e.cluster:
                groups = self.clustered.setdefault(e.target, {})
                groups.setdefault((e.polarity, e.cluster), []).append(e.source)
            else:
                self.incoming.setdefault(e.target, []).append((e.source, e.polarity))

    def parents(self) -> dict[int, list[int]]:
        """The claims with an input (a derivation, an edge in) and the claims each reads:
        its derivations' premises and undercutters, then its edges' sources."""
        parents: dict[int, list[int]] = {}
        for i, ders in self.derivations.items():
            found = parents[i] = []
            for premises, _, cutters in ders:
                found.extend(premises)
                found.extend(cutters)
        for i, incoming in self.incoming.items():
            parents.setdefault(i, []).extend(source for source, _ in incoming)
        for i, groups in self.clustered.items():
            found = parents.setdefault(i, [])
            for sources in groups.values():
                found.extend(sources)
        return parents

    def order(self) -> list[int] | None:
        """The claims with an input, each after the ones it reads (Kahn's algorithm);
        None when they form a cycle. A claim without input reads nothing: it is on no
        cycle, and its strength is its base's from the start."""
        parents = self.parents()
        waiting = {i: sum(1 for p in ps if p in parents) for i, ps in parents.items()}
        readers: dict[int, list[int]] = {}
        for i, ps in parents.items():
            for p in ps:
                if p in parents:
                    readers.setdefault(p, []).append(i)
        ready = [i for i, count in waiting.items() if count == 0]
        order: list[int] = []
        while ready:
            i = ready.pop()
            order.append(i)
            for reader in readers.get(i, ()):
                waiting[reader] -= 1
                if waiting[reader] == 0:
                    ready.append(reader)
        return order if len(order) == len(parents) else None

    def strength(self, i: int, s: list[float]) -> float:
        """sigmoid(logit(base) + energy), clamped to [0, 1]. `sigmoid` and `logit` are
        written out (the same operations in the same order): this runs for every claim."""
        base = self.base[i]
        ders = self.derivations.get(i)
        if ders:
            values = []
            for premises, inference, cutters in ders:
                value = inference
                for p in premises:
                    value *= max(s[p], TINY)
                for u in cutters:
                    value *= max(1.0 - s[u], TINY)
                values.append(value)
            if len(values) == 1:
                base = values[0]
            else:
                miss = 1.0
                for value in values:
                    miss *= max(1.0 - value, TINY)
                base = 1.0 - miss
        energy = 0.0
        for source, polarity in self.incoming.get(i, ()):
            energy += s[source] if polarity > 0 else -s[source]
        for (polarity, _), sources in self.clustered.get(i, _NO_CLUSTERS).items():
            miss = 1.0
            for source in sources:
                miss *= 1.0 - min(s[source], 1.0)
            energy += (1.0 - miss) * polarity  # a cluster's strengths combine first: 1 - prod(1 - s)
        q = min(_HIGH, max(EPS, base))
        x = min(700.0, max(-700.0, math.log(q / (1.0 - q)) + energy))
        return min(1.0, max(0.0, 1.0 / (1.0 + math.exp(-x))))


def _alone(base: float) -> float:
    """`_Plan.strength` of a claim with nothing but its base (energy 0.0)."""
    q = min(_HIGH, max(EPS, base))
    x = min(700.0, max(-700.0, math.log(q / (1.0 - q)) + 0.0))
    return min(1.0, max(0.0, 1.0 / (1.0 + math.exp(-x))))


def _alone_all(bases: list[float]) -> list[float]:
    """`_alone` of every base, each distinct base computed once (stated credences come
    from few values: two decimals)."""
    seen: dict[float, float] = {}
    out: list[float] = []
    for base in bases:
        strength = seen.get(base)
        if strength is None:
            strength = seen[base] = _alone(base)
        out.append(strength)
    return out


def logodds_strengths(
    graph: ScoreGraph, tolerance: float = 1e-10, max_iterations: int = 2000, base: list[float] | None = None
) -> list[float] | None:
    """Every claim's strength under `logodds` at the stated values; None when a cycle
    does not converge. `base`: every node's base, for a graph that holds no nodes
    (`mapping.strength_inputs`)."""
    plan = _Plan(graph, base)
    n = len(plan.base)
    order = plan.order()
    if order is not None:
        # Most claims (the premises) have no input but their base: their strengths in
        # one pass, then the others in topological order (the same numbers as computing
        # every claim in that order: a claim's strength depends only on its parents').
        s = _alone_all(plan.base)
        for i in order:
            s[i] = plan.strength(i, s)
        return s
    s = [0.5] * n
    for _ in range(max_iterations):
        new = [plan.strength(i, s) for i in range(n)]
        change = max((abs(a - b) for a, b in zip(new, s, strict=True)), default=0.0)
        s = new
        if change < tolerance:
            return s
    return None
