"""Checks for Exercises 01 (overfitting and the generalization gap)."""

from __future__ import annotations

import functools
import types

import numpy as np

from . import Hint, as_number, call_learner_function, exercise_check

#: Prototypes per class of the probe model of Exercise 1.
PROBE_PER_CLASS = 15


@functools.lru_cache(maxsize=1)
def _probe():
    """A probe model and split for Exercise 1, built without training.

    The model is a nearest-prototype classifier written as Keras layers: its
    "training set" is 15 digits per class, each a prototype, so it fits them
    perfectly (training accuracy 100 %) and scores a little lower on the
    validation and test digits. In front of it sits a ``RandomTranslation``:
    a learner who measures the training accuracy with augmentation active
    (``model(x)`` without ``training=False``) gets a lower number.
    Returns ``(model, split, truth)`` with the true accuracies in ``truth``.
    """
    import keras

    from ..data import load_digits_split

    pool = load_digits_split(n_train=600, n_val=300, n_test=300, split_seed=4321)
    keep = np.concatenate([np.flatnonzero(pool.y_train == c)[:PROBE_PER_CLASS] for c in range(10)])
    prototypes, labels = pool.x_train[keep], pool.y_train[keep]
    flat = prototypes.reshape(len(keep), -1)
    n = len(keep)
    keras.utils.set_random_seed(4321)
    score = keras.layers.Dense(n)  # -|x - t|^2 / 2 up to a constant, one unit per prototype
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        keras.layers.RandomTranslation(0.25, 0.25, fill_mode="constant", interpolation="nearest", seed=1),
        keras.layers.Flatten(),
        score,
        keras.layers.Reshape((10, PROBE_PER_CLASS, 1)),
        keras.layers.MaxPooling2D(pool_size=(1, PROBE_PER_CLASS)),  # the best prototype of each class
        keras.layers.Flatten(),
    ])
    score.set_weights([4.0 * flat.T, -2.0 * np.sum(flat**2, axis=1)])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    split = types.SimpleNamespace(
        x_train=prototypes, y_train=labels, x_val=pool.x_val, y_val=pool.y_val,
        x_test=pool.x_test, y_test=pool.y_test,
    )

    def accuracy(x, y):
        return float(np.mean(np.argmax(model.predict_on_batch(x), axis=1) == y))

    truth = {key: accuracy(getattr(split, f"x_{key}"), getattr(split, f"y_{key}"))
             for key in ("train", "val", "test")}
    return model, split, truth


@exercise_check("Exercise 1 (the gap, measured right)")
def generalization_gap(function) -> str:
    """Check ``generalization_gap(model, data)``: clean training accuracy in inference mode minus validation accuracy."""
    model, split, truth = _probe()
    answer = as_number(call_learner_function(function, model, split), "the gap")
    expected = truth["train"] - truth["val"]
    if np.isclose(answer, expected, atol=1e-6):
        return (f"on a probe model that fits its training digits ({truth['train']:.0%}) and scores "
                f"{truth['val']:.1%} on validation, your gap is {answer:+.3f}.")
    if np.isclose(answer, -expected, atol=1e-6):
        raise Hint("the sign is flipped: the gap is training accuracy minus validation accuracy.")
    if np.isclose(answer, truth["train"] - truth["test"], atol=1e-6):
        raise Hint("that is the gap to the *test* split. While you are still working on a model (choosing, "
                   "comparing), measure it on validation: the test digits are for the final report only.")
    if np.isclose(answer, 100 * expected, atol=1e-4):
        raise Hint("write accuracies as fractions (0.95), not percentages (95).")
    if answer < expected - 0.02 and answer > -1:
        raise Hint("your training accuracy is lower than this model's: are the training images augmented "
                   "while you measure? `model(x)` runs augmentation layers; measure in inference mode, "
                   "with model.predict(x) or model(x, training=False) (Lesson 01, the generalization gap).")
    raise Hint(f"on the probe model the training accuracy (inference mode, clean images) is "
               f"{truth['train']:.3f} and the validation accuracy {truth['val']:.3f}; you returned "
               f"{answer:.3f}. Compare argmax of the model's outputs with the labels.")


def reference_early_stopping(val_losses, patience: int, *, ties_improve: bool = False) -> tuple[int, int]:
    """``(last epoch trained, best epoch)``, both counted from 1, of Keras's ``EarlyStopping``.

    ``monitor="val_loss"``, ``min_delta=0``: an epoch improves only if its loss
    is strictly lower than the best so far; training stops at the end of the
    epoch in which ``patience`` epochs in a row have not improved.
    ``ties_improve=True`` is a near miss the check recognizes (``<=``).
    """
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best or (ties_improve and loss <= best):
            best, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch


#: Validation-loss curves (and patiences) that the learner's rule is tested on.
PROBE_CURVES = [
    # a dip, a plateau of worse epochs, then a lower value the rule never sees
    (np.array([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.95, 0.65]), 3),
    # ties are not improvements
    (np.array([1.0, 0.6, 0.6, 0.6, 0.5, 0.4]), 2),
    # still improving at the end: it never stops
    (np.array([1.0, 0.9, 0.8, 0.7]), 2),
    # a noisy curve, patience 1
    (np.array([0.9, 0.5, 0.6, 0.4, 0.45, 0.3]), 1),
]


def _as_epochs(result) -> tuple[int, int]:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Hint(f"return two numbers, (stopped_epoch, best_epoch); got {result!r}")
    out = []
    for value in result:
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise Hint(f"epochs are whole numbers, got {value!r}")
        out.append(int(value))
    return out[0], out[1]


@exercise_check("Exercise 2 (early stopping by hand)")
def early_stopping(function) -> str:
    """Check ``early_stopping(val_losses, patience)`` against Keras's rule on probe curves."""
    for losses, patience in PROBE_CURVES:
        answer = _as_epochs(call_learner_function(function, losses.copy(), patience))
        stopped, best = reference_early_stopping(losses, patience)
        if answer == (stopped, best):
            continue
        shown = f"on val_loss {losses.tolist()} with patience {patience}"
        if answer == (stopped - 1, best - 1):
            raise Hint(f"{shown} both epochs are one too small: epochs are counted from 1, indices from 0.")
        if answer == reference_early_stopping(losses, patience, ties_improve=True):
            raise Hint(f"{shown} a tie is not an improvement: an epoch counts as better only if its loss is "
                       f"strictly lower than the best so far (the best epoch is {best}).")
        if answer[1] == int(np.argmin(losses)) + 1 and answer[1] != best:
            raise Hint(f"{shown} your best epoch {answer[1]} comes from the whole curve, including epochs "
                       f"after the rule stopped (epoch {stopped}): a stopping rule cannot see the future.")
        if answer[1] == best and answer[0] in (stopped - 1, stopped + 1):
            raise Hint(f"{shown} training stops after epoch {stopped}, not {answer[0]}: count the epochs "
                       "without improvement since the best one, and stop when that count reaches the patience.")
        if answer[0] == len(losses) and stopped < len(losses):
            raise Hint(f"{shown} your rule never stopped; it should stop after epoch {stopped}.")
        raise Hint(f"{shown} Keras's EarlyStopping stops after epoch {stopped} and keeps epoch {best}; "
                   f"you returned {answer}.")
    return "your rule stops where keras.callbacks.EarlyStopping(patience=...) does, on every test curve."


#: Exercise 3: the test accuracy a model trained on noisy labels must reach. Pilots (base seeds
#: 100-103, the solution's rule): stopped on validation 86.4, 85.8, 88.2, 81.6 %; the same
#: networks trained 15 epochs further 69.6, 67.2, 71.6, 60.0 %.
NOISY_LABELS_BOUND = 0.78


def _predicted_classes(model, x) -> np.ndarray:
    if hasattr(model, "predict_on_batch"):
        out = model.predict_on_batch(x)
    elif hasattr(model, "predict"):
        out = model.predict(x, verbose=0)
    else:
        raise Hint(f"pass the trained Keras model, got {type(model).__name__}")
    out = np.asarray(out)
    if out.ndim != 2 or out.shape != (len(x), 10):
        raise Hint(f"the model should output 10 scores per image, got shape {out.shape}")
    return np.argmax(out, axis=1)


@exercise_check("Exercise 3 (stop before it memorizes the noise)")
def noisy_labels_model(model, data) -> str:
    """Check the test accuracy of a model trained on noisy labels against :data:`NOISY_LABELS_BOUND`."""
    if not all(hasattr(data, name) for name in ("x_test", "y_test", "x_val", "y_val")):
        raise Hint("pass the data split (data), with its test digits.")
    test = float(np.mean(_predicted_classes(model, data.x_test) == np.asarray(data.y_test)))
    if test >= NOISY_LABELS_BOUND:
        return (f"{test:.1%} of the test digits right (the bound is {NOISY_LABELS_BOUND:.0%}), "
                "with 40 % of the training labels wrong.")
    raise Hint(f"{test:.1%} of the test digits right, below {NOISY_LABELS_BOUND:.0%}. Trained until it fits "
               "its training labels, a network memorizes the wrong ones too (Lesson 01, memorizing random "
               "labels): choose the epoch on the *validation* digits and keep that epoch's weights, e.g. "
               "EarlyStopping(monitor='val_accuracy', restore_best_weights=True) (Lesson 01, stop or train on).")
