"""The checks of exercise set 03: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and the near misses issue 23 lists (a typed strength with no sweep; a rule that reads
the answer off the notebook's variables or guesses one of two), never shows a sealed test number, and
hides its truths from the learner's namespace."""

import numpy as np
import pytest

import augreg.checks.lesson03 as module
from augreg.checks import testing
from augreg.checks.lesson03 import check


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=(
            "_reference_gradient",
            "_task",
            "_best_test_error",
            "_trained_kernels",
            "_EXCESS_BOUND",
            "_PAIRS",
            "_set",
        ),
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _gradient(w, l1, l2):
    return l1 * np.sign(w) + 2 * l2 * w


def test_penalty_gradient_accepts_right_answers():
    testing.assert_not_attempted(check.penalty_gradient, ...)
    testing.assert_not_attempted(check.penalty_gradient, lambda w, l1, l2: ...)
    testing.assert_passes(check.penalty_gradient, _gradient)
    # the same gradient written with where(): another right way
    testing.assert_passes(
        check.penalty_gradient, lambda w, l1, l2: np.where(w > 0, l1, np.where(w < 0, -l1, 0.0)) + 2 * l2 * w
    )


def test_penalty_gradient_rejects_near_misses():
    wrong = {
        "half as hard": lambda w, l1, l2: l1 * np.sign(w) + l2 * w,  # a textbook's 1/2 kept
        "shrinks with the weight": lambda w, l1, l2: l1 * w + 2 * l2 * w,
        "size of the weight": lambda w, l1, l2: l1 * np.abs(w) + 2 * l2 * w,
        "negative weight": lambda w, l1, l2: l1 + 2 * l2 * w,
        "swapped": lambda w, l1, l2: l2 * np.sign(w) + 2 * l1 * w,
        "wrong sign": lambda w, l1, l2: -_gradient(w, l1, l2),
        "one number per weight": lambda w, l1, l2: float(np.sum(_gradient(w, l1, l2))),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.penalty_gradient, answer, says=words)
    testing.assert_rejects_typed_evidence(check.penalty_gradient)


def test_penalty_gradient_rejects_a_table_of_the_fixed_probe():
    from augreg.checks.lesson03 import _PROBE_KERNEL

    table = {(l1, l2): _gradient(_PROBE_KERNEL, l1, l2) for l1, l2 in ((0.01, 0.0), (0.0, 0.1), (0.003, 0.02))}
    testing.assert_rejects(check.penalty_gradient, lambda w, l1, l2: table[l1, l2])


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _ridge(x, y, strength):
    x_mean, y_mean = x.mean(axis=0), y.mean()
    xc = x - x_mean
    w = np.linalg.solve(xc.T @ xc + len(x) * strength * np.eye(x.shape[1]), xc.T @ (y - y_mean))
    return w, y_mean - x_mean @ w


def _mse(w, b, x, y):
    return float(np.mean((x @ w + b - y) ** 2))


GRID = np.logspace(-4, 3, 29)


def _k_fold(x, y, k=5, grid=GRID):
    folds = np.array_split(np.arange(len(y)), k)
    scores = []
    for s in grid:
        total = 0.0
        for fold in folds:
            rest = np.setdiff1d(np.arange(len(y)), fold)
            total += _mse(*_ridge(x[rest], y[rest], s), x[fold], y[fold])
        scores.append(total)
    return grid[int(np.argmin(scores))]


def _leave_one_out(x, y, grid=GRID):  # a second right way: ridge's closed-form leave-one-out error
    xc, yc = x - x.mean(axis=0), y - y.mean()
    scores = []
    for s in grid:
        hat = xc @ np.linalg.solve(xc.T @ xc + len(x) * s * np.eye(x.shape[1]), xc.T)
        residual = (yc - hat @ yc) / (1 - np.diag(hat) - 1 / len(y))
        scores.append(np.mean(residual**2))
    return grid[int(np.argmin(scores))]


def test_choose_strength_accepts_cross_validation():
    testing.assert_not_attempted(check.choose_strength, ...)
    testing.assert_not_attempted(check.choose_strength, lambda x, y: ...)
    for seed in (0, 1):
        result = testing.assert_passes(check.choose_strength, _k_fold, seed=seed)
    assert "above the best" in result.message
    testing.assert_passes(check.choose_strength, _leave_one_out)
    testing.assert_passes(check.choose_strength, lambda x, y: _k_fold(x, y, k=10))


def _sealed_excess(strengths, seed=0):
    from augreg.checks.lesson03 import _NOISES, _best_test_error, _test_error

    return [_test_error(seed, n, s) / _best_test_error(seed, n) - 1 for n, s in zip(_NOISES, strengths)]


def test_choose_strength_rejects_a_typed_strength_and_no_sweep():
    # issue 23: "a typed best_strength = 0.3 and no sweep" passed; every constant fails now
    for constant in (0.03, 0.1, 0.3, 1.0, 3.0):
        testing.assert_rejects(
            check.choose_strength,
            lambda x, y, c=constant: c,
            says="the same strength",
            sealed=tuple(_sealed_excess([constant] * 4)),
        )
    testing.assert_rejects_typed_evidence(check.choose_strength)


def test_choose_strength_rejects_the_training_error_and_a_narrow_grid():
    def on_training_error(x, y):
        return GRID[int(np.argmin([_mse(*_ridge(x, y, s), x, y) for s in GRID]))]

    def scored_on_the_fitted_examples(x, y):  # "cross-validation" that scores a fit on its own folds
        return GRID[
            int(
                np.argmin(
                    [
                        sum(_mse(*_ridge(x[f], y[f], s), x[f], y[f]) for f in np.array_split(np.arange(len(y)), 5))
                        for s in GRID
                    ]
                )
            )
        ]

    for answer in (on_training_error, scored_on_the_fitted_examples, lambda x, y: 1e-6):
        testing.assert_rejects(check.choose_strength, answer, says="no penalty")
    narrow = testing.assert_rejects(
        check.choose_strength, lambda x, y: _k_fold(x, y, grid=np.logspace(-4, -1, 13)), says="grid"
    )
    assert "shown only with a pass" in narrow.message
    testing.assert_rejects(check.choose_strength, lambda x, y: -1.0, says="zero or more")


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _near_zero_rule(a, b):
    return "a" if np.mean(np.abs(a) < 1e-3) > np.mean(np.abs(b) < 1e-3) else "b"


@pytest.mark.slow
def test_which_is_l1_accepts_the_near_zero_share():
    testing.assert_not_attempted(check.which_is_l1, ...)
    testing.assert_passes(check.which_is_l1, _near_zero_rule)
    # another right way: counting the weights near zero in each kernel
    testing.assert_passes(
        check.which_is_l1,
        lambda a, b: "a" if np.count_nonzero(np.abs(a) < 1e-3) > np.count_nonzero(np.abs(b) < 1e-3) else "b",
    )


@pytest.mark.slow
def test_which_is_l1_rejects_guesses_positions_norms_and_exact_zeros():
    wrong = {
        "by position": lambda a, b: "a",  # issue 23: a two-way choice, guessed
        "every time": lambda a, b: "b" if _near_zero_rule(a, b) == "a" else "a",  # the rule reversed
        "the whole kernel": lambda a, b: "a" if np.linalg.norm(a) < np.linalg.norm(b) else "b",  # norms
        '"a" or "b"': lambda a, b: "L1",
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.which_is_l1, answer, says=words)
    # exact zeros: none in either network, so the rule answers by position
    testing.assert_rejects(
        check.which_is_l1, lambda a, b: "a" if np.sum(a == 0) > np.sum(b == 0) else "b", says="by position"
    )
    testing.assert_rejects_typed_evidence(check.which_is_l1)


@pytest.mark.slow
def test_which_is_l1_draws_the_order_anew_for_every_attempt():
    from augreg.checks.lesson03 import _trained_kernels

    pairs = _trained_kernels(0)
    seen = []

    def remembers(a, b):  # records the order in which the check shows its kernels
        seen.append((round(float(a[0]), 7), round(float(b[0]), 7)))
        return _near_zero_rule(a, b)

    testing.assert_passes(check.which_is_l1, remembers)
    first = list(seen)
    seen.clear()
    testing.grade(check.which_is_l1, remembers)
    assert len(first) == len(seen) == 2 * len(pairs)
    assert sorted(first) == sorted(seen) and first != seen  # the same showings, in another order


def test_the_exercise_3_networks_are_the_lessons():
    from augreg.checks.lesson03 import _PAIRS, _STEPS, _WIDTH

    assert (_WIDTH, _STEPS) == (256, 375)
    assert any(l1 == l2 for l1, l2 in _PAIRS) and any(l2 > l1 for l1, l2 in _PAIRS)


# --- Exercise 4 -------------------------------------------------------------------------------------------


def test_keras_strength():
    testing.assert_not_attempted(check.keras_strength, ...)
    testing.assert_passes(check.keras_strength, lambda alpha, n: alpha / n)
    wrong = {
        "alpha itself": lambda alpha, n: alpha,
        "the other way round": lambda alpha, n: alpha * n,
        "a factor 2": lambda alpha, n: alpha / (2 * n),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.keras_strength, answer, says=words)
    # a table of the two fixed probes fails on the third, drawn anew
    testing.assert_rejects(
        check.keras_strength, lambda alpha, n: {(1.0, 100): 0.01, (0.3, 60): 0.005}.get((alpha, n), 0.0)
    )
    testing.assert_rejects_typed_evidence(check.keras_strength)
