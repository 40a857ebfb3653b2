"""The checks of exercise set 01: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and the near misses issue 23 lists, never shows a sealed test number, and hides its
truths from the learner's namespace."""

import numpy as np
import pytest

import augreg.checks.lesson01 as module
from augreg.checks import testing
from augreg.checks.lesson01 import check


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check, module, truths=("_probe", "_keras_rule", "_CURVES", "_NOISY_BOUND", "_NEAR_MISSES", "_set")
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _accuracy(model, x, y, **call):
    out = model(x, **call) if call else model.predict(x, verbose=0)
    return float(np.mean(np.argmax(np.asarray(out), axis=1) == y))


def _gap(model, data):
    return _accuracy(model, data.x_train, data.y_train) - _accuracy(model, data.x_val, data.y_val)


def test_generalization_gap_accepts_right_answers():
    testing.assert_not_attempted(check.generalization_gap, ...)
    testing.assert_not_attempted(check.generalization_gap, lambda m, d: ...)
    testing.assert_passes(check.generalization_gap, _gap)
    evaluate = lambda m, d: m.evaluate(d.x_train, d.y_train, verbose=0)[1] - m.evaluate(d.x_val, d.y_val, verbose=0)[1]
    testing.assert_passes(check.generalization_gap, evaluate)


def test_generalization_gap_rejects_near_misses_and_constants():
    from augreg.checks.lesson01 import _probe

    truth = _probe(0)[2]
    wrong = {
        # near miss: model(x) runs the augmentation layer
        "training images changed": lambda m, d: (
            _accuracy(m, d.x_train, d.y_train, training=True) - _accuracy(m, d.x_val, d.y_val)
        ),
        # near miss: the test split (the probes' data has none: the error says it is sealed)
        "sealed": lambda m, d: _accuracy(m, d.x_train, d.y_train) - _accuracy(m, d.x_test, d.y_test),
        "the sign is flipped": lambda m, d: -_gap(m, d),
        "fractions": lambda m, d: 100 * _gap(m, d),
        "one number": lambda m, d: [0.1],
        # a constant typed from the first probe's gap fails on the second probe
        "same gap for two models": lambda m, d: truth["train"] - truth["val"],
    }
    for words, answer in wrong.items():
        result = testing.assert_rejects(check.generalization_gap, answer, says=words)
        assert str(round(truth["val"], 3)) not in result.message  # no truth is printed
    testing.assert_rejects_typed_evidence(check.generalization_gap)


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _rule(losses, patience):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(losses), best_epoch


def test_the_reference_rule_is_what_keras_does():
    import keras

    from augreg.checks.lesson01 import _CURVES, _keras_rule, _random_curves

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    for losses, patience in [*_CURVES, *_random_curves(0, 0, n=20), *_random_curves(3, 7, n=20)]:
        callback = keras.callbacks.EarlyStopping(patience=patience)
        callback.set_model(model)
        model.stop_training = False
        callback.on_train_begin()
        last = len(losses)
        for epoch, loss in enumerate(losses):
            callback.on_epoch_end(epoch, {"val_loss": float(loss)})
            if model.stop_training:
                last = epoch + 1
                break
        assert _keras_rule(losses, patience) == (last, callback.best_epoch + 1)


def _never_reset(losses, patience):  # near miss: counts every bad epoch, not epochs in a row
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(losses), best_epoch


def _relative_delta(losses, patience):  # near miss: an improvement must be 1 % of the best
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < 0.99 * best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(losses), best_epoch


def _ties_improve(losses, patience):  # near miss: <= instead of <
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss <= best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(losses), best_epoch


def test_early_stopping_accepts_the_rule():
    testing.assert_not_attempted(check.early_stopping, ...)
    testing.assert_passes(check.early_stopping, _rule)
    testing.assert_passes(check.early_stopping, lambda l, p: [float(e) for e in _rule(l, p)])


def test_early_stopping_rejects_the_near_misses():
    def sees_the_future(losses, patience):
        return _rule(losses, patience)[0], int(np.argmin(losses)) + 1

    def one_late(losses, patience):
        stopped, best = _rule(losses, patience)
        return min(stopped + 1, len(losses)), best

    wrong = {
        "epochs *in a row*": _never_reset,
        "small improvement": _relative_delta,
        "a tie is not an improvement": _ties_improve,
        "cannot see the future": sees_the_future,
        "one epoch too long": one_late,
        "one too small": lambda l, p: tuple(e - 1 for e in _rule(l, p)),
        "never stopped": lambda l, p: (len(l), _rule(l, p)[1]),
        "two numbers": lambda l, p: 3,
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.early_stopping, answer, says=words)
    testing.assert_rejects_typed_evidence(check.early_stopping)


def test_early_stopping_rejects_a_table_of_the_curves_a_failure_showed():
    from augreg.checks.lesson01 import _CURVES, _keras_rule

    table = {tuple(losses): _keras_rule(losses, patience) for losses, patience in _CURVES}

    def lookup(losses, patience):
        return table.get(tuple(losses), (len(losses), 1))

    testing.assert_rejects(check.early_stopping, lookup, says="On val_loss")


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _make_mlp(width):
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def _recipe(*, stop=True, width=512, epochs=40):
    import keras

    import augreg

    def recipe(x_train, y_train, x_val, y_val, seed):
        keras.utils.set_random_seed(seed)
        model = _make_mlp(width)
        callbacks = (
            [keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=5, restore_best_weights=True)]
            if stop
            else []
        )
        augreg.seeded_fit(
            model, x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, seed=seed, callbacks=callbacks
        )
        return model

    return recipe


def _sealed_test_accuracy(recipe_result_model, seed=0):
    from augreg.checks.evidence import accuracy, sealed_split

    split = sealed_split(seed, "01.3", n_train=300)
    return accuracy(recipe_result_model, split.x_test, split.y_test)


@pytest.mark.slow
def test_noisy_labels_accepts_a_recipe_that_stops_on_validation():
    testing.assert_not_attempted(check.noisy_labels, ...)
    testing.assert_not_attempted(check.noisy_labels, lambda *args: ...)
    result = testing.assert_passes(check.noisy_labels, _recipe())
    assert "on the sealed test digits" in result.message


@pytest.mark.slow
def test_noisy_labels_rejects_training_to_the_end_without_showing_the_test_number():
    kept = {}

    def to_the_end(*args):
        kept["model"] = _recipe(stop=False)(*args)
        return kept["model"]

    result = testing.assert_rejects(check.noisy_labels, to_the_end, says="learned the wrong ones too", sealed=())
    testing.assert_rejects(
        check.noisy_labels, lambda *args: kept["model"], sealed=(_sealed_test_accuracy(kept["model"]),)
    )
    assert "validation" in result.message


@pytest.mark.slow
def test_noisy_labels_cannot_be_passed_with_the_notebooks_data_or_clean_labels():
    from augreg.checks import working_split

    data = working_split(n_train=300, seed=0)  # the notebook's digits, with their clean labels
    clean_model = _recipe()(data.x_train, data.y_train, data.x_val, data.y_val, 0)

    def returns_a_model_trained_in_the_notebook(*args):
        return clean_model

    def trains_on_the_notebooks_clean_labels(x_train, y_train, x_val, y_val, seed):
        return _recipe()(x_train, data.y_train, x_val, data.y_val, seed)

    for cheat in (returns_a_model_trained_in_the_notebook, trains_on_the_notebooks_clean_labels):
        testing.assert_rejects(check.noisy_labels, cheat, says="validation")
    testing.assert_rejects(check.noisy_labels, lambda *args: _make_mlp(8), says="like chance")
    testing.assert_rejects_typed_evidence(check.noisy_labels)
    testing.assert_rejects(check.noisy_labels, lambda *args: "model", says="not a value")
