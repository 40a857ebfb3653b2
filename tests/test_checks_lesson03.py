"""Every Lesson 03 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint."""

import numpy as np

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson03 as check

keras = augreg.import_tensorflow_quietly()


def _right_penalty(kernels, l1, l2):
    return sum(l1 * np.sum(np.abs(w)) + l2 * np.sum(w**2) for w in kernels)


def test_reference_penalty_is_what_keras_adds():
    for l1, l2 in ((0.01, 0.0), (0.0, 0.1), (0.003, 0.02)):
        regularizer = keras.regularizers.L1L2(l1=l1, l2=l2)
        keras_value = sum(float(keras.ops.convert_to_numpy(regularizer(k.astype("float32"))))
                          for k in check.PROBE_KERNELS)
        assert np.isclose(check.reference_penalty(check.PROBE_KERNELS, l1, l2), keras_value, rtol=1e-6)


def test_penalty():
    assert check.penalty(...).status == NOT_ATTEMPTED
    assert check.penalty(lambda kernels, l1, l2: ...).status == NOT_ATTEMPTED
    assert check.penalty(_right_penalty).passed
    wrong = {
        "*absolute* values": lambda ks, l1, l2: sum(l1 * np.sum(w) + l2 * np.sum(w**2) for w in ks),
        "no factor 1/2": lambda ks, l1, l2: sum(l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w**2) for w in ks),
        "*sum* over all weights": lambda ks, l1, l2: l1 * np.mean(np.abs(np.concatenate([w.ravel() for w in ks])))
        + l2 * np.mean(np.concatenate([w.ravel() for w in ks]) ** 2),
        "*every* kernel": lambda ks, l1, l2: _right_penalty(ks[:1], l1, l2),
        "swapped": lambda ks, l1, l2: _right_penalty(ks, l2, l1),
        "one number": lambda ks, l1, l2: [1.0, 2.0],
    }
    for words, answer in wrong.items():
        result = check.penalty(answer)
        assert result.status == FAILED and words in result.message, (words, result)


STRENGTHS = np.logspace(-3, 1, 5)
VAL = np.array([2.0, 1.1, 0.6, 0.9, 1.4])


def test_best_strength():
    assert check.best_strength(..., STRENGTHS, VAL).status == NOT_ATTEMPTED
    assert check.best_strength(STRENGTHS[2], STRENGTHS, VAL).passed
    wrong = [
        ((STRENGTHS[0], STRENGTHS, VAL), "look at the *validation* errors"),
        ((STRENGTHS[4], STRENGTHS, VAL), "np.argmin(val_errors)"),
        ((0.5, STRENGTHS, VAL), "one of the strengths you tried"),
        ((STRENGTHS[0], STRENGTHS, np.array([0.1, 0.2, 0.3, 0.4, 0.5])), "did you score the validation set"),
        ((STRENGTHS[2], STRENGTHS, VAL[:3]), "same length"),
        ((STRENGTHS[2], STRENGTHS, -VAL), "non-negative"),
    ]
    for args, words in wrong:
        result = check.best_strength(*args)
        assert result.status == FAILED and words in result.message, (args, result)


def test_which_penalty():
    sparse = np.where(np.arange(1000) % 10 == 0, 0.1, 0.0)  # 90 % exactly zero
    dense = np.full(1000, 0.02)
    assert check.which_penalty(..., "L2", sparse, dense).status == NOT_ATTEMPTED
    assert check.which_penalty("L1", "L2", sparse, dense).passed
    assert check.which_penalty("l2", " l1", dense, sparse).passed
    wrong = [
        (("L2", "L1", sparse, dense), "which penalty pushes many weights towards zero"),
        (("L1", "L1", sparse, dense), "one network was trained with L1"),
        (("lasso", "L2", sparse, dense), 'the string "L1" or "L2"'),
    ]
    for args, words in wrong:
        result = check.which_penalty(*args)
        assert result.status == FAILED and words in result.message, (args, result)


def test_decay_for_penalty():
    assert check.decay_for_penalty(...).status == NOT_ATTEMPTED
    assert check.decay_for_penalty(lambda s: 2 * s).passed
    wrong = {
        "2 * strength * w": lambda s: s,
        "*twice* the L2 strength": lambda s: s / 2,
        "compare the two updates": lambda s: 4 * s,
    }
    for words, answer in wrong.items():
        result = check.decay_for_penalty(answer)
        assert result.status == FAILED and words in result.message, (words, result)
