"""`qe`: quadratic energy semantics (Potyka, KR 2018).

    E = sum(supporter strengths) - sum(attacker strengths)
    h(x) = max(x, 0)^2 / (1 + max(x, 0)^2)
    strength = base - base h(-E) + (1 - base) h(E)

Defined in the paper by continuous dynamics; on acyclic graphs that limit is the
one-pass value, on cyclic ones the engine iterates to the fixpoint.
"""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import Aggregates, Array


def h(x: Array) -> Array:
    m = np.maximum(x, 0.0) ** 2
    out: Array = m / (1.0 + m)
    return out


class QuadraticEnergy:
    name = "qe"
    title = "quadratic energy (Potyka 2018)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        e = agg.energy
        out: Array = base - base * h(-e) + (1.0 - base) * h(e)
        return out


SEMANTICS = QuadraticEnergy()
