"""What the growth benches share: the best CPU time of an operation, and the exponent of
time against size (the least-squares slope of log time on log size)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


def best_time(operation: Callable[[], object], runs: int) -> float:
    """The least process CPU time of `runs` calls (the least noisy of them)."""
    best = math.inf
    for _ in range(runs):
        start = time.process_time()
        operation()
        best = min(best, time.process_time() - start)
    return best


def slope(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size): 1 is linear, 2 quadratic."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
