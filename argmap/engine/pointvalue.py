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
_NO_SOURCES: list[int] = []  # shared, never changed


def sigmoid(x: float) -> float:
    x = min(700.0, max(-700.0, x))
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    q = min(_HIGH, max(EPS, p))
    return math.log(q / (1.0 - q))


class _Plan:
    """Per-claim inputs: stated base, derivations, incoming edges, built once. Lists by
    node (None: no such input), not dicts: every claim with an input is read from them."""

    def __init__(self, graph: ScoreGraph, base: list[float] | None = None) -> None:
        params = graph.params
        if base is None:
            base = [
                params[node.base_param].mean if node.base_param is not None else node.fixed_base
                for node in graph.nodes
            ]
        self.base = base
        n = len(base)
        self.derivations: list[list[tuple[list[int], float, list[int]]] | None] = [None] * n
        self.incoming: list[list[tuple[int, int]] | None] = [None] * n
        # edges into one claim from one `#cluster-NAME` (same sign): one supporter or attacker
        self.clustered: list[dict[tuple[int, str], list[int]] | None] = [None] * n
        self.has_input = bytearray(n)
        self.claims: list[int] = []  # the claims with an input
        self._derivations(graph)
        self._edges(graph)

    def _derivations(self, graph: ScoreGraph) -> None:
        params, derivations, has_input, claims = graph.params, self.derivations, self.has_input, self.claims
        undercutters: dict[int, list[int]] = {}
        for u in graph.undercuts:
            undercutters.setdefault(u.target, []).append(u.source)
        for k, d in enumerate(graph.derivations):
            inference = params[d.inference_param].mean if d.inference_param is not None else 1.0
            node = d.node
            found = derivations[node]
            if found is None:
                found = derivations[node] = []
                if not has_input[node]:
                    has_input[node] = 1
                    claims.append(node)
            found.append((d.premises, inference, undercutters.get(k, _NO_SOURCES)))

    def _edges(self, graph: ScoreGraph) -> None:
        incoming, clustered, has_input, claims = self.incoming, self.clustered, self.has_input, self.claims
        for e in graph.edges:
            target = e.target
            if not has_input[target]:
                has_input[target] = 1
                claims.append(target)
            if e.cluster:
                groups = clustered[target]
                if groups is None:
                    groups = clustered[target] = {}
                groups.setdefault((e.polarity, e.cluster), []).append(e.source)
                continue
            found = incoming[target]
            if found is None:
                found = incoming[target] = []
            found.append((e.source, e.polarity))

    def inputs_read(self, i: int) -> list[int]:
        """The claims with an input that claim `i` reads (its derivations' premises and
        undercutters, then its edges' sources), each as often as it is read."""
        has_input = self.has_input
        found: list[int] = []
        for premises, _, cutters in self.derivations[i] or ():
            found += [p for p in premises if has_input[p]]
            found += [u for u in cutters if has_input[u]]
        found += [source for source, _ in self.incoming[i] or () if has_input[source]]
        for sources in (self.clustered[i] or _NO_CLUSTERS).values():
            found += [source for source in sources if has_input[source]]
        return found

    def order(self) -> list[int] | None:
        """The claims with an input, each after the ones it reads (Kahn's algorithm);
        None when they form a cycle. A claim without input reads nothing: it is on no
        cycle, and its strength is its base's from the start."""
        waiting = [0] * len(self.has_input)  # how many of its parents with an input are not placed yet
        readers: dict[int, list[int]] = {}
        ready: list[int] = []
        for i in self.claims:
            parents = self.inputs_read(i)
            if not parents:
                ready.append(i)
                continue
            waiting[i] = len(parents)
            for p in parents:
                found = readers.get(p)
                if found is None:
                    readers[p] = [i]
                else:
                    found.append(i)
        order: list[int] = []
        while ready:
            i = ready.pop()
            order.append(i)
            for reader in readers.get(i, ()):
                waiting[reader] -= 1
                if waiting[reader] == 0:
                    ready.append(reader)
        return order if len(order) == len(self.claims) else None

    def strength(self, i: int, s: list[float]) -> float:
        """sigmoid(logit(base) + energy), clamped to [0, 1]. `sigmoid` and `logit` are
        written out, and each `max(a, b)` as `b if b > a else a` (`min` with `<`), which
        is what the builtins compute, without a call: this runs for every claim."""
        base = self.base[i]
        ders = self.derivations[i]
        if ders:
            values = []
            for premises, inference, cutters in ders:
                value = inference
                for p in premises:
                    x = s[p]
                    value *= TINY if x < TINY else x
                for u in cutters:
                    x = 1.0 - s[u]
                    value *= TINY if x < TINY else x
                values.append(value)
            if len(values) == 1:
                base = values[0]
            else:
                miss = 1.0
                for value in values:
                    x = 1.0 - value
                    miss *= TINY if x < TINY else x
                base = 1.0 - miss
        energy = 0.0
        for source, polarity in self.incoming[i] or ():
            energy += s[source] if polarity > 0 else -s[source]
        for (polarity, _), sources in (self.clustered[i] or _NO_CLUSTERS).items():
            miss = 1.0
            for source in sources:
                miss *= 1.0 - min(s[source], 1.0)
            energy += (1.0 - miss) * polarity  # a cluster's strengths combine first: 1 - prod(1 - s)
        q = base if base > EPS else EPS
        q = q if q < _HIGH else _HIGH
        x = math.log(q / (1.0 - q)) + energy
        x = x if x > -700.0 else -700.0
        x = x if x < 700.0 else 700.0
        x = 1.0 / (1.0 + math.exp(-x))
        x = x if x > 0.0 else 0.0
        return x if x < 1.0 else 1.0


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
