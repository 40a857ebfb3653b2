import math

import numpy as np
import pytest

from augreg import Interval, mean_interval, paired_difference
from augreg.stats import t_quantile


def test_t_quantile_matches_the_tables():
    # Student t, two-sided 95 %: 12.706 (1 df), 2.776 (4 df), 2.262 (9 df)
    assert t_quantile(2) == pytest.approx(12.706, abs=1e-3)
    assert t_quantile(5) == pytest.approx(2.776, abs=1e-3)
    assert t_quantile(10) == pytest.approx(2.262, abs=1e-3)


def test_mean_interval_by_hand():
    values = [0.90, 0.92, 0.94, 0.91, 0.93]
    got = mean_interval(values)
    sd = np.std(values, ddof=1)  # ddof = 1, not numpy's default 0
    half = 2.7764451 * sd / math.sqrt(5)
    assert got.mean == pytest.approx(0.92)
    assert got.low == pytest.approx(0.92 - half) and got.high == pytest.approx(0.92 + half)
    assert got.n == 5 and got.half_width == pytest.approx(half)
    with pytest.raises(ValueError):
        got.values[0] = 1.0  # the per-seed values cannot be changed behind the interval's back


def test_paired_difference_pairs_by_seed():
    # a seed effect shared by both arms cancels in the paired difference
    seed_effect = np.array([0.0, 0.10, -0.08, 0.05, 0.02])
    a = 0.80 + seed_effect + np.array([0.031, 0.029, 0.030, 0.032, 0.028])
    b = 0.80 + seed_effect
    diff = paired_difference(a, b)
    assert diff.mean == pytest.approx(0.030)
    assert diff.above_zero and not diff.below_zero
    assert diff.verdict() == "higher"
    np.testing.assert_allclose(diff.values, a - b)
    # unpaired, the same numbers would not resolve the difference
    assert mean_interval(a).low < mean_interval(b).high


def test_format_and_str():
    diff = Interval(0.036, 0.012, 0.060, 5, np.zeros(5))
    assert str(diff) == "+3.6 [+1.2, +6.0]"
    assert diff.format(2) == "+3.60 [+1.20, +6.00]"
    assert diff.format(signed=False) == "3.6 [1.2, 6.0]"
    assert diff.format(scale=1) == "+0.0 [+0.0, +0.1]"
    negative = Interval(-0.004, -0.020, 0.012, 5, np.zeros(5))
    assert str(negative) == "-0.4 [-2.0, +1.2]"
    assert str(Interval(-0.00001, -0.01, 0.01, 5, np.zeros(5))) == "+0.0 [-1.0, +1.0]"  # never "-0.0"


def test_verdicts_follow_the_interval():
    same = mean_interval([0.001, -0.002, 0.003, 0.0, -0.001])
    assert same.within(0.02) and same.verdict(0.02) == "about the same"
    assert not same.within(0.001)  # a bound tighter than the interval is not an equivalence
    assert same.verdict() == "not resolved"  # no bound stated: no equivalence claim
    wide = mean_interval([0.05, -0.06, 0.04, -0.03, 0.0])
    assert not wide.within(0.02) and wide.verdict(0.02) == "not resolved"
    worse = mean_interval([-0.05, -0.04, -0.06, -0.05, -0.045])
    assert worse.below_zero and worse.verdict(0.02) == "lower"


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: mean_interval([0.9]), ValueError, "at least 2 seeds"),
        (lambda: mean_interval([[0.9, 0.8]]), ValueError, "one-dimensional"),
        (lambda: mean_interval([0.9, float("nan")]), ValueError, "finite"),
        (lambda: mean_interval(["a", "b"]), TypeError, "numbers, one per seed"),
        (lambda: mean_interval([0.9, 0.8], scale=0), ValueError, "positive"),
        (lambda: paired_difference([0.9, 0.8, 0.7], [0.9, 0.8]), ValueError, "one value per seed each"),
        (lambda: mean_interval([0.1, 0.2]).within(-0.01), ValueError, "positive"),
        (lambda: t_quantile(1), ValueError, "at least 2"),
    ],
)
def test_bad_input_gets_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()
