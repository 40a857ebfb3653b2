"""The checks of exercise set 05: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and the near misses issue 23 lists, never shows a sealed test number, and hides its
truths from the learner's namespace."""

import numpy as np
import pytest

import augreg.checks.lesson05 as module
from augreg.checks import testing
from augreg.checks.lesson05 import check


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=("_INTERVAL_CASES", "_INVARIANCE_CASES", "_keeps_most", "_real_curves", "_MIX_BOUND", "_set"),
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _interval(a, b, quantile=0.975, ddof=1, df_minus=1):
    from scipy import stats

    d = np.asarray(a) - np.asarray(b)
    n = len(d)
    half = stats.t.ppf(quantile, n - df_minus) * d.std(ddof=ddof) / np.sqrt(n)
    return d.mean(), d.mean() - half, d.mean() + half


def _scipy_interval(a, b):  # a second right way: scipy's own t interval of the mean
    from scipy import stats

    d = np.asarray(a) - np.asarray(b)
    low, high = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    return d.mean(), low, high


def test_paired_interval_accepts_right_answers():
    testing.assert_not_attempted(check.paired_interval, ...)
    testing.assert_not_attempted(check.paired_interval, lambda a, b: ...)
    testing.assert_passes(check.paired_interval, _interval)
    testing.assert_passes(check.paired_interval, _scipy_interval)


def test_paired_interval_must_be_written_not_borrowed():
    import augreg
    from augreg.stats import paired_difference as borrowed

    def calls_augreg(a, b):  # near miss of issue 23: "write it yourself"
        interval = augreg.paired_difference(a, b)
        return interval.mean, interval.low, interval.high

    def through_an_alias(a, b):
        interval = borrowed(a, b)
        return interval.mean, interval.low, interval.high

    def through_the_module(a, b):
        interval = augreg.stats.mean_interval(np.asarray(a) - np.asarray(b))
        return interval.mean, interval.low, interval.high

    testing.assert_rejects(check.paired_interval, calls_augreg, says="yourself")
    testing.assert_rejects(check.paired_interval, through_an_alias, says="yourself")
    testing.assert_rejects(check.paired_interval, through_the_module, says="yourself")
    testing.assert_rejects(check.paired_interval, lambda a, b: borrowed(a, b), says="yourself")


def test_paired_interval_rejects_near_misses():
    from scipy import stats

    def unpaired(a, b):
        a, b = np.asarray(a), np.asarray(b)
        n = len(a)
        half = stats.t.ppf(0.975, n - 1) * np.sqrt(a.var(ddof=1) / n + b.var(ddof=1) / n)
        return (a - b).mean(), (a - b).mean() - half, (a - b).mean() + half

    def normal(a, b):
        d = np.asarray(a) - np.asarray(b)
        half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
        return d.mean(), d.mean() - half, d.mean() + half

    def standard_deviation(a, b):
        d = np.asarray(a) - np.asarray(b)
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1)
        return d.mean(), d.mean() - half, d.mean() + half

    wrong = {
        "ddof=0": lambda a, b: _interval(a, b, ddof=0),
        "normal quantile": normal,
        "n degrees of freedom": lambda a, b: _interval(a, b, df_minus=0),
        "unpaired": unpaired,
        "standard error": standard_deviation,
        "97.5 % interval": lambda a, b: _interval(a, b, quantile=0.9875),
        "b - a": lambda a, b: _interval(b, a),
        "not points": lambda a, b: tuple(100 * v for v in _interval(a, b)),
        "three numbers": lambda a, b: _interval(a, b)[:2],
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.paired_interval, answer, says=words)
    testing.assert_rejects_typed_evidence(check.paired_interval)


def test_a_table_of_the_fixed_cases_fails_on_the_cases_drawn_per_attempt():
    from augreg.checks.lesson05 import _INTERVAL_CASES

    table = {tuple(a): _interval(a, b) for a, b in _INTERVAL_CASES}
    testing.assert_rejects(check.paired_interval, lambda a, b: table.get(tuple(a), (0.0, 0.0, 0.0)))


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _share(curves):
    return max(curves, key=lambda n: curves[n][-1] / curves[n][0])


NEAR_MISSES = {
    "highest accuracy at the largest": lambda c: max(c, key=lambda n: c[n][-1]),
    # near miss of issue 23: an area rule (it agreed with the share on the old four cases)
    "area under the curve": lambda c: max(c, key=lambda n: np.mean(c[n]) / c[n][0]),
    "area under the curve ": lambda c: max(c, key=lambda n: np.trapezoid(c[n])),
    "first perturbation level": lambda c: max(c, key=lambda n: c[n][1] / c[n][0]),
    "points lost": lambda c: min(c, key=lambda n: c[n][0] - c[n][-1]),
    "best clean accuracy": lambda c: max(c, key=lambda n: c[n][0]),
}


def test_the_area_rule_and_the_share_disagree_on_a_probe():
    from augreg.checks.lesson05 import _INVARIANCE_CASES

    area = NEAR_MISSES["area under the curve"]
    assert any(area(curves) != _share(curves) for curves, _ in _INVARIANCE_CASES)


def test_most_invariant_rejects_near_misses_before_training_anything():
    testing.assert_not_attempted(check.most_invariant, ...)
    for words, rule in NEAR_MISSES.items():
        testing.assert_rejects(check.most_invariant, rule, says=words.strip())
    testing.assert_rejects(check.most_invariant, lambda c: "network B", says="return one of the names")
    testing.assert_rejects_typed_evidence(check.most_invariant)


def test_a_table_of_the_fixed_cases_fails_on_curves_drawn_per_attempt():
    from augreg.checks.lesson05 import _INVARIANCE_CASES

    table = {tuple(sorted(c)): _share(c) for c, _ in _INVARIANCE_CASES}
    testing.assert_rejects(check.most_invariant, lambda c: table.get(tuple(sorted(c)), next(iter(c))))


@pytest.mark.slow
def test_most_invariant_finds_the_augmented_network_the_check_trains():
    testing.assert_passes(check.most_invariant, _share)
    testing.assert_passes(check.most_invariant, lambda c: sorted(c.items(), key=lambda kv: kv[1][-1] / kv[1][0])[-1][0])


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _zoom(low, high, **options):
    import keras

    return lambda: [keras.layers.RandomZoom((low, high), **{"fill_mode": "constant", **options})]


def test_small_digits_diagnoses_layers_before_training():
    import keras

    testing.assert_not_attempted(check.small_digits, ...)
    testing.assert_rejects(check.small_digits, _zoom(-0.4, -0.1), says="zooms *in*")
    testing.assert_rejects(check.small_digits, _zoom(0.0, 0.3, fill_mode="reflect"), says="fill_mode")
    testing.assert_rejects(
        check.small_digits, lambda: keras.Sequential([keras.Input((8, 8, 1))]), says="preprocessing layers"
    )
    testing.assert_rejects(check.small_digits, lambda: [], says="list of Keras")
    testing.assert_rejects_typed_evidence(check.small_digits)


@pytest.mark.slow
def test_small_digits_passes_the_solution_and_rejects_doing_nothing_without_a_test_number():
    import keras

    from augreg.checks.evidence import PILOT_LOG_VARIABLE  # noqa: F401  (documents where pilots go)

    testing.assert_passes(check.small_digits, _zoom(-0.1, 0.4))
    check._set._reset()
    result = testing.assert_rejects(check.small_digits, lambda: [keras.layers.Identity()], says="bound")
    assert "%" in result.message  # the validation score is shown; the sealed test number is not
    shared = keras.layers.RandomZoom((0.0, 0.3), fill_mode="constant")
    testing.assert_rejects(check.small_digits, lambda: [shared], says="new layers")
