"""Checks for Exercises 01 (overfitting and the generalization gap)."""

from __future__ import annotations

import numpy as np

from . import Hint, as_number, call_learner_function, exercise_check

#: A made-up history used to test the learner's functions: training accuracy
#: climbs to 1.0 while validation accuracy peaks at epoch 3 and then slips;
#: validation loss is lowest at epoch 3 (the 4th entry is higher).
PROBE_HISTORY = {
    "loss": np.array([1.9, 0.9, 0.4, 0.1, 0.02]),
    "accuracy": np.array([0.40, 0.75, 0.90, 0.98, 1.00]),
    "val_loss": np.array([2.0, 1.1, 0.7, 0.8, 0.9]),
    "val_accuracy": np.array([0.38, 0.70, 0.86, 0.85, 0.84]),
}



@exercise_check("Exercise 1 (measure the gap)")
def final_gap(function) -> str:
    """Check a function ``final_gap(history)`` returning final train minus validation accuracy."""
    answer = as_number(call_learner_function(function, PROBE_HISTORY), "the gap")
    train, val = PROBE_HISTORY["accuracy"], PROBE_HISTORY["val_accuracy"]
    expected = train[-1] - val[-1]
    if np.isclose(answer, expected):
        return f"final_gap gives {answer:.2f} on a test history."
    if np.isclose(answer, -expected):
        raise Hint("the sign is flipped: the gap is training accuracy minus validation accuracy.")
    if np.isclose(answer, train.max() - val.max()) or np.isclose(answer, (train - val).max()):
        raise Hint("use the last epoch (index -1), not the best one: the gap of the model you ended with.")
    if np.isclose(answer, PROBE_HISTORY["val_loss"][-1] - PROBE_HISTORY["loss"][-1]):
        raise Hint("that is the gap in loss; this exercise asks for the gap in accuracy.")
    if np.isclose(answer, train[0] - val[0]):
        raise Hint("index 0 is the first epoch; the final epoch is index -1.")
    raise Hint(f"on a test history whose final accuracies are {train[-1]:.2f} (train) and {val[-1]:.2f} "
               f"(validation) your function returned {answer:.3f}.")


@exercise_check("Exercise 2 (when did it start to overfit?)")
def best_epoch(function) -> str:
    """Check a function ``best_epoch(history)`` returning the 1-based epoch of lowest validation loss."""
    answer = call_learner_function(function, PROBE_HISTORY)
    if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
        answer = int(answer)
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        raise Hint(f"return a whole epoch number, got {type(answer).__name__} {answer!r}")
    expected = int(np.argmin(PROBE_HISTORY["val_loss"])) + 1
    if answer == expected:
        return f"best_epoch gives epoch {answer} on a test history."
    if answer == expected - 1:
        raise Hint("off by one: np.argmin counts from 0, but epochs are counted from 1.")
    if answer in (int(np.argmin(PROBE_HISTORY["loss"])), int(np.argmin(PROBE_HISTORY["loss"])) + 1):
        raise Hint("that is where the *training* loss is lowest; overfitting shows in the validation loss.")
    if answer in (int(np.argmax(PROBE_HISTORY["val_loss"])), int(np.argmax(PROBE_HISTORY["val_loss"])) + 1):
        raise Hint("that is the *highest* validation loss; look for the lowest.")
    raise Hint(f"on a test history with val_loss {PROBE_HISTORY['val_loss'].tolist()} the best epoch is not {answer}.")


@exercise_check("Exercise 3 (the smallest model that fits the training set)")
def smallest_fitting_width(width, train_accuracy_by_width) -> str:
    """Check the smallest width whose final training accuracy reached 99 %."""
    if not isinstance(train_accuracy_by_width, dict) or len(train_accuracy_by_width) < 3:
        raise Hint("train_accuracy_by_width should be a dict {width: final training accuracy} with a few widths.")
    accuracies = {}
    for key, value in train_accuracy_by_width.items():
        if isinstance(key, bool) or not isinstance(key, (int, np.integer)) or key < 1:
            raise Hint(f"the keys should be layer widths (positive integers), got {key!r}")
        value = as_number(value, f"the accuracy for width {key}")
        if not 0.0 <= value <= 1.0:
            raise Hint(f"accuracies are fractions between 0 and 1, got {value} for width {key}")
        accuracies[int(key)] = value
    fitting = sorted(w for w, acc in accuracies.items() if acc >= 0.99)
    if not fitting:
        raise Hint("none of your models reached 99 % training accuracy: add wider models or train longer.")
    if min(accuracies) in fitting:
        raise Hint("even your narrowest model fits the training set: add narrower widths (1, 2, 4, ...).")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
        raise Hint(f"smallest_width should be a layer width (an integer), got {width!r}")
    width = int(width)
    if width == fitting[0]:
        return f"width {width} is the narrowest that reached 99 % training accuracy in your sweep."
    if width not in accuracies:
        raise Hint(f"{width} is not one of the widths you trained: {sorted(accuracies)}")
    if accuracies[width] < 0.99:
        raise Hint(f"width {width} reached only {accuracies[width]:.1%} training accuracy, below 99 %.")
    raise Hint(f"width {width} fits, but a narrower one in your sweep does too; look for the smallest.")


@exercise_check("Exercise 4 (predict, then verify: shuffled labels)")
def shuffled_labels(predicted_val_accuracy, history) -> str:
    """Check the learner's prediction and measurement of training on shuffled labels."""
    predicted = as_number(predicted_val_accuracy, "predicted_val_accuracy")
    if not 0.0 <= predicted <= 1.0:
        raise Hint("write the accuracy as a fraction between 0 and 1 (e.g. 0.5 for 50 %).")
    if not isinstance(history, dict) or "accuracy" not in history or "val_accuracy" not in history:
        raise Hint("pass the history returned by seeded_fit for the model trained on shuffled labels.")
    train = as_number(np.asarray(history["accuracy"])[-1], "the final training accuracy")
    val = as_number(np.asarray(history["val_accuracy"])[-1], "the final validation accuracy")
    if train < 0.9:
        raise Hint(f"the network reached only {train:.0%} training accuracy: train it longer so that it memorizes.")
    if val > 0.3:
        raise Hint(f"validation accuracy is {val:.0%}: were the *training* labels really shuffled, "
                   "and the validation labels left alone?")
    if abs(predicted - 0.1) > 0.05:
        raise Hint(f"you predicted {predicted:.0%}. With labels assigned at random the images say nothing "
                   "about the label, so on new images the model can only match chance: 1 in 10 classes.")
    return (f"you predicted {predicted:.0%} and measured {val:.0%} on validation, "
            f"while the network fits {train:.0%} of its shuffled training labels.")
