"""Every Lesson 08 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint (never a traceback)."""

import re

import numpy as np
import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson08 as check

keras = augreg.import_tensorflow_quietly()

# ---------------------------------------------------------------- Exercise 1: MixUp from scratch


def _mix_up(images, labels, weights, order):  # the solution
    w = weights.reshape(-1, 1, 1, 1)
    v = weights.reshape(-1, 1)
    return w * images + (1 - w) * images[order], v * labels + (1 - v) * labels[order]


def test_mix_up_accepts_the_solution():
    assert check.mix_up(...).status == NOT_ATTEMPTED
    assert check.mix_up(lambda *a: ...).status == NOT_ATTEMPTED
    assert check.mix_up(_mix_up).passed
    assert check.mix_up(lambda *a: list(_mix_up(*a))).passed


def _swapped(images, labels, weights, order):
    return _mix_up(images, labels, 1 - weights, order)


def _labels_unmixed(images, labels, weights, order):
    return _mix_up(images, labels, weights, order)[0], labels


def _partner_by_reversal(images, labels, weights, order):
    return _mix_up(images, labels, weights, np.arange(len(images))[::-1])


def _labels_only_wrong(images, labels, weights, order):
    return _mix_up(images, labels, weights, order)[0], labels[order]


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (_swapped, "close: the weight w belongs to the image itself"),  # near miss
        (_labels_unmixed, "labels are not"),  # what MixUp inside a model does
        (_partner_by_reversal, "image i is mixed with image order"),
        (_labels_only_wrong, "the images are right, the labels not"),
        (lambda i, l, w, o: _mix_up(i, l, w, o)[0], "two arrays"),
        (lambda i, l, w, o: (w * i, l), "reshape the weights"),  # weights not reshaped
        (lambda i, l, w, o: (i, l.argmax(axis=1)), "shape of the one-hot labels"),
        (lambda i, l, w, o: None, "return"),
    ],
)
def test_mix_up_rejects_with_a_hint(answer, hint):
    result = check.mix_up(answer)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


# ---------------------------------------------------------------- Exercise 2: how strong a policy?

FACTORS = [0.05, 0.1, 0.2]
VALIDATION = {
    "none": {"clean": [0.92] * 5, "shifted": [0.70] * 5},
    0.05: {"clean": [0.92] * 5, "shifted": [0.74] * 5},
    0.1: {"clean": [0.91] * 5, "shifted": [0.78] * 5},
    0.2: {"clean": [0.88] * 5, "shifted": [0.82] * 5},  # best shifted, but below the clean floor
}
RESULTS = {"none": {"clean": [0.93, 0.91, 0.92, 0.94, 0.92], "shifted": [0.70, 0.72, 0.69, 0.71, 0.70]},
           "mine": {"clean": [0.92, 0.91, 0.92, 0.93, 0.91], "shifted": [0.78, 0.79, 0.77, 0.80, 0.78]}}


def test_randaugment_strength_accepts_the_right_choice():
    assert check.randaugment_strength(..., VALIDATION, 0.1, RESULTS).status == NOT_ATTEMPTED
    assert check.randaugment_strength(FACTORS, VALIDATION, ..., RESULTS).status == NOT_ATTEMPTED
    assert check.randaugment_strength(FACTORS, VALIDATION, 0.1, RESULTS).passed


def _results(gain, cost):
    return {"none": RESULTS["none"],
            "mine": {"clean": list(np.array(RESULTS["none"]["clean"]) - cost + [0, .01, -.01, 0, 0]),
                     "shifted": list(np.array(RESULTS["none"]["shifted"]) + gain + [0, .01, -.01, 0, 0])}}


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        ((FACTORS, VALIDATION, 0.2, RESULTS), "loses more than 2 points"),  # near miss: ignores the floor
        ((FACTORS, VALIDATION, 0.05, RESULTS), "choose on the shifted validation"),  # chose on clean
        ((FACTORS, VALIDATION, 0.1, {"none": VALIDATION["none"], "mine": VALIDATION[0.1]}), "test"),  # wrong split
        ((FACTORS, VALIDATION, 0.1, _results(0.0, 0.0)), "whole interval should lie above"),
        ((FACTORS, VALIDATION, 0.1, _results(0.08, 0.08)), "costs"),
        ((FACTORS, VALIDATION, 0.1, _results(0.08, 0.03)), "costs"),  # near miss: a resolved 3-point loss
        (([0.05, 0.1, 0.2, 0.3], VALIDATION, 0.1, RESULTS), "tuning budget"),
        (([0.5, 2.0], VALIDATION, 0.5, RESULTS), r"\(0, 1\]"),
        ((FACTORS, {"none": VALIDATION["none"]}, 0.1, RESULTS), "validation should map"),
        ((FACTORS, VALIDATION, 0.3, RESULTS), "one of your factors"),
        ((FACTORS, VALIDATION, 0.1, {"mine": RESULTS["mine"]}), "results should map"),
    ],
)
def test_randaugment_strength_rejects_with_a_hint(args, hint):
    result = check.randaugment_strength(*args)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


# ---------------------------------------------------------------- Exercise 3: test-time augmentation


class _NoisyModel:
    """Knows the labels of the images it was given, and adds fresh noise to every prediction."""

    def __init__(self, images, labels, noise, seed):
        self.table = {image.tobytes(): label for image, label in zip(images, labels)}
        self.noise, self.rng = noise, np.random.default_rng(seed)

    def predict_on_batch(self, x):
        x = np.asarray(x)
        logits = np.zeros((len(x), 10))
        for row, image in enumerate(x):
            if image.tobytes() in self.table:
                logits[row, self.table[image.tobytes()]] = 2.0
        logits += self.noise * self.rng.normal(size=logits.shape)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)


SEEDS = [0, 1, 2, 3, 4]
SPLITS = {s: augreg.load_digits_split(n_train=100, n_test=200, split_seed=s) for s in SEEDS}


def _models(noise):
    return {s: _NoisyModel(augreg.rotate_images(SPLITS[s].x_test, 20, seed=s), SPLITS[s].y_test, noise, s)
            for s in SEEDS}


def _average_of_calls(model, x):  # views whose noise averages out: TTA pays
    return np.mean([model.predict_on_batch(x) for _ in range(9)], axis=0)


def test_tta_accepts_views_that_pay():
    assert check.test_time_augmentation(..., _models(1.5), SPLITS, 20).status == NOT_ATTEMPTED
    assert check.test_time_augmentation(lambda m, x: ..., _models(1.5), SPLITS, 20).status == NOT_ATTEMPTED
    assert check.test_time_augmentation(_average_of_calls, _models(1.5), SPLITS, 20).passed


@pytest.mark.parametrize(
    ("answer", "noise", "hint"),
    [
        # near miss: views made by a layer left in inference mode equal the image
        (lambda m, x: np.mean([m.predict_on_batch(x)] * 3, axis=0), 0.0, "training=True"),
        (lambda m, x: np.sum([m.predict_on_batch(x) for _ in range(3)], axis=0), 1.5, "sum to 1"),
        (lambda m, x: m.predict_on_batch(x).argmax(axis=1), 1.5, "one row of 10 probabilities"),
        (lambda m, x: m.predict_on_batch(x[:, ::-1]), 1.5, "whole interval should lie above zero"),
        (lambda m, x: None, 1.5, "return"),
    ],
)
def test_tta_rejects_with_a_hint(answer, noise, hint):
    result = check.test_time_augmentation(answer, _models(noise), SPLITS, 20)
    assert result.status == FAILED
    assert re.search(hint, result.message), result.message


def test_tta_needs_one_network_per_seed():
    models = _models(1.5)
    result = check.test_time_augmentation(_average_of_calls, {0: models[0]}, SPLITS, 20)
    assert result.status == FAILED and "one per seed" in result.message
