"""Every Lesson 05 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint (never a traceback)."""

import re

import numpy as np
import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson05 as check

keras = augreg.import_tensorflow_quietly()

AUGMENTED = {"augmentation": True, "l2": 0.0, "dropout": 0.0}
BASE = [0.66, 0.64, 0.65, 0.67, 0.63]


def test_beats_baseline_accepts_an_interval_above_the_margin():
    assert check.beats_baseline(..., BASE, BASE).status == NOT_ATTEMPTED
    result = check.beats_baseline(AUGMENTED, BASE, [0.87, 0.86, 0.85, 0.88, 0.86])
    assert result.passed and "+21.4 [" in result.message, result.message


@pytest.mark.parametrize(
    ("recipe", "mine", "hint"),
    [
        ({"augmentation": False, "l2": 0.0, "dropout": 0.5}, [0.72, 0.70, 0.71, 0.73, 0.69], "which technique"),
        ({"augmentation": True, "l2": 0.0, "dropout": 0.8}, [0.70, 0.70, 0.69, 0.72, 0.68], "underfitted"),
        # a big mean gain whose interval still reaches below the margin (one seed lost)
        (AUGMENTED, [0.90, 0.60, 0.95, 0.90, 0.92], "whole interval"),
        ({"augmentation": False, "l2": 0.0, "dropout": 0.0}, [0.9] * 5, "baseline itself"),
        ({"augmentation": "yes", "l2": 0.0, "dropout": 0.0}, [0.9] * 5, "True or False"),
        ({"augmentation": True}, [0.9] * 5, "exactly the keys"),
        ({"augmentation": True, "l2": -1.0, "dropout": 0.0}, [0.9] * 5, ">= 0"),
        (AUGMENTED, [0.9, 0.9], "at least 5"),  # two seeds cannot give an interval worth the name
        (AUGMENTED, [90, 91, 90, 92, 89], "between 0 and 1"),
    ],
)
def test_beats_baseline_rejects_with_a_hint(recipe, mine, hint):
    base = BASE if len(mine) == len(BASE) else BASE[: len(mine)]
    result = check.beats_baseline(recipe, base, mine)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


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
        (lambda c: 0, "return one of the names"),
        (lambda c: 1 / 0, "ZeroDivisionError"),
        (lambda c: None, "return"),
    ],
)
def test_most_invariant_rejects_wrong_rules_with_a_hint(rule, hint):
    result = check.most_invariant(rule)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


def _results(gain=0.2, cost=0.0):
    clean, small = np.array([0.92, 0.91, 0.93, 0.90, 0.92]), np.array([0.50, 0.52, 0.48, 0.51, 0.50])
    jitter = np.array([0.0, 0.01, -0.01, 0.005, -0.005])  # seed-to-seed noise of the differences
    return {"none": {"clean": list(clean), "small": list(small)},
            "mine": {"clean": list(clean - cost + jitter), "small": list(small + gain + jitter)}}


def _zoom_out():
    return [keras.layers.RandomZoom((0.0, 0.4), fill_mode="constant")]


def test_new_invariance_accepts_a_zoom_out_that_pays():
    assert check.new_invariance(..., _results()).status == NOT_ATTEMPTED
    assert check.new_invariance(lambda: ..., _results()).status == NOT_ATTEMPTED
    result = check.new_invariance(_zoom_out, _results())
    assert result.passed and "+20.0 [" in result.message, result.message
    # a single layer instead of a list is fine too
    assert check.new_invariance(lambda: _zoom_out()[0], _results()).passed


@pytest.mark.parametrize(
    ("make", "results", "hint"),
    [
        (lambda: [keras.layers.RandomZoom((-0.4, 0.0), fill_mode="constant")], _results(), "zooms \\*in\\*"),
        (lambda: [keras.layers.RandomZoom((0.0, 0.4))], _results(), "fill_mode='reflect'"),
        (_zoom_out, _results(gain=0.02), "bought \\+2.0 \\["),
        (_zoom_out, _results(gain=0.105), "whole interval should lie above"),  # mean above, interval not
        (_zoom_out, _results(cost=0.06), "costs \\+6.0 \\["),
        (_zoom_out, _results(cost=0.045), "below \\+5"),  # mean cost within budget, interval not
        (lambda: ["zoom"], _results(), "not a Keras layer"),
        (lambda: [], _results(), "list of Keras preprocessing layers"),
        (_zoom_out, {"mine": {}}, "results should map"),
        (_zoom_out, {"none": {}, "mine": {}}, "results should map"),
    ],
)
def test_new_invariance_rejects_with_a_hint(make, results, hint):
    result = check.new_invariance(make, results)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message
