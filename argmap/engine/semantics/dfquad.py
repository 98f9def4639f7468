"""`dfquad`: Discontinuity-Free QuAD (Rago, Toni, Aurisicchio and Baroni, KR 2016).

v_s = 1 - prod(1 - supporter strengths)      (0 without supporters)
v_a = 1 - prod(1 - attacker strengths)
strength = base + (1 - base) (v_s - v_a)   if v_s >= v_a
         = base - base (v_a - v_s)         otherwise
"""

from __future__ import annotations

import numpy as np

from argmap.engine.evaluate import Aggregates, Array


class DFQuAD:
    name = "dfquad"
    title = "DF-QuAD (Rago et al. 2016)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        v_s = 1.0 - np.exp(agg.log_not_support)
        v_a = 1.0 - np.exp(agg.log_not_attack)
        d = v_s - v_a
        out: Array = base + np.where(d >= 0, (1.0 - base) * d, base * d)
        return out


SEMANTICS = DFQuAD()
