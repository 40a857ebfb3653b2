"""Checks for Exercises 03 (L1 and L2 weight penalties)."""

from __future__ import annotations

import functools

import numpy as np

from . import Hint, as_number, call_learner_function, exercise_check

#: A small kernel the learner's gradient is tested on (one weight is exactly zero).
PROBE_KERNEL = np.array([[0.5, -1.0, 2.0], [0.0, -0.25, 0.001]])


def reference_penalty_gradient(w, l1: float, l2: float) -> np.ndarray:
    """The gradient of ``keras.regularizers.L1L2(l1, l2)(w)`` with respect to ``w``.

    ``l1 * sign(w) + 2 * l2 * w``; at ``w = 0`` the L1 part is 0, as TensorFlow's
    gradient of ``abs`` is.
    """
    w = np.asarray(w, dtype=float)
    return l1 * np.sign(w) + 2 * l2 * w


@exercise_check("Exercise 1 (the pull of a penalty)")
def penalty_gradient(function) -> str:
    """Check ``penalty_gradient(w, l1, l2)`` against the gradient of Keras's L1L2 penalty."""
    for l1, l2 in ((0.01, 0.0), (0.0, 0.1), (0.003, 0.02)):
        answer = call_learner_function(function, PROBE_KERNEL.copy(), l1, l2)
        try:
            answer = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            raise Hint(f"return an array of the same shape as w, got {type(answer).__name__}") from None
        if answer.shape != PROBE_KERNEL.shape:
            raise Hint(f"return one number per weight: an array of shape {PROBE_KERNEL.shape}, got "
                       f"shape {answer.shape}. A gradient has as many entries as there are weights.")
        expected = reference_penalty_gradient(PROBE_KERNEL, l1, l2)
        if np.allclose(answer, expected, rtol=1e-6, atol=1e-12):
            continue
        w = PROBE_KERNEL
        shown = f"for l1={l1}, l2={l2}"
        if np.allclose(answer, l1 * np.sign(w) + l2 * w):
            raise Hint(f"{shown}: the derivative of l2 * w**2 is 2 * l2 * w; Keras's L2 has no factor 1/2 "
                       "to cancel the 2 (Lesson 03, the penalty is just a term in the loss).")
        if np.allclose(answer, l1 * w + 2 * l2 * w) or np.allclose(answer, l1 * np.abs(w) + 2 * l2 * w):
            raise Hint(f"{shown}: the derivative of l1 * |w| is l1 * sign(w): the same size, l1, for "
                       "every weight that is not zero, however small it is.")
        if np.allclose(answer, l1 + 2 * l2 * w):
            raise Hint(f"{shown}: |w| falls when a negative w grows: its derivative is sign(w) (np.sign), "
                       "+1 or -1, not always +1.")
        if np.allclose(answer, l2 * np.sign(w) + 2 * l1 * w):
            raise Hint(f"{shown}: l1 goes with |w| and l2 with w**2; they are swapped.")
        raise Hint(f"{shown} the gradient on the test kernel is {np.round(expected, 5).tolist()}; "
                   f"you returned {np.round(answer, 5).tolist()}.")
    return "penalty_gradient matches the gradient of keras.regularizers.L1L2 on a test kernel."


def ridge(x, y, strength: float):
    """Minimize ``mean((x @ w + b - y)**2) + strength * sum(w**2)``: returns ``(w, b)`` (Lesson 03)."""
    x_mean, y_mean = x.mean(axis=0), y.mean()
    xc = x - x_mean
    w = np.linalg.solve(xc.T @ xc + len(x) * strength * np.eye(x.shape[1]), xc.T @ (y - y_mean))
    return w, y_mean - x_mean @ w


#: Exercise 2's regression task: features, training, validation and test examples.
N_FEATURES, N_FIT, N_VAL, N_TEST = 80, 60, 500, 2000
#: Exercise 2: the chosen strength's test error may be at most this much above the best possible.
#: Pilots (seeds 100000-103000, 13 strengths 1e-4..1e2): chosen on validation 0.1-3.5 % above the
#: best; the weakest strength (what the training error picks) 14-133 % above; the strongest 51-87 %.
STRENGTH_BOUND = 0.10


@functools.lru_cache(maxsize=8)
def _task(seed: int):
    rng = np.random.default_rng(seed + 100)
    true_w = rng.normal(size=N_FEATURES) / np.sqrt(N_FEATURES)
    n = N_FIT + N_VAL + N_TEST
    x = rng.normal(size=(n, N_FEATURES))
    y = x @ true_w + 1.0 + 0.5 * rng.normal(size=n)
    return x, y


def regression_task(seed: int):
    """``(x_fit, y_fit, x_val, y_val)``: 60 training and 500 validation examples of 80 features.

    ``y = x @ w + 1 + noise`` with random true weights ``w`` (variance 1/80 each)
    and Gaussian noise of standard deviation 0.5, all drawn from ``seed``. The
    2,000 test examples of the same task stay inside the check.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    x, y = _task(int(seed))
    cut = N_FIT + N_VAL
    return x[:N_FIT], y[:N_FIT], x[N_FIT:cut], y[N_FIT:cut]


def _test_error(strength: float, seed: int) -> float:
    x, y = _task(seed)
    w, b = ridge(x[:N_FIT], y[:N_FIT], strength)
    x_test, y_test = x[N_FIT + N_VAL:], y[N_FIT + N_VAL:]
    return float(np.mean((x_test @ w + b - y_test) ** 2))


@functools.lru_cache(maxsize=8)
def _best_test_error(seed: int) -> float:
    """The lowest test error of any strength on a fine log grid, 1e-5 to 1e3."""
    return min(_test_error(s, seed) for s in np.logspace(-5, 3, 161))


@exercise_check("Exercise 2 (choose a strength)")
def chosen_strength(strength, seed) -> str:
    """Check the test error of ridge at ``strength`` against the best strength's, within :data:`STRENGTH_BOUND`."""
    strength = as_number(strength, "best_strength")
    if not np.isfinite(strength) or strength < 0:
        raise Hint(f"a strength is a non-negative number, got {strength}")
    best = _best_test_error(int(seed))
    error = _test_error(strength, int(seed))
    excess = error / best - 1
    if excess <= STRENGTH_BOUND:
        return (f"strength {strength:.3g}: test error {error:.3f}, {excess:.1%} above the best any "
                f"strength reaches on this task ({best:.3f}); the bound is {STRENGTH_BOUND:.0%}.")
    weak = _test_error(1e-6, int(seed))
    if strength <= 1e-2:
        raise Hint(f"strength {strength:.3g} gives a test error of {error:.3f}, {excess:.0%} above the best "
                   f"({best:.3f}). Such a weak penalty fits the 60 training examples almost exactly "
                   "(fewer examples than features) and is what the *training* error prefers: choose on "
                   "the validation error (Lesson 03, the strength sweep).")
    raise Hint(f"strength {strength:.3g} gives a test error of {error:.3f}, {excess:.0%} above the best "
               f"({best:.3f}; almost no penalty: {weak:.3f}). Sweep the strength on a log scale, score each "
               "on the *validation* examples and keep the lowest (Lesson 03, the strength sweep).")


def _near_zero(weights) -> float:
    return float(np.mean(np.abs(np.asarray(weights, dtype=float)) < 1e-3))


def hidden_order(seed: int) -> tuple[str, str]:
    """Which penalty network A and network B were trained with (Exercise 3): do not peek."""
    order = np.random.default_rng(int(seed) + 7).permutation(["L1", "L2"])
    return str(order[0]), str(order[1])


@exercise_check("Exercise 3 (which penalty was it?)")
def which_penalty(answer_a, answer_b, weights_a, weights_b, seed) -> str:
    """Check the learner's "L1"/"L2" labels of two trained weight arrays against the truth."""
    answers = []
    for name, answer in (("penalty_a", answer_a), ("penalty_b", answer_b)):
        if not isinstance(answer, str) or answer.strip().upper() not in ("L1", "L2"):
            raise Hint(f'{name} should be the string "L1" or "L2", got {answer!r}')
        answers.append(answer.strip().upper())
    if answers[0] == answers[1]:
        raise Hint("one network was trained with L1 and the other with L2.")
    truth = hidden_order(seed)
    zeros = f"A has {_near_zero(weights_a):.0%} of its weights within 0.001 of zero, B {_near_zero(weights_b):.0%}"
    if tuple(answers) != truth:
        raise Hint(f"not this way round ({zeros}). Which penalty keeps pulling a weight towards zero with "
                   "the same force however small it is, and which one's pull fades as the weight shrinks? "
                   "(Lesson 03, near zero is not zero.)")
    return f"A is {truth[0]} and B is {truth[1]}: {zeros}."


@exercise_check("Exercise 4 (scikit-learn's alpha in Keras)")
def keras_strength(function) -> str:
    """Check ``keras_strength(alpha, n)``: the ``L2`` strength with a mean-squared-error loss equal to ``Ridge(alpha)``."""
    for alpha, n in ((1.0, 100), (0.3, 60), (5.0, 1000)):
        answer = as_number(call_learner_function(function, alpha, n), "the strength")
        expected = alpha / n
        if np.isclose(answer, expected, rtol=1e-9, atol=0):
            continue
        shown = f"for alpha={alpha} and n={n} the strength is {expected:.4g}, not {answer:.4g}"
        if np.isclose(answer, alpha):
            raise Hint(f"{shown}: Ridge adds alpha * sum(w**2) to a *sum* of squared errors, Keras adds "
                       "the penalty to their *mean*: divide the whole Ridge objective by n.")
        if np.isclose(answer, alpha * n):
            raise Hint(f"{shown}: the other way round; the mean is the sum divided by n.")
        if np.isclose(answer, alpha / (2 * n)) or np.isclose(answer, 2 * alpha / n):
            raise Hint(f"{shown}: neither Ridge nor Keras's L2 has a factor 1/2 (Lesson 03, the penalty "
                       "is just a term in the loss).")
        raise Hint(f"{shown}: write both objectives and divide Ridge's by n.")
    return "strength = alpha / n: Ridge's objective divided by n is the MSE plus that penalty."
