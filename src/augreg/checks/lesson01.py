"""Checks of exercise set 01 (overfitting and the generalization gap): ``from augreg.checks.lesson01 import check``.

Everything but ``check`` is private and hidden from ``dir`` (the truths below are computed from probes
the learner never receives; they are private so that tab completion does not offer them).

* Exercise 1 grades ``generalization_gap(model, data)`` on two probe models of the check's own (no
  training): nearest-prototype classifiers that fit their training digits and augment their inputs in
  training. Two probes with different gaps, so no constant passes; the probes' data has no test split.
* Exercise 2 grades ``early_stopping(val_losses, patience)`` against Keras's rule on curves built to
  separate the near misses (a counter never reset, a relative ``min_delta``, ties, a look ahead, off by
  one) and on random curves drawn anew for every attempt.
* Exercise 3 (open) grades a *recipe*, ``train_on_noisy_labels(x_train, y_train, x_val, y_val, seed)``:
  the check draws its own digits (a hidden split seed, the ten classes relabelled), replaces 40 % of its
  training and validation labels, trains the recipe there, and measures the returned network on its
  sealed, clean test split. A model trained on the notebook's digits, or the notebook's clean labels, is
  useless there. See :data:`_NOISY_BOUND` for the bound and its pilots.
"""

from __future__ import annotations

import functools

import numpy as np

from . import ExerciseSet, Hint, as_number
from .evidence import (
    WorkingSplit,
    accuracy,
    call_learner,
    predict_classes,
    record_pilot,
    require_function,
    sealed_split,
    sealed_verdict,
)

_set = ExerciseSet("01", "01-overfitting")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


# --- Exercise 1 ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _probe(which: int):
    """Probe ``which`` (0 or 1): ``(model, data, truth)``, no training needed.

    The model is a nearest-prototype classifier written as Keras layers: its training digits are its
    prototypes (``per_class`` per class), so it fits them (training accuracy 100 %) and scores lower on
    validation. A ``RandomTranslation`` sits in front: measured with augmentation on (``model(x)``), the
    training accuracy drops. ``data`` is a :class:`WorkingSplit` (no test digits), ``truth`` the clean
    training and validation accuracies.
    """
    import keras

    from ..data import load_digits_split

    split_seed, per_class = ((4321, 15), (8765, 6))[which]
    pool = load_digits_split(n_train=600, n_val=300, n_test=300, split_seed=split_seed)
    keep = np.concatenate([np.flatnonzero(pool.y_train == c)[:per_class] for c in range(10)])
    prototypes, labels = pool.x_train[keep], pool.y_train[keep]
    flat = prototypes.reshape(len(keep), -1)
    keras.utils.set_random_seed(split_seed)
    score = keras.layers.Dense(len(keep))  # -|x - t|^2 / 2 up to a constant, one unit per prototype
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.RandomTranslation(0.25, 0.25, fill_mode="constant", interpolation="nearest", seed=1),
            keras.layers.Flatten(),
            score,
            keras.layers.Reshape((10, per_class, 1)),
            keras.layers.MaxPooling2D(pool_size=(1, per_class)),  # the best prototype of each class
            keras.layers.Flatten(),
        ]
    )
    score.set_weights([4.0 * flat.T, -2.0 * np.sum(flat**2, axis=1)])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    data = WorkingSplit(prototypes, labels, pool.x_val, pool.y_val, split_seed)
    truth = {"train": accuracy(model, prototypes, labels), "val": accuracy(model, pool.x_val, pool.y_val)}
    return model, data, truth


@_set.exercise(
    1,
    "the gap, measured right",
    level="warm-up",
    section="sec-gap",
    hints=(
        "When you call a Keras model on images directly, does it run its augmentation layers, and which "
        "split do you compare the training accuracy with while you are still choosing?",
        "Measure both accuracies in inference mode: `model.predict(x)` or `model(x, training=False)` turn "
        "augmentation (and dropout) off. An image counts as right when the class with the highest score "
        "is its label.",
        "The gap is the training accuracy minus the validation accuracy, both as fractions: with "
        "`acc(x, y) = np.mean(np.argmax(model.predict(x, verbose=0), axis=1) == y)`, return "
        "`acc(data.x_train, data.y_train) - acc(data.x_val, data.y_val)`.",
    ),
)
def _generalization_gap(function):
    require_function(function)
    answers = [as_number(call_learner(function, *_probe(which)[:2]), "the gap") for which in (0, 1)]
    if np.isclose(answers[0], answers[1], atol=1e-9):
        raise Hint(
            "your function returns the same gap for two models whose gaps differ: does it measure the "
            "model and the data it is given?"
        )
    for which, answer in enumerate(answers):
        truth = _probe(which)[2]
        expected = truth["train"] - truth["val"]
        if np.isclose(answer, expected, atol=1e-6):
            continue
        if np.isclose(answer, -expected, atol=1e-6):
            raise Hint("the sign is flipped: the gap is the training score minus the validation score.")
        if np.isclose(answer, 100 * expected, atol=1e-4):
            raise Hint("write accuracies as fractions (0.95), not percentages (95).")
        if answer < expected - 0.02 and answer > -1:
            raise Hint(
                "your training accuracy is lower than this model's: are the training images changed "
                "while you measure them?"
            )
        raise Hint(
            "on the check's probe model your gap differs from the clean training accuracy minus the "
            "validation accuracy."
        )
    return "your gap is right on two probe models that augment their inputs in training."


# --- Exercise 2 ------------------------------------------------------------------------------------------


def _keras_rule(
    val_losses,
    patience: int,
    *,
    ties_improve=False,
    never_reset=False,
    relative_delta=0.0,
    look_ahead=False,
    stop_late=False,
) -> tuple[int, int]:
    """``(last epoch trained, best epoch)``, from 1, of ``keras.callbacks.EarlyStopping`` on ``val_loss``
    with ``min_delta=0``; the keyword arguments produce the near misses the check recognizes."""
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        better = loss <= best if ties_improve else loss < best * (1 - relative_delta) if relative_delta else loss < best
        if better:
            best, best_epoch = loss, epoch
            if not never_reset:
                wait = 0
            continue
        wait += 1
        if wait >= patience + (1 if stop_late else 0):
            return epoch, (int(np.argmin(val_losses)) + 1 if look_ahead else best_epoch)
    return len(val_losses), (int(np.argmin(val_losses)) + 1 if look_ahead else best_epoch)


#: Curves that separate the near misses (patience beside each).
_CURVES = (
    # a dip, worse epochs, then a lower value the rule never reaches (a look ahead sees it)
    (np.array([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.95, 0.65]), 3),
    # ties are not improvements
    (np.array([1.0, 0.6, 0.6, 0.6, 0.5, 0.4]), 2),
    # recovers after every bad epoch: the count starts again each time (a counter never reset stops early)
    (np.array([1.0, 1.1, 0.9, 0.95, 0.8, 0.85, 0.7, 0.75, 0.6]), 2),
    # small steady improvements (under 1 %): Keras never stops; a relative min_delta does
    (np.array([1.0, 0.995, 0.991, 0.987, 0.984, 0.981, 0.978]), 2),
    # still improving at the end: it never stops
    (np.array([1.0, 0.9, 0.8, 0.7]), 2),
    # a noisy curve, patience 1
    (np.array([0.9, 0.5, 0.6, 0.4, 0.45, 0.3]), 1),
)


def _random_curves(seed: int, attempt: int, n: int = 6):
    """Curves drawn anew for every attempt: a typed table of the curves a failure showed cannot pass."""
    rng = np.random.default_rng([seed, attempt, 1])
    for _ in range(n):
        epochs = int(rng.integers(6, 16))
        trend = np.exp(-np.linspace(0, rng.uniform(0.5, 2.0), epochs))
        bump = np.maximum(0, np.linspace(-1, 1, epochs)) * rng.uniform(0, 0.8)
        curve = np.round(trend + bump + rng.normal(0, 0.05, epochs), 3)
        yield curve, int(rng.integers(1, 5))


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


_NEAR_MISSES = (
    (
        {"ties_improve": True},
        "a tie is not an improvement: an epoch counts as better only if its loss is "
        "strictly lower than the best so far.",
    ),
    (
        {"never_reset": True},
        "your rule stops too early on a curve that recovers after a bad epoch: is your "
        "count of epochs without improvement about epochs *in a row*?",
    ),
    (
        {"relative_delta": 0.01},
        "your rule does not count a small improvement as one: Keras's default "
        "(min_delta=0) counts any strictly lower loss.",
    ),
    (
        {"look_ahead": True},
        "your best epoch comes from the whole curve, including epochs after the rule "
        "stopped: a stopping rule cannot see the future.",
    ),
    (
        {"stop_late": True},
        "your rule trains one epoch too long: it stops in the epoch in which the count reaches the patience.",
    ),
)


@_set.exercise(
    2,
    "early stopping by hand",
    level="core",
    section="sec-01-stop",
    hints=(
        "When exactly does Keras's EarlyStopping count an epoch as better than the best so far, and what "
        "happens to its count of waiting epochs when one is?",
        "Walk through the epochs keeping three things: the best loss so far, its epoch, and how many epochs "
        "in a row have not beaten it. An improvement resets the count; a tie is no improvement; nothing "
        "after the current epoch is known.",
        "Number the epochs with `enumerate(val_losses, start=1)`. On `loss < best`, store the loss and the "
        "epoch and set the count to 0; otherwise add 1 and, when the count reaches `patience`, return "
        "`(epoch, best_epoch)`. After the loop, return `(len(val_losses), best_epoch)`.",
    ),
)
def _early_stopping(function, seed):
    require_function(function)
    record = _set._record(("exercise", 2))
    curves = [*_CURVES, *_random_curves(seed, record.attempts)]
    for losses, patience in curves:
        answer = _as_epochs(call_learner(function, losses.copy(), patience))
        stopped, best = _keras_rule(losses, patience)
        if answer == (stopped, best):
            continue
        shown = f"On val_loss {losses.tolist()} with patience {patience}:"
        if answer == (stopped - 1, best - 1):
            raise Hint(f"{shown} both epochs are one too small: epochs are counted from 1, indices from 0.")
        for options, words in _NEAR_MISSES:
            if answer == _keras_rule(losses, patience, **options):
                raise Hint(f"{shown} {words}")
        if answer[0] == len(losses) and stopped < len(losses):
            raise Hint(f"{shown} your rule never stopped.")
        raise Hint(f"{shown} you returned {answer}; Keras's EarlyStopping stops elsewhere or keeps another epoch.")
    return f"your rule stops where keras.callbacks.EarlyStopping(patience=...) does, on {len(curves)} curves."


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: The share of training and validation labels the check replaces by random digits.
_NOISE = 0.4
#: Exercise 3's bound: the clean test accuracy the recipe must reach on the check's sealed draw.
#: Pilots on base seeds 100-103 (never run by the suite), on this check:
#: * the solution's recipe (``python -m augreg_tools.exercises pilot 01 --bases 100 101 102 103``: width
#:   512, EarlyStopping on val_accuracy, patience 5, best weights restored): test 0.900 / 0.844 / 0.816 /
#:   0.870 (validation on noisy labels 0.632 / 0.530 / 0.515 / 0.568);
#: * doing nothing about the noise (the same network trained 40 epochs, last weights; graded by this
#:   check with ``augreg.checks.testing.grade(..., seed=base)``): test 0.624 / 0.650 / 0.676 / 0.662, and
#:   it fits 98-100 % of its noisy training labels.
#: The bound lies between the two: 7 points above the best "do nothing" pilot, 6.6 points below the
#: recipe's worst.
_NOISY_BOUND = 0.75


def _noisy(y, rng):
    y = y.copy()
    hit = rng.random(len(y)) < _NOISE
    y[hit] = rng.integers(0, 10, hit.sum())
    return y


@_set.exercise(
    3,
    "stop before it memorizes the noise",
    level="open",
    section="sec-01-random-labels",
    hints=(
        "What does a wide network do with wrong labels when it trains until it fits its training set, and "
        "which signal that you do have tells you when that starts?",
        "The noisy validation labels still rank the epochs: an epoch that is right on more digits is right "
        "on more noisy labels too, on average. Watch a validation score per epoch and keep the weights of "
        "its best epoch, not the last ones.",
        "One recipe that passes: `model = make_mlp(512)`, then `augreg.seeded_fit(model, x_train, y_train, "
        "validation_data=(x_val, y_val), epochs=40, seed=seed, callbacks=[keras.callbacks.EarlyStopping("
        "monitor='val_accuracy', patience=5, restore_best_weights=True)])`, and return the model.",
    ),
)
def _noisy_labels(recipe, seed):
    require_function(recipe, "your recipe (the function itself)")
    split = sealed_split(seed, "01.3", n_train=300)
    rng = np.random.default_rng([seed, 13])
    y_train, y_val = _noisy(split.y_train, rng), _noisy(split.y_val, rng)
    model = call_learner(
        recipe, split.x_train.copy(), y_train.copy(), split.x_val.copy(), y_val.copy(), seed, what="your recipe"
    )
    validation = float(np.mean(predict_classes(model, split.x_val) == y_val))
    test = accuracy(model, split.x_test, split.y_test)
    fits = float(np.mean(predict_classes(model, split.x_train) == y_train))
    record_pilot("01.3", seed, test=test, validation=validation, fits_noisy_train=fits)
    task = "your recipe, trained by the check on digits of its own with 40 % of the labels wrong"
    if test < _NOISY_BOUND:
        if validation < 0.2:
            raise Hint(
                f"{task}, scores like chance on its validation digits ({validation:.0%}): did the "
                "network train on the digits and labels it was given (the arguments, not the "
                "notebook's data)?"
            )
        if fits > 0.9:
            raise Hint(
                f"{task}, fits {fits:.0%} of its noisy training labels: it learned the wrong ones too. "
                f"Its validation accuracy: {validation:.1%}."
            )
    return sealed_verdict(test, _NOISY_BOUND, validation=validation, task=task)


# --- Check yourself: Lesson 01's questions -----------------------------------------------------------------

_set.question(
    1,
    "A network reaches 100 % training accuracy and 93 % validation accuracy; a second one, 88 % and 87 %. "
    "Which has the larger generalization gap, and which would you rather use?",
    choices=(
        "The first has the larger gap, so the second is the one to use: it overfits less.",
        "The first has the larger gap, and it is still the one to use.",
        "The second has the larger gap: it is further from 100 %.",
        "Both gaps are about the same, so either will do.",
    ),
    answer="b",
    explanation="The first gap is 7 points, the second 1, yet the first network is right more often on "
    "new images. A small gap can come from a model too small to fit anything (the 2-unit "
    "networks of {ref}`sec-01-capacity`): read the gap next to the scores themselves.",
    section="sec-gap",
)
_set.question(
    2,
    "The validation loss turns up after a few epochs while the validation accuracy stays flat. What is "
    "the network learning in those epochs?",
    choices=(
        "It forgets the digits it had learned, one by one.",
        "Nothing: the validation loss is noisy and the rise means nothing.",
        "To be more confident, also on the images it gets wrong.",
        "The validation images, through the validation loss.",
    ),
    answer="c",
    explanation="The cross-entropy charges a mistake by how sure the network was of it, so the loss rises "
    "while the number of right answers hardly changes: the network grows more confident, also on the "
    "images it gets wrong.",
    section="sec-01-stop",
)
_set.question(
    3,
    "You double the width of a network that already fits its 300 training images. Does its test "
    'accuracy fall, as "bigger network, more overfitting" suggests?',
    choices=(
        "No: past the width where every seed fits its training set, the widest network lost no test "
        "accuracy beyond the margin, and the largest gap on validation belonged to a narrower network.",
        "Yes: more capacity means more memorization, so test accuracy falls.",
        "Yes, but only by less than a point.",
        "It cannot be said without training both networks on the test split.",
    ),
    answer="a",
    explanation="The widest network lost no more test accuracy to the threshold width than the margin "
    "allows (a primary claim); the gap was largest, on validation, for a width that did not yet fit its "
    "training set.",
    section="sec-01-capacity",
)
_set.question(
    4,
    "A network fits 100 % of its training labels. What does that tell you about how it will do on new images?",
    choices=(
        "That it will do well: it learned every digit.",
        "That it will do badly: fitting everything is overfitting.",
        "That its validation accuracy is at least 90 %.",
        "Nothing on its own: only held-out images show whether what it learned carries over.",
    ),
    answer="d",
    explanation="The same network fits 100 % of randomly shuffled labels and then scores at chance on test "
    "images; fitting the training set says nothing about new data by itself.",
    section="sec-01-random-labels",
)
_set.question(
    5,
    "Why are the epochs, widths and strengths chosen on the validation split, and the reported numbers "
    "measured on the test split?",
    choices=(
        "Because the test split is the larger one, so its numbers are more precise.",
        "Because a split used to choose makes the chosen model look better on it than it will be on new "
        "data; the untouched test split keeps the reported number honest.",
        "Because Keras's fit only accepts a validation split for callbacks.",
        "Because validation images are easier, which makes choosing faster.",
    ),
    answer="b",
    explanation="Choosing on a split tunes the choice to that split's particular images, so its score is "
    "optimistic; a split no choice has seen gives an honest estimate.",
    section="sec-01-data",
)
