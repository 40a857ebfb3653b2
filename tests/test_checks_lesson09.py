"""Every Lesson 09 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers (near misses included) with a hint, never a traceback."""

import numpy as np
from scipy.optimize import minimize_scalar

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson09 as check

keras = augreg.import_tensorflow_quietly()

# ---------------------------------------------------------------- Exercise 1: stop at the right time


def _probabilities(labels, right, confidence, rng):
    """Probabilities that put `confidence` on the true digit where `right`, else on another digit."""
    n = len(labels)
    predicted = np.where(right, labels, (labels + rng.integers(1, 10, n)) % 10)
    p = np.full((n, 10), (1 - confidence) / 9)
    p[np.arange(n), predicted] = confidence
    return p


def _ex1_data(early_confidence=0.9, early_accuracy=0.9):
    rng = np.random.default_rng(0)
    labels, fixed, early = [], [], []
    for _ in range(5):
        y = rng.integers(0, 10, 900)
        right = rng.random(900) < 0.9
        fixed.append(_probabilities(y, right, 0.999, rng))
        if early_accuracy == 0.9:
            early.append(_probabilities(y, right, early_confidence, rng))
        else:
            early.append(_probabilities(y, rng.random(900) < early_accuracy, early_confidence, rng))
        labels.append(y)
    return fixed, early, labels


def _stopper(**kwargs):
    settings = dict(monitor="val_loss", patience=5, restore_best_weights=True) | kwargs
    return keras.callbacks.EarlyStopping(**settings)


def test_early_stopping():
    fixed, early, labels = _ex1_data()
    assert check.early_stopping(..., ..., fixed, labels).status == NOT_ATTEMPTED
    assert check.early_stopping(_stopper(), early, fixed, labels).passed
    assert check.early_stopping(_stopper(monitor="val_accuracy"), early, fixed, labels).passed
    never_stopped = [p.copy() for p in fixed]  # near miss: the right callback, no effect
    overconfident = [0.5 * p + 0.5 * np.eye(10)[p.argmax(1)] for p in fixed]
    fixed2, too_early, labels2 = _ex1_data(early_confidence=0.8, early_accuracy=0.85)
    wrong = [
        ((_stopper(monitor="loss"), early, fixed, labels), "watches the training digits"),
        ((_stopper(restore_best_weights=False), early, fixed, labels), "restore_best_weights=True"),
        ((_stopper(), never_stopped, fixed, labels), "+0.000 nats"),
        ((_stopper(), overconfident, fixed, labels), "beat the 60-epoch networks"),
        ((_stopper(), too_early, fixed2, labels2), "accuracy dropped"),
        ((keras.callbacks.ModelCheckpoint("x.keras"), early, fixed, labels), "EarlyStopping"),
        ((_stopper(), [np.log(p) for p in early], fixed, labels), "not logits"),
        ((_stopper(), early[:3], fixed, labels), "one entry per seed"),
    ]
    for args, words in wrong:
        result = check.early_stopping(*args)
        assert result.status == FAILED and words in result.message, (words, result)


# ---------------------------------------------------------------- Exercise 2: decay is not a penalty


def test_decay_vs_penalty():
    assert check.decay_vs_penalty(..., 1e-7, 3.0).status == NOT_ATTEMPTED
    assert check.decay_vs_penalty(lambda wd: ..., 1e-7, 3.0).status == NOT_ATTEMPTED
    assert check.decay_vs_penalty(lambda wd: wd / 2, 2e-7, 9.6).passed
    assert check.decay_vs_penalty(lambda wd: 0.5 * wd, np.float32(0.0), np.float64(0.5)).passed
    wrong = [
        ((lambda wd: wd, 1e-7, 3.0), "no factor 1/2"),  # the near miss
        ((lambda wd: 2 * wd, 1e-7, 3.0), "the other way round"),
        ((lambda wd: 0.1 * wd, 1e-7, 3.0), "the learning rate cancels"),
        ((lambda wd: wd / 2, 0.4, 3.0), "no momentum"),  # measured with momentum or a bias
        ((lambda wd: wd / 2, 1e-7, 1e-6), "part ways"),
        ((lambda wd: wd / 2, -1e-7, 3.0), "never negative"),
        ((lambda wd: wd / 2, "small", 3.0), "one number"),
        ((lambda wd: None, 1e-7, 3.0), "return"),
    ]
    for args, words in wrong:
        result = check.decay_vs_penalty(*args)
        assert result.status == FAILED and words in result.message, (words, result)


# ---------------------------------------------------------------- Exercise 3: one number for calibration


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _overconfident(rng, n):
    """Logits three times too sharp: labels drawn from softmax(z), the network says softmax(3 z)."""
    z = rng.normal(size=(n, 10))
    z[np.arange(n), rng.integers(0, 10, n)] += 3.0
    p = _softmax(z)
    y = np.array([rng.choice(10, p=row) for row in p])
    return 3.0 * z, y


def _fit_temperature(z, y):  # the solution
    def nll(log_t):
        p = _softmax(z / np.exp(log_t))
        return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))

    return float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))


def test_temperature():
    rng = np.random.default_rng(0)
    val = [_overconfident(rng, 400) for _ in range(5)]
    test = [_overconfident(rng, 900) for _ in range(5)]
    args = ([z for z, _ in val], [y for _, y in val], [z for z, _ in test], [y for _, y in test])
    assert check.temperature(..., *args).status == NOT_ATTEMPTED
    assert check.temperature(lambda z, y: ..., *args).status == NOT_ATTEMPTED
    assert check.temperature(_fit_temperature, *args).passed

    def accuracy_fit(z, y):  # near miss: accuracy does not depend on T, the search stays at 1
        grid = [1.0, 0.5, 2.0]  # ties: the first
        scores = [np.mean((z / t).argmax(1) == y) for t in grid]
        return grid[int(np.argmax(scores))]

    wrong = [
        (lambda z, y: np.log(_fit_temperature(z, y)) / 4, "log T"),  # returns a log, below 1
        (lambda z, y: 1 / _fit_temperature(z, y), "1 / T"),
        (accuracy_fit, "T = 1 changes nothing"),
        (lambda z, y: -1.0, "positive number"),
        (lambda z, y: "T", "one number"),
        (lambda z, y: z.mean(), "ECE"),  # some number that is no fitted temperature
    ]
    for function, words in wrong:
        result = check.temperature(function, *args)
        assert result.status == FAILED and words in result.message, (words, result)
