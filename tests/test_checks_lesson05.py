"""Every Lesson 05 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint (never a traceback)."""

import re

import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson05 as check

keras = augreg.import_tensorflow_quietly()

AUGMENTED = {"augmentation": True, "l2": 0.0, "dropout": 0.0}
BASE = [0.66, 0.64]


def test_beats_baseline_accepts_a_clear_gain_on_every_seed():
    assert check.beats_baseline(..., BASE, BASE).status == NOT_ATTEMPTED
    result = check.beats_baseline(AUGMENTED, BASE, [0.87, 0.86])
    assert result.passed and "+21.5 points" in result.message


@pytest.mark.parametrize(
    ("recipe", "mine", "hint"),
    [
        ({"augmentation": False, "l2": 0.0, "dropout": 0.5}, [0.72, 0.70], "which technique"),
        ({"augmentation": True, "l2": 0.0, "dropout": 0.8}, [0.70, 0.70], "underfitted"),
        (AUGMENTED, [0.90, 0.60], "every seed"),  # a big mean hides a loss on one seed
        ({"augmentation": False, "l2": 0.0, "dropout": 0.0}, [0.9, 0.9], "baseline itself"),
        ({"augmentation": "yes", "l2": 0.0, "dropout": 0.0}, [0.9, 0.9], "True or False"),
        ({"augmentation": True}, [0.9, 0.9], "exactly the keys"),
        ({"augmentation": True, "l2": -1.0, "dropout": 0.0}, [0.9, 0.9], ">= 0"),
        (AUGMENTED, [0.9], "one value per seed|at least two"),
        (AUGMENTED, [90, 91], "between 0 and 1"),
    ],
)
def test_beats_baseline_rejects_with_a_hint(recipe, mine, hint):
    result = check.beats_baseline(recipe, BASE, mine)
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
    return {"none": {"clean": [0.92, 0.91], "small": [0.5, 0.52]},
            "mine": {"clean": [0.92 - cost, 0.91 - cost], "small": [0.5 + gain, 0.52 + gain]}}


def _zoom_out():
    return [keras.layers.RandomZoom((0.0, 0.4), fill_mode="constant")]


def test_new_invariance_accepts_a_zoom_out_that_pays():
    assert check.new_invariance(..., _results()).status == NOT_ATTEMPTED
    assert check.new_invariance(lambda: ..., _results()).status == NOT_ATTEMPTED
    result = check.new_invariance(_zoom_out, _results())
    assert result.passed and "+20.0 points" in result.message
    # a single layer instead of a list is fine too
    assert check.new_invariance(lambda: _zoom_out()[0], _results()).passed


@pytest.mark.parametrize(
    ("make", "results", "hint"),
    [
        (lambda: [keras.layers.RandomZoom((-0.4, 0.0), fill_mode="constant")], _results(), "zooms \\*in\\*"),
        (lambda: [keras.layers.RandomZoom((0.0, 0.4))], _results(), "fill_mode='reflect'"),
        (_zoom_out, _results(gain=0.02), "\\+2.0 points"),
        (_zoom_out, _results(cost=0.06), "costs 6.0 points"),
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
