"""Uncertainty of the inputs, propagated through the whole graph at once.

Each stated credence and inference m is a Beta distribution with mean m and a
concentration k (alpha = m k, beta = (1 - m) k): k = 20 by default (a 0.7 then has a
standard deviation of about 0.10, and a 90% interval of about [0.53, 0.85]),
`--concentration` changes it, and a claim's own `{interval: [lo, hi]}` sets its k so
that the Beta's standard deviation is (hi - lo) / 3.29 (a 90% normal interval),
`{concentration: k}` sets it directly. Values of exactly 0 or 1 stay fixed, as do
priors. All samples are drawn at once (seeded) and evaluated as arrays of shape
(claims, samples): no Python loop per sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from argmap.engine.evaluate import Array, Compiled, Semantics, evaluate

DEFAULT_CONCENTRATION = 20.0
DEFAULT_SAMPLES = 10_000
MAX_CELLS = 4_000_000  # claims x samples evaluated per chunk


def concentrations(compiled: Compiled, concentration: float = DEFAULT_CONCENTRATION) -> Array:
    out = np.full(compiled.n_params, float(concentration))
    for i, param in enumerate(compiled.graph.params):
        if param.concentration is not None:
            out[i] = param.concentration
        elif param.interval is not None:
            lo, hi = param.interval
            m = param.mean
            sd = (hi - lo) / 3.29
            if sd <= 0:
                out[i] = np.inf
            else:
                k = m * (1 - m) / sd**2 - 1
                out[i] = max(k, 0.5)
    return out


def beta_shapes(
    compiled: Compiled, concentration: float = DEFAULT_CONCENTRATION, means: Array | None = None
) -> tuple[Array, Array, NDArray[np.bool_]]:
    """(alpha, beta, fixed) for every param; `fixed` marks params that are not random."""
    m = np.array([p.mean for p in compiled.graph.params]) if means is None else means
    k = concentrations(compiled, concentration)
    fixed = (m <= 0.0) | (m >= 1.0) | ~np.isfinite(k)
    safe_k = np.where(fixed, 1.0, k)
    return m * safe_k, (1.0 - m) * safe_k, fixed


def sample_params(
    compiled: Compiled,
    samples: int,
    seed: int = 0,
    concentration: float = DEFAULT_CONCENTRATION,
    means: Array | None = None,
) -> Array:
    m = np.array([p.mean for p in compiled.graph.params]) if means is None else means
    a, b, fixed = beta_shapes(compiled, concentration, m)
    rng = np.random.default_rng(seed)
    if not len(m):
        return np.zeros((0, samples))
    draws = rng.beta(
        np.where(fixed, 1.0, a)[:, None], np.where(fixed, 1.0, b)[:, None], size=(len(m), samples)
    )
    draws[fixed] = m[fixed, None]
    return draws


@dataclass
class MonteCarlo:
    params: Array  # (P, S)
    thesis: Array  # (S,)
    claims: Array | None  # (N, S) when small enough to keep
    converged: bool


def propagate(
    compiled: Compiled,
    semantics: Semantics,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    concentration: float = DEFAULT_CONCENTRATION,
    thesis: int | None = None,
    mask: Array | None = None,
    means: Array | None = None,
    keep_claims: bool = True,
) -> MonteCarlo:
    params = sample_params(compiled, samples, seed, concentration, means)
    chunk = max(1, MAX_CELLS // max(compiled.n, 1))
    keep = keep_claims and compiled.n * samples <= 4 * MAX_CELLS
    claims = np.empty((compiled.n, samples)) if keep else None
    out = np.empty(samples)
    converged = True
    for start in range(0, samples, chunk):
        stop = min(samples, start + chunk)
        result = evaluate(compiled, semantics, params[:, start:stop], mask)
        converged &= result.converged
        if claims is not None:
            claims[:, start:stop] = result.strengths
        if thesis is not None:
            out[start:stop] = result.strengths[thesis]
    return MonteCarlo(params, out, claims, converged)


def summary(values: Array) -> tuple[float, float, float, float]:
    """(mean, median, 5th percentile, 95th percentile)."""
    lo, median, hi = np.quantile(values, [0.05, 0.5, 0.95])
    return float(np.mean(values)), float(median), float(lo), float(hi)
