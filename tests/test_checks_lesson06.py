"""Every Lesson 06 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers (near misses included) with a hint, never a traceback."""

import re

import numpy as np
import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson06 as check

keras = augreg.import_tensorflow_quietly()
layers = keras.layers

# ---- Exercise 1 -------------------------------------------------------------------------------------


def test_keeps_label_accepts_the_truth_and_the_stub_is_not_attempted():
    assert check.keeps_label(...).status == NOT_ATTEMPTED
    assert check.keeps_label({key: ... for key in check.KEEPS_LABEL}).status == NOT_ATTEMPTED
    assert check.keeps_label(dict(check.KEEPS_LABEL)).passed


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        # near miss: everything right except the upright task's vertical flip
        ({("upright", "vertical flip"): True}, "upright.*orientation"),
        # "an upside-down face is no face": the label of face / non-face survives the flip
        ({("face", "vertical flip"): False}, "still a face"),
        # colour jitter "always keeps the label"
        ({("lawn", "hue jitter"): True}, "colour"),
        ({("face", "hue jitter"): "yes"}, "True or False"),
    ],
)
def test_keeps_label_rejects_wrong_answers_with_a_hint(change, hint):
    answers = {**check.KEEPS_LABEL, **change}
    result = check.keeps_label(answers)
    assert result.status == FAILED and re.search(hint, result.message), result.message


def test_keeps_label_asks_for_all_pairs():
    answers = dict(check.KEEPS_LABEL)
    del answers[("lawn", "vertical flip")]
    result = check.keeps_label(answers)
    assert result.status == FAILED and "all nine" in result.message
    assert check.keeps_label([True] * 9).status == FAILED


# ---- Exercise 2 -------------------------------------------------------------------------------------

NONE = {"test, normal": [0.95, 0.96, 0.94, 0.97, 0.95], "test, negative": [0.40, 0.45, 0.38, 0.52, 0.41]}
GOOD = {"test, normal": [0.95, 0.95, 0.95, 0.96, 0.95], "test, negative": [0.93, 0.94, 0.92, 0.95, 0.93]}


def _invert():
    return [layers.RandomInvert(factor=(0.5, 0.5), value_range=(0, 1))]


def test_negatives_accepts_the_solution():
    assert check.negatives(..., {"none": NONE, "mine": GOOD}).status == NOT_ATTEMPTED
    result = check.negatives(_invert, {"none": NONE, "mine": GOOD})
    assert result.passed and "+50.2 [" in result.message, result.message


@pytest.mark.parametrize(
    ("make", "mine", "hint"),
    [
        # the lesson's augmentation for light: contrast changes never reverse the contrast
        (lambda: [layers.RandomContrast(0.5, value_range=(0, 1))], NONE, "never reverses"),
        # regularization instead of augmentation
        (lambda: [layers.GaussianNoise(0.1)], NONE, "never shows the network a negative"),
        # the right layer with the default value range (near miss): v -> 255 - v
        (lambda: [layers.RandomInvert(factor=(0.5, 0.5))], NONE, "value_range"),
        # the right layer, every image inverted (near miss): robust to negatives, lost on normal images
        (lambda: [layers.RandomInvert(factor=(1.0, 1.0), value_range=(0, 1))],
         {"test, normal": [0.45, 0.40, 0.42, 0.50, 0.41], "test, negative": GOOD["test, negative"]}, "costs"),
        # a big mean gain whose interval reaches below the bound (one seed failed)
        (_invert, {"test, normal": GOOD["test, normal"], "test, negative": [0.93, 0.30, 0.95, 0.45, 0.60]},
         "whole interval"),
        (lambda: "invert", GOOD, "list of Keras"),
    ],
)
def test_negatives_rejects_with_a_hint(make, mine, hint):
    result = check.negatives(make, {"none": NONE, "mine": mine})
    assert result.status == FAILED and re.search(hint, result.message), result.message


def test_negatives_needs_the_measured_results():
    result = check.negatives(_invert, {"none": {}, "mine": {}})
    assert result.status == FAILED and "run the cell" in result.message


# ---- Exercise 3 -------------------------------------------------------------------------------------


def _solution(clean, dim, plain_clean, bound):
    floor = np.mean(plain_clean) - bound
    allowed = [a for a in clean if np.mean(clean[a]) >= floor]
    return max(allowed, key=lambda a: np.mean(dim[a])) if allowed else None


def _data(clean, dim, plain):
    return {"clean": {**{a: [v] * 5 for a, v in clean.items()}, "plain": [plain] * 5},
            "dim": {**{a: [v] * 5 for a, v in dim.items()}, "plain": [0.6] * 5}}


# on validation the rule picks 0.2 (0.5 costs too much); on test it would pick 0.5
VALIDATION = _data({0.05: 0.95, 0.2: 0.94, 0.5: 0.90}, {0.05: 0.70, 0.2: 0.85, 0.5: 0.90}, 0.95)
TEST = _data({0.05: 0.95, 0.2: 0.94, 0.5: 0.94}, {0.05: 0.70, 0.2: 0.85, 0.5: 0.90}, 0.95)


def test_choose_amount_accepts_the_rule_on_validation():
    assert check.choose_amount(..., ..., VALIDATION, TEST, 0.02).status == NOT_ATTEMPTED
    result = check.choose_amount(_solution, 0.2, VALIDATION, TEST, 0.02)
    assert result.passed and "amount 0.2" in result.message, result.message


@pytest.mark.parametrize(
    ("function", "chosen", "hint"),
    [
        # best on dim images, the clean bound ignored
        (lambda clean, dim, plain, bound: max(dim, key=lambda a: np.mean(dim[a])), 0.5, "drop such amounts"),
        # best on clean images
        (lambda clean, dim, plain, bound: max(clean, key=lambda a: np.mean(clean[a])), 0.05, "best on clean"),
        # the right rule, applied to the test split (near miss)
        (_solution, 0.5, "applied to the test"),
        # a bound read the wrong way: amounts at least `bound` *above* the plain network
        (lambda clean, dim, plain, bound: max([a for a in clean if np.mean(clean[a]) >= np.mean(plain) + bound]
                                              or list(clean), key=lambda a: np.mean(dim[a])), 0.2, "test case"),
    ],
)
def test_choose_amount_rejects_with_a_hint(function, chosen, hint):
    result = check.choose_amount(function, chosen, VALIDATION, TEST, 0.02)
    assert result.status == FAILED and re.search(hint, result.message), result.message
