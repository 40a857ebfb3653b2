"""Checks for Exercises 04 (dropout)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..stats import paired_difference
from . import Hint, NotAttempted, call_learner_function, exercise_check, is_stub

#: Exercise 1's probe: 400 images of 4 x 4 positions and 16 channels, all positive.
MAPS = np.random.default_rng(2024).uniform(0.5, 2.0, size=(400, 4, 4, 16))

#: Exercise 2's probe: 4,000 rows of 8 positive activations.
ACTIVATIONS = np.random.default_rng(2025).uniform(0.5, 2.0, size=(4000, 8)).astype("float32")

#: Exercise 3: the whole paired 95 % interval of the chosen candidate's test gain over the CNN
#: without dropout must lie above this (accuracy). Pilots of the solution (two candidates, dropout
#: or SpatialDropout2D 0.5 after the convolution and Dropout 0.5 after the hidden layer, 30 epochs):
#: lower bounds +10.9 / +10.5 (base 100), +10.4 / +10.8 (base 101), +10.2 / +11.6 (base 102).
DROPOUT_GAIN = 0.05
#: Exercise 3: the tuning budget, candidates besides the network without dropout.
MAX_CANDIDATES = 3
#: Layers that count as dropout in Exercise 3.
DROPOUT_LAYERS = {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
                  "AlphaDropout"}
#: Where Exercise 3's hints send the learner.
SWEEP_SECTION = "Lesson 04, 'The rate sweep, on noisy labels'"


def _as_array(value, shape, what: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be an array of numbers, got {type(value).__name__}") from None
    if array.shape != shape:
        raise Hint(f"{what} should have the shape of its input {shape}, got {array.shape}")
    return array


# ---------------------------------------------------------------- Exercise 1


@exercise_check("Exercise 1 (spatial dropout by hand)")
def spatial_dropout(function) -> str:
    """Check ``spatial_dropout(maps, rate, rng, training)`` on maps of shape (batch, height, width, channels)."""
    for rate in (0.2, 0.5, 0.8):
        out = _as_array(call_learner_function(function, MAPS.copy(), rate, np.random.default_rng(7), True),
                        MAPS.shape, f"spatial_dropout(maps, {rate}, rng, training=True)")
        zeros = out == 0
        share = zeros.mean(axis=(1, 2))  # (images, channels): the zeroed share of each map
        partial = (share > 0) & (share < 1)
        if partial.any():
            by_position = zeros.mean(axis=3)  # (images, h, w): zeroed share of the channels at a position
            if np.all((by_position == 0) | (by_position == 1)):
                raise Hint("you dropped the same *positions* in every channel (a mask of shape "
                           "(batch, height, width, 1)). SpatialDropout2D drops whole feature maps: one decision "
                           "per image and channel, a mask of shape (batch, 1, 1, channels).")
            raise Hint("some maps are only partly zeroed: that is plain Dropout, one decision per value. Draw one "
                       "decision per image and channel (a mask of shape (batch, 1, 1, channels)), so that a map "
                       "is either kept whole or dropped whole.")
        dropped = share == 1  # (images, channels)
        if np.all(dropped == dropped[:1]):
            raise Hint("every image lost the same channels: draw a separate decision for every image "
                       "(a mask of shape (batch, 1, 1, channels), not (1, 1, 1, channels)).")
        if np.all(dropped == dropped[:, :1]):
            raise Hint("you dropped whole images (all their channels at once): draw one decision per image "
                       "*and channel*, a mask of shape (batch, 1, 1, channels).")
        fraction = dropped.mean()
        if abs(fraction - (1 - rate)) < 0.03 and abs(fraction - rate) > 0.03:
            raise Hint(f"with rate={rate} you dropped {fraction:.0%} of the maps: `rate` is the probability of "
                       "*dropping* a map, not of keeping it.")
        if abs(fraction - rate) > 0.03:
            raise Hint(f"with rate={rate} about {rate:.0%} of the maps should be zero; you zeroed {fraction:.0%}.")
        kept = ~zeros
        ratio = out[kept] / MAPS[kept]
        if np.allclose(ratio, 1.0):
            raise Hint("the kept maps are not scaled: divide them by (1 - rate), so that the expected output "
                       "equals the input, as in inverted dropout.")
        if np.allclose(ratio, 1 - rate):
            raise Hint("you multiplied the kept maps by (1 - rate); *divide* by it instead.")
        if not np.allclose(ratio, 1 / (1 - rate), rtol=1e-6):
            raise Hint(f"every kept value should be its input times 1/(1-rate) = {1 / (1 - rate):.3f}.")
    again = [_as_array(call_learner_function(function, MAPS.copy(), 0.5, rng, True), MAPS.shape,
                       "spatial_dropout(maps, 0.5, rng, training=True)")
             for rng in [np.random.default_rng(3)] * 2]
    if np.array_equal(again[0] == 0, again[1] == 0):
        raise Hint("two calls with the same generator dropped the same maps: draw the mask from `rng` "
                   "on every call, not once.")
    for rate in (0.5, 0.0):
        out = _as_array(call_learner_function(function, MAPS.copy(), rate, np.random.default_rng(0), False),
                        MAPS.shape, f"spatial_dropout(maps, {rate}, rng, training=False)")
        if np.allclose(out, MAPS):
            continue
        if np.allclose(out, MAPS * (1 - rate)):
            raise Hint("at inference nothing is scaled: the scaling already happened during training.")
        raise Hint("with training=False nothing is dropped and nothing is scaled: return the maps unchanged.")
    out = _as_array(call_learner_function(function, MAPS.copy(), 0.0, np.random.default_rng(0), True),
                    MAPS.shape, "spatial_dropout(maps, 0.0, rng, training=True)")
    if not np.allclose(out, MAPS):
        raise Hint("with rate=0 nothing should change, even in training.")
    return ("whole maps dropped, a fresh decision per image and channel, kept maps scaled by 1/(1-rate), "
            "identity at inference.")


# ---------------------------------------------------------------- Exercise 2


def _run_layer(layer, x, **kwargs) -> np.ndarray:
    import keras

    try:
        out = layer(x, **kwargs)
    except Exception as exc:  # the learner's bug, reported as a hint
        args = ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "no training argument"
        raise Hint(f"calling your layer ({args}) raised {type(exc).__name__}: {exc}") from None
    if out is None:
        raise Hint("your layer's call() returned None: did you forget the `return` statement?")
    if is_stub(out):
        raise NotAttempted
    return _as_array(keras.ops.convert_to_numpy(out), x.shape, "the layer's output")


def _check_training_output(out, x, rate) -> None:
    zeros = np.mean(out == 0)
    if abs(zeros - (1 - rate)) < 0.02 and abs(zeros - rate) > 0.02:
        raise Hint(f"with rate={rate} and training=True you zeroed {zeros:.0%} of the values: `rate` is the "
                   "probability of *dropping* a value.")
    if abs(zeros - rate) > 0.02:
        raise Hint(f"with rate={rate} and training=True about {rate:.0%} of the values should be zero; "
                   f"you zeroed {zeros:.0%}.")
    kept = out != 0
    ratio = out[kept] / x[kept]
    if np.allclose(ratio, 1.0, rtol=1e-5):
        raise Hint("in training the kept values are not scaled: divide them by (1 - rate).")
    if not np.allclose(ratio, 1 / (1 - rate), rtol=1e-5):
        raise Hint(f"in training every kept value should be multiplied by 1/(1-rate) = {1 / (1 - rate):.3f}.")


@exercise_check("Exercise 2 (a dropout layer for Keras)")
def dropout_layer(layer_class) -> str:
    """Check a Keras layer class ``MyDropout(rate)``: active with training=True only, also when compiled."""
    import keras
    import tensorflow as tf

    if is_stub(layer_class):
        raise NotAttempted
    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        raise Hint("MyDropout should be a class that inherits from keras.layers.Layer "
                   "(`class MyDropout(keras.layers.Layer):`).")
    try:
        layers = {rate: layer_class(rate) for rate in (0.2, 0.5)}
    except Exception as exc:
        raise Hint(f"MyDropout(0.5) raised {type(exc).__name__}: {exc}") from None
    x = ACTIVATIONS
    for rate, layer in layers.items():
        if not np.allclose(_run_layer(layer, x, training=False), x):
            raise Hint("with training=False the layer should return its input unchanged (nothing dropped, "
                       "nothing scaled).")
        if not np.allclose(_run_layer(layer, x), x):
            raise Hint("called without a training argument, `training` is None, which means inference: "
                       "return the input unchanged. (Keras's Dropout does the same; `fit` passes training=True.) "
                       "Test `if not training:`, not `if training is False:`.")
        first = _run_layer(layer, x, training=True)
        _check_training_output(first, x, rate)
        if np.array_equal(first, _run_layer(layer, x, training=True)):
            raise Hint("two calls with training=True dropped the same values: draw a new mask on every call "
                       "(keras.random.uniform inside call(), not once in __init__ or build).")
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layer_class(0.5)])
    try:
        predicted = model.predict(x, verbose=0)
        step = tf.function(lambda batch: model(batch, training=True))
        compiled = [keras.ops.convert_to_numpy(step(tf.constant(x))) for _ in range(2)]
    except Exception as exc:
        raise Hint(f"inside a compiled model your layer raised {type(exc).__name__}: {str(exc)[:200]}. `fit` "
                   "and `predict` compile call() into a graph: use keras.ops and keras.random, not NumPy.") from None
    if not np.allclose(predicted, x):
        raise Hint("model.predict should return the input unchanged: predict runs in inference mode.")
    _check_training_output(compiled[0], x, 0.5)
    if np.array_equal(compiled[0], compiled[1]):
        raise Hint("compiled (as `fit` runs it), your layer drops the same values at every step: a mask drawn "
                   "with NumPy is computed once, when the graph is traced. Draw it with keras.random.uniform "
                   "and a keras.random.SeedGenerator.")
    return "inference by default, a new mask on every training step, also inside a compiled model."


# ---------------------------------------------------------------- Exercise 3


def _accuracy(model, x, y) -> float:
    predicted = np.asarray(model.predict_on_batch(x))
    return float(np.mean(predicted.argmax(axis=-1) == y))


def _layer_names(model) -> set[str]:
    return {type(layer).__name__ for layer in getattr(model, "layers", [])}


@exercise_check("Exercise 3 (dropout for the CNN, tuned)")
def tuned_dropout(chosen, models, splits) -> str:
    """Check ``chosen`` (the candidate validation picks) and its paired test gain over ``models["none"]``.

    ``models`` maps each candidate's name (and ``"none"``) to ``{seed: trained model}``; ``splits`` maps
    each seed to its :class:`~augreg.DigitsSplit`. The check scores every model itself, in inference mode.
    """
    if not isinstance(models, Mapping) or "none" not in models:
        raise Hint("models should map 'none' and each candidate's name to {seed: trained model}")
    candidates = [name for name in models if name != "none"]
    if not candidates:
        raise Hint("add at least one candidate to CANDIDATES")
    if len(candidates) > MAX_CANDIDATES:
        raise Hint(f"the tuning budget is {MAX_CANDIDATES} candidates; you tried {len(candidates)}. Every extra "
                   "candidate is one more chance to win on validation by luck.")
    seeds = list(splits)
    for name, by_seed in models.items():
        if not isinstance(by_seed, Mapping) or list(by_seed) != seeds:
            raise Hint(f"models[{name!r}] should map each seed of `splits` to its trained model")
    for name in candidates:
        if not any(_layer_names(model) & DROPOUT_LAYERS for model in models[name].values()):
            raise Hint(f"candidate {name!r} has no dropout layer: every candidate should add dropout "
                       "(Dropout, SpatialDropout2D, ...) to the CNN.")
    if is_stub(chosen):
        raise NotAttempted
    if chosen not in models:
        raise Hint(f"chosen should be the name of one of your candidates ({', '.join(candidates)}), got {chosen!r}")
    scores = {name: {part: np.array([_accuracy(model, getattr(splits[s], f"x_{part}"), getattr(splits[s], f"y_{part}"))
                                     for s, model in by_seed.items()]) for part in ("val", "test")}
              for name, by_seed in models.items()}
    val = {name: scores[name]["val"].mean() for name in candidates}
    best = max(val, key=val.get)
    if chosen == "none":
        raise Hint("choose one of your dropout candidates (the one with the best validation accuracy); "
                   "'none' is the baseline it is compared with.")
    if chosen != best:
        test = {name: scores[name]["test"].mean() for name in candidates}
        if chosen == max(test, key=test.get):
            raise Hint(f"{chosen!r} has the best *test* accuracy, but {best!r} the best validation accuracy: "
                       "choose on the validation split; the test split only reports the choice.")
        raise Hint(f"{best!r} has the best mean validation accuracy ({val[best]:.1%} against "
                   f"{val[chosen]:.1%} for {chosen!r}): choose on validation.")
    gain = paired_difference(scores[chosen]["test"], scores["none"]["test"])
    if gain.low <= DROPOUT_GAIN:
        beaten = "" if val[best] > scores["none"]["val"].mean() else (
            " Even on validation it does not beat the CNN without dropout.")
        raise Hint(f"your choice {chosen!r} gains {gain} points on test over no dropout (mean [95 % interval] over "
                   f"{gain.n} seeds); the whole interval should lie above +{100 * DROPOUT_GAIN:.0f}.{beaten} "
                   f"Look at {SWEEP_SECTION}: a rate too low leaves the wrong labels memorized, one too high "
                   "underfits. Try other rates or places.")
    return (f"validation chose {chosen!r}; on the test split it gains {gain} points over the CNN without dropout "
            f"(mean [95 % interval] over {gain.n} seeds, paired), above the bound of +{100 * DROPOUT_GAIN:.0f}.")
