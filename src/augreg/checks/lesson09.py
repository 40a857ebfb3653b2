"""Checks of exercise set 09 (stopping and calibration): ``from augreg.checks.lesson09 import check``.

Everything but ``check`` is private and hidden from ``dir``; the truths are computed by the check, on
inputs it draws itself (anew for every attempt where an answer could be typed from a printed value).

* Exercise 1 grades ``smoothed_targets(labels, s, k)`` against the targets Keras's
  ``CategoricalCrossentropy(label_smoothing=s)`` trains towards (``keras/src/losses/losses.py``, lines
  2200-2203), for label sets, smoothings and class counts drawn per attempt.
* Exercise 2 grades ``returned_epoch(val_losses, patience, keras_3)`` against the real Keras 3
  ``EarlyStopping(restore_best_weights=True)`` (run epoch by epoch on a marker model whose weight is the
  epoch number) and against the rule of ``tf.keras`` in TensorFlow 2.15 and before (weights restored only
  when the callback itself stops training).
* Exercise 3 grades ``fit_temperature(logits, labels)`` on two probes of the check's own, drawn per
  attempt: an over-confident set of logits (best temperature above 1) and an under-confident one (below
  1). The truth is the temperature that minimizes the cross-entropy, found by the check.
* Exercise 4 (open) grades ``calibrate(model, x_val, y_val)``: the check trains two networks on a draw of
  its own (classes relabelled), one on one-hot targets (over-confident) and one with label smoothing 0.3
  (under-confident), hands each to the learner's function with that draw's validation digits, and
  measures the returned model on its sealed test digits: every decision must stay as it was and the ECE
  must stay under :data:`_ECE_BOUND` for both.
"""

from __future__ import annotations

import functools

import numpy as np

from ..calibration import expected_calibration_error
from . import ExerciseSet, Hint, as_number
from .evidence import call_learner, record_pilot, require_function, sealed_split

_set = ExerciseSet("09", "09-regularization-toolbox")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- Exercise 1 ------------------------------------------------------------------------------------------


def _keras_targets(labels: np.ndarray, s: float, k: int) -> np.ndarray:
    """What ``CategoricalCrossentropy(label_smoothing=s)`` turns one-hot targets into (Keras 3.15)."""
    return np.eye(k)[labels] * (1.0 - s) + s / k


def _targets_probe(seed: int, attempt: int):
    rng = np.random.default_rng([seed, attempt, 91])
    k = int(rng.choice([3, 7, 10]))
    s = float(np.round(rng.uniform(0.05, 0.4), 3))
    labels = rng.integers(0, k, int(rng.integers(5, 12)))
    return labels, s, k


@_set.exercise(
    1,
    "the targets of label smoothing",
    level="warm-up",
    section="sec-09-label-smoothing",
    hints=(
        "With label smoothing, which classes get a share of the smoothing: only the wrong ones, or every "
        "class, the right one included?",
        "Keras starts from the one-hot target, takes away a fraction s of it, and spreads that fraction "
        "evenly over all k classes. Every row still sums to 1.",
        "Build the one-hot rows with `np.eye(k)[labels]`, multiply them by `1 - s`, and add `s / k` to "
        "every entry: the right class ends at `1 - s + s / k`, every other class at `s / k`.",
    ),
)
def _smoothed_targets(function, seed):
    require_function(function)
    record = _set._record(("exercise", 1))
    probes = [
        (np.array([0, 2, 1]), 0.1, 3),
        (np.array([3, 0, 9, 9, 4]), 0.2, 10),
        _targets_probe(seed, record.attempts),
    ]
    for labels, s, k in probes:
        answer = call_learner(function, labels.copy(), s, k)
        try:
            answer = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            raise Hint(f"return an array of targets, one row per label, got {type(answer).__name__}") from None
        shown = f"For labels {labels.tolist()}, s = {s}, k = {k}:"
        if answer.shape != (len(labels), k):
            raise Hint(
                f"{shown} return one row of {k} targets per label, shape ({len(labels)}, {k}); got {answer.shape}."
            )
        truth = _keras_targets(labels, s, k)
        if np.allclose(answer, truth, atol=1e-6):
            continue
        right = answer[np.arange(len(labels)), labels]
        if not np.allclose(answer.sum(axis=1), 1.0, atol=1e-6):
            raise Hint(
                f"{shown} your rows do not sum to 1, so they are no longer a distribution over the "
                "classes: what you take from the right class must go to the classes."
            )
        wrong_uniform = np.eye(k)[labels] * (1 - s) + (1 - np.eye(k)[labels]) * s / (k - 1)
        if np.allclose(answer, wrong_uniform, atol=1e-6):
            raise Hint(
                f"{shown} you spread s over the k - 1 wrong classes and left 1 - s on the right one: "
                "that is a convention of some papers, not what Keras does. The right class gets its "
                "share of the smoothing too."
            )
        if np.allclose(right, 1 - s, atol=1e-6):
            raise Hint(f"{shown} the right class gets exactly 1 - s: it forgets its own share of what is spread.")
        raise Hint(f"{shown} these are not the targets Keras trains towards with label_smoothing={s}.")
    return "your targets are the ones Keras's label_smoothing trains towards, for three class counts."


# --- Exercise 2 ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _marker_model():
    import keras

    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    return model


def _keras3_returned(losses, patience: int) -> int:
    """The epoch (from 1) whose weights a Keras 3 model holds after fit with this callback.

    The real callback runs on a marker model whose bias is set to the epoch number after every epoch.
    """
    import keras

    model = _marker_model()
    dense = model.layers[-1]
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    for epoch, loss in enumerate(losses):
        dense.bias.assign(np.array([epoch + 1.0], dtype="float32"))
        callback.on_epoch_end(epoch, {"val_loss": float(loss)})
        if model.stop_training:
            break
    callback.on_train_end()
    model.stop_training = False
    return int(round(float(np.asarray(dense.bias)[0])))


def _stopping(losses, patience: int) -> tuple[int | None, int]:
    """(epoch the callback stopped at or None, best epoch so far then), both from 1."""
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return epoch, best_epoch
    return None, best_epoch


def _tf_keras2_returned(losses, patience: int) -> int:
    """tf.keras up to TensorFlow 2.15: the best weights come back only when the callback stops training."""
    stopped, best = _stopping(losses, patience)
    return best if stopped is not None else len(losses)


#: Curves that separate the near misses: (val_losses, patience).
_CURVES = (
    (np.array([1.0, 0.7, 0.6, 0.65, 0.7, 0.72, 0.8]), 3),  # stops; best epoch 3
    (np.array([1.0, 0.8, 0.7, 0.75, 0.68, 0.7, 0.71]), 5),  # never stops; best epoch 5, not the last
    (np.array([1.0, 0.9, 0.8, 0.7, 0.6]), 2),  # never stops; still improving at the end
    (np.array([0.9, 0.6, 0.7, 0.8, 0.5, 0.55, 0.4]), 2),  # stops at epoch 4, before a later dip
)


def _random_curves(seed: int, attempt: int, n: int = 6):
    rng = np.random.default_rng([seed, attempt, 92])
    for _ in range(n):
        epochs = int(rng.integers(6, 14))
        trend = np.exp(-np.linspace(0, rng.uniform(0.5, 2.0), epochs))
        bump = np.maximum(0, np.linspace(-1, 1, epochs)) * rng.uniform(0, 0.8)
        yield np.round(trend + bump + rng.normal(0, 0.04, epochs), 3), int(rng.integers(1, 6))


@_set.exercise(
    2,
    "which weights fit hands back",
    level="warm-up",
    section="sec-09-early-stopping",
    hints=(
        "When does EarlyStopping with restore_best_weights put the best weights back: only when it stops "
        "training itself, or at the end of every run, and does that depend on the Keras version?",
        "Keras 3 restores in on_train_end, whether or not the callback stopped the run. tf.keras in "
        "TensorFlow 2.15 and before restored only at the moment it stopped training; a run that used up "
        "its epochs kept the last epoch's weights. The best epoch is always the best so far, never one "
        "after the stop.",
        "Walk through the losses as in Lesson 01's rule (strictly lower is better; stop when `patience` "
        "epochs in a row have not improved). If it stopped, return the best epoch so far. If it never "
        "stopped, return the best epoch with `keras_3=True` and `len(val_losses)` with `keras_3=False`.",
    ),
)
def _returned_epoch(function, seed):
    require_function(function)
    record = _set._record(("exercise", 2))
    curves = [*_CURVES, *_random_curves(seed, record.attempts)]
    for keras_3 in (True, False):
        version = "Keras 3" if keras_3 else "tf.keras 2.15"
        for losses, patience in curves:
            value = call_learner(function, losses.copy(), patience, keras_3)
            if isinstance(value, (float, np.floating)) and float(value).is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise Hint(f"return one epoch number, counted from 1; got {value!r}")
            truth = _keras3_returned(losses, patience) if keras_3 else _tf_keras2_returned(losses, patience)
            if value == truth:
                continue
            shown = f"{version}, val_loss {losses.tolist()}, patience {patience}:"
            stopped, best = _stopping(losses, patience)
            last = stopped if stopped is not None else len(losses)
            if value == truth - 1:
                raise Hint(f"{shown} one too small: epochs are counted from 1.")
            if value == int(np.argmin(losses)) + 1 and value != best:
                raise Hint(
                    f"{shown} your epoch comes after the callback stopped: the best epoch is the best "
                    "so far when it stops, never a later one."
                )
            if value == last and keras_3:
                raise Hint(
                    f"{shown} you return the last epoch trained, but Keras 3 puts the best weights "
                    "back at the end of training, even when the callback never stopped the run."
                )
            if value == best and not keras_3 and stopped is None:
                raise Hint(
                    f"{shown} this run never stopped early, and tf.keras 2.15 restored the best "
                    "weights only at the moment the callback stopped training."
                )
            raise Hint(f"{shown} you returned epoch {value}; the callback leaves another epoch's weights.")
    return (
        f"your answer is what the callback hands back, in Keras 3 and in tf.keras 2.15, on {len(curves)} curves each."
    )


# --- Exercise 3 ------------------------------------------------------------------------------------------


def _nll(z: np.ndarray, y: np.ndarray, t: float) -> float:
    p = _softmax(z / t)
    return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))


def _best_temperature(z: np.ndarray, y: np.ndarray) -> float:
    from scipy.optimize import minimize_scalar

    found = minimize_scalar(
        lambda log_t: _nll(z, y, float(np.exp(log_t))), bounds=(-4, 4), method="bounded", options={"xatol": 1e-7}
    )
    return float(np.exp(found.x))


def _temperature_probes(seed: int, attempt: int):
    """Two sets of (validation logits, labels): over-confident (scaled up) and under-confident (down).

    Labels are drawn from the softmax of the unscaled logits, so those are calibrated and the best
    temperature of the scaled ones is close to the scale.
    """
    rng = np.random.default_rng([seed, attempt, 93])
    probes = []
    for scale in (rng.uniform(1.6, 2.6), rng.uniform(0.35, 0.7)):
        u = rng.normal(0.0, 1.2, size=(400, 10))
        u[np.arange(400), rng.integers(0, 10, 400)] += 3.0
        p = _softmax(u)
        y = np.array([rng.choice(10, p=row) for row in p])
        probes.append((np.float32(scale) * u.astype("float32"), y))
    return probes


#: Exercise 3: how far (in log temperature) an answer may lie from the best temperature.
_LOG_TOLERANCE = 0.02


@_set.exercise(
    3,
    "a temperature from validation logits",
    level="core",
    section="sec-09-label-smoothing",
    hints=(
        "Which score on the validation digits does temperature scaling minimize, and can the best "
        "temperature lie on either side of one?",
        "Divide the logits by a positive number T, take the softmax, and measure the mean cross-entropy "
        "of the right labels. Search T over a range that includes values below 1 (an under-confident "
        "network needs sharpening); searching log T keeps T positive.",
        "Write `nll(log_t)`, the cross-entropy of `softmax(z / np.exp(log_t))` at the labels, and return "
        "`np.exp(minimize_scalar(nll, bounds=(-3, 3), method='bounded').x)`.",
    ),
)
def _fit_temperature(function, seed):
    require_function(function)
    record = _set._record(("exercise", 3))
    for name, (z, y) in zip(("an over-confident", "an under-confident"), _temperature_probes(seed, record.attempts)):
        value = as_number(call_learner(function, z.copy(), y.copy()), "the temperature")
        truth = _best_temperature(z, y)
        task = f"On {name} set of logits of the check's own"
        if value <= 0:
            raise Hint(f"{task}, you returned {value:g}: a temperature is a positive number that divides the logits.")
        if abs(np.log(value) - np.log(truth)) <= _LOG_TOLERANCE:
            continue
        if abs(np.log(1 / value) - np.log(truth)) <= _LOG_TOLERANCE:
            raise Hint(
                f"{task}, you returned the reciprocal of the best temperature: the logits are divided "
                "by T, not multiplied by it."
            )
        if value > 0 and abs(value - np.log(truth)) <= _LOG_TOLERANCE:
            raise Hint(f"{task}, you returned log T: return the temperature itself.")
        if truth < 1 and value >= 0.999:
            raise Hint(
                f"{task}, your temperature is {value:.3g}: these logits are under-confident and need "
                "sharpening, a temperature below 1. Does your search allow one?"
            )
        if np.isclose(value, 1.0, atol=1e-3):
            raise Hint(f"{task}, your temperature is 1: did your search move at all?")
        raise Hint(
            f"{task}, your temperature ({value:.3g}) does not minimize the cross-entropy of these logits and labels."
        )
    return "your temperature minimizes the validation cross-entropy on two sets of logits, one on each side of 1."


# --- Exercise 4 ------------------------------------------------------------------------------------------

#: Exercise 4: the label smoothings of the two networks the check trains (0: plain one-hot targets).
_SMOOTHINGS = (0.0, 0.3)
#: Exercise 4's bound: the test ECE (10 bins, 900 sealed test digits) each returned network must stay under.
#: Pilots on base seeds 100-103, on this check's draws and networks (test ECE of the s = 0 / s = 0.3
#: networks, bases 100 / 101 / 102 / 103):
#: * the solution (each network's own temperature, fitted on the validation cross-entropy; about 1.3-1.6
#:   for s = 0 and 0.35-0.45 for s = 0.3): 0.021 / 0.025 / 0.021 / 0.021 and 0.024 / 0.030 / 0.019 / 0.017;
#: * doing nothing (the model returned unchanged): 0.037 / 0.026 / 0.058 / 0.057 and 0.349 / 0.347 /
#:   0.322 / 0.354; a temperature searched only above 1 fails the same way on the smoothed network;
#: * one constant temperature for both networks: 0.4 (the best for s = 0.3) gives the plain network
#:   0.070 / 0.069 / 0.103 / 0.094; 0.5 gives it 0.065 / 0.063 / 0.096 / 0.088; 0.7 gives the smoothed
#:   one 0.157-0.181; 1.3 (the best for s = 0) gives it 0.445-0.477.
#: The bound lies 2 points above the solution's worst pilot and 1.9 points below the best constant's.
_ECE_BOUND = 0.05


@functools.lru_cache(maxsize=2)
def _shipped(seed: int):
    """The check's draw and the weights of its two label-smoothed networks (trained once per seed)."""
    import keras

    from ..parallel import fit_in_parallel

    split = sealed_split(seed, "09.4", n_train=100, n_val=400, n_test=900)
    models = [_network(seed) for _ in _SMOOTHINGS]
    targets = [np.eye(10, dtype="float32")[split.y_train] * (1 - s) + s / 10 for s in _SMOOTHINGS]
    fit_in_parallel(
        models,
        [split.x_train] * len(models),
        targets,
        seeds=[seed] * len(models),
        steps=240,
        batch_size=25,
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(3e-3),
    )
    return split, [m.get_weights() for m in models]


def _network(seed: int):
    """Lesson 09's network: two hidden ReLU layers of 128 units, logits out."""
    import keras

    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )


def _logits(model, x) -> np.ndarray:
    import keras

    if not isinstance(model, keras.Model) and not callable(model):
        raise Hint(f"return a Keras model that gives logits, got {type(model).__name__}")
    try:
        out = model(np.asarray(x), training=False)
    except Exception as exc:  # noqa: BLE001 - the learner's model, reported as a hint
        raise Hint(f"calling the model you returned raised {type(exc).__name__}: {exc}") from None
    out = np.asarray(out, dtype="float64")
    if out.shape != (len(x), 10):
        raise Hint(f"the model you return should give 10 logits per image, got shape {out.shape}")
    return out


@_set.exercise(
    4,
    "probabilities you can trust",
    level="open",
    section="sec-09-label-smoothing",
    hints=(
        "Is each of the two networks more or less sure of itself than it is right, and which tool of the "
        "lesson changes how sure a network is without changing any decision?",
        "Temperature scaling divides the logits by one positive number fitted on validation. The lesson "
        "fitted temperatures above 1 to soften an over-confident network; a network trained with label "
        "smoothing is under-confident and needs a temperature below 1, and each network needs its own. A "
        "model that divides by T is the network followed by a rescaling layer.",
        "Fit T on the validation digits you are given (the temperature that minimizes their "
        "cross-entropy, as in Exercise 3, searched below 1 too), then return "
        "`keras.Sequential([model, keras.layers.Rescaling(1 / T)])`.",
    ),
)
def _calibrate(function, seed):
    require_function(function, "your function (the function itself)")
    split, trained = _shipped(seed)
    eces = []
    for s, weights in zip(_SMOOTHINGS, trained):
        shipped = _network(seed)
        shipped.set_weights(weights)
        before = _logits(shipped, split.x_test).argmax(axis=1)
        task = (
            f"the network trained with label smoothing s = {s} on the check's digits"
            if s
            else "the network trained on one-hot targets on the check's digits"
        )
        calibrated = call_learner(function, shipped, split.x_val.copy(), split.y_val.copy(), what="your function")
        z_test = _logits(calibrated, split.x_test)
        changed = float(np.mean(z_test.argmax(axis=1) != before))
        if changed > 0.001:
            raise Hint(
                f"{task}: your model changes the decision on {changed:.1%} of the digits. The team "
                "ships those decisions: make the probabilities trustworthy without changing which "
                "class comes out on top."
            )
        p_val = _softmax(_logits(calibrated, split.x_val))
        validation = expected_calibration_error(p_val, split.y_val, n_bins=10)
        test = expected_calibration_error(_softmax(z_test), split.y_test, n_bins=10)
        record_pilot("09.4", seed, smoothing=s, test_ece=test, validation_ece=validation)
        if test > _ECE_BOUND:
            raise Hint(
                f"{task}: its ECE on the check's validation digits is {validation:.1%}, and on the sealed "
                f"test digits it is above the bound of {_ECE_BOUND:.0%} (their number is shown only "
                "with a pass). Is it still under-confident, or now over-confident? Improve it on your "
                "validation digits, not by retrying the check."
            )
        eces.append(test)
    shown = " and ".join(f"{e:.1%}" for e in eces)
    return (
        f"both networks keep every decision, and their ECE on the sealed test digits is {shown} (one-hot "
        f"targets and label smoothing {_SMOOTHINGS[1]}; the bound is {_ECE_BOUND:.0%})."
    )


# --- Check yourself: Lesson 09's questions -----------------------------------------------------------------

_set.question(
    1,
    "You add `EarlyStopping(patience=100, restore_best_weights=True)` to a 60-epoch run, in Keras 3, "
    '"just in case". Which weights does `fit` leave in the model?',
    choices=(
        "Those of epoch 60: the callback never stopped training, so it never restored anything.",
        "Those of the epoch with the best validation loss: Keras 3 restores them at the end of training "
        "even when the callback never stopped.",
        "Those of epoch 60 minus the patience.",
        "Those of the epoch with the best training loss.",
    ),
    answer="b",
    explanation="Keras 3's callback restores in on_train_end whenever it holds best weights. Older tf.keras "
    "(TensorFlow 2.15 and before) restored only when the callback itself stopped the run, so the same "
    "code kept epoch 60's weights there.",
    section="sec-09-early-stopping",
)
_set.question(
    2,
    "With `CategoricalCrossentropy(label_smoothing=0.2)` and 10 classes, what target does the right digit get?",
    choices=(
        "0.8, and 0.2 / 9 on each wrong digit.",
        "0.8, and 0.02 on each wrong digit.",
        "0.82, and 0.02 on each other digit.",
        "1, as before: smoothing only changes the wrong digits.",
    ),
    answer="c",
    explanation="Keras computes y * (1 - s) + s / K: the right digit gets 1 - 0.2 + 0.02 = 0.82, every other "
    "digit 0.02, and the row still sums to 1. Reading it as 1 - s forgets the right digit's own share.",
    section="sec-09-label-smoothing",
)
_set.question(
    3,
    "Validation accuracy chose a large label smoothing for a network that already reads most digits "
    "right. What happens to its test calibration, and what restores it without changing a prediction?",
    choices=(
        "The ECE falls: smoothing is a calibration method. Nothing else is needed.",
        "The ECE can rise because the network becomes over-confident; more smoothing fixes it.",
        "Nothing changes: label smoothing changes only the training loss.",
        "The ECE can rise because the network becomes under-confident; a temperature fitted on validation "
        "can restore it (Exercise 4 measures this) and keeps every decision.",
    ),
    answer="d",
    explanation="The smoothed target caps the confidence the loss rewards, so the network's mean confidence "
    "falls below its accuracy, as Lesson 09 measured. Dividing the logits by one positive number never "
    "changes which is largest, so temperature scaling keeps every decision.",
    section="sec-09-label-smoothing",
)
_set.question(
    4,
    'A colleague reports that early stopping "beat" label smoothing, each tuned with two settings on '
    "validation. What is unequal about that comparison?",
    choices=(
        "Each early-stopping setting also picks one of up to 60 checkpoints on validation: it searched far more.",
        "Nothing: two settings each is the same tuning budget.",
        "Label smoothing was tuned on the test split.",
        "Early stopping trains longer than label smoothing.",
    ),
    answer="a",
    explanation="Early stopping chooses an epoch by the validation loss and then a patience among two; label "
    "smoothing chooses among two trained networks. Part of early stopping's gain is the gain of that "
    "larger search.",
    section="sec-09-early-stopping",
)
