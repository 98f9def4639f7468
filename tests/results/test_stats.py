"""The JZS Bayes factor against published values, and the effect-size interval against scipy.

Published values (BayesFactor R package, `ttestBF`, default rscale "medium" = sqrt(2)/2,
as printed in the package's examples and reproduced in its tutorials):

* sleep data, paired (`ttestBF(x = g1, y = g2, paired = TRUE)`): BF10 = 17.25888
* same, `nullInterval = c(-Inf, 0)`: BF = 34.41694; its complement 0.1008246
* sleep, group 2 alone against mu = 0: BF10 = 10.71554
* ToothGrowth, `ttestBF(formula = len ~ supp)` (two-sample, 30 + 30): BF10 = 1.198757
"""

from __future__ import annotations

import math

import pytest

from argmap.results import stats

# R's `sleep` data (datasets package): extra hours of sleep, drug 1 and drug 2, ten patients.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# R's `ToothGrowth` data: tooth length by supplement (orange juice, ascorbic acid).
TOOTH_VC = [
    4.2,
    11.5,
    7.3,
    5.8,
    6.4,
    10,
    11.2,
    11.2,
    5.2,
    7,
    16.5,
    16.5,
    15.2,
    17.3,
    22.5,
    17.3,
    13.6,
    14.5,
    18.8,
    15.5,
    23.6,
    18.5,
    33.9,
    25.5,
    26.4,
    32.5,
    26.7,
    21.5,
    23.3,
    29.5,
]
TOOTH_OJ = [
    15.2,
    21.5,
    17.6,
    9.7,
    14.5,
    10,
    8.2,
    9.4,
    16.5,
    9.7,
    19.7,
    23.3,
    23.6,
    26.4,
    20,
    25.2,
    25.8,
    21.2,
    14.5,
    27.3,
    25.5,
    26.4,
    22.4,
    24.5,
    24.8,
    30.9,
    26.4,
    27.3,
    29.4,
    23,
]


def sig3(value: float) -> str:
    return f"{value:.3g}"


def test_paired_sleep_bf10_matches_ttestbf() -> None:
    d = stats.paired_design(SLEEP_1, SLEEP_2)
    bf = math.exp(stats.log_bf10(d.t, d.effective_n, d.df))
    assert sig3(bf) == sig3(17.25888)
    assert bf == pytest.approx(17.25888, rel=1e-5)


def test_paired_sleep_directional_matches_ttestbf_null_interval() -> None:
    d = stats.paired_design(SLEEP_1, SLEEP_2)
    negative = math.exp(stats.log_bf_directional(d.t, d.effective_n, d.df, positive=False))
    positive = math.exp(stats.log_bf_directional(d.t, d.effective_n, d.df, positive=True))
    assert negative == pytest.approx(34.41694, rel=1e-5)
    assert positive == pytest.approx(0.1008246, rel=1e-5)
    # swapping the arms turns the one into the other: BF+0 of drug 2 over drug 1
    flipped = stats.bayes_factors(-d.t, d.effective_n, d.df)
    assert flipped.bf_plus0 == pytest.approx(34.41694, rel=1e-5)


def test_one_sample_sleep_bf10_matches_ttestbf() -> None:
    d = stats.paired_design(SLEEP_2, [0.0] * 10)
    assert math.exp(stats.log_bf10(d.t, d.effective_n, d.df)) == pytest.approx(10.71554, rel=1e-5)


def test_two_sample_toothgrowth_bf10_matches_ttestbf() -> None:
    d = stats.unpaired_design(TOOTH_OJ, TOOTH_VC)
    assert d.t == pytest.approx(1.9153, abs=1e-4)  # t.test(len ~ supp, var.equal = TRUE)
    bf = math.exp(stats.log_bf10(d.t, d.effective_n, d.df))
    assert bf == pytest.approx(1.198757, rel=1e-4)


def test_directional_halves_sum_to_two_sided() -> None:
    # BF10 = (BF+0 + BF-0) / 2: the two-sided prior is the even mixture of the halves
    for t, n in ((0.3, 5), (2.5, 8), (-4.0, 12)):
        both = math.exp(stats.log_bf10(t, n, n - 1))
        plus = math.exp(stats.log_bf_directional(t, n, n - 1, positive=True))
        minus = math.exp(stats.log_bf_directional(t, n, n - 1, positive=False))
        assert both == pytest.approx((plus + minus) / 2, rel=1e-6)


def test_extreme_t_stays_finite() -> None:
    bf = stats.bayes_factors(1e6, 5, 4)
    assert math.isfinite(bf.log_bf10) and bf.log_bf10 > 20
    assert bf.log_bf_plus0 == pytest.approx(bf.log_bf10 + math.log(2), rel=1e-9)
    against = stats.bayes_factors(-1e6, 5, 4)
    assert math.isfinite(against.log_bf_plus0) and against.log_bf_plus0 < 0


def test_confidence_interval_matches_scipy() -> None:
    from scipy import stats as sp

    paired = stats.paired_design(SLEEP_1, SLEEP_2)
    lo, hi = stats.confidence_interval(paired)
    ref = sp.ttest_rel(SLEEP_1, SLEEP_2).confidence_interval()
    assert (lo, hi) == pytest.approx((ref.low, ref.high), rel=1e-10)
    # R's t.test(extra ~ group, paired = TRUE): -2.4598858 -0.7001142
    assert (lo, hi) == pytest.approx((-2.4598858, -0.7001142), abs=1e-6)
    unpaired = stats.unpaired_design(TOOTH_OJ, TOOTH_VC)
    ref2 = sp.ttest_ind(TOOTH_OJ, TOOTH_VC).confidence_interval()
    assert stats.confidence_interval(unpaired) == pytest.approx((ref2.low, ref2.high), rel=1e-10)
    # R's t.test(len ~ supp, var.equal = TRUE): -0.1670064 7.5670064
    assert stats.confidence_interval(unpaired) == pytest.approx((-0.1670064, 7.5670064), abs=1e-6)
