"""Results in the scoring graph: one extra, explained input per result, in every semantics.

A result with applied factor F = exp(L) on claim C becomes a *result node* `#result ID`
that supports C (F > 1) or attacks it (F < 1). Its base score comes from the Bayes
factor, chosen per semantics so that each semantics' own combination function does
the update (docs/results.md, "The update, per semantics"):

* `logodds`: strength(C) = sigmoid(logit(base) + E + L), i.e. posterior odds = odds x F,
  where the odds are C's prior odds for a premise and its computed odds (derived base
  and its other supporters and attackers) for a conclusion or the thesis. The result
  enters as ceil(|L| / 0.9) nodes of strength |L| / k each (a strength is at most 1;
  their sum is exactly |L|).
* `dfquad`, `qe`, `euler`, `quad`: one supporter (attacker) of base score
  s = |F - 1| / (F + 1) = tanh(|L| / 2), the posterior an even prior would reach, as a
  distance from 1/2 doubled; each semantics aggregates it like any other argument.
* `vargdown-compat`: a statement-level supporter with credence F / (1 + F), whose logit
  is exactly L (vargdown sums logits of sources; a supporter below 1/2 lowers), plus,
  on a premise, a source sharing the premise's own credence param, so the premise's
  implied credence is sigmoid(logit(c) + L). On a conclusion vargdown's own rule
  applies: its implied credence is the sum over its sources only.

Each result node's base is a `Param` of kind `result`, so the Monte Carlo layer samples
it: its Beta concentration is set so that the node's spread matches the spread of L.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from argmap.engine import DEFAULT_SEMANTICS
from argmap.engine.qbaf import ATTACK, SUPPORT, Edge, Node, Param, ScoreGraph
from argmap.results.evidence import Evidence

CHUNK = 0.9
RESULT_PREFIX = "#result "


def result_key(evidence: Evidence) -> str:
    return f"{RESULT_PREFIX}{evidence.id}"


def _concentration(mean: float, sd: float) -> float:
    if sd <= 0 or mean <= 0 or mean >= 1:
        return math.inf
    return max(mean * (1 - mean) / sd**2 - 1.0, 0.5)


def add_result_nodes(
    graph: ScoreGraph, evidence: Sequence[Evidence], semantics: str = DEFAULT_SEMANTICS
) -> None:
    """Add one result node (or, for logodds, a few) per piece of evidence, in place."""
    index = graph.index()
    mirrored: set[int] = set()
    for item in evidence:
        target = index.get(f"[{item.claim}]")
        if target is None:
            target = index.get(f"<{item.claim}>")
        if target is None:
            continue
        L = item.log_applied
        if L == 0.0:
            continue
        owner = result_key(item)
        if semantics == "logodds":
            k = max(1, math.ceil(abs(L) / CHUNK))
            parts = [(abs(L) / k, item.log_sd / math.sqrt(k), SUPPORT if L > 0 else ATTACK)] * k
        elif semantics == "vargdown-compat":
            c = 1.0 / (1.0 + math.exp(-L))
            parts = [(c, c * (1 - c) * item.log_sd, SUPPORT)]
            stated = graph.nodes[target].base_param
            if stated is not None and target not in mirrored:
                # vargdown replaces a claim's value by the sum of its sources' logits; a
                # source sharing the premise's own credence param keeps that credence in
                # the sum, so the result multiplies the premise's odds as in logodds.
                mirrored.add(target)
                node = graph.add_node(
                    Node(key=f"{owner}/prior", title=f"{owner}/prior", kind="result", base_param=stated)
                )
                graph.edges.append(Edge(node, target, SUPPORT, owner=owner, statement_level=True))
        else:
            s = math.tanh(abs(L) / 2.0)
            parts = [(s, (1 - s * s) / 2.0 * item.log_sd, SUPPORT if L > 0 else ATTACK)]
        for j, (mean, sd, polarity) in enumerate(parts):
            key = owner if len(parts) == 1 else f"{owner}/{j + 1}"
            param = graph.add_param(
                Param(
                    name=key,
                    kind="result",
                    mean=mean,
                    claim=item.claim,
                    concentration=_concentration(mean, sd),
                )
            )
            node = graph.add_node(Node(key=key, title=key, kind="result", base_param=param, display=owner))
            graph.edges.append(Edge(node, target, polarity, owner=owner, statement_level=True))
