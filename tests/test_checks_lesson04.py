"""Every Lesson 04 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers (near misses among them) with a hint."""

import re
from types import SimpleNamespace

import numpy as np
import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson04 as check

keras = augreg.import_tensorflow_quietly()


# ---------------------------------------------------------------- Exercise 1: spatial dropout by hand


def _spatial(maps, rate, rng, training=True):  # the solution
    if not training or rate == 0:
        return maps
    keep = rng.random((maps.shape[0], 1, 1, maps.shape[3])) >= rate
    return np.where(keep, maps / (1 - rate), 0.0)


def _with_mask(shape_of):
    """A spatial dropout whose mask has the shape shape_of(maps) (a near miss unless it is the right one)."""

    def dropout(maps, rate, rng, training=True):
        if not training:
            return maps
        return np.where(rng.random(shape_of(maps)) >= rate, maps / (1 - rate), 0.0)

    return dropout


def _keras_spatial(maps, rate, rng, training=True):
    layer = keras.layers.SpatialDropout2D(rate, seed=int(rng.integers(1000)))
    return keras.ops.convert_to_numpy(layer(maps.astype("float32"), training=training))


def test_spatial_dropout_accepts_the_solution_and_keras():
    assert check.spatial_dropout(...).status == NOT_ATTEMPTED
    assert check.spatial_dropout(lambda maps, rate, rng, training=True: ...).status == NOT_ATTEMPTED
    assert check.spatial_dropout(_spatial).passed
    assert check.spatial_dropout(_keras_spatial).passed, "Keras's own SpatialDropout2D is a right answer"


def _frozen(maps, rate, rng, training=True):
    fixed = np.random.default_rng(0)  # ignores rng: the same maps every call
    return _spatial(maps, rate, fixed, training)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        # near misses: the right scaling with the wrong mask shape
        (_with_mask(lambda m: m.shape), "plain Dropout"),
        (_with_mask(lambda m: (1, 1, 1, m.shape[3])), "same channels"),
        (_with_mask(lambda m: (m.shape[0], m.shape[1], m.shape[2], 1)), "same \\*positions\\*"),
        (_with_mask(lambda m: (m.shape[0], 1, 1, 1)), "whole images"),
        (_frozen, "draw the mask from `rng`"),
        # the right mask with the wrong numbers
        (lambda m, r, rng, training=True: _spatial(m, 1 - r, rng, training) if r else m, "\\*dropping\\*"),
        (lambda m, r, rng, training=True: _spatial(m, r, rng, training) * (1 - r) if training else m, "not scaled"),
        (lambda m, r, rng, training=True: _spatial(m, r, rng, training) * (1 - r) ** 2 if training else m,
         "\\*divide\\* by it"),
        (lambda m, r, rng, training=True: _spatial(m, r, rng) if training else m * (1 - r), "nothing is scaled"),
        (lambda m, r, rng, training=True: _spatial(m, r, rng), "return the maps unchanged"),
        (lambda m, r, rng, training=True: m[:10], "shape of its input"),
        (lambda m, r, rng, training=True: None, "`return` statement"),
    ],
)
def test_spatial_dropout_rejects_with_a_hint(answer, words):
    result = check.spatial_dropout(answer)
    assert result.status == FAILED
    assert re.search(words, result.message), result.message


# ---------------------------------------------------------------- Exercise 2: a Keras dropout layer


def _layer(call):
    """A layer class like the exercise's, with the given call(self, inputs, training)."""

    class Layer(keras.layers.Layer):
        def __init__(self, rate, seed=None, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate
            self.seed_generator = keras.random.SeedGenerator(seed)

        def call(self, inputs, training=None):
            return call(self, inputs, training)

    return Layer


def _drop(self, inputs, scale=True):
    noise = keras.random.uniform(keras.ops.shape(inputs), seed=self.seed_generator)
    kept = inputs / (1 - self.rate) if scale else inputs
    return keras.ops.where(noise >= self.rate, kept, 0.0)


SOLUTION = _layer(lambda self, x, training: _drop(self, x) if training and self.rate > 0 else x)


def test_dropout_layer_accepts_the_solution_and_keras():
    assert check.dropout_layer(...).status == NOT_ATTEMPTED
    assert check.dropout_layer(_layer(lambda self, x, training: ...)).status == NOT_ATTEMPTED
    assert check.dropout_layer(SOLUTION).passed
    assert check.dropout_layer(keras.layers.Dropout).passed, "Keras's own Dropout is a right answer"


class _FrozenMask(keras.layers.Layer):
    """Draws its mask once, when built: the same units dropped at every step."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def build(self, shape):
        self.keep = np.random.default_rng(0).random(shape) >= self.rate

    def call(self, inputs, training=None):
        return keras.ops.where(self.keep, inputs / (1 - self.rate), 0.0) if training else inputs


def _numpy_mask(self, x, training):
    if not training:
        return x
    keep = np.random.default_rng().random(tuple(x.shape)) >= self.rate
    return keras.ops.where(keep, x / (1 - self.rate), 0.0)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        # near miss: the augmentation layers' default, `training is not False`
        (_layer(lambda self, x, training: x if training is False else _drop(self, x)), "`training` is None"),
        # near miss: right in eager mode, frozen once compiled (a NumPy mask)
        (_layer(_numpy_mask), "drops the same values at every step"),
        (_FrozenMask, "draw a new mask on every call"),
        (_layer(lambda self, x, training: _drop(self, x, scale=False) if training else x), "not scaled"),
        (_layer(lambda self, x, training: x * 0.0 + x if training else x), "should be zero"),
        (_layer(lambda self, x, training: _drop(self, x) if training else x * (1 - self.rate)), "training=False"),
        (_layer(lambda self, x, training: None), "`return` statement"),
        (lambda rate: rate, "inherits from keras.layers.Layer"),
        (keras.layers.GaussianDropout, "should be zero"),
    ],
)
def test_dropout_layer_rejects_with_a_hint(answer, words):
    result = check.dropout_layer(answer)
    assert result.status == FAILED
    assert words in result.message, result.message


# ---------------------------------------------------------------- Exercise 3: dropout for the CNN, tuned

SEEDS = [0, 1, 2, 3, 4]
_RNG = np.random.default_rng(0)
SPLITS = {
    seed: SimpleNamespace(x_val=_RNG.random((400, 2)), y_val=_RNG.integers(0, 10, 400),
                          x_test=_RNG.random((500, 2)), y_test=_RNG.integers(0, 10, 500))
    for seed in SEEDS
}


class _Fake:
    """A stand-in for a trained model: right on a given share of the validation and the test digits."""

    def __init__(self, split, val, test, layers=()):
        self.split, self.share, self.layers = split, {"val": val, "test": test}, list(layers)

    def predict_on_batch(self, x):
        part = "val" if x is self.split.x_val else "test"
        y = self.split.y_val if part == "val" else self.split.y_test
        right = np.arange(len(y)) < round(self.share[part] * len(y))
        return np.eye(10)[np.where(right, y, (y + 1) % 10)]


def _arm(val, test, layers=(keras.layers.Dropout(0.5),)):
    """{seed: fake model} with per-seed validation and test accuracies (lists or one number)."""
    val, test = np.broadcast_to(val, (5,)), np.broadcast_to(test, (5,))
    return {s: _Fake(SPLITS[s], val[k], test[k], layers) for k, s in enumerate(SEEDS)}


NONE = _arm(0.74, [0.74, 0.72, 0.75, 0.73, 0.74], layers=())
GOOD = [0.87, 0.86, 0.88, 0.86, 0.87]  # about +13 points, like the solution's pilots


def test_tuned_dropout_accepts_the_solution():
    models = {"none": NONE, "Dropout 0.5": _arm(0.86, GOOD),
              "SpatialDropout2D 0.5": _arm(0.85, GOOD, layers=(keras.layers.SpatialDropout2D(0.5),))}
    assert check.tuned_dropout(..., models, SPLITS).status == NOT_ATTEMPTED
    result = check.tuned_dropout("Dropout 0.5", models, SPLITS)
    assert result.passed and "+13.2 [" in result.message, result.message


@pytest.mark.parametrize(
    ("chosen", "models", "words"),
    [
        # near miss: the right idea on the wrong split (the best on test, not on validation)
        ("b", {"none": NONE, "a": _arm(0.86, GOOD), "b": _arm(0.84, [0.88] * 5)}, "best \\*test\\* accuracy"),
        ("b", {"none": NONE, "a": _arm(0.86, GOOD), "b": _arm(0.84, [0.80] * 5)}, "choose on validation"),
        # near miss: a gain whose mean is above the bound but whose interval is not (one seed lost)
        ("a", {"none": NONE, "a": _arm(0.86, [0.87, 0.86, 0.70, 0.86, 0.87])}, "whole interval should lie above"),
        # too strong: underfits, worse than none even on validation
        ("a", {"none": NONE, "a": _arm(0.60, [0.60] * 5)}, "Even on validation"),
        ("none", {"none": NONE, "a": _arm(0.86, GOOD)}, "'none' is the baseline"),
        ("a", {"none": NONE, "a": _arm(0.86, GOOD, layers=(keras.layers.GaussianNoise(0.5),))}, "no dropout layer"),
        ("a", {"none": NONE, **{k: _arm(0.86, GOOD) for k in "abcd"}}, "tuning budget is 3"),
        ("x", {"none": NONE, "a": _arm(0.86, GOOD)}, "one of your candidates"),
        ("a", {"a": _arm(0.86, GOOD)}, "map 'none'"),
    ],
)
def test_tuned_dropout_rejects_with_a_hint(chosen, models, words):
    result = check.tuned_dropout(chosen, models, SPLITS)
    assert result.status == FAILED
    assert re.search(words, result.message), result.message
