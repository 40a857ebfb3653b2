"""Checks of exercise set 11 (where the two families meet): ``from augreg.checks.lesson11 import check``.

Everything but ``check`` is private and hidden from ``dir``; every truth is computed from probes drawn
inside the check.

* Exercise 1 grades ``matching_l2(sigma, n, reduction)``, the Keras ``L2`` strength that matches
  ``GaussianNoise(sigma)`` on the input of a bias-free ``Dense`` layer trained with a mean or a summed
  squared error on ``n`` examples. Probes are drawn anew for every attempt (so no constant passes), and
  the learner's strength is also used to train a Keras model, whose weights are compared with the
  expected-noise solution.
* Exercise 2 grades ``dropout_weights(X, y, rate)``, the weights that inverted dropout on the inputs of
  linear regression leads to in expectation, against least squares over every dropout mask, on designs
  drawn anew for every attempt (one with a rare feature).
* Exercise 3 (open) grades a *recipe*, ``robust_to_noise(x_train, y_train, x_val, y_val, seed)``: the check
  draws its own digits (a hidden split, classes relabelled), adds pixel noise to its validation and test
  digits (the training digits stay clean), trains the recipe and measures the returned network on its
  noisy, sealed test digits against :data:`_NOISE_BOUND`.
"""

from __future__ import annotations

import itertools

import numpy as np

from . import ExerciseSet, Hint, as_number
from .evidence import (
    accuracy,
    call_learner,
    record_pilot,
    require_function,
    sealed_split,
    sealed_verdict,
)

_set = ExerciseSet("11", "11-where-they-meet")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


def _fresh_rng():
    return np.random.default_rng()  # probes drawn anew at every attempt: no table of answers passes


# --- Exercise 1 ------------------------------------------------------------------------------------------


def _noise_solution(X, y, sigma, reduction):
    """What training a linear model with input noise sigma minimizes in expectation, in closed form."""
    n, d = X.shape
    return np.linalg.solve(X.T @ X + n * sigma**2 * np.eye(d), X.T @ y)  # the same for mean and sum


def _train_with_l2(X, y, strength, reduction, seed=0):
    """A bias-free Dense(1) with kernel_regularizer=L2(strength), full-batch SGD to convergence."""
    import keras

    keras.utils.set_random_seed(seed)
    n, d = X.shape
    model = keras.Sequential(
        [
            keras.Input((d,)),
            keras.layers.Dense(
                1, use_bias=False, kernel_initializer="zeros", kernel_regularizer=keras.regularizers.L2(strength)
            ),
        ]
    )
    loss = keras.losses.MeanSquaredError(reduction="sum" if reduction == "sum" else "sum_over_batch_size")
    rate = 0.05 if reduction == "mean" else 0.05 / n
    steps = 1500
    model.compile(optimizer=keras.optimizers.SGD(rate), loss=loss, steps_per_execution=steps)
    model.fit(np.tile(X, (steps, 1)), np.tile(y, steps), batch_size=n, epochs=1, shuffle=False, verbose=0)
    return keras.ops.convert_to_numpy(model.layers[-1].kernel)[:, 0]


@_set.exercise(
    1,
    "the ridge strength of a noise level",
    level="warm-up",
    section="sec-11-noise",
    hints=(
        "What does Gaussian noise on the inputs add to one example's squared error on average, and does "
        "Keras add the L2 penalty once per batch or once per example?",
        "Expand the squared error of the noisy input and average over the noise: the cross term vanishes "
        "and what stays depends on sigma and on the weights. Then compare with what `L2(l)` adds: once, to "
        "the loss of the whole batch, whether the examples' errors are averaged or summed.",
        "The noise adds sigma**2 * ||w||**2 per example. With the mean squared error that is sigma**2 in "
        "total; with the summed squared error the n examples add up to n * sigma**2. Keras's `L2(l)` adds "
        "l * ||w||**2 with no factor 1/2.",
    ),
)
def _noise_strength(function):
    require_function(function, "matching_l2 (the function itself)")
    rng = _fresh_rng()
    probes = [
        (float(rng.uniform(0.2, 1.5)), int(rng.integers(40, 400)), reduction)
        for reduction in ("mean", "sum", "mean", "sum")
    ]
    for sigma, n, reduction in probes:
        answer = as_number(
            call_learner(function, sigma, n, reduction, what="matching_l2"),
            f"matching_l2({sigma:.2f}, {n}, {reduction!r})",
        )
        truth = sigma**2 * (n if reduction == "sum" else 1)
        if np.isclose(answer, truth, rtol=1e-6):
            continue
        scale = truth / sigma**2
        if np.isclose(answer, sigma * scale, rtol=1e-6):
            raise Hint("your strength grows like sigma: what does the noise's *variance* do to the loss?")
        if np.isclose(answer, truth / 2, rtol=1e-6):
            raise Hint("half the right strength: Keras's L2(l) adds l * ||w||**2 with no factor 1/2.")
        if np.isclose(answer, 2 * truth, rtol=1e-6):
            raise Hint("twice the right strength: the noise adds sigma**2 * ||w||**2, once, per example.")
        if reduction == "mean" and np.isclose(answer, n * sigma**2, rtol=1e-6):
            raise Hint("with the *mean* squared error the examples' extra terms are averaged, not added up.")
        if reduction == "sum" and np.isclose(answer, sigma**2, rtol=1e-6):
            raise Hint("with the *summed* squared error every example adds its own sigma**2 * ||w||**2.")
        raise Hint(
            f"matching_l2({sigma:.2f}, {n}, {reduction!r}) should give the strength whose model "
            f"matches the noise; yours gives {answer:.4g}."
        )
    # and checked against training: the learner's strength, in Keras, lands on the expected-noise weights
    sigma, n, _ = probes[0]
    X = rng.normal(size=(n, 4)) * np.array([2.0, 1.0, 0.5, 1.5])
    y = X @ rng.normal(size=4) + rng.normal(size=n)
    trained = _train_with_l2(X, y, float(function(sigma, n, "mean")), "mean")
    gap = float(np.max(np.abs(trained - _noise_solution(X, y, sigma, "mean"))))
    if gap > 1e-3:
        raise Hint(f"Keras trained with your strength ends {gap:.3g} away from the noisy model's weights.")
    return (
        f"right for both conventions; trained with your strength, Keras lands within {gap:.1e} of the "
        f"weights noise leads to."
    )


# --- Exercise 2 ------------------------------------------------------------------------------------------


def _every_mask(X, y, rate):
    """Least squares over every dropout mask of the inputs, weighted by its probability (the truth)."""
    n, d = X.shape
    rows, targets, weights = [], [], []
    for mask in itertools.product([0, 1], repeat=d):
        mask = np.array(mask)
        rows.append(X * mask / (1 - rate))
        targets.append(y)
        weights.append(np.full(n, np.prod(np.where(mask == 1, 1 - rate, rate))))
    root = np.sqrt(np.concatenate(weights))
    return np.linalg.lstsq(np.concatenate(rows) * root[:, None], np.concatenate(targets) * root, rcond=None)[0]


def _designs(rng):
    """Two designs: features of different sizes, and one with a rare feature (mostly zeros)."""
    n, d = int(rng.integers(30, 80)), int(rng.integers(4, 7))
    X = rng.normal(size=(n, d)) * rng.uniform(0.3, 3.0, size=d)
    rare = rng.normal(size=(n, d))
    rare[:, 0] *= (rng.random(n) < 0.1) * 4.0
    out = []
    for design in (X, rare):
        y = design @ rng.normal(size=design.shape[1]) + rng.normal(size=n)
        out.append((design, y, float(rng.uniform(0.1, 0.6))))
    return out


@_set.exercise(
    2,
    "the dropout penalty of a new design",
    level="core",
    section="sec-11-dropout",
    hints=(
        "After inverted dropout, what are the mean and the variance of one input feature, and which of "
        "them does the squared error pick up on average?",
        "Write the dropped input as x * m / (1 - rate) with m a coin flip. Its mean is x; its variance "
        "grows with x**2. The expected squared error is the clean one plus a penalty that weighs each "
        "weight by how much its feature carries over the examples.",
        "The penalty is rate / (1 - rate) * sum_j w_j**2 * sum_i x_ij**2; the weights solve "
        "(X'X + rate / (1 - rate) * diag(X'X)) w = X'y.",
    ),
)
def _dropout_weights(function):
    require_function(function, "dropout_weights (the function itself)")
    for X, y, rate in _designs(_fresh_rng()):
        answer = call_learner(function, X.copy(), y.copy(), rate, what="dropout_weights")
        try:
            answer = np.asarray(answer, dtype=float).ravel()
        except (TypeError, ValueError):
            raise Hint("dropout_weights should return the weights, one number per feature") from None
        if answer.shape != (X.shape[1],):
            raise Hint(
                f"dropout_weights should return one weight per feature ({X.shape[1]}), got {answer.size} numbers"
            )
        truth = _every_mask(X, y, rate)
        if np.allclose(answer, truth, rtol=1e-6, atol=1e-8):
            continue
        gram = X.T @ X
        near = {
            "plain least squares: the noise of dropout adds a penalty": np.linalg.lstsq(X, y, rcond=None)[0],
            "one strength for every weight (plain ridge): dropout's penalty weighs each weight by its "
            "feature's size": np.linalg.solve(
                gram + rate / (1 - rate) * np.mean(np.diag(gram)) * np.eye(len(gram)), X.T @ y
            ),
            "the strength rate, where the kept features are scaled by 1 / (1 - rate): what is the variance "
            "of x * m / (1 - rate)?": np.linalg.solve(gram + rate * np.diag(np.diag(gram)), X.T @ y),
            "the penalty divided by the number of examples: the formula sums over the examples, as X'X "
            "does": np.linalg.solve(gram + rate / (1 - rate) * np.diag(np.diag(gram)) / len(y), X.T @ y),
            "dropout without the 1 / (1 - rate) scaling: Keras's Dropout is inverted": np.linalg.solve(
                (1 - rate) * gram + rate * np.diag(np.diag(gram)), X.T @ y
            ),
        }
        for diagnosis, weights in near.items():
            if np.allclose(answer, weights, rtol=1e-6, atol=1e-8):
                raise Hint(f"your weights are those of {diagnosis}.")
        raise Hint(
            "your weights differ from least squares over every dropout mask on a design of the "
            "check's own: compare yours with the masks on a small design in the notebook first."
        )
    return "right on two designs of the check's own, one with a rare feature, checked against every mask."


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: The pixel noise of the deployed digits (validation and test; training digits are clean).
_PIXEL_NOISE = 0.4
#: Pass mark on the noisy sealed test digits, between the pilots of the solution and of doing nothing.
#: Pilots, bases 100 / 101 / 102 / 103 (``python -m augreg_tools.exercises pilot 11``): the solution's
#: recipe (GaussianNoise or its L2 twin, chosen on the noisy validation digits) scored 0.806 / 0.808 /
#: 0.822 / 0.802 on the sealed test digits; the plain network, nothing chosen, 0.658 / 0.682 / 0.716 /
#: 0.630 (``testing.grade`` of a plain recipe).
_NOISE_BOUND = 0.76


def _noisy(x, seed):
    rng = np.random.default_rng(seed)
    return np.clip(x + rng.normal(scale=_PIXEL_NOISE, size=x.shape), 0, 1).astype("float32")


@_set.exercise(
    3,
    "an augmentation or its penalty?",
    level="open",
    section="sec-11-noise",
    hints=(
        "For a network, is input noise still the same as its L2 penalty, and which split can tell you "
        "which of the two helps on noisy digits?",
        "Train a few candidates, some with GaussianNoise in front and some with the L2 strength that would "
        "match that noise for a linear model, and keep the one with the best accuracy on the noisy "
        "validation digits your recipe receives.",
        "A GaussianNoise layer whose sigma is near the deployed noise, chosen against L2 on the noisy "
        "validation digits, clears the bound; the L2 twin does not make a network robust to noise.",
    ),
)
def _robust_to_noise(recipe, seed):
    require_function(recipe, "your recipe (the function itself)")
    split = sealed_split(seed, "11.3")
    key = int(np.random.default_rng(split.permutation).integers(1 << 30))
    x_val, x_test = _noisy(split.x_val, key), _noisy(split.x_test, key + 1)
    model = call_learner(recipe, split.x_train, split.y_train, x_val, split.y_val, seed, what="your recipe")
    val, test = accuracy(model, x_val, split.y_val), accuracy(model, x_test, split.y_test)
    record_pilot("11.3", seed, test=test, validation=val)
    return sealed_verdict(
        test,
        _NOISE_BOUND,
        validation=val,
        task="your recipe, trained by the check on clean digits, measured on noisy ones",
    )


# --- Check yourself ----------------------------------------------------------------------------------------

_set.question(
    1,
    "A linear regression is trained with `GaussianNoise(0.5)` on its inputs and Keras's mean squared error. "
    "Which `L2` strength on its kernel gives, in expectation, the same model?",
    choices=("`L2(0.5)`", "`L2(0.125)`", "`L2(0.25)`", "`L2(0.25 * n)` for n training examples"),
    answer="c",
    explanation="The noise adds sigma**2 * ||w||**2 to each example's squared error; averaged over the "
    "examples that stays sigma**2 = 0.25, and Keras's L2(l) adds l * ||w||**2 with no factor 1/2. With a "
    "summed loss it would be n * 0.25.",
    section="sec-11-noise",
)
_set.question(
    2,
    "Dropout on the inputs of a linear model is a ridge penalty. What sets it apart from L2?",
    choices=(
        "Each weight is pulled with a strength proportional to how much its feature carries, so rescaling "
        "a feature does not change the predictions",
        "It pulls every weight with the same strength, like L2, but only during training",
        "It is not a penalty at all: it only adds noise",
        "It sets small weights exactly to zero, like L1",
    ),
    answer="a",
    explanation="The expected loss adds rate / (1 - rate) * sum_j w_j**2 * sum_i x_ij**2: a ridge whose "
    "strength differs per weight. That is ridge on features rescaled to one size, so a feature's units do "
    "not matter; L2's predictions change when a feature is rescaled.",
    section="sec-11-dropout",
)
_set.question(
    3,
    "PyTorch code trains with `MSELoss()` and `SGD(weight_decay=1e-3)` on 500 examples. Which Keras setting "
    "solves the same problem?",
    choices=('`L2(1e-3)` with `"mse"`', '`L2(2e-3)` with `"mse"`', '`L2(0.5)` with `"mse"`', '`L2(5e-4)` with `"mse"`'),
    answer="d",
    explanation="weight_decay adds wd * w to the gradient, the gradient of (wd / 2) * ||w||**2; Keras's "
    "L2(l) adds l * ||w||**2, so l = wd / 2 = 5e-4 (scikit-learn's alpha would be n * l = 0.25).",
    section="sec-11-prior",
)
_set.question(
    4,
    "Gradient descent from zero is stopped after t steps. As t grows, the ridge strength that best matches "
    "the stopped weights...",
    choices=(
        "grows like t",
        "falls like 1 / t, until the run reaches plain least squares",
        "stays the same: early stopping is not a penalty",
        "falls like 1 / t forever",
    ),
    answer="b",
    explanation="The stopped filter switches at s**2 ~ 1 / (eta t), ridge's at s**2 = lambda: lambda * eta "
    "* t stays roughly constant while the flattest direction is still unlearned; after that gradient "
    "descent has reached least squares and the matching lambda goes to zero.",
    section="sec-11-early",
)
_set.question(
    5,
    "On digits shifted by two pixels, shift augmentation helped and none of the L2 and dropout settings tried "
    "did. Why?",
    choices=(
        "L2 and dropout were not tuned long enough",
        "Augmentation acts on the data and regularization on the learning process",
        "A generic penalty does not know which changes keep the label; augmentation brings that knowledge "
        "in with shifted examples",
        "Shifted digits are a different task, which no technique can learn",
    ),
    answer="c",
    explanation="Where the code goes is not the difference: a penalty that knows the transformation (the "
    "tangent penalty) bought much of the invariance for one-pixel shifts. L2 and dropout know nothing about "
    "shifts: on digits shifted by two pixels, the best of them (chosen on validation) made no difference "
    "to the plain network that five seeds could resolve.",
    section="sec-11-part",
)
