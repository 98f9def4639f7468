"""Statistics of one result: effect size with its confidence interval, and the JZS Bayes factor.

The Bayes factor is the default t-test Bayes factor of Rouder, Speckman, Sun, Morey and
Iverson (2009), the one the BayesFactor R package's `ttestBF` computes: a Cauchy prior of
scale r on the standardized effect delta, Jeffreys' prior on the variance. For a paired
design it is the one-sample test on the per-seed differences (N = n, nu = n - 1); for an
unpaired one the two-sample test (N = n1 n2 / (n1 + n2), nu = n1 + n2 - 2). With
g ~ InverseGamma(1/2, 1/2) (so that delta | g ~ Normal(0, g r^2) is Cauchy(0, r)):

    BF10 = integral_0^inf (1 + N g r^2)^(-1/2)
                          (1 + t^2 / ((1 + N g r^2) nu))^(-(nu + 1)/2)
                          (2 pi)^(-1/2) g^(-3/2) e^(-1/(2g)) dg
           / (1 + t^2/nu)^(-(nu + 1)/2)                       (Rouder et al. 2009, eq. 1)

The directional Bayes factor BF+0 restricts the alternative to delta > 0 (the method
is better than the baseline; `nullInterval = c(0, Inf)` in `ttestBF`):

    BF+0 = integral_0^inf nct(t; nu, delta sqrt(N)) 2 Cauchy(delta; 0, r) d delta / t(t; nu)

where nct is the noncentral t density. Both are computed with `scipy.integrate.quad`
over log g, in log space and shifted by the integrand's peak, so a t of 50 does not
overflow; BF+0 is rewritten as a one-dimensional g integral with the t distribution's
log cdf (see `log_bf_directional`), because the noncentral t density overflows in its
gamma functions past a few hundred degrees of freedom.

The factor that drives an update is the directional ratio

    BF+- = BF+0 / BF-0 = P(delta > 0 | data) / P(delta < 0 | data)   (JZS prior, odds 1:1)

the Bayes factor of the claim "the method is better" against its negation "it is
worse", both under the same half-Cauchy prior. Unlike BF+0 it is exactly antisymmetric
in log: negating the data (t -> -t) gives 1 / BF+-, so a result against a claim lowers
it exactly as far as the mirrored result raises it (docs/results.md, "Why BF+-").
It is computed as an odd function of t: with a = |t|, the half the data point away
from, BF_away = BF-0(a), is integrated directly (it is the small one), the other from
BF10 = (BF+0 + BF-0) / 2, so BF_toward = 2 BF10 - BF_away without cancellation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_R = math.sqrt(2.0) / 2.0


@dataclass(frozen=True)
class Design:
    """The t statistic of a comparison and what the Bayes factor needs to read it."""

    paired: bool
    n: int  # pairs (paired) or total runs (unpaired)
    n_method: int
    n_baseline: int
    mean_difference: float  # method - baseline, signed so that positive = method better
    se: float  # its standard error
    df: float
    effective_n: float
    sd: float  # sd of the differences (paired) or pooled sd (unpaired)

    @property
    def t(self) -> float:
        if self.se <= 0:
            return math.copysign(math.inf, self.mean_difference) if self.mean_difference else 0.0
        return self.mean_difference / self.se

    @property
    def cohen_d(self) -> float:
        """Standardized effect: d_z for paired designs, pooled-sd d for unpaired ones."""
        if self.sd <= 0:
            return math.copysign(math.inf, self.mean_difference) if self.mean_difference else 0.0
        return self.mean_difference / self.sd


def paired_design(method: list[float], baseline: list[float]) -> Design:
    """One-sample design on the differences method_i - baseline_i (same seeds)."""
    import numpy as np

    diff = np.asarray(method, dtype=float) - np.asarray(baseline, dtype=float)
    n = len(diff)
    sd = float(np.std(diff, ddof=1)) if n > 1 else 0.0
    return Design(
        paired=True,
        n=n,
        n_method=n,
        n_baseline=n,
        mean_difference=float(np.mean(diff)),
        se=sd / math.sqrt(n),
        df=n - 1,
        effective_n=float(n),
        sd=sd,
    )


def unpaired_design(method: list[float], baseline: list[float]) -> Design:
    """Two-sample design with a pooled variance (Student's t, as `ttestBF` assumes)."""
    import numpy as np

    a = np.asarray(method, dtype=float)
    b = np.asarray(baseline, dtype=float)
    n1, n2 = len(a), len(b)
    df = n1 + n2 - 2
    pooled = ((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / df
    sd = float(math.sqrt(pooled))
    return Design(
        paired=False,
        n=n1 + n2,
        n_method=n1,
        n_baseline=n2,
        mean_difference=float(np.mean(a) - np.mean(b)),
        se=sd * math.sqrt(1.0 / n1 + 1.0 / n2),
        df=df,
        effective_n=n1 * n2 / (n1 + n2),
        sd=sd,
    )


def confidence_interval(design: Design, level: float = 0.95) -> tuple[float, float]:
    """The t interval of the mean difference (what `scipy.stats.ttest_rel` /
    `ttest_ind(equal_var=True)` report as `confidence_interval()`)."""
    from scipy import stats  # type: ignore[import-untyped]

    q = float(stats.t.ppf(0.5 + level / 2.0, design.df))
    half = q * design.se
    return (design.mean_difference - half, design.mean_difference + half)


def _integrate_log(f: Callable[[float], float], lo: float, hi: float, peak: float) -> float:
    """log of integral_lo^hi exp(f(x)) dx, shifted by the value at `peak`."""
    from scipy import integrate

    top = float(f(peak))
    if not math.isfinite(top):
        top = 0.0

    def integrand(x: float) -> float:
        value = float(f(x)) - top
        return math.exp(value) if value > -745.0 else 0.0

    points = [peak] if lo < peak < hi and math.isfinite(lo) and math.isfinite(hi) else None
    if points is None and math.isfinite(lo) and math.isfinite(hi):
        total, _ = integrate.quad(integrand, lo, hi, limit=200)
    elif points is not None:
        total, _ = integrate.quad(integrand, lo, hi, points=points, limit=200)
    else:
        # infinite range: split at the peak so quad sees where the mass is
        left, _ = integrate.quad(integrand, lo, peak, limit=200)
        right, _ = integrate.quad(integrand, peak, hi, limit=200)
        total = left + right
    if total <= 0:
        return -math.inf
    return top + math.log(total)


def _log_f_g(t: float, n: float, df: float, r: float) -> Callable[[float], float]:
    """log of the BF10 integrand over u = log g (Rouder et al. 2009, eq. 1), divided
    by the null's likelihood; only logs and log1p, so any n and t stay finite."""
    t2 = t * t
    log_null = -(df + 1) / 2.0 * math.log1p(t2 / df)

    def log_f(u: float) -> float:
        if not -700.0 < u < 700.0:
            return -math.inf
        g = math.exp(u)
        a = 1.0 + n * g * r * r
        return (
            -0.5 * math.log(a)
            - (df + 1) / 2.0 * math.log1p(t2 / (a * df))
            - 0.5 * math.log(2 * math.pi)
            - 1.5 * u
            - 1.0 / (2.0 * g)
            + u  # dg = g du
            - log_null
        )

    return log_f


def _integrate_over_g(log_f: Callable[[float], float]) -> float:
    from scipy import optimize

    peak = float(optimize.minimize_scalar(lambda u: -log_f(u), bounds=(-30.0, 40.0), method="bounded").x)
    return _integrate_log(log_f, -math.inf, math.inf, peak)


def log_bf10(t: float, n: float, df: float, r: float = DEFAULT_R) -> float:
    """Natural log of the two-sided JZS Bayes factor (Rouder et al. 2009, eq. 1).

    Integrated over u = log g, with the integrand divided by the null's likelihood."""
    return _integrate_over_g(_log_f_g(t, n, df, r))


def log_bf_directional(t: float, n: float, df: float, r: float = DEFAULT_R, positive: bool = True) -> float:
    """Natural log of BF+0 (delta > 0; `positive=False`: BF-0, delta < 0) against delta = 0.

    The half-Cauchy alternative is the JZS mixture restricted to one side, so

        BF+0 = integral 2 P(delta > 0 | data, g) BF10(g) p(g) dg

    and given g the prior is the conjugate normal-inverse-gamma one: the posterior of
    the (unstandardized) effect is a Student t with nu + 1 degrees of freedom, whence
    P(delta > 0 | data, g) = T_{nu+1}(z), z = t sqrt(N (nu + 1) g r^2 / (a nu + t^2)),
    a = 1 + N g r^2. Only the t distribution's log cdf is needed: no noncentral t
    density, whose gamma functions overflow past a few hundred degrees of freedom
    (1,000 paired seeds are valid data)."""
    from scipy import stats

    log_f = _log_f_g(t, n, df, r)
    sign = 1.0 if positive else -1.0
    scale = n * (df + 1) * r * r

    def log_half(u: float) -> float:
        base = log_f(u)
        if base == -math.inf:
            return base
        g = math.exp(u)
        a = 1.0 + n * g * r * r
        z = sign * t * math.sqrt(scale * g / (a * df + t * t))
        return base + math.log(2.0) + float(stats.t.logcdf(z, df + 1))

    return _integrate_over_g(log_half)


@dataclass(frozen=True)
class BayesFactors:
    bf10: float
    bf_plus0: float
    bf_plus_minus: float
    log_bf10: float
    log_bf_plus0: float
    log_bf_plus_minus: float


def _halves(a: float, n: float, df: float, r: float) -> tuple[float, float, float]:
    """(log BF10, log BF_toward, log BF_away) at |t| = a >= 0: the half-Cauchy
    alternatives on the side the data point to and on the other side."""
    l10 = log_bf10(a, n, df, r)
    away = log_bf_directional(a, n, df, r, positive=False)
    # BF_toward = 2 BF10 - BF_away, with BF_away <= BF10 (the likelihood ratio is
    # monotone in delta); the max() only absorbs quadrature error near t = 0
    toward = l10 + math.log(max(2.0 - math.exp(min(away - l10, 0.0)), 1.0))
    return l10, toward, away


def log_bf_plus_minus(t: float, n: float, df: float, r: float = DEFAULT_R) -> float:
    """Natural log of BF+- = BF+0 / BF-0 (delta > 0 against delta < 0); an exactly
    odd function of t, so mirrored data give exactly the reciprocal factor."""
    if t == 0.0 or math.isnan(t):
        return 0.0
    _, toward, away = _halves(abs(t), n, df, r)
    return math.copysign(toward - away, t)


def bayes_factors(t: float, n: float, df: float, r: float = DEFAULT_R) -> BayesFactors:
    """BF10, BF+0 and BF+- for a t statistic (natural logs kept: they can exceed a float)."""
    l10, toward, away = _halves(abs(t), n, df, r)
    if t == 0.0:
        toward = away = l10
    lp = toward if t > 0 else away
    lpm = math.copysign(toward - away, t) if t != 0.0 else 0.0
    return BayesFactors(
        bf10=_exp(l10),
        bf_plus0=_exp(lp),
        bf_plus_minus=_exp(lpm),
        log_bf10=l10,
        log_bf_plus0=lp,
        log_bf_plus_minus=lpm,
    )


def _exp(value: float) -> float:
    return math.exp(value) if value < 709.0 else math.inf
