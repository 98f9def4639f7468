"""An example semantics from outside argmap: strength = base + (supports - attacks) / 2,
clipped to [0, 1] (simple enough to derive by hand in a test)."""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import Aggregates, Array


class HalfLinear:
    name = "half-linear"
    title = "Half-linear (a test plugin)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        out: Array = np.clip(base + (agg.sum_support - agg.sum_attack) / 2.0, 0.0, 1.0)
        return out


SEMANTICS = HalfLinear()
