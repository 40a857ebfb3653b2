"""The checks of exercise set 11: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and near misses (the wrong convention, the wrong variance, plain ridge, ...), never shows
a sealed test number, and hides its truths from the learner's namespace."""

import numpy as np
import pytest

import augreg.checks.lesson11 as module
from augreg.checks import testing
from augreg.checks.lesson11 import check


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check, module, truths=("_every_mask", "_noise_solution", "_NOISE_BOUND", "_designs", "_set")
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _right(sigma, n, reduction):
    return sigma**2 * n if reduction == "sum" else sigma**2


@pytest.mark.slow  # trains one small Keras model
def test_noise_strength_accepts_the_right_conventions():
    testing.assert_not_attempted(check.noise_strength, ...)
    testing.assert_not_attempted(check.noise_strength, lambda s, n, r: ...)
    testing.assert_passes(check.noise_strength, _right)
    testing.assert_passes(check.noise_strength, lambda s, n, r: float(np.square(s)) * (n if r == "sum" else 1))


@pytest.mark.parametrize(
    "answer, says",
    [
        (lambda s, n, r: s * (n if r == "sum" else 1), "variance"),  # sigma, not sigma squared
        (lambda s, n, r: _right(s, n, r) / 2, "factor 1/2"),  # the 1/2 convention
        (lambda s, n, r: 2 * _right(s, n, r), "twice"),
        (lambda s, n, r: n * s**2, "averaged"),  # the summed convention everywhere
        (lambda s, n, r: s**2, "summed"),  # the mean convention everywhere
        (lambda s, n, r: 0.25, "should give"),  # a typed constant
    ],
)
def test_noise_strength_rejects_near_misses(answer, says):
    testing.assert_rejects(check.noise_strength, answer, says=says)


def test_noise_strength_rejects_typed_evidence():
    testing.assert_rejects_typed_evidence(check.noise_strength)
    testing.assert_rejects(check.noise_strength, lambda s, n, r: None, says="None")


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _dropout(X, y, rate):
    gram = X.T @ X
    return np.linalg.solve(gram + rate / (1 - rate) * np.diag(np.diag(gram)), X.T @ y)


def _masks(X, y, rate):
    return module._every_mask(X, y, rate)


def test_dropout_weights_accepts_the_closed_form_and_every_mask():
    testing.assert_not_attempted(check.dropout_weights, ...)
    testing.assert_passes(check.dropout_weights, _dropout)
    testing.assert_passes(check.dropout_weights, _masks)  # enumerating the masks is right too
    testing.assert_passes(check.dropout_weights, lambda X, y, rate: list(_dropout(X, y, rate)))


def _gram_solve(scale_gram, penalty):
    def weights(X, y, rate):
        gram = X.T @ X
        return np.linalg.solve(scale_gram(rate) * gram + penalty(gram, rate, len(y)), X.T @ y)

    return weights


@pytest.mark.parametrize(
    "answer, says",
    [
        (lambda X, y, rate: np.linalg.lstsq(X, y, rcond=None)[0], "plain least squares"),
        (
            _gram_solve(lambda r: 1, lambda g, r, n: r / (1 - r) * np.mean(np.diag(g)) * np.eye(len(g))),
            "one strength for every weight",
        ),
        (_gram_solve(lambda r: 1, lambda g, r, n: r * np.diag(np.diag(g))), "the strength rate"),
        (_gram_solve(lambda r: 1, lambda g, r, n: r / (1 - r) * np.diag(np.diag(g)) / n), "divided by the number"),
        (_gram_solve(lambda r: 1 - r, lambda g, r, n: r * np.diag(np.diag(g))), "without the 1 / (1 - rate)"),
        (lambda X, y, rate: _dropout(X, y, rate)[::-1], "differ"),
        (lambda X, y, rate: np.ones(3), "one weight per feature"),
    ],
)
def test_dropout_weights_rejects_near_misses(answer, says):
    testing.assert_rejects(check.dropout_weights, answer, says=says)


def test_dropout_weights_rejects_typed_evidence():
    testing.assert_rejects_typed_evidence(check.dropout_weights)
    testing.assert_rejects(check.dropout_weights, lambda X, y, rate: "weights", says="one number per feature")


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _network(seed, front=(), l2=None):
    import keras

    keras.utils.set_random_seed(seed)
    reg = keras.regularizers.L2(l2) if l2 else None
    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            *front,
            keras.layers.Flatten(),
            keras.layers.Dense(256, activation="relu", kernel_regularizer=reg),
            keras.layers.Dense(10, kernel_regularizer=reg),
        ]
    )


def _fit(models, x, y, seed):
    import keras

    import augreg

    return augreg.fit_in_parallel(
        models,
        [x] * len(models),
        [y] * len(models),
        seeds=[seed] * len(models),
        steps=1000,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )


def _noise_recipe(x_train, y_train, x_val, y_val, seed):
    import keras

    return _fit([_network(seed, [keras.layers.GaussianNoise(0.4, seed=seed)])], x_train, y_train, seed)[0]


def _plain_recipe(x_train, y_train, x_val, y_val, seed):
    return _fit([_network(seed)], x_train, y_train, seed)[0]


def _l2_recipe(x_train, y_train, x_val, y_val, seed):
    return _fit([_network(seed, l2=0.16)], x_train, y_train, seed)[0]


@pytest.mark.slow  # trains networks on the check's own digits
def test_robust_to_noise_accepts_noise_augmentation():
    testing.assert_not_attempted(check.robust_to_noise, ...)
    testing.assert_passes(check.robust_to_noise, _noise_recipe)


@pytest.mark.slow
@pytest.mark.parametrize("recipe", [_plain_recipe, _l2_recipe], ids=["doing nothing", "the L2 twin"])
def test_robust_to_noise_rejects_doing_nothing_and_the_l2_twin(recipe):
    from augreg.checks.evidence import accuracy, sealed_split

    split = sealed_split(0, "11.3")
    key = int(np.random.default_rng(split.permutation).integers(1 << 30))
    model = recipe(split.x_train, split.y_train, module._noisy(split.x_val, key), split.y_val, 0)
    test = accuracy(model, module._noisy(split.x_test, key + 1), split.y_test)
    testing.assert_rejects(check.robust_to_noise, recipe, sealed=(test,))


def test_robust_to_noise_rejects_typed_evidence_and_models():
    testing.assert_rejects_typed_evidence(check.robust_to_noise)
    testing.assert_rejects(check.robust_to_noise, _network(0), says="function")
