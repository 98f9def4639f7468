"""`logodds` (default): the MLP-based semantics of Potyka (AAAI 2021).

    strength = sigmoid(logit(base) + sum(supporter strengths) - sum(attacker strengths))

It is vargdown's idea, adding log-odds at the target, done as a proper gradual
semantics: every claim's strength (not only a conclusion's credence) flows on, so
chains propagate past one hop and undercuts reach the thesis; an attacker can only
lower its target and a supporter only raise it, whatever its own strength (strength
is never negative), which removes vargdown's sign defect; and a claim's prior
(its base; 0.5 on a thesis unless `{prior: x}`) is the starting log-odds. Bases of
exactly 0 or 1 are clamped to [1e-9, 1 - 1e-9] so the logit stays finite.
"""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import Aggregates, Array

EPS = 1e-9


def sigmoid(x: Array) -> Array:
    # 1 / (1 + e^-x): relative error near machine precision on both tails (for x < 0
    # the large e^-x is exact up to rounding); clipped so e^-x cannot overflow.
    out: Array = 1.0 / (1.0 + np.exp(-np.clip(x, -700.0, 700.0)))
    return out


def logit(p: Array) -> Array:
    q = np.clip(p, EPS, 1.0 - EPS)
    out: Array = np.log(q / (1.0 - q))
    return out


class LogOdds:
    name = "logodds"
    title = "MLP-based log-odds (Potyka 2021)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        return sigmoid(logit(base) + agg.energy)


SEMANTICS = LogOdds()
