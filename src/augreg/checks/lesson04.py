"""Checks for Exercises 04 (dropout)."""

from __future__ import annotations

import numpy as np

from . import Hint, as_number, call_learner_function, exercise_check

#: The input the learner's dropout function is tested on: 20,000 positive activations.
PROBE = np.linspace(0.5, 2.0, 20_000)


def _as_output(value, what: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be an array of numbers, got {type(value).__name__}") from None
    if array.shape != PROBE.shape:
        raise Hint(f"{what} should have the shape of its input {PROBE.shape}, got {array.shape}")
    return array


@exercise_check("Exercise 1 (inverted dropout by hand)")
def inverted_dropout(function) -> str:
    """Check ``dropout(x, rate, rng, training)``: zero fraction, scaling, expectation, inference."""
    for rate in (0.2, 0.5, 0.8):
        rng = np.random.default_rng(12345)
        out = _as_output(call_learner_function(function, PROBE.copy(), rate, rng, True),
                         f"dropout(x, {rate}, rng, training=True)")
        zeros = np.mean(out == 0)
        if abs(zeros - (1 - rate)) < 0.02 and abs(zeros - rate) > 0.02:
            raise Hint(f"with rate={rate} you zeroed {zeros:.0%} of the units: `rate` is the probability "
                       "of *dropping* a unit, not of keeping it.")
        if abs(zeros - rate) > 0.02:
            raise Hint(f"with rate={rate} about {rate:.0%} of the units should be zero; you zeroed {zeros:.0%}.")
        kept = out != 0
        ratio = out[kept] / PROBE[kept]
        if np.allclose(ratio, 1.0):
            raise Hint("the kept units are not scaled: divide them by (1 - rate), so that the mean "
                       "output equals the input.")
        if np.allclose(ratio, 1 - rate):
            raise Hint("you multiplied the kept units by (1 - rate); *divide* by it instead.")
        if not np.allclose(ratio, 1 / (1 - rate), rtol=1e-6):
            raise Hint(f"every kept unit should be its input times 1/(1-rate) = {1 / (1 - rate):.3f}.")
        if abs(out.mean() - PROBE.mean()) > 0.05 * PROBE.mean():
            raise Hint("the mean output should equal the mean input (draw the mask independently per unit).")
    for rate in (0.5, 0.0):
        out = _as_output(call_learner_function(function, PROBE.copy(), rate, np.random.default_rng(0), False),
                         f"dropout(x, {rate}, rng, training=False)")
        if np.allclose(out, PROBE):
            continue
        if np.allclose(out, PROBE * (1 - rate)):
            raise Hint("at inference nothing is scaled: inverted dropout already scaled during training.")
        if np.any(out == 0):
            raise Hint("at inference (training=False) nothing is dropped: return x unchanged.")
        raise Hint("with training=False, return x unchanged.")
    out = _as_output(call_learner_function(function, PROBE.copy(), 0.0, np.random.default_rng(0), True),
                     "dropout(x, 0.0, rng, training=True)")
    if not np.allclose(out, PROBE):
        raise Hint("with rate=0 nothing should change, even in training.")
    return "zero fraction, 1/(1-rate) scaling, unchanged mean and identity at inference all match."


def _as_bool(value, name: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise Hint(f"{name} should be True or False, got {value!r}")


@exercise_check("Exercise 2 (the training flag)")
def training_flag(predict_repeats, training_repeats, direct_call_drops) -> str:
    """Check the three predictions about a model with dropout."""
    answers = {
        "predict_repeats": _as_bool(predict_repeats, "predict_repeats"),
        "training_repeats": _as_bool(training_repeats, "training_repeats"),
        "direct_call_drops": _as_bool(direct_call_drops, "direct_call_drops"),
    }
    if not answers["predict_repeats"]:
        raise Hint("predict_repeats: `predict` runs the model in inference mode, where dropout is off, "
                   "so two calls give the same output.")
    if answers["training_repeats"]:
        raise Hint("training_repeats: with training=True every call draws a new dropout mask.")
    if answers["direct_call_drops"]:
        raise Hint("direct_call_drops: called without `training`, Dropout defaults to inference "
                   "(unlike the augmentation layers, which default to training=True).")
    return "predict is deterministic, training=True is not, and a direct call is inference."


@exercise_check("Exercise 3 (choose a rate)")
def best_rate(best, rates, train_accs, val_accs) -> str:
    """Check that ``best`` is the rate with the highest validation accuracy in the learner's sweep."""
    rates, train_accs, val_accs = (np.asarray(v, dtype=float) for v in (rates, train_accs, val_accs))
    if not (rates.ndim == train_accs.ndim == val_accs.ndim == 1) or not (
        len(rates) == len(train_accs) == len(val_accs) >= 2
    ):
        raise Hint("rates, train_accs and val_accs should be 1-D and of the same length (one value per rate).")
    if np.any(train_accs < 0) or np.any(train_accs > 1) or np.any(val_accs < 0) or np.any(val_accs > 1):
        raise Hint("accuracies are fractions between 0 and 1.")
    best = as_number(best, "best_rate")
    if not np.any(np.isclose(best, rates)):
        raise Hint("best_rate should be one of the rates you tried.")
    expected = rates[int(np.argmax(val_accs))]
    if np.isclose(best, expected):
        return f"rate {expected:g} has the best validation accuracy ({val_accs.max():.1%})."
    gap = train_accs - val_accs
    if np.isclose(best, rates[int(np.argmin(gap))]):
        raise Hint("the smallest gap is not the goal: a model that underfits has a small gap too. "
                   "Pick the rate with the best *validation* accuracy.")
    if np.isclose(best, rates[int(np.argmax(train_accs))]):
        raise Hint("the best *training* accuracy rewards memorizing the wrong labels: "
                   "look at the validation accuracy.")
    raise Hint("pick the rate whose validation accuracy is highest: rates[np.argmax(val_accs)].")


def _kind(layer) -> str:
    return type(layer).__name__


@exercise_check("Exercise 4 (place the dropout layers)")
def placement(model) -> str:
    """Check a CNN: SpatialDropout2D(0.2) after each Conv2D, Dropout(0.5) after the hidden Dense."""
    import keras

    if not isinstance(model, keras.Model):
        raise Hint(f"make_regularized_cnn() should return a keras model, got {type(model).__name__}")
    layers = [layer for layer in model.layers if _kind(layer) != "InputLayer"]
    kinds = [_kind(layer) for layer in layers]
    dropouts = {"Dropout", "SpatialDropout2D", "SpatialDropout1D", "SpatialDropout3D", "GaussianDropout"}
    core = [k for k in kinds if k not in dropouts]
    if core != ["Conv2D", "Conv2D", "Flatten", "Dense", "Dense"]:
        raise Hint("keep the given layers (Conv2D, Conv2D, Flatten, Dense, Dense) and only add dropout layers; "
                   f"your model has {', '.join(kinds)}.")
    if kinds[0] in dropouts:
        raise Hint("dropout on the input pixels is noise on the data, not on the network: put the dropout "
                   "layers after the hidden layers.")
    if kinds[-1] in dropouts:
        raise Hint("a dropout layer after the output layer drops the logits, the answer itself: the output "
                   "layer must be the last one.")
    for index, layer in enumerate(layers[:-1]):
        after = layers[index + 1]
        if _kind(layer) == "Conv2D":
            if _kind(after) == "Dropout":
                raise Hint("after a Conv2D, drop whole feature maps: use SpatialDropout2D, not Dropout.")
            if _kind(after) != "SpatialDropout2D":
                raise Hint("put a SpatialDropout2D layer right after each Conv2D layer.")
            if not np.isclose(after.rate, 0.2):
                raise Hint(f"the SpatialDropout2D layers should have rate 0.2, not {after.rate}.")
        if _kind(layer) == "Dense":
            if _kind(after) == "SpatialDropout2D":
                raise Hint("SpatialDropout2D is for feature maps; after a Dense layer use Dropout.")
            if _kind(after) != "Dropout":
                raise Hint("put a Dropout layer right after the hidden Dense layer.")
            if not np.isclose(after.rate, 0.5):
                raise Hint(f"the Dropout layer should have rate 0.5, not {after.rate}.")
    extra = [k for k, previous in zip(kinds[1:], kinds[:-1]) if k in dropouts and previous in dropouts | {"Flatten"}]
    if extra:
        raise Hint("one dropout layer after each hidden layer is enough; remove the extra ones.")
    return "SpatialDropout2D after each Conv2D, Dropout after the hidden Dense, nothing after the output."
