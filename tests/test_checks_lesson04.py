"""Every Lesson 04 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint."""

import numpy as np

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson04 as check

keras = augreg.import_tensorflow_quietly()


def _dropout(x, rate, rng, training=True):
    if not training or rate == 0:
        return x
    keep = rng.random(np.shape(x)) >= rate
    return np.where(keep, x / (1 - rate), 0.0)


def _keras_dropout(x, rate, rng, training=True):
    layer = keras.layers.Dropout(rate, seed=int(rng.integers(1000)))
    return keras.ops.convert_to_numpy(layer(x.astype("float32"), training=training))


def test_inverted_dropout():
    assert check.inverted_dropout(...).status == NOT_ATTEMPTED
    assert check.inverted_dropout(lambda x, rate, rng, training=True: ...).status == NOT_ATTEMPTED
    assert check.inverted_dropout(_dropout).passed
    assert check.inverted_dropout(_keras_dropout).passed, "Keras's own Dropout is a right answer"

    def keep_with_probability_rate(x, rate, rng, training=True):
        if not training:
            return x
        return np.where(rng.random(x.shape) < rate, x / (1 - rate), 0.0)

    def no_scaling(x, rate, rng, training=True):
        return np.where(rng.random(x.shape) >= rate, x, 0.0) if training else x

    def multiplied(x, rate, rng, training=True):
        return np.where(rng.random(x.shape) >= rate, x * (1 - rate), 0.0) if training else x

    def scales_at_inference(x, rate, rng, training=True):
        return _dropout(x, rate, rng) if training else x * (1 - rate)

    def drops_at_inference(x, rate, rng, training=True):
        return _dropout(x, rate, rng)

    def one_mask_for_all(x, rate, rng, training=True):
        return x * 0.0 if training and rng.random() < rate else x

    def forgets_return(x, rate, rng, training=True):
        _dropout(x, rate, rng, training)

    wrong = {
        "*dropping* a unit": keep_with_probability_rate,
        "not scaled": no_scaling,
        "*divide* by it": multiplied,
        "nothing is scaled": scales_at_inference,
        "nothing is dropped": drops_at_inference,
        "should be zero": one_mask_for_all,
        "`return` statement": forgets_return,
        "shape of its input": lambda x, rate, rng, training=True: x[:10],
        "raised ValueError": lambda x, rate, rng, training=True: np.reshape(x, (7, -1)),
    }
    for words, answer in wrong.items():
        result = check.inverted_dropout(answer)
        assert result.status == FAILED and words in result.message, (words, result)


def test_training_flag():
    assert check.training_flag(..., False, False).status == NOT_ATTEMPTED
    assert check.training_flag(True, False, False).passed
    assert check.training_flag(np.True_, False, np.False_).passed
    wrong = [
        ((False, False, False), "inference mode"),
        ((True, True, False), "new dropout mask"),
        ((True, False, True), "defaults to inference"),
        ((True, "no", False), "True or False"),
        ((1, False, False), "True or False"),
    ]
    for args, words in wrong:
        result = check.training_flag(*args)
        assert result.status == FAILED and words in result.message, (args, result)


RATES = [0.0, 0.5, 0.9]
TRAIN = np.array([1.0, 0.85, 0.3])
VAL = np.array([0.75, 0.86, 0.35])


def test_best_rate():
    assert check.best_rate(..., RATES, TRAIN, VAL).status == NOT_ATTEMPTED
    assert check.best_rate(0.5, RATES, TRAIN, VAL).passed
    wrong = [
        ((0.9, RATES, TRAIN, VAL), "smallest gap is not the goal"),
        ((0.0, RATES, TRAIN, VAL), "*training* accuracy"),
        ((0.2, [0.0, 0.2, 0.5, 0.9], np.array([1.0, 0.95, 0.85, 0.3]), np.array([0.75, 0.8, 0.86, 0.35])),
         "rates[np.argmax(val_accs)]"),
        ((0.3, RATES, TRAIN, VAL), "one of the rates you tried"),
        ((0.5, RATES, TRAIN, VAL[:2]), "same length"),
        ((0.5, RATES, 100 * TRAIN, 100 * VAL), "fractions between 0 and 1"),
        (("0.5", RATES, TRAIN, VAL), "one number"),
    ]
    for args, words in wrong:
        result = check.best_rate(*args)
        assert result.status == FAILED and words in result.message, (args, result)


def _cnn(after_conv=None, after_dense=None, before=None, after_output=None):
    L = keras.layers
    layers = [keras.Input(shape=(8, 8, 1))] + ([before] if before else [])
    for _ in range(2):
        layers.append(L.Conv2D(16, 3, padding="same", activation="relu"))
        if after_conv:
            layers.append(after_conv())
    layers += [L.Flatten(), L.Dense(64, activation="relu")]
    if after_dense:
        layers.append(after_dense())
    layers.append(L.Dense(10))
    if after_output:
        layers.append(after_output)
    return keras.Sequential(layers)


def test_placement():
    L = keras.layers
    spatial, dropout = (lambda: L.SpatialDropout2D(0.2)), (lambda: L.Dropout(0.5))
    assert check.placement(...).status == NOT_ATTEMPTED
    assert check.placement(_cnn(spatial, dropout)).passed
    wrong = [
        (_cnn(lambda: L.Dropout(0.2), dropout), "use SpatialDropout2D, not Dropout"),
        (_cnn(None, dropout), "right after each Conv2D"),
        (_cnn(spatial, None), "after the hidden Dense"),
        (_cnn(spatial, lambda: L.GaussianDropout(0.5)), "right after the hidden Dense"),
        (_cnn(spatial, dropout, after_output=L.Dropout(0.5)), "drops the logits"),
        (_cnn(spatial, dropout, before=L.Dropout(0.2)), "noise on the data"),
        (_cnn(lambda: L.SpatialDropout2D(0.5), dropout), "rate 0.2"),
        (_cnn(spatial, lambda: L.Dropout(0.2)), "rate 0.5"),
        (keras.Sequential([keras.Input(shape=(8, 8, 1)), L.Flatten(), L.Dense(10)]), "keep the given layers"),
        ("a model", "should return a keras model"),
    ]
    for answer, words in wrong:
        result = check.placement(answer)
        assert result.status == FAILED and words in result.message, (words, result)
