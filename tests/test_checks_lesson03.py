"""Every Lesson 03 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint."""

import numpy as np

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson03 as check

keras = augreg.import_tensorflow_quietly()


def _right_gradient(w, l1, l2):
    return l1 * np.sign(w) + 2 * l2 * w


def test_reference_gradient_is_what_keras_differentiates():
    import tensorflow as tf

    for l1, l2 in ((0.01, 0.0), (0.0, 0.1), (0.003, 0.02)):
        w = tf.Variable(check.PROBE_KERNEL.astype("float64"))
        with tf.GradientTape() as tape:
            value = keras.regularizers.L1L2(l1=l1, l2=l2)(w)
        keras_gradient = tape.gradient(value, w).numpy()
        assert np.allclose(check.reference_penalty_gradient(check.PROBE_KERNEL, l1, l2), keras_gradient)


def test_penalty_gradient():
    assert check.penalty_gradient(...).status == NOT_ATTEMPTED
    assert check.penalty_gradient(lambda w, l1, l2: ...).status == NOT_ATTEMPTED
    assert check.penalty_gradient(_right_gradient).passed
    wrong = {
        # near miss: the textbook's 1/2 convention
        "no factor 1/2": lambda w, l1, l2: l1 * np.sign(w) + l2 * w,
        "l1 * sign(w)": lambda w, l1, l2: l1 * w + 2 * l2 * w,
        "not always +1": lambda w, l1, l2: l1 + 2 * l2 * w,
        "swapped": lambda w, l1, l2: _right_gradient(w, l2, l1),
        # the penalty itself, not its gradient
        "one number per weight": lambda w, l1, l2: l1 * np.sum(np.abs(w)) + l2 * np.sum(w**2),
        "you returned": lambda w, l1, l2: np.zeros_like(w),
    }
    for words, answer in wrong.items():
        result = check.penalty_gradient(answer)
        assert result.status == FAILED and words in result.message, (words, result)




def _val_choice(seed, strengths=np.logspace(-4, 2, 13)):
    x_fit, y_fit, x_val, y_val = check.regression_task(seed)
    errors = [np.mean((x_val @ w + b - y_val) ** 2)
              for w, b in (check.ridge(x_fit, y_fit, s) for s in strengths)]
    return strengths[int(np.argmin(errors))]


def _train_choice(seed, strengths=np.logspace(-4, 2, 13)):
    x_fit, y_fit, _, _ = check.regression_task(seed)
    errors = [np.mean((x_fit @ w + b - y_fit) ** 2)
              for w, b in (check.ridge(x_fit, y_fit, s) for s in strengths)]
    return strengths[int(np.argmin(errors))]


def test_regression_task_is_the_lessons_ridge_setting():
    x_fit, y_fit, x_val, y_val = check.regression_task(2)
    assert x_fit.shape == (60, 80) and x_val.shape == (500, 80) and y_val.shape == (500,)
    assert np.array_equal(check.regression_task(2)[0], x_fit)
    w, b = check.ridge(x_fit, y_fit, 0.5)  # the gradient of the objective vanishes at (w, b)
    residual = x_fit @ w + b - y_fit
    assert np.allclose(2 * x_fit.T @ residual / 60 + 2 * 0.5 * w, 0, atol=1e-9)
    assert np.isclose(residual.mean(), 0, atol=1e-9)


def test_chosen_strength():
    for seed in (0, 1):
        assert check.chosen_strength(..., seed).status == NOT_ATTEMPTED
        assert check.chosen_strength(_val_choice(seed), seed).passed
        wrong = [
            # chosen on the training error: the weakest penalty, fitting 60 examples of 80 features
            (_train_choice(seed), "choose on the validation error"),
            # near miss: a strength just below the right range (test error 12 % above the best on seed 1)
            (0.01, "is what the *training* error prefers"),
            (100.0, "score each on the *validation* examples"),
            (-1.0, "non-negative"),
            ("0.3", "one number"),
        ]
        for answer, words in wrong:
            result = check.chosen_strength(answer, seed)
            assert result.status == FAILED and words in result.message, (answer, result)


def test_which_penalty():
    sparse = np.where(np.arange(1000) % 10 == 0, 0.1, 0.0)  # 90 % exactly zero
    dense = np.full(1000, 0.02)
    for seed in range(4):
        truth = check.hidden_order(seed)
        assert sorted(truth) == ["L1", "L2"]
        weights = (sparse, dense) if truth[0] == "L1" else (dense, sparse)
        assert check.which_penalty(..., "L2", *weights, seed).status == NOT_ATTEMPTED
        assert check.which_penalty(*truth, *weights, seed).passed
        assert check.which_penalty(truth[0].lower(), f" {truth[1]}", *weights, seed).passed
        # The check grades the truth, not the near-zero count: weights that fool the heuristic
        # (here the L1 network's weights are the dense ones) do not fool the check.
        fooled = tuple(reversed(truth))
        result = check.which_penalty(*fooled, *reversed(weights), seed)
        assert result.status == FAILED and "not this way round" in result.message, result
        assert check.which_penalty(*truth, *reversed(weights), seed).passed
        wrong = [
            ((*fooled, *weights, seed), "not this way round"),
            (("L1", "L1", *weights, seed), "one network was trained with L1"),
            (("lasso", "L2", *weights, seed), 'the string "L1" or "L2"'),
        ]
        for args, words in wrong:
            result = check.which_penalty(*args)
            assert result.status == FAILED and words in result.message, (args, result)
    assert len({check.hidden_order(seed) for seed in range(8)}) == 2  # both orders occur


def test_keras_strength_matches_scikit_learn_ridge():
    from sklearn.linear_model import Ridge

    x_fit, y_fit, _, _ = check.regression_task(0)
    for alpha in (0.1, 3.0):
        w, b = check.ridge(x_fit, y_fit, alpha / len(x_fit))
        model = Ridge(alpha=alpha).fit(x_fit, y_fit)
        assert np.allclose(model.coef_, w, atol=1e-8) and np.isclose(model.intercept_, b)


def test_keras_strength():
    assert check.keras_strength(...).status == NOT_ATTEMPTED
    assert check.keras_strength(lambda alpha, n: alpha / n).passed
    wrong = {
        "divide the whole Ridge objective by n": lambda alpha, n: alpha,
        "the other way round": lambda alpha, n: alpha * n,
        "factor 1/2": lambda alpha, n: alpha / (2 * n),  # near miss: a 1/2 convention
        "write both objectives": lambda alpha, n: alpha / n**2,
    }
    for words, answer in wrong.items():
        result = check.keras_strength(answer)
        assert result.status == FAILED and words in result.message, (words, result)
