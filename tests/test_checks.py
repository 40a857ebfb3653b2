"""The exercise-check machinery, and every Lesson 01 check: it accepts the
solution, says "not attempted yet" for the stub, and rejects plausible wrong answers
with a hint (never an exception)."""

import types

import numpy as np
import pytest

from augreg import checks
from augreg.checks import FAILED, NOT_ATTEMPTED, PASSED, Hint, exercise_check
from augreg.checks import lesson01 as check


@exercise_check("demo")
def _demo_check(answer):
    if answer != 42:
        raise Hint("think of the question")
    return "right"


def test_machinery_statuses_and_display():
    assert _demo_check(...).status == NOT_ATTEMPTED
    wrong = _demo_check(41)
    assert wrong.status == FAILED and wrong.message == "Hint: think of the question" and not wrong
    right = _demo_check(42)
    assert right.status == PASSED and right and right.message == "right"
    assert str(right).startswith("✓ demo: passed.") and "#1a7f37" in right._repr_html_()
    html = checks.CheckResult("<ex>", FAILED, "a<b")._repr_html_()
    assert "&lt;ex&gt;" in html and "a&lt;b" in html and "<ex>" not in html
    assert _demo_check().status == FAILED  # called wrongly: a hint, not a TypeError


def test_machinery_turns_learner_errors_into_hints():
    def crashes(losses, patience):
        return losses["no such key"]

    def forgets_return(losses, patience):
        len(losses), 1

    result = check.early_stopping(crashes)
    assert result.status == FAILED and "your function raised IndexError" in result.message
    assert "forget the `return`" in check.early_stopping(forgets_return).message
    assert "expected a function" in check.early_stopping(0.1).message


def test_assert_all_passed():
    module = types.SimpleNamespace(__name__="demo_module", demo=_demo_check)
    _demo_check(41)
    with pytest.raises(AssertionError, match="not every exercise passed"):
        checks.assert_all_passed(module)
    _demo_check(42)
    checks.assert_all_passed(module)
    with pytest.raises(AssertionError, match="defines no exercise checks"):
        checks.assert_all_passed(types.SimpleNamespace(__name__="empty"))


# --- Exercise 1 -------------------------------------------------------------

def _accuracy(model, x, y, **call):
    out = model(x, **call) if call else model(x, training=False)
    return float(np.mean(np.argmax(np.asarray(out), axis=1) == y))


def test_generalization_gap():
    assert check.generalization_gap(...).status == NOT_ATTEMPTED
    assert check.generalization_gap(lambda m, d: ...).status == NOT_ATTEMPTED
    solution = lambda m, d: (_accuracy(m, d.x_train, d.y_train) - _accuracy(m, d.x_val, d.y_val))
    assert check.generalization_gap(solution).passed
    evaluate = lambda m, d: (m.evaluate(d.x_train, d.y_train, verbose=0)[1]
                             - m.evaluate(d.x_val, d.y_val, verbose=0)[1])
    assert check.generalization_gap(evaluate).passed
    wrong = {
        # near miss: the right measurement on the wrong split
        "*test* split": lambda m, d: _accuracy(m, d.x_train, d.y_train) - _accuracy(m, d.x_test, d.y_test),
        # near miss: model(x) runs the augmentation layer
        "are the training images augmented": lambda m, d: (_accuracy(m, d.x_train, d.y_train, training=True)
                                                           - _accuracy(m, d.x_val, d.y_val)),
        "the sign is flipped": lambda m, d: _accuracy(m, d.x_val, d.y_val) - _accuracy(m, d.x_train, d.y_train),
        "fractions": lambda m, d: 100 * solution(m, d),
        "one number": lambda m, d: [0.1],
    }
    for words, answer in wrong.items():
        result = check.generalization_gap(answer)
        assert result.status == FAILED and words in result.message, (words, result)


# --- Exercise 2 -------------------------------------------------------------

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


def test_reference_early_stopping_is_what_keras_does():
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    for losses, patience in check.PROBE_CURVES:
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
        assert check.reference_early_stopping(losses, patience) == (last, callback.best_epoch + 1)


def test_early_stopping():
    assert check.early_stopping(...).status == NOT_ATTEMPTED
    assert check.early_stopping(_rule).passed
    assert check.early_stopping(lambda l, p: [float(e) for e in _rule(l, p)]).passed

    def ties_improve(losses, patience):
        return check.reference_early_stopping(losses, patience, ties_improve=True)

    def sees_the_future(losses, patience):
        return _rule(losses, patience)[0], int(np.argmin(losses)) + 1

    def one_late(losses, patience):
        stopped, best = _rule(losses, patience)
        return min(stopped + 1, len(losses)), best

    wrong = {
        "a tie is not an improvement": ties_improve,  # near miss: <= instead of <
        "cannot see the future": sees_the_future,  # near miss: argmin over the whole curve
        "training stops after epoch 6, not 7": one_late,  # near miss: patience off by one
        "one too small": lambda l, p: tuple(e - 1 for e in _rule(l, p)),
        "never stopped": lambda l, p: (len(l), _rule(l, p)[1]),
        "two numbers": lambda l, p: 3,
    }
    for words, answer in wrong.items():
        result = check.early_stopping(answer)
        assert result.status == FAILED and words in result.message, (words, result)


# --- Exercise 3 -------------------------------------------------------------

class _Lookup:
    """A fake model: the right class for the first `n_right` images of `x`, a wrong one for the rest."""

    def __init__(self, x, y, n_right):
        self.table = {image.tobytes(): (label if i < n_right else (label + 1) % 10)
                      for i, (image, label) in enumerate(zip(x, y))}

    def predict_on_batch(self, x):
        return np.eye(10)[[self.table[image.tobytes()] for image in x]]


def test_noisy_labels_model():
    from augreg import load_digits_split

    data = load_digits_split(n_train=300, split_seed=3)
    n = len(data.y_test)
    bound = int(np.ceil(check.NOISY_LABELS_BOUND * n))
    assert check.noisy_labels_model(..., data).status == NOT_ATTEMPTED
    assert check.noisy_labels_model(_Lookup(data.x_test, data.y_test, int(0.88 * n)), data).passed
    assert check.noisy_labels_model(_Lookup(data.x_test, data.y_test, bound), data).passed
    wrong = [
        # near miss: one test digit short of the bound
        ((_Lookup(data.x_test, data.y_test, bound - 1), data), "choose the epoch on the *validation*"),
        # trained to the end: it memorized the noisy labels (about 70 % in the pilots)
        ((_Lookup(data.x_test, data.y_test, int(0.70 * n)), data), "memorizes the wrong ones"),
        ((_Lookup(data.x_test, data.y_test, n), data.x_test), "pass the data split"),
        (("model", data), "pass the trained Keras model"),
    ]
    for args, words in wrong:
        result = check.noisy_labels_model(*args)
        assert result.status == FAILED and words in result.message, (args[0], result)


def test_as_number_accepts_scalars_and_rejects_the_rest_with_a_hint():
    assert checks.as_number(np.float32(0.5), "x") == 0.5
    assert checks.as_number(np.array([3]), "x") == 3.0
    for bad in (True, "0.5", [0.5], np.array([1.0, 2.0])):
        with pytest.raises(Hint, match="x should be one number"):
            checks.as_number(bad, "x")


def test_per_seed_accuracies_accepts_one_accuracy_per_seed_and_hints_otherwise():
    from augreg.checks import MIN_SEEDS, Hint, per_seed_accuracies

    values = per_seed_accuracies([0.9, 0.8, 0.85, 0.9, 0.95], "results['none']")
    assert values.shape == (MIN_SEEDS,) and values.dtype == float
    with pytest.raises(Hint, match="at least 5"):
        per_seed_accuracies([0.9, 0.8], "results['none']")
    with pytest.raises(Hint, match="between 0 and 1"):
        per_seed_accuracies([90, 80, 85, 90, 95], "results['none']")  # percent, a near miss
    with pytest.raises(Hint, match="one per seed"):
        per_seed_accuracies(["a"] * 5, "results['none']")
    with pytest.raises(Hint, match="one accuracy per seed"):
        per_seed_accuracies([[0.9] * 5], "results['none']")
