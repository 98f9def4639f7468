"""`euler`: Euler-based semantics (Amgoud and Ben-Naim, ECSQARU 2017 / 2018).

    E = sum(supporter strengths) - sum(attacker strengths)
    strength = 1 - (1 - base^2) / (1 + base e^E)

Known quirks, shown honestly: a claim with base 0 stays at 0 whatever supports it,
and no number of attackers brings a claim below base^2.
"""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import Aggregates, Array


class EulerBased:
    name = "euler"
    title = "Euler-based (Amgoud & Ben-Naim 2018)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        e = np.clip(agg.energy, -700.0, 700.0)
        out: Array = 1.0 - (1.0 - base**2) / (1.0 + base * np.exp(e))
        return out


SEMANTICS = EulerBased()
