"""`quad`: QuAD (Baroni, Romano, Toni, Aurisicchio and Bertanza, Argument & Computation 2015).

    v_a = base prod(1 - attacker strengths)
    v_s = 1 - (1 - base) prod(1 - supporter strengths)
    strength = v_a             with attackers only
             = v_s             with supporters only
             = (v_a + v_s) / 2 with both
             = base            with neither

The averaging jump when the first supporter or attacker appears is the
discontinuity that DF-QuAD was designed to remove.
"""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import Aggregates, Array


class QuAD:
    name = "quad"
    title = "QuAD (Baroni et al. 2015)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        v_a = base * np.exp(agg.log_not_attack)
        v_s = 1.0 - (1.0 - base) * np.exp(agg.log_not_support)
        has_a = agg.n_attack > 0.5
        has_s = agg.n_support > 0.5
        out: Array = np.where(
            has_a & has_s, 0.5 * (v_a + v_s), np.where(has_a, v_a, np.where(has_s, v_s, base))
        )
        return out


SEMANTICS = QuAD()
