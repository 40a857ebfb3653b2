"""Checks for Exercises 09 (the rest of the regularization toolbox).

* :func:`early_stopping` -- Exercise 1 (open): an ``EarlyStopping`` callback chosen on validation whose
  networks beat 60 fixed epochs on the test cross-entropy.
* :func:`decay_vs_penalty` -- Exercise 2: the L2 strength that matches decoupled weight decay under plain
  SGD, and the measured gaps under SGD and Adam.
* :func:`temperature` -- Exercise 3 (open): a temperature fitted on validation that lowers the test ECE.
"""

from __future__ import annotations

import numpy as np

from ..calibration import expected_calibration_error
from . import Hint, as_number, call_learner_function, exercise_check

#: Exercise 1: how much lower the mean test cross-entropy (nats) of the early-stopped networks must be
#: than that of the 60-epoch networks (pilot base 100: the lesson's val_loss setting lowered it by
#: 0.034 nats on average, interval [-0.064, -0.004]; the solution passes on bases 0-3).
CE_MARGIN = 0.01
#: Exercise 1: the most mean test accuracy (a fraction) the early-stopped networks may give up.
ACCURACY_SLACK = 0.01
#: Exercise 2: the relative kernel gap below which decay and penalty count as equal (float rounding).
EQUAL_GAP = 1e-4
#: Exercise 2: the relative kernel gap above which decay and penalty count as different.
DIFFERENT_GAP = 1e-2

_EARLY = "Lesson 09, section 'Early stopping'"
_DECAY = "Lesson 09, section 'Decoupled weight decay against an L2 penalty'"
_TEMPERATURE = "Lesson 09, section 'Label smoothing and temperature scaling'"


def _per_seed_probabilities(value, what: str) -> list[np.ndarray]:
    if isinstance(value, np.ndarray) or not isinstance(value, (list, tuple)) or len(value) < 2:
        raise Hint(f"{what} should be a list with one array of test probabilities per seed (at least 2)")
    arrays = []
    for p in value:
        p = np.asarray(p, dtype=float)
        if p.ndim != 2 or p.shape[1] != 10:
            raise Hint(f"{what}: each entry should be an (images, 10) array of probabilities, got shape {p.shape}")
        if p.min() < 0 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
            raise Hint(f"{what}: each row should sum to 1: pass probabilities (the softmax), not logits")
        arrays.append(p)
    return arrays


def _labels(value, shapes) -> list[np.ndarray]:
    if not isinstance(value, (list, tuple)) or len(value) != len(shapes):
        raise Hint("labels should be a list with one array of test labels per seed")
    out = []
    for y, n in zip(value, shapes):
        y = np.asarray(y)
        if y.shape != (n,):
            raise Hint(f"each seed's labels should have one entry per test image ({n}), got shape {y.shape}")
        out.append(y.astype(int))
    return out


def _cross_entropy(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0))))


@exercise_check("Exercise 1 (stop at the right time)")
def early_stopping(callback, early_probabilities, fixed_probabilities, labels) -> str:
    """Check the learner's ``EarlyStopping`` and what its networks score on the test digits.

    ``early_probabilities`` and ``fixed_probabilities`` hold, per seed, the test probabilities of the
    early-stopped network and of the network trained 60 fixed epochs (same seed, same batches);
    ``labels`` the seeds' test labels. Passes when the callback watches a validation score, restores the
    best weights, and the mean test cross-entropy is at least :data:`CE_MARGIN` lower while the mean test
    accuracy drops by less than :data:`ACCURACY_SLACK`.
    """
    import keras

    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise Hint(f"make_early_stopping() should return a keras.callbacks.EarlyStopping, got "
                   f"{type(callback).__name__}")
    if not str(callback.monitor).startswith("val_"):
        raise Hint(f"monitor={callback.monitor!r} watches the training digits, which keep improving to the "
                   f"end: monitor a validation score (val_loss or val_accuracy). See {_EARLY}.")
    if not callback.restore_best_weights:
        raise Hint("without restore_best_weights=True the model keeps the weights of the epoch it stopped "
                   f"at, `patience` epochs past the best one. See {_EARLY}.")
    early = _per_seed_probabilities(early_probabilities, "early_probabilities")
    fixed = _per_seed_probabilities(fixed_probabilities, "fixed_probabilities")
    if len(early) != len(fixed):
        raise Hint("early_probabilities and fixed_probabilities need one entry per seed each, in the same order")
    ys = _labels(labels, [len(p) for p in early])
    if any(len(f) != len(y) for f, y in zip(fixed, ys)):
        raise Hint("fixed_probabilities must be on the same test images as early_probabilities")
    ce_change = np.mean([_cross_entropy(e, y) - _cross_entropy(f, y) for e, f, y in zip(early, fixed, ys)])
    acc_change = np.mean([np.mean(e.argmax(1) == y) - np.mean(f.argmax(1) == y)
                          for e, f, y in zip(early, fixed, ys)])
    if ce_change > -CE_MARGIN:
        raise Hint(f"your early-stopped networks change the mean test cross-entropy by {ce_change:+.3f} nats; "
                   f"beat the 60-epoch networks by at least {CE_MARGIN} nats. Did the callback ever stop, and "
                   f"is patience short enough to stop near the validation loss's minimum? See {_EARLY}.")
    if acc_change < -ACCURACY_SLACK:
        raise Hint(f"the cross-entropy fell, but test accuracy dropped by {-100 * acc_change:.1f} points: "
                   f"stopping that early underfits. Try a longer patience. See {_EARLY}.")
    return (f"over {len(early)} seeds your early stopping lowers the mean test cross-entropy by "
            f"{-ce_change:.3f} nats (accuracy {100 * acc_change:+.1f} points).")


@exercise_check("Exercise 2 (decay is not a penalty)")
def decay_vs_penalty(matching_l2, gap_sgd, gap_adam) -> str:
    """Check ``matching_l2(weight_decay)`` and the two measured relative gaps between kernels."""
    for decay in (0.1, 0.5, 2.0):
        strength = as_number(call_learner_function(matching_l2, decay), f"matching_l2({decay})")
        if np.isclose(strength, decay / 2, rtol=1e-6):
            continue
        if np.isclose(strength, decay, rtol=1e-6):
            raise Hint("Keras's L2(l) adds l * sum(w**2) to the loss, with no factor 1/2: its gradient is "
                       f"2 * l * w, while decay subtracts lr * wd * w. Solve 2 * l = wd. See {_DECAY}.")
        if np.isclose(strength, 2 * decay, rtol=1e-6):
            raise Hint(f"the other way round: the penalty's gradient is 2 * l * w, so l = wd / 2. See {_DECAY}.")
        raise Hint(f"matching_l2({decay}) returned {strength:g}: with plain SGD, decay subtracts lr * wd * w "
                   f"and L2(l) subtracts lr * 2 * l * w (the learning rate cancels). See {_DECAY}.")
    gap_sgd = as_number(gap_sgd, "gap_sgd")
    gap_adam = as_number(gap_adam, "gap_adam")
    if not (np.isfinite(gap_sgd) and np.isfinite(gap_adam)) or gap_sgd < 0 or gap_adam < 0:
        raise Hint("the gaps are relative distances: |decayed - penalized| / |penalized|, never negative")
    if gap_sgd > EQUAL_GAP:
        raise Hint(f"gap_sgd = {gap_sgd:.2g}: under plain SGD (no momentum) with the matching strength the two "
                   "kernels should agree to float rounding. Check that SGD has no momentum, that the L2 strength "
                   "is matching_l2(wd), and that the layer has no bias (weight_decay decays biases too; "
                   f"the kernel_regularizer does not). See {_DECAY}.")
    if gap_adam < DIFFERENT_GAP:
        raise Hint(f"gap_adam = {gap_adam:.2g}: under Adam decay and penalty should part ways. Did both runs use "
                   "Adam, one with weight_decay and no penalty, the other with the penalty and no weight_decay? "
                   f"See {_DECAY}.")
    return (f"equal under plain SGD (gap {gap_sgd:.0e}), apart under Adam (gap {gap_adam:.0%}): Keras's "
            "weight_decay is decoupled.")


@exercise_check("Exercise 3 (one number for calibration)")
def temperature(fit_temperature, val_logits, val_labels, test_logits, test_labels) -> str:
    """Check a learner's ``fit_temperature(logits, labels) -> T`` by what it does to the test ECE.

    The check calls ``fit_temperature`` on each seed's *validation* logits only, divides that seed's test
    logits by the returned ``T``, and passes when the mean test ECE (10 bins) over the seeds is lower than
    without the temperature, and no seed's temperature sharpens a network that validation says is
    over-confident.
    """
    n = len(val_logits)
    if not (n == len(val_labels) == len(test_logits) == len(test_labels) >= 2):
        raise Hint("pass one array of logits and labels per seed, the same number of seeds for each")
    before, after, temps = [], [], []
    for zv, yv, zt, yt in zip(val_logits, val_labels, test_logits, test_labels):
        zv, zt = np.asarray(zv, dtype=float), np.asarray(zt, dtype=float)
        yv, yt = np.asarray(yv).astype(int), np.asarray(yt).astype(int)
        t = as_number(call_learner_function(fit_temperature, zv.copy(), yv.copy()), "fit_temperature(...)")
        if not np.isfinite(t) or t <= 0:
            raise Hint(f"a temperature is a positive number (logits / T), got {t:g}: if you optimized log T, "
                       "return np.exp of it")
        temps.append(t)
        before.append(expected_calibration_error(_softmax(zt), yt))
        after.append(expected_calibration_error(_softmax(zt / t), yt))
    temps = np.array(temps)
    if np.allclose(temps, 1.0):
        raise Hint("T = 1 changes nothing: fit T by minimizing the validation cross-entropy of "
                   f"softmax(logits / T), not the accuracy (which no T changes). See {_TEMPERATURE}.")
    change = float(np.mean(after) - np.mean(before))
    if change >= 0:
        sharpened = bool(np.any(temps < 1))
        raise Hint(f"the mean test ECE went from {100 * np.mean(before):.1f} to {100 * np.mean(after):.1f} %"
                   + (" and some temperatures are below 1 (they sharpen): did you return log T, or 1 / T?"
                      if sharpened else "") + f" See {_TEMPERATURE}.")
    return (f"temperatures {temps.min():.2f} to {temps.max():.2f} fitted on validation lower the mean test ECE "
            f"from {100 * np.mean(before):.1f} to {100 * np.mean(after):.1f} %.")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
