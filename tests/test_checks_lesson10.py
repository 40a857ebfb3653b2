"""The checks of exercise set 10: each accepts the solution (and a second right way), says "not attempted
yet" for the stub, rejects typed-in evidence and the near misses (issue 23's 09.2, which moved here: literal
gaps, a formula hint; a decay that also shrinks the biases) with a diagnosis, never shows a sealed test
number, and hides its truths."""

import numpy as np
import pytest

import augreg
import augreg.checks.lesson10 as module
from augreg.checks import testing
from augreg.checks.lesson10 import check

keras = augreg.import_tensorflow_quietly()


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=("_reference", "_train", "_problem", "_rate", "_shifts", "_trained", "_SHIFT_BOUND", "_set"),
    )


# --- Exercise 1: decay on the kernels only -----------------------------------------------------------------


def _make_optimizer(wd):
    optimizer = keras.optimizers.SGD(0.1, weight_decay=wd)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    return optimizer


def _matching_l2(wd):
    return wd / 2


def test_the_reference_matches_keras_fit():
    """The check's eager steps are what model.fit does with the same optimizer."""
    problem = module._problem(0, 0)
    x, y, kernel, bias, wd = problem
    dense = keras.layers.Dense(y.shape[1])
    model = keras.Sequential([keras.Input((x.shape[1],)), dense])
    dense.set_weights([kernel, bias])
    model.compile(_make_optimizer(wd), keras.losses.CategoricalCrossentropy(from_logits=True))
    model.fit(
        np.tile(x, (module._STEPS, 1)), np.tile(y, (module._STEPS, 1)), batch_size=len(x), shuffle=False, verbose=0
    )
    eager = module._train(_make_optimizer(wd), problem)
    for a, b in zip(eager, dense.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_decay_on_kernels_accepts_right_answers():
    testing.assert_not_attempted(check.decay_on_kernels, ..., _matching_l2)
    testing.assert_not_attempted(check.decay_on_kernels, _make_optimizer, ...)
    testing.assert_passes(check.decay_on_kernels, _make_optimizer, _matching_l2)

    def by_regex(wd):  # a second right way: a pattern that catches every bias
        optimizer = keras.optimizers.SGD(learning_rate=0.1, momentum=0.0, weight_decay=wd)
        optimizer.exclude_from_weight_decay(var_names=["bia"])
        return optimizer

    testing.assert_passes(check.decay_on_kernels, by_regex, lambda wd: 0.5 * wd)


@pytest.mark.slow
def test_decay_on_kernels_rejects_near_misses():
    def no_exclusion(wd):
        return keras.optimizers.SGD(0.1, weight_decay=wd)

    def on_biases(wd):
        optimizer = keras.optimizers.SGD(0.1, weight_decay=wd)
        optimizer.exclude_from_weight_decay(var_names=["kernel"])
        return optimizer

    def with_momentum(wd):
        optimizer = keras.optimizers.SGD(0.1, momentum=0.9, weight_decay=wd)
        optimizer.exclude_from_weight_decay(var_names=["bias"])
        return optimizer

    shared = _make_optimizer(0.5)
    wrong = [
        ("decays the biases too", no_exclusion, _matching_l2),
        ("does not decay at all", lambda wd: keras.optimizers.SGD(0.1), _matching_l2),
        ("the other way", on_biases, _matching_l2),
        ("not take the steps of plain SGD", with_momentum, _matching_l2),
        ("not take the steps of plain SGD", lambda wd: keras.optimizers.Adam(0.1, weight_decay=wd), _matching_l2),
        ("same optimizer twice", lambda wd: shared, _matching_l2),
        ("twice the decay's step", _make_optimizer, lambda wd: wd),  # the penalty's gradient has no half
        ("does not take the decay's steps", _make_optimizer, lambda wd: wd / 4),
        ("one non-negative strength", _make_optimizer, lambda wd: "wd / 2"),
        ("return a Keras optimizer", lambda wd: "SGD", _matching_l2),
    ]
    for words, *answers in wrong:
        testing.assert_rejects(check.decay_on_kernels, *answers, says=words)
    # issue 23 (the old 09.2): literal results instead of code
    testing.assert_rejects(check.decay_on_kernels, 0.0, 1.0, says="not a value")
    testing.assert_rejects_typed_evidence(check.decay_on_kernels, 2, extra_answers=(_make_optimizer, _matching_l2))


def test_a_constant_strength_fails_because_the_decay_is_drawn_per_attempt():
    wd = module._problem(0, 0)[-1]
    testing.assert_rejects(check.decay_on_kernels, _make_optimizer, lambda w: 0.0)  # attempt 0 fails
    assert module._problem(0, 1)[-1] != wd
    testing.assert_rejects(check.decay_on_kernels, _make_optimizer, lambda w, c=wd / 2: c)


# --- Exercise 2: dropout that stays on ----------------------------------------------------------------------


class _StaysOn(keras.layers.Dropout):
    def call(self, inputs, training=None):
        return super().call(inputs, training=True)


def test_mc_dropout_layer_accepts_right_answers():
    testing.assert_not_attempted(check.mc_dropout_layer, ...)
    testing.assert_passes(check.mc_dropout_layer, _StaysOn)

    class ByHand(keras.layers.Layer):  # a second right way: the mask written out
        def __init__(self, rate):
            super().__init__()
            self.rate = rate
            self.seeds = keras.random.SeedGenerator(7)

        def call(self, inputs):
            keep = keras.random.uniform(keras.ops.shape(inputs), seed=self.seeds) >= self.rate
            return keras.ops.where(keep, inputs / (1 - self.rate), 0.0)

    testing.assert_passes(check.mc_dropout_layer, ByHand)


def test_mc_dropout_layer_rejects_near_misses():
    class Unscaled(keras.layers.Layer):  # drops, never scales the kept units
        def __init__(self, rate):
            super().__init__()
            self.rate, self.seeds = rate, keras.random.SeedGenerator(3)

        def call(self, inputs):
            keep = keras.random.uniform(keras.ops.shape(inputs), seed=self.seeds) >= self.rate
            return keras.ops.where(keep, inputs, 0.0)

    class KeepsRate(_StaysOn):  # the rate read as the share kept
        def __init__(self, rate):
            super().__init__(1 - rate)

    class OneMask(keras.layers.Dropout):  # the same units dropped in every image
        def __init__(self, rate):
            super().__init__(rate, noise_shape=(1, None))

        def call(self, inputs, training=None):
            return super().call(inputs, training=True)

    wrong = [
        ("off at inference", keras.layers.Dropout),  # the plain layer, with the model in inference mode
        ("off at inference", keras.layers.GaussianDropout),  # no noise at inference either
        ("the mean changes", Unscaled),
        ("in every image", OneMask),
        ("should return a Keras layer", lambda rate: "dropout"),
    ]
    for words, answer in wrong:
        testing.assert_rejects(check.mc_dropout_layer, answer, says=words)
    result = testing.grade(check.mc_dropout_layer, KeepsRate)
    assert not result.passed and ("share kept" in result.message or "not" in result.message)
    testing.assert_rejects_typed_evidence(check.mc_dropout_layer)


# --- Exercise 3: repair the running statistics (trains a network) -------------------------------------------


def _repair(model, x_train, x_val, y_val):
    h = x_train
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.moving_mean.assign(np.asarray(h).mean(axis=0))
            layer.moving_variance.assign(np.asarray(h).var(axis=0))
        h = layer(h, training=False)
    return model


@pytest.mark.slow
def test_repair_statistics_accepts_right_answers():
    testing.assert_not_attempted(check.repair_statistics, ...)
    testing.assert_passes(check.repair_statistics, _repair)

    def with_the_dropout_off(model, x_train, x_val, y_val):  # a second right way: rate 0, BN in training mode
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dropout):
                layer.rate = 0.0
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.momentum = 0.0
        model(x_val, training=True)
        return model

    testing.assert_passes(check.repair_statistics, with_the_dropout_off)


@pytest.mark.slow
def test_repair_statistics_rejects_near_misses():
    split, weights = module._trained(0)
    model = module._shipped_network(0)
    model.set_weights(weights)
    test, validation = (max(module._shifts(model, x)) for x in (split.x_test, split.x_val))
    # doing nothing's test shift must never be shown (unless it prints like the validation number, which is)
    sealed = [test] if all(f"{test:{f}}" != f"{validation:{f}}" for f in (".1%", ".0%", ".3f", ".2f")) else []

    def dropout_on(model, x_train, x_val, y_val):
        for _ in range(30):
            model(x_train, training=True)
        return model

    def means_only(model, x_train, x_val, y_val):
        h = x_train
        for layer in model.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.moving_mean.assign(np.asarray(h).mean(axis=0))
            h = layer(h, training=False)
        return model

    def retrained(model, x_train, x_val, y_val):
        model.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x_val, y_val, epochs=1, verbose=0)
        return model

    for answer in (lambda m, a, b, c: m, dropout_on, means_only):
        testing.assert_rejects(check.repair_statistics, answer, says="the bound", sealed=tuple(sealed))
    testing.assert_rejects(check.repair_statistics, retrained, says="do not train")
    testing.assert_rejects(check.repair_statistics, lambda m, a, b, c: keras.Sequential([m]), says="two batch norm")
    testing.assert_rejects(
        check.repair_statistics, lambda m, a, b, c: m.get_weights(), says="return the repaired Keras model"
    )


def test_repair_statistics_rejects_typed_evidence_without_training():
    testing.assert_rejects_typed_evidence(check.repair_statistics)
