"""Experimental results attached to claims: the result format, its statistics, and how a
result becomes evidence that re-scores the map (see docs/results.md).

Importing this package is cheap; numpy and scipy load only when a Bayes factor is
computed, so `argmap check` never pays for them.
"""

from __future__ import annotations

FORMAT = "argmap-result/1"
