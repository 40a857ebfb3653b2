"""The checks of exercise set 04: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and the near misses issue 23 lists (a fixed count of dropped channels per image; a
comparison measured on the learner's own split), never shows a sealed test number, and hides its truths
from the learner's namespace."""

import numpy as np
import pytest

import augreg
import augreg.checks.lesson04 as module
from augreg.checks import testing
from augreg.checks.lesson04 import check

keras = augreg.import_tensorflow_quietly()


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check, module, truths=("_probe_maps", "_ACTIVATIONS", "_draws", "_train_and_score", "_GAIN_BOUND", "_set")
    )


def test_no_first_hint_states_the_mask_shape():
    # issue 23: 04.1's hint stated the mask shape
    first = check._set._exercises[1]["hints"][0]
    assert "(" not in first and "batch" not in first, first


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _spatial(maps, rate, rng, training=True):  # the solution
    if not training or rate == 0:
        return maps
    keep = rng.random((maps.shape[0], 1, 1, maps.shape[3])) >= rate
    return np.where(keep, maps / (1 - rate), 0.0)


def _with_mask(shape_of):
    def dropout(maps, rate, rng, training=True):
        if not training:
            return maps
        return np.where(rng.random(shape_of(maps)) >= rate, maps / (1 - rate), 0.0)

    return dropout


def _keras_spatial(maps, rate, rng, training=True):
    layer = keras.layers.SpatialDropout2D(rate, seed=int(rng.integers(1000)))
    return keras.ops.convert_to_numpy(layer(maps.astype("float32"), training=training))


def _fixed_count(maps, rate, rng, training=True):
    """issue 23's near miss: drop exactly round(rate * channels) maps of every image."""
    if not training or rate == 0:
        return maps
    batch, _, _, channels = maps.shape
    k = int(round(rate * channels))
    keep = np.ones((batch, 1, 1, channels), dtype=bool)
    for i in range(batch):
        keep[i, 0, 0, rng.permutation(channels)[:k]] = False
    return np.where(keep, maps / (1 - rate), 0.0)


def _frozen(maps, rate, rng, training=True):
    return _spatial(maps, rate, np.random.default_rng(0), training)  # ignores rng


def test_spatial_dropout_accepts_the_solution_and_keras():
    testing.assert_not_attempted(check.spatial_dropout, ...)
    testing.assert_not_attempted(check.spatial_dropout, lambda maps, rate, rng, training=True: ...)
    testing.assert_passes(check.spatial_dropout, _spatial)
    testing.assert_passes(check.spatial_dropout, _keras_spatial)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_fixed_count, "fixed number of maps"),
        (_with_mask(lambda m: m.shape), "plain Dropout"),
        (_with_mask(lambda m: (1, 1, 1, m.shape[3])), "same channels"),
        (_with_mask(lambda m: (m.shape[0], m.shape[1], m.shape[2], 1)), "same *positions*"),
        (_with_mask(lambda m: (m.shape[0], 1, 1, 1)), "whole images"),
        (_frozen, "draw the mask from `rng`"),
        (lambda m, r, rng, training=True: _spatial(m, 1 - r, rng, training) if r else m, "*dropping*"),
        (lambda m, r, rng, training=True: _spatial(m, r, rng, training) * (1 - r) if training else m, "not scaled"),
        (
            lambda m, r, rng, training=True: _spatial(m, r, rng, training) * (1 - r) ** 2 if training else m,
            "divides by it",
        ),
        (lambda m, r, rng, training=True: _spatial(m, r, rng) if training else m * (1 - r), "nothing is scaled"),
        (lambda m, r, rng, training=True: _spatial(m, r, rng), "return the maps unchanged"),
        (lambda m, r, rng, training=True: m[:10], "shape of its input"),
        (lambda m, r, rng, training=True: None, "`return` statement"),
    ],
)
def test_spatial_dropout_rejects_near_misses(answer, words):
    result = testing.assert_rejects(check.spatial_dropout, answer, says=words)
    assert "(batch, 1, 1, channels)" not in result.message  # no diagnosis gives the mask shape away


def test_spatial_dropout_rejects_typed_evidence():
    testing.assert_rejects_typed_evidence(check.spatial_dropout)


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _layer(call):
    class Layer(keras.layers.Layer):
        def __init__(self, rate, seed=None, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate
            self.seed_generator = keras.random.SeedGenerator(seed)
            self.frozen = None

        def call(self, inputs, training=None):
            return call(self, inputs, training)

    return Layer


def _right(self, inputs, training):
    if training and self.rate > 0:
        noise = keras.random.uniform(keras.ops.shape(inputs), seed=self.seed_generator)
        return keras.ops.where(noise >= self.rate, inputs / (1 - self.rate), 0.0)
    return inputs


def test_dropout_layer_accepts_the_solution_and_keras():
    testing.assert_not_attempted(check.dropout_layer, ...)
    testing.assert_passes(check.dropout_layer, _layer(_right))
    testing.assert_passes(check.dropout_layer, keras.layers.Dropout)


def _training_is_not_false(self, inputs, training):  # near miss: `if training is False`
    if training is False:
        return inputs
    return _right(self, inputs, True)


def _numpy_mask(self, inputs, training):  # near miss: a mask drawn with NumPy (frozen in a graph)
    if not training:
        return inputs
    keep = np.random.random(tuple(int(d) for d in inputs.shape)) >= self.rate
    return keras.ops.where(keras.ops.convert_to_tensor(keep), inputs / (1 - self.rate), 0.0)


def _unscaled(self, inputs, training):
    if not training:
        return inputs
    noise = keras.random.uniform(keras.ops.shape(inputs), seed=self.seed_generator)
    return keras.ops.where(noise >= self.rate, inputs, 0.0)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (_training_is_not_false, "`training` is None"),
        (_unscaled, "not scaled"),
        (
            lambda self, inputs, training: _right(self, inputs, True) if training is not None else inputs,
            "training=False",
        ),
    ],
)
def test_dropout_layer_rejects_near_misses(call, words):
    testing.assert_rejects(check.dropout_layer, _layer(call), says=words)


def test_dropout_layer_rejects_a_numpy_mask_or_instances():
    result = testing.grade(check.dropout_layer, _layer(_numpy_mask))
    assert not result.passed, result
    testing.assert_rejects(check.dropout_layer, keras.layers.Dropout(0.5), says="the class MyDropout itself")
    testing.assert_rejects_typed_evidence(check.dropout_layer)


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _make_cnn(after_conv=None, after_dense=None):
    layers = keras.layers
    stack = [keras.Input(shape=(8, 8, 1)), layers.Conv2D(32, 3, padding="same", activation="relu")]
    if after_conv is not None:
        stack.append(after_conv())
    stack += [layers.Flatten(), layers.Dense(64, activation="relu")]
    if after_dense is not None:
        stack.append(after_dense())
    return keras.Sequential(stack + [layers.Dense(10)])


SOLUTION = {
    "Dropout 0.5, 0.5": lambda: _make_cnn(lambda: keras.layers.Dropout(0.5), lambda: keras.layers.Dropout(0.5)),
    "Spatial 0.5, Dropout 0.5": lambda: _make_cnn(
        lambda: keras.layers.SpatialDropout2D(0.5), lambda: keras.layers.Dropout(0.5)
    ),
}


def test_tuned_dropout_refuses_what_it_cannot_grade_without_training():
    testing.assert_not_attempted(check.tuned_dropout, ..., ...)
    testing.assert_not_attempted(check.tuned_dropout, SOLUTION, ...)
    too_many = {f"c{i}": SOLUTION["Dropout 0.5, 0.5"] for i in range(4)}
    testing.assert_rejects(check.tuned_dropout, too_many, "c0", says="tuning budget")
    testing.assert_rejects(check.tuned_dropout, SOLUTION, "none", says="one of your candidates")
    testing.assert_rejects(check.tuned_dropout, {"plain": _make_cnn}, "plain", says="no dropout layer")
    wider = {
        "wide": lambda: keras.Sequential(
            [
                keras.Input(shape=(8, 8, 1)),
                keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
                keras.layers.Dropout(0.5),
                keras.layers.Flatten(),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(10),
            ]
        )
    }
    testing.assert_rejects(check.tuned_dropout, wider, "wide", says="changes the CNN itself")
    built = _make_cnn(lambda: keras.layers.Dropout(0.5))
    testing.assert_rejects(check.tuned_dropout, {"built": built}, "built", says="not a trained model")
    # issue 23: 04.3 measured on the learner's own data/splits object; the check takes no data at all
    testing.assert_rejects_typed_evidence(check.tuned_dropout, 2, extra_answers=(SOLUTION, "Dropout 0.5, 0.5"))


@pytest.mark.slow
def test_tuned_dropout_passes_the_solution_and_rejects_doing_nothing_without_a_test_number():
    result = testing.assert_passes(check.tuned_dropout, SOLUTION, "Dropout 0.5, 0.5")
    assert "sealed test digits" in result.message
    nothing = {"rate 0": lambda: _make_cnn(lambda: keras.layers.Dropout(0.0))}
    result = testing.assert_rejects(check.tuned_dropout, nothing, "rate 0", says="shown only with a pass")
    assert "[" not in result.message  # no interval of test numbers on a failure
