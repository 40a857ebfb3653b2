"""The checks of exercise set 09: each accepts the solution (and a second right way), says "not attempted
yet" for the stub, rejects typed-in evidence and the near misses of issue 23 (09.3: any constant
temperature; literal results) with a diagnosis, never shows a sealed test number, and hides its truths."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import augreg
import augreg.checks.lesson09 as module
from augreg.calibration import expected_calibration_error
from augreg.checks import testing
from augreg.checks.lesson09 import check

keras = augreg.import_tensorflow_quietly()


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=(
            "_keras_targets",
            "_keras3_returned",
            "_tf_keras2_returned",
            "_best_temperature",
            "_temperature_probes",
            "_ECE_BOUND",
            "_shipped",
            "_CURVES",
            "_set",
        ),
    )


# --- Exercise 1: the targets of label smoothing -------------------------------------------------------------


def _targets(labels, s, k):
    return np.eye(k)[labels] * (1 - s) + s / k


def test_the_reference_targets_are_what_keras_trains_towards():
    rng = np.random.default_rng(0)
    for k, s in ((3, 0.1), (10, 0.2), (7, 0.35)):
        labels = rng.integers(0, k, 9)
        logits = rng.normal(size=(9, k)).astype("float32")
        smoothing = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=s, reduction=None)(
            np.eye(k)[labels], logits
        )
        by_targets = keras.losses.CategoricalCrossentropy(from_logits=True, reduction=None)(
            module._keras_targets(labels, s, k), logits
        )
        np.testing.assert_allclose(np.asarray(smoothing), np.asarray(by_targets), rtol=1e-5)


def test_smoothed_targets_accepts_right_answers():
    testing.assert_not_attempted(check.smoothed_targets, ...)
    testing.assert_not_attempted(check.smoothed_targets, lambda labels, s, k: ...)
    testing.assert_passes(check.smoothed_targets, _targets)

    def loop(labels, s, k):  # a second right way
        out = np.full((len(labels), k), s / k)
        for row, label in enumerate(labels):
            out[row, label] += 1 - s
        return out.tolist()

    testing.assert_passes(check.smoothed_targets, loop)


def test_smoothed_targets_rejects_near_misses():
    wrong = {
        # 1 - s on the right class, s spread over the k - 1 wrong ones (another convention)
        "k - 1 wrong classes": lambda l, s, k: np.eye(k)[l] * (1 - s) + (1 - np.eye(k)[l]) * s / (k - 1),
        # 1 - s, nothing elsewhere
        "do not sum to 1": lambda l, s, k: np.eye(k)[l] * (1 - s),
        "shape": lambda l, s, k: _targets(l, s, k).T,
        # the truth typed for the first probe cannot pass the others
        "shape (": lambda l, s, k: _targets(np.array([0, 2, 1]), 0.1, 3),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.smoothed_targets, answer, says=words)
    testing.assert_rejects_typed_evidence(check.smoothed_targets)


def test_smoothed_targets_rejects_one_minus_s_with_s_over_k_elsewhere():
    def near(labels, s, k):
        out = np.full((len(labels), k), s / k)
        out[np.arange(len(labels)), labels] = 1 - s
        return out

    testing.assert_rejects(check.smoothed_targets, near, says="sum to 1")


# --- Exercise 2: which weights fit hands back ---------------------------------------------------------------


def _rule(losses, patience):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return epoch, best_epoch
    return None, best_epoch


def _returned(losses, patience, keras_3):
    stopped, best = _rule(losses, patience)
    return best if (stopped is not None or keras_3) else len(losses)


def test_the_reference_is_what_keras_3_does_in_fit():
    x, y = np.zeros((4, 1), "float32"), np.zeros((4, 1), "float32")
    for losses, patience in module._CURVES:
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        marker = model.layers[-1]

        class Replay(keras.callbacks.Callback):  # sets the weights to the epoch and logs the curve
            def on_epoch_end(self, epoch, logs=None, marker=marker, losses=losses):
                marker.set_weights([np.zeros((1, 1), "float32"), np.array([epoch + 1.0], "float32")])
                logs["val_loss"] = float(losses[epoch])

        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
        model.fit(x, y, epochs=len(losses), callbacks=[Replay(), stop], verbose=0)
        assert round(float(marker.get_weights()[1][0])) == module._keras3_returned(losses, patience)
        assert module._keras3_returned(losses, patience) == _returned(losses, patience, True)


def test_returned_epoch_accepts_the_rule():
    testing.assert_not_attempted(check.returned_epoch, ...)
    testing.assert_passes(check.returned_epoch, _returned)
    testing.assert_passes(check.returned_epoch, lambda v, p, k3: float(_returned(v, p, k3)))


def test_returned_epoch_rejects_near_misses():
    wrong = {
        "the last epoch trained": lambda v, p, k3: _rule(v, p)[0] or len(v),
        "never stopped early": lambda v, p, k3: _returned(v, p, True),  # ignores the version
        "after the callback stopped": lambda v, p, k3: int(np.argmin(v)) + 1,  # looks ahead
        "counted from 1": lambda v, p, k3: _returned(v, p, k3) - 1,
        "one epoch number": lambda v, p, k3: (1, 2),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.returned_epoch, answer, says=words)
    # the version answered the other way round
    testing.assert_rejects(check.returned_epoch, lambda v, p, k3: _returned(v, p, not k3))
    testing.assert_rejects_typed_evidence(check.returned_epoch)


# --- Exercise 3: a temperature from validation logits -------------------------------------------------------


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _fit(z, y):
    def nll(log_t):
        p = _softmax(z / np.exp(log_t))
        return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))

    return float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))


def test_fit_temperature_accepts_right_answers():
    testing.assert_not_attempted(check.fit_temperature, ...)
    testing.assert_passes(check.fit_temperature, _fit)

    def grid(z, y):  # a second right way: a fine grid
        ts = np.exp(np.linspace(-2.5, 2.5, 5001))
        return float(min(ts, key=lambda t: -np.mean(np.log(_softmax(z / t)[np.arange(len(y)), y] + 1e-12))))

    testing.assert_passes(check.fit_temperature, grid)


def test_fit_temperature_rejects_constants_and_near_misses():
    wrong = {
        "reciprocal": lambda z, y: 1 / _fit(z, y),  # logits multiplied by T
        "below 1": lambda z, y: max(1.0, _fit(z, y)),  # searched only above 1
        "log T": lambda z, y: float(np.log(_fit(z, y))),
        "positive": lambda z, y: -_fit(z, y),
        "does not minimize": lambda z, y: 1.5,  # issue 23: any constant temperature
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.fit_temperature, answer, says=words)
    for constant in (0.5, 2.0, 1.0):
        testing.assert_rejects(check.fit_temperature, lambda z, y, c=constant: c)

    def by_ece(z, y):  # minimizes the ECE, not the cross-entropy
        f = lambda lt: expected_calibration_error(_softmax(z / np.exp(lt)), y)  # noqa: E731
        return float(np.exp(minimize_scalar(f, bounds=(-3, 3), method="bounded").x))

    testing.assert_rejects(check.fit_temperature, by_ece)

    def coarse(z, y):  # a coarse grid
        return float(min((0.25, 0.5, 1, 2, 4), key=lambda t: -np.mean(np.log(_softmax(z / t)[np.arange(len(y)), y]))))

    testing.assert_rejects(check.fit_temperature, coarse)
    testing.assert_rejects_typed_evidence(check.fit_temperature)


def test_a_typed_temperature_from_one_attempt_fails_the_next():
    """The probes are drawn anew per attempt: the right temperatures of one try are wrong at the next."""
    first = module._temperature_probes(0, 0)
    typed = [_fit(z, y) for z, y in first]
    calls = iter(typed * 3)
    testing.assert_rejects(check.fit_temperature, lambda z, y: 0.1)  # attempt 1
    result = testing.grade(check.fit_temperature, lambda z, y: next(calls))
    assert not result.passed


# --- Exercise 4: probabilities you can trust (trains networks) ---------------------------------------------


def _logits(model, x):
    return np.asarray(model(x, training=False))


def _calibrate(model, x_val, y_val):
    t = _fit(_logits(model, x_val), y_val)
    return keras.Sequential([model, keras.layers.Rescaling(1 / t)])


def _split_truth(seed=0):
    split, _ = module._shipped(seed)
    return split


@pytest.mark.slow
def test_calibrate_accepts_a_temperature_per_network():
    testing.assert_not_attempted(check.calibrate, ...)
    testing.assert_passes(check.calibrate, _calibrate)


@pytest.mark.slow
def test_calibrate_rejects_doing_nothing_constants_and_changed_decisions():
    split = _split_truth()
    sealed = []  # the shipped networks' test ECEs (what doing nothing scores): never shown on a miss
    for _s, weights in zip(module._SMOOTHINGS, module._shipped(0)[1]):
        net = module._network(0)
        net.set_weights(weights)
        test = expected_calibration_error(_softmax(_logits(net, split.x_test)), split.y_test)
        validation = expected_calibration_error(_softmax(_logits(net, split.x_val)), split.y_val)
        if f"{test:.1%}" != f"{validation:.1%}":  # the validation number is shown, by design
            sealed.append(test)
    wrong = {
        "doing nothing": lambda m, x, y: m,
        "searched only above 1": lambda m, x, y: keras.Sequential(
            [m, keras.layers.Rescaling(1 / max(1.0, _fit(_logits(m, x), y)))]
        ),
        "one constant, sharpening (0.4)": lambda m, x, y: keras.Sequential([m, keras.layers.Rescaling(1 / 0.4)]),
        "one constant (0.5)": lambda m, x, y: keras.Sequential([m, keras.layers.Rescaling(2.0)]),
    }
    for name, answer in wrong.items():
        result = testing.assert_rejects(check.calibrate, answer, says="above the bound", sealed=tuple(sealed))
        assert "validation" in result.message, name

    def retrained(m, x, y):  # fits a fresh network on the validation digits: other decisions
        net = module._network(1)
        net.compile(keras.optimizers.Adam(3e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        net.fit(x, y, epochs=5, batch_size=50, verbose=0)
        return net

    testing.assert_rejects(check.calibrate, retrained, says="changes the decision")
    testing.assert_rejects(check.calibrate, lambda m, x, y: "model", says="return a Keras model")
    testing.assert_rejects(
        check.calibrate, lambda m, x, y: keras.Sequential([m, keras.layers.Dense(3)]), says="10 logits"
    )


@pytest.mark.slow
def test_calibrate_rejects_a_temperature_fitted_on_the_notebooks_own_digits():
    from augreg.checks import working_split

    data = working_split(n_train=100, seed=0)

    def on_own_digits(m, x_val, y_val):  # the notebook's labels do not match the check's relabelled classes
        t = _fit(_logits(m, data.x_val), data.y_val)
        return keras.Sequential([m, keras.layers.Rescaling(1 / t)])

    testing.assert_rejects(check.calibrate, on_own_digits, says="above the bound")


def test_calibrate_rejects_typed_evidence_without_training():
    testing.assert_rejects_typed_evidence(check.calibrate)
