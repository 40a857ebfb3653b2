"""Every Lesson 05 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint (never a traceback)."""

import re

import numpy as np
import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson05 as check

keras = augreg.import_tensorflow_quietly()

# ---------------------------------------------------------------- Exercise 1: a paired interval by hand


def _paired(a, b):  # the solution
    from scipy import stats

    d = np.asarray(a) - np.asarray(b)
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half


def _with(quantile, spread):
    """An interval of a - b with another quantile or spread (the near misses)."""

    def interval(a, b):
        d = a - b
        half = quantile(len(d)) * spread(a, b, d)
        return d.mean(), d.mean() - half, d.mean() + half

    return interval


def _t(n):
    from scipy import stats

    return stats.t.ppf(0.975, n - 1)


def _standard_error(a, b, d):
    return d.std(ddof=1) / np.sqrt(len(d))


def test_paired_interval_accepts_the_solution_and_the_package():
    assert check.paired_interval(...).status == NOT_ATTEMPTED
    assert check.paired_interval(lambda a, b: ...).status == NOT_ATTEMPTED
    assert check.paired_interval(_paired).passed
    assert check.paired_interval(lambda a, b: list(_paired(a, b))).passed
    assert check.paired_interval(lambda a, b: augreg.paired_difference(a, b)).passed, "an Interval is fine too"


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        # near misses: one ingredient off
        (_with(_t, lambda a, b, d: d.std(ddof=0) / np.sqrt(len(d))), "ddof=0"),
        (_with(lambda n: 1.959964, _standard_error), "1.96, the normal quantile"),
        (_with(lambda n: _t(n + 1), _standard_error), "with n degrees of freedom"),
        (_with(_t, lambda a, b, d: np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))), "unpaired"),
        (_with(_t, lambda a, b, d: d.std(ddof=1)), "standard deviation instead of the standard error"),
        # the right interval in the wrong units or the wrong direction
        (lambda a, b: tuple(100 * v for v in _paired(a, b)), "not points"),
        (lambda a, b: _paired(b, a), "b - a"),
        (lambda a, b: (a.mean(), a.mean() - 0.01, a.mean() + 0.01), "mean of the per-seed differences"),
        (lambda a, b: ((a - b).mean(), -0.1, 0.1), "the interval should be"),
        (lambda a, b: (0.01, 0.02), "three numbers"),
        (lambda a, b: "narrow", "three numbers"),
        (lambda a, b: None, "return"),
    ],
)
def test_paired_interval_rejects_with_a_hint(answer, hint):
    result = check.paired_interval(answer)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


# ---------------------------------------------------------------- Exercise 2: which network was augmented?


def _share_kept(curves):
    kept = {name: acc[-1] / acc[0] for name, acc in curves.items()}
    return max(kept, key=kept.get)


def _smallest_drop(curves):
    return min(curves, key=lambda name: curves[name][0] - curves[name][-1])


def test_most_invariant_accepts_a_ratio_or_a_drop():
    assert check.most_invariant(...).status == NOT_ATTEMPTED
    assert check.most_invariant(lambda curves: ...).status == NOT_ATTEMPTED
    assert check.most_invariant(_share_kept).passed
    assert check.most_invariant(_smallest_drop).passed


@pytest.mark.parametrize(
    ("rule", "hint"),
    [
        (lambda c: max(c, key=lambda n: c[n][0]), "best \\*clean\\* accuracy"),
        (lambda c: max(c, key=lambda n: c[n][-1]), "highest perturbed accuracy"),
        (lambda c: max(c, key=lambda n: c[n][0] - c[n][-1]), "should be"),  # the largest drop
        # near miss: the right ratio at the first perturbation level instead of the largest
        (lambda c: max(c, key=lambda n: c[n][1] / c[n][0]), "first perturbation level"),
        (lambda c: 0, "return one of the names"),
        (lambda c: 1 / 0, "ZeroDivisionError"),
        (lambda c: None, "return"),
    ],
)
def test_most_invariant_rejects_wrong_rules_with_a_hint(rule, hint):
    result = check.most_invariant(rule)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


# ---------------------------------------------------------------- Exercise 3: a new invariance


def _results(gain=0.2, cost=0.0):
    clean, small = np.array([0.92, 0.91, 0.93, 0.90, 0.92]), np.array([0.50, 0.52, 0.48, 0.51, 0.50])
    jitter = np.array([0.0, 0.01, -0.01, 0.005, -0.005])  # seed-to-seed noise of the differences
    return {"none": {"clean": list(clean), "small": list(small)},
            "mine": {"clean": list(clean - cost + jitter), "small": list(small + gain + jitter)}}


def _zoom(low, high, **kwargs):
    return lambda: [keras.layers.RandomZoom((low, high), **{"fill_mode": "constant", **kwargs})]


#: The solution's two candidates, with validation scores like the pilots': the first wins on the mix.
CANDIDATES = {"wide": _zoom(-0.1, 0.4), "out": _zoom(0.0, 0.3)}
VALIDATION = {"wide": {"clean": [0.91] * 5, "small": [0.87] * 5}, "out": {"clean": [0.90] * 5, "small": [0.86] * 5}}


def test_new_invariance_accepts_the_solution():
    assert check.new_invariance(..., "wide", VALIDATION, _results()).status == NOT_ATTEMPTED
    assert check.new_invariance(CANDIDATES, ..., VALIDATION, _results()).status == NOT_ATTEMPTED
    result = check.new_invariance(CANDIDATES, "wide", VALIDATION, _results())
    assert result.passed and "+20.0 [" in result.message, result.message
    # a single layer instead of a list is fine too
    assert check.new_invariance({"wide": lambda: _zoom(-0.1, 0.4)()[0]}, "wide", {"wide": VALIDATION["wide"]},
                                _results()).passed


#: Only shrinks: the most small digits on validation, but more clean accuracy given up (pilots: 6-8 points).
SHRINK_ONLY = {**CANDIDATES, "shrink": _zoom(0.1, 0.5)}
VAL_SHRINK = {**VALIDATION, "shrink": {"clean": [0.85] * 5, "small": [0.88] * 5}}


@pytest.mark.parametrize(
    ("candidates", "chosen", "validation", "results", "hint"),
    [
        # near miss: chosen on the small validation digits alone, not on the mix the network will meet
        (SHRINK_ONLY, "shrink", VAL_SHRINK, _results(), "half-and-half mix"),
        (CANDIDATES, "out", VALIDATION, _results(), "best validation accuracy on the half-and-half mix"),
        # near miss: a shrink-only range, measured on test: its clean cost reaches past the bound
        ({"shrink": _zoom(0.1, 0.5)}, "shrink", {"shrink": VAL_SHRINK["shrink"]}, _results(cost=0.064), "costs \\+6.4 \\["),
        (CANDIDATES, "wide", VALIDATION, _results(cost=0.045), "below \\+5"),  # mean within, interval not
        (CANDIDATES, "wide", VALIDATION, _results(gain=0.02), "bought \\+2.0 \\["),
        (CANDIDATES, "wide", VALIDATION, _results(gain=0.105), "whole interval should lie above"),  # mean above only
        ({"in": _zoom(-0.4, 0.0)}, "in", {"in": VALIDATION["wide"]}, _results(), "zooms \\*in\\*"),
        ({"reflect": lambda: [keras.layers.RandomZoom((0.0, 0.4))]}, "reflect", {"reflect": VALIDATION["wide"]},
         _results(), "fill_mode='reflect'"),
        ({**SHRINK_ONLY, "more": _zoom(0.0, 0.2)}, "wide", VALIDATION, _results(), "tuning budget is 3"),
        ({"x": lambda: ["zoom"]}, "x", {"x": VALIDATION["wide"]}, _results(), "not a Keras layer"),
        ({"x": lambda: []}, "x", {"x": VALIDATION["wide"]}, _results(), "list of Keras preprocessing layers"),
        (CANDIDATES, "zoom", VALIDATION, _results(), "one of your candidates"),
        (CANDIDATES, "wide", {"wide": VALIDATION["wide"]}, _results(), "validation should map"),
        (CANDIDATES, "wide", VALIDATION, {"mine": {}}, "results should map"),
        (CANDIDATES, "wide", VALIDATION, {"none": {}, "mine": {}}, "results should map"),
    ],
)
def test_new_invariance_rejects_with_a_hint(candidates, chosen, validation, results, hint):
    result = check.new_invariance(candidates, chosen, validation, results)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message
