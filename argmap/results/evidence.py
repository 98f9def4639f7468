"""From per-seed data to the factor that updates a claim.

For each result (see docs/results.md, "From data to evidence"):

1. the design: paired on the per-seed differences when both arms ran the same seeds,
   else two-sample; values are signed so that positive means "method better" (a
   lower-is-better metric is negated);
2. the effect size (mean difference, metric units) with its 95% t interval, and the
   raw JZS Bayes factors BF10 and BF+0 (reported as computed), and the directional
   ratio BF+- = BF+0 / BF-0, the factor of "method better" against "method worse",
   which drives the update (exactly reciprocal for mirrored data; see
   `stats.log_bf_plus_minus` and docs/results.md, "Why BF+-");
3. guards, each named in the explanation when it changes the number:
   * *floor*: the standard error is floored at the metric's `min_effect` (a
     deterministic small model has seed sd under 0.01 and would give BF 10^20);
   * *cap*: |log10 BF+-| is capped (default 2: a single result moves odds by at most
     100x, up or down);
   * *group*: results on one claim that share a model and dataset are one piece of
     evidence: each enters with exponent 1/k (k results in the group), so together
     they count as their geometric mean, not as k independent votes;
4. tempering: the factor enters as BF^w, w in [0, 1] (default 0.5).

applied = (capped BF+- at the floored t) ^ (w / k)

The Monte Carlo layer samples the factor: the standardized effect's posterior is
about Normal(t / sqrt(N), 1 / N), so t is redrawn as Normal(t_used, 1); the 5th and
95th percentiles of the resulting applied log factor give its spread.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from argmap.results.model import Direction, Result

DEFAULT_WEIGHT = 0.5
DEFAULT_CAP_LOG10 = 2.0
Z90 = 1.6448536269514722


@dataclass
class Evidence:
    """What one result contributes, with every number the explanation needs."""

    result: Result
    paired: bool
    n_method: int
    n_baseline: int
    effect_size: float
    ci: tuple[float, float]
    cohen_d: float
    t: float
    bf10: float
    bf_plus0: float
    bf_plus_minus: float  # BF+- = BF+0 / BF-0 at the raw t, before any guard
    weight: float
    t_used: float
    log_bf_used: float  # natural log of BF+- after the floor and the cap, before group and weight
    log_applied: float  # natural log of the factor that enters the update
    log_sd: float  # its sampling spread (sd of the natural log)
    group_size: int = 1
    guards: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.result.id

    @property
    def claim(self) -> str:
        return self.result.claim

    @property
    def applied(self) -> float:
        return math.exp(self.log_applied)

    def describe(self) -> str:
        r = self.result
        c = r.comparison
        design = (
            f"{self.n_method} paired seeds"
            if self.paired
            else f"{self.n_method} vs {self.n_baseline} unpaired seeds"
        )
        text = (
            f"result {r.id[:8]}: {c.method} vs {c.baseline} on {c.metric} ({design}), "
            f"difference {self.effect_size:+.4g} [{self.ci[0]:+.4g}, {self.ci[1]:+.4g}], "
            f"BF10 {_fmt(self.bf10)}, BF+0 {_fmt(self.bf_plus0)}, BF+- {_fmt(self.bf_plus_minus)}"
        )
        for guard in self.guards:
            text += f"; {guard}"
        return text + f"; weight {self.weight:g} -> factor {_fmt(self.applied)}"

    def reason(self) -> str:
        """The short form a what-moved row shows."""
        bites = [g.split(":", 1)[0] for g in self.guards]
        guards = f", {'/'.join(bites)}" if bites else ""
        return (
            f"result {self.id[:8]} on [{self.claim}]: BF+- {_fmt(self.bf_plus_minus)}{guards}, "
            f"w {self.weight:g} -> x{_fmt(self.applied)} odds"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "claim": self.claim,
            "bf10": _finite(self.bf10),
            "bf_plus0": _finite(self.bf_plus0),
            "applied": _finite(self.applied),
            "weight": self.weight,
            "effect_size": self.effect_size,
            "ci": [self.ci[0], self.ci[1]],
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "inf"
    if value != 0 and (value >= 1e4 or value < 1e-3):
        return f"{value:.3g}"
    return f"{value:.3g}"


def assess(
    results: list[Result],
    weight: float | None = None,
    cap_log10: float = DEFAULT_CAP_LOG10,
    r: float | None = None,
) -> list[Evidence]:
    """Evidence for each result, in order. `weight` overrides each result's own weight
    (the default applies when neither is set)."""
    from argmap.results import stats

    scale = stats.DEFAULT_R if r is None else r
    groups: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        if result.group is not None:
            groups[(result.claim, *result.group)] += 1
    out: list[Evidence] = []
    for result in results:
        paired, design = _design(result)
        ci = stats.confidence_interval(design)
        raw = stats.bayes_factors(_clip_t(design.t), design.effective_n, design.df, scale)
        floor = result.comparison.min_effect.get(result.comparison.metric, 0.0)
        t_used, capped, guards = _guarded(design, raw, floor, cap_log10, scale)
        cap = cap_log10 * math.log(10.0)
        k = groups.get((result.claim, *result.group), 1) if result.group is not None else 1
        if k > 1:
            assert result.group is not None
            guards.append(
                f"group: one of {k} results on {result.group[0]} / {result.group[1]}, each counts 1/{k}"
            )
        w = weight if weight is not None else (result.weight if result.weight is not None else DEFAULT_WEIGHT)
        exponent = w / k

        lo, hi = (
            exponent * max(-cap, min(cap, stats.log_bf_plus_minus(x, design.effective_n, design.df, scale)))
            for x in (t_used - Z90, t_used + Z90)
        )
        out.append(
            Evidence(
                result=result,
                paired=paired,
                n_method=design.n_method,
                n_baseline=design.n_baseline,
                effect_size=design.mean_difference,
                ci=ci,
                cohen_d=design.cohen_d,
                t=design.t,
                bf10=raw.bf10,
                bf_plus0=raw.bf_plus0,
                bf_plus_minus=raw.bf_plus_minus,
                weight=w,
                t_used=t_used,
                log_bf_used=capped,
                log_applied=exponent * capped,
                log_sd=abs(hi - lo) / (2 * Z90),
                group_size=k,
                guards=guards,
            )
        )
    return out


def _design(result: Result) -> tuple[bool, Any]:
    """The result's comparison as a paired design (the same seeds in both arms) or an
    unpaired one, oriented so that a positive difference favours the method."""
    from argmap.results import stats

    c = result.comparison
    sign = -1.0 if c.direction is Direction.LOWER else 1.0
    method, baseline = result.arm(c.method), result.arm(c.baseline)
    if set(method) == set(baseline):
        seeds = sorted(method)
        return True, stats.paired_design(
            [sign * method[s] for s in seeds], [sign * baseline[s] for s in seeds]
        )
    return False, stats.unpaired_design(
        [sign * v for v in method.values()], [sign * v for v in baseline.values()]
    )


def _guarded(
    design: Any, raw: Any, floor: float, cap_log10: float, scale: float
) -> tuple[float, float, list[str]]:
    """The guards on one result: the standard error floor (`min_effect`) and the cap on
    |log BF+-|. Returns the t used, the capped log BF+-, and the guards that applied."""
    from argmap.results import stats

    guards: list[str] = []
    se_used = floor if floor > 0 and design.se < floor else design.se
    t_used = design.mean_difference / se_used if se_used > 0 else _clip_t(design.t)
    if se_used != design.se:
        log_used = stats.log_bf_plus_minus(t_used, design.effective_n, design.df, scale)
        guards.append(
            f"floor: standard error {design.se:.3g} raised to min_effect {floor:g}, "
            f"BF+- {_fmt(raw.bf_plus_minus)} -> {_fmt(math.exp(min(log_used, 709.0)))}"
        )
    else:
        log_used = raw.log_bf_plus_minus
    cap = cap_log10 * math.log(10.0)
    capped = max(-cap, min(cap, log_used))
    if capped != log_used:
        guards.append(f"cap: |log10 BF+-| {abs(log_used) / math.log(10):.2f} capped at {cap_log10:g}")
    return t_used, capped, guards


def _clip_t(t: float) -> float:
    """An infinite t (zero variance) is read as a very large one."""
    if math.isnan(t):
        return 0.0
    return max(-1e8, min(1e8, t))
