"""Checks for Exercises 03 (L1 and L2 weight penalties)."""

from __future__ import annotations

import numpy as np

from . import Hint, as_number, call_learner_function, exercise_check

#: Two small "kernels" used to test the learner's penalty function.
PROBE_KERNELS = [np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[-0.25], [0.75], [-3.0]])]



def reference_penalty(kernels, l1: float, l2: float) -> float:
    """What ``keras.regularizers.L1L2(l1, l2)`` adds to the loss for these kernels."""
    return float(sum(l1 * np.sum(np.abs(k)) + l2 * np.sum(np.square(k)) for k in kernels))


@exercise_check("Exercise 1 (the penalty by hand)")
def penalty(function) -> str:
    """Check ``penalty(kernels, l1, l2)`` against Keras's L1L2 convention on test kernels."""
    for l1, l2 in ((0.01, 0.0), (0.0, 0.1), (0.003, 0.02)):
        answer = as_number(call_learner_function(function, PROBE_KERNELS, l1, l2), "the penalty")
        expected = reference_penalty(PROBE_KERNELS, l1, l2)
        if np.isclose(answer, expected, rtol=1e-6, atol=1e-12):
            continue
        flat = np.concatenate([k.ravel() for k in PROBE_KERNELS])
        if np.isclose(answer, l1 * flat.sum() + l2 * np.sum(flat**2)):
            raise Hint("L1 sums the *absolute* values: np.abs(w).")
        if np.isclose(answer, l1 * np.abs(flat).sum() + 0.5 * l2 * np.sum(flat**2)):
            raise Hint("Keras's L2 has no factor 1/2: it adds l2 * sum(w**2).")
        if np.isclose(answer, l1 * np.abs(flat).mean() + l2 * np.mean(flat**2)):
            raise Hint("a penalty is a *sum* over all weights, not a mean.")
        if np.isclose(answer, reference_penalty(PROBE_KERNELS[:1], l1, l2)):
            raise Hint("add up the penalty of *every* kernel in the list, not just the first.")
        if np.isclose(answer, reference_penalty(PROBE_KERNELS, l2, l1)):
            raise Hint("l1 goes with the absolute values and l2 with the squares; they are swapped.")
        raise Hint(f"for l1={l1}, l2={l2} the test kernels give {expected:.5f}; you returned {answer:.5f}.")
    return "penalty matches keras.regularizers.L1L2 on test kernels."


@exercise_check("Exercise 2 (choose a strength)")
def best_strength(best, strengths, val_errors) -> str:
    """Check that ``best`` is the strength with the lowest validation error in the learner's sweep."""
    strengths = np.asarray(strengths, dtype=float)
    val_errors = np.asarray(val_errors, dtype=float)
    if strengths.ndim != 1 or strengths.shape != val_errors.shape or len(strengths) < 3:
        raise Hint("strengths and val_errors should be 1-D, of the same length (one error per strength).")
    if not np.all(np.isfinite(val_errors)) or np.any(val_errors < 0):
        raise Hint("errors are mean squared errors: finite and non-negative.")
    best = as_number(best, "best_strength")
    if not np.any(np.isclose(best, strengths)):
        raise Hint("best_strength should be one of the strengths you tried.")
    if np.all(np.diff(val_errors) > 0):
        raise Hint("your errors rise steadily with the strength, as *training* errors do: "
                   "did you score the validation set?")
    expected = strengths[int(np.argmin(val_errors))]
    if np.isclose(best, expected):
        return f"strength {expected:.3g} has the lowest validation error ({val_errors.min():.3f})."
    if np.isclose(best, strengths[0]):
        raise Hint("the weakest penalty fits the training set best, but look at the *validation* errors.")
    raise Hint("pick the strength whose validation error is lowest: np.argmin(val_errors).")


def _near_zero(weights) -> float:
    return float(np.mean(np.abs(np.asarray(weights, dtype=float)) < 1e-3))


@exercise_check("Exercise 3 (which penalty was it?)")
def which_penalty(answer_a, answer_b, weights_a, weights_b) -> str:
    """Check the learner's "L1"/"L2" labels of two trained weight arrays."""
    answers = []
    for name, answer in (("penalty_a", answer_a), ("penalty_b", answer_b)):
        if not isinstance(answer, str) or answer.strip().upper() not in ("L1", "L2"):
            raise Hint(f'{name} should be the string "L1" or "L2", got {answer!r}')
        answers.append(answer.strip().upper())
    if answers[0] == answers[1]:
        raise Hint("one network was trained with L1 and the other with L2.")
    truth = ("L1", "L2") if _near_zero(weights_a) > _near_zero(weights_b) else ("L2", "L1")
    if tuple(answers) != truth:
        raise Hint("count the weights near zero, e.g. np.mean(np.abs(w) < 1e-3): "
                   "which penalty pushes many weights towards zero?")
    return (f"A is {truth[0]} ({_near_zero(weights_a):.0%} of weights near zero), "
            f"B is {truth[1]} ({_near_zero(weights_b):.0%}).")


@exercise_check("Exercise 4 (penalty or decay?)")
def decay_for_penalty(function) -> str:
    """Check ``decay_for_penalty(strength)``: the weight_decay of plain SGD (no momentum) equal to L2(strength)."""
    for strength in (0.01, 0.05, 0.3):
        answer = as_number(call_learner_function(function, strength), "the weight decay")
        if np.isclose(answer, 2 * strength):
            continue
        if np.isclose(answer, strength):
            raise Hint("the gradient of strength * w**2 is 2 * strength * w (Keras's L2 has no 1/2).")
        if np.isclose(answer, strength / 2):
            raise Hint("the other way round: the decay has to be *twice* the L2 strength.")
        raise Hint(f"for strength {strength} the matching weight_decay is not {answer}; "
                   "compare the two updates w - lr * (g + 2 * strength * w) and w - lr * (g + wd * w).")
    return "weight_decay = 2 * strength: plain SGD's decay equals Keras's L2 penalty (not with momentum)."
