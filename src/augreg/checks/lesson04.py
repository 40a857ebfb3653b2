"""Checks of exercise set 04 (dropout): ``from augreg.checks.lesson04 import check``.

Everything but ``check`` is private and hidden from ``dir``; every number a grader grades is computed here.

* Exercise 1 grades ``spatial_dropout(maps, rate, rng, training)`` on probe feature maps: whole maps
  dropped, an independent decision per image and channel (so the number of dropped maps per image varies
  as a binomial count does, which rules out dropping a fixed ``round(rate * channels)`` per image), the
  kept maps scaled, a fresh mask per call, the identity at inference.
* Exercise 2 grades a layer class ``MyDropout(rate)`` called directly, in ``predict`` and inside a
  compiled step.
* Exercise 3 (open) grades a *design*: the learner's candidates (at most three model factories) and the
  one chosen on the notebook's validation digits. The check trains the chosen design and the plain CNN on
  digits of its own (a hidden draw per seed, 30 % of the training and validation labels replaced), five
  seeds, paired, and measures both on its sealed, clean test digits. See :data:`_GAIN_BOUND`.
"""

from __future__ import annotations

import functools

import numpy as np

from . import ExerciseSet, Hint, NotAttempted, is_stub
from .evidence import call_learner, record_pilot, require_function, sealed_split

_set = ExerciseSet("04", "04-dropout")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


def _as_array(value, shape, what: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be an array of numbers, got {type(value).__name__}") from None
    if array.shape != shape:
        raise Hint(f"{what} should have the shape of its input {shape}, got {array.shape}")
    return array


# --- Exercise 1 ------------------------------------------------------------------------------------------


def _probe_maps(seed: int, attempt: int) -> np.ndarray:
    """400 images of 4 x 4 positions and 16 channels, all positive, drawn anew for every attempt."""
    return np.random.default_rng([seed, attempt, 41]).uniform(0.5, 2.0, size=(400, 4, 4, 16))


@_set.exercise(
    1,
    "spatial dropout by hand",
    level="warm-up",
    section="sec-conv-04",
    hints=(
        "In SpatialDropout2D, how many random decisions does one feature map of one image get, and are the "
        "decisions for different images and different maps tied to each other?",
        "Each map of each image is kept whole or dropped whole, independently of every other map and image, "
        "each with the probability `rate` of being dropped; kept maps are scaled as in inverted dropout, and "
        "nothing happens at inference.",
        "Draw `keep = rng.random((batch, 1, 1, channels)) >= rate` (the two ones broadcast one decision over "
        "a map's positions) and return `np.where(keep, maps / (1 - rate), 0.0)`; return `maps` unchanged when "
        "`training` is false or `rate` is 0.",
    ),
)
def _spatial_dropout(function, seed):
    require_function(function)
    record = _set._record(("exercise", 1))
    maps = _probe_maps(int(seed), record.attempts)
    channels = maps.shape[-1]
    for rate in (0.2, 0.5, 0.8):
        out = _as_array(
            call_learner(function, maps.copy(), rate, np.random.default_rng([seed, 7]), True),
            maps.shape,
            f"spatial_dropout(maps, {rate}, rng, training=True)",
        )
        zeros = out == 0
        share = zeros.mean(axis=(1, 2))  # (images, channels): the zeroed share of each map
        partial = (share > 0) & (share < 1)
        if partial.any():
            by_position = zeros.mean(axis=3)  # (images, h, w): zeroed share of the channels at a position
            if np.all((by_position == 0) | (by_position == 1)):
                raise Hint(
                    "you dropped the same *positions* in every channel: SpatialDropout2D drops whole "
                    "feature maps, not positions."
                )
            raise Hint(
                "some maps are only partly zeroed: that is plain Dropout, one decision per value. How "
                "many decisions does a whole feature map get?"
            )
        dropped = share == 1  # (images, channels)
        if np.all(dropped == dropped[:1]):
            raise Hint("every image lost the same channels: each image gets decisions of its own.")
        if np.all(dropped == dropped[:, :1]):
            raise Hint(
                "you dropped whole images (all their channels at once): each channel of an image gets a "
                "decision of its own."
            )
        fraction = dropped.mean()
        if abs(fraction - (1 - rate)) < 0.03 and abs(fraction - rate) > 0.03:
            raise Hint(
                f"with rate={rate} you dropped {fraction:.0%} of the maps: `rate` is the probability of "
                "*dropping* a map, not of keeping it."
            )
        if abs(fraction - rate) > 0.03:
            raise Hint(f"with rate={rate} about {rate:.0%} of the maps should be zero; you zeroed {fraction:.0%}.")
        counts = dropped.sum(axis=1)  # dropped maps per image: binomial(channels, rate) if independent
        binomial = channels * rate * (1 - rate)
        if counts.var() < 0.5 * binomial:
            raise Hint(
                f"with rate={rate} every image loses about the same number of maps "
                f"(the count varies {counts.var():.2f} around its mean, where independent decisions "
                f"vary about {binomial:.1f}): is each map's fate decided on its own, or do you pick a "
                "fixed number of maps to drop?"
            )
        kept = ~zeros
        ratio = out[kept] / maps[kept]
        if np.allclose(ratio, 1.0):
            raise Hint("the kept maps are not scaled: in inverted dropout the expected output equals the input.")
        if np.allclose(ratio, 1 - rate):
            raise Hint("you multiplied the kept maps by the keep probability; inverted dropout divides by it.")
        if not np.allclose(ratio, 1 / (1 - rate), rtol=1e-6):
            raise Hint("the kept values are not scaled the way inverted dropout scales them.")
    again = [
        _as_array(
            call_learner(function, maps.copy(), 0.5, rng, True),
            maps.shape,
            "spatial_dropout(maps, 0.5, rng, training=True)",
        )
        for rng in [np.random.default_rng([seed, 3])] * 2
    ]
    if np.array_equal(again[0] == 0, again[1] == 0):
        raise Hint(
            "two calls with the same generator dropped the same maps: draw the mask from `rng` on every call, not once."
        )
    for rate in (0.5, 0.0):
        out = _as_array(
            call_learner(function, maps.copy(), rate, np.random.default_rng(0), False),
            maps.shape,
            f"spatial_dropout(maps, {rate}, rng, training=False)",
        )
        if np.allclose(out, maps):
            continue
        if np.allclose(out, maps * (1 - rate)):
            raise Hint("at inference nothing is scaled: the scaling already happened during training.")
        raise Hint("with training=False nothing is dropped and nothing is scaled: return the maps unchanged.")
    out = _as_array(
        call_learner(function, maps.copy(), 0.0, np.random.default_rng(0), True),
        maps.shape,
        "spatial_dropout(maps, 0.0, rng, training=True)",
    )
    if not np.allclose(out, maps):
        raise Hint("with rate=0 nothing should change, even in training.")
    return (
        "whole maps dropped, an independent decision per image and channel, kept maps scaled by "
        "1/(1-rate), a fresh mask per call, the identity at inference."
    )


# --- Exercise 2 ------------------------------------------------------------------------------------------

#: Exercise 2's probe: 4,000 rows of 8 positive activations.
_ACTIVATIONS = np.random.default_rng(2025).uniform(0.5, 2.0, size=(4000, 8)).astype("float32")


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
        raise Hint(
            f"with rate={rate} and training=True you zeroed {zeros:.0%} of the values: `rate` is the "
            "probability of *dropping* a value."
        )
    if abs(zeros - rate) > 0.02:
        raise Hint(
            f"with rate={rate} and training=True about {rate:.0%} of the values should be zero; you zeroed {zeros:.0%}."
        )
    kept = out != 0
    ratio = out[kept] / x[kept]
    if np.allclose(ratio, 1.0, rtol=1e-5):
        raise Hint(
            "in training the kept values are not scaled: inverted dropout keeps the expected output equal to the input."
        )
    if not np.allclose(ratio, 1 / (1 - rate), rtol=1e-5):
        raise Hint("in training the kept values are not scaled the way inverted dropout scales them.")


@_set.exercise(
    2,
    "a dropout layer for Keras",
    level="core",
    section="sec-train-inference",
    hints=(
        "Which value does Keras pass as `training` inside fit, inside predict, and when you call a layer "
        "directly, and which of them should drop?",
        "Only a true `training` drops: None (a direct call) means inference, as in Keras's own Dropout. The "
        "mask must be drawn by an operation that runs at every compiled step, from the layer's seed "
        "generator, not by NumPy while the graph is traced.",
        "In `call`: `if not training or self.rate == 0: return inputs`; otherwise `noise = "
        "keras.random.uniform(keras.ops.shape(inputs), seed=self.seed_generator)` and `return "
        "keras.ops.where(noise >= self.rate, inputs / (1 - self.rate), 0.0)`.",
    ),
)
def _dropout_layer(layer_class):
    import keras
    import tensorflow as tf

    if is_stub(layer_class):
        raise NotAttempted
    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        raise Hint("pass the class MyDropout itself, a subclass of keras.layers.Layer (not an instance, not a result).")
    try:
        layers = {rate: layer_class(rate) for rate in (0.2, 0.5)}
    except Exception as exc:
        raise Hint(f"MyDropout(0.5) raised {type(exc).__name__}: {exc}") from None
    x = _ACTIVATIONS
    for rate, layer in layers.items():
        if not np.allclose(_run_layer(layer, x, training=False), x):
            raise Hint(
                "with training=False the layer should return its input unchanged (nothing dropped, nothing scaled)."
            )
        if not np.allclose(_run_layer(layer, x), x):
            raise Hint(
                "called without a training argument, `training` is None, which means inference: return "
                "the input unchanged, as Keras's Dropout does (`fit` passes training=True)."
            )
        first = _run_layer(layer, x, training=True)
        _check_training_output(first, x, rate)
        if np.array_equal(first, _run_layer(layer, x, training=True)):
            raise Hint(
                "two calls with training=True dropped the same values: draw a new mask on every call, "
                "inside call(), not once in __init__ or build."
            )
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layer_class(0.5)])
    try:
        predicted = keras.ops.convert_to_numpy(model(x, training=False))
        step = tf.function(lambda batch: model(batch, training=True))
        compiled = [keras.ops.convert_to_numpy(step(tf.constant(x))) for _ in range(2)]
    except Exception as exc:
        raise Hint(
            f"inside a compiled model your layer raised {type(exc).__name__}: {str(exc)[:200]}. `fit` "
            "and `predict` compile call() into a graph: use keras.ops and keras.random, not NumPy."
        ) from None
    if not np.allclose(predicted, x):
        raise Hint("in inference mode (as in predict) the model should return its input unchanged.")
    _check_training_output(compiled[0], x, 0.5)
    if np.array_equal(compiled[0], compiled[1]):
        raise Hint(
            "compiled (as `fit` runs it), your layer drops the same values at every step: a mask drawn "
            "with NumPy is computed once, when the graph is traced."
        )
    return "inference by default, a new mask on every training step, also inside a compiled model."


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: Exercise 3: the tuning budget, candidates besides the plain CNN.
_MAX_CANDIDATES = 3
#: Exercise 3: the share of training and validation labels the check replaces by random digits.
_NOISE = 0.3
#: Exercise 3: seeds (the check's own draws) and training budget, as in the notebook.
_N_SEEDS, _STEPS = 5, 30 * 300 // 32
#: Exercise 3's bound: the lower end of the paired 95 % interval of the chosen design's test gain over the
#: plain CNN (accuracy, on the check's sealed draws) must lie above this. Pilots (``python -m
#: augreg_tools.exercises pilot 04 --bases 100 101 102 103``, the solution notebook: Dropout 0.5 or
#: SpatialDropout2D 0.5 after the convolution and Dropout 0.5 after the hidden layer, chosen on the
#: notebook's validation digits): lower ends +11.2, +6.5, +6.0, +11.8 points (means +15.1, +11.6, +11.2,
#: +14.4). Doing nothing (a candidate whose dropout rate is 0) trains the same network as the plain CNN,
#: from the same weights on the same batches: a gain of exactly 0. The bound lies between, 3 points from
#: each.
_GAIN_BOUND = 0.03
#: Layers that count as dropout in Exercise 3.
_DROPOUT_LAYERS = {
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianDropout",
    "AlphaDropout",
}


def _plain_cnn():
    """The notebook's `make_cnn()` without dropout: Conv2D(32) -> Dense(64) -> logits."""
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10),
        ]
    )


def _skeleton(model) -> list[tuple]:
    """The model's layers other than dropout: (type, units or filters), in order."""
    return [
        (type(layer).__name__, getattr(layer, "units", getattr(layer, "filters", None)))
        for layer in model.layers
        if type(layer).__name__ not in _DROPOUT_LAYERS
    ]


def _noisy(y, rng):
    y = y.copy()
    hit = rng.random(len(y)) < _NOISE
    y[hit] = rng.integers(0, 10, hit.sum())
    return y


@functools.lru_cache(maxsize=4)
def _draws(seed: int):
    """The check's data: per seed, a sealed draw with 30 % of its training and validation labels replaced."""
    draws = []
    for k in range(_N_SEEDS):
        split = sealed_split(seed, f"04.3/{k}", n_train=300)
        rng = np.random.default_rng([seed, 43, k])
        draws.append((split, _noisy(split.y_train, rng), _noisy(split.y_val, rng)))
    return draws


def _train_and_score(factory, seed: int) -> dict:
    """Train ``factory()`` and the plain CNN on the check's draws (paired by draw); clean test accuracies."""
    import keras

    from ..parallel import fit_in_parallel
    from ..stats import paired_difference
    from .evidence import accuracy

    draws = _draws(int(seed))
    models, xs, ys, seeds = [], [], [], []
    for k, (split, y_train, _) in enumerate(draws):
        run_seed = 10_000 * (int(seed) + 1) + k
        keras.utils.set_random_seed(run_seed)
        start = _plain_cnn().get_weights()
        plain = _plain_cnn()
        plain.set_weights(start)
        keras.utils.set_random_seed(run_seed)
        chosen = call_learner(factory, what="your chosen candidate's factory")
        try:
            chosen.set_weights(start)  # the same initial weights (dropout layers have none)
        except ValueError:
            raise Hint(
                "your chosen candidate's network has other weights than make_cnn() (another size or "
                "more layers): the task compares dropout with the same CNN without it."
            ) from None
        models += [chosen, plain]
        xs += [split.x_train] * 2
        ys += [y_train] * 2
        seeds += [run_seed] * 2
    if len({id(layer) for model in models[::2] for layer in model.layers}) < sum(
        len(model.layers) for model in models[::2]
    ):
        raise Hint(
            "your factory returns the same network (or the same layers) every time it is called: it "
            "should build a fresh, untrained network on every call, as make_cnn(...) does."
        )
    try:
        fit_in_parallel(
            models, xs, ys, seeds=seeds, steps=_STEPS, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
    except (TypeError, ValueError) as exc:
        raise Hint(f"the check could not train your chosen candidate: {exc}") from None
    scores = {"chosen": {"val": [], "test": []}, "plain": {"val": [], "test": []}}
    for k, (split, _, y_val) in enumerate(draws):
        for name, model in (("chosen", models[2 * k]), ("plain", models[2 * k + 1])):
            scores[name]["val"].append(accuracy(model, split.x_val, y_val))
            scores[name]["test"].append(accuracy(model, split.x_test, split.y_test))
    return {
        "gain": paired_difference(scores["chosen"]["test"], scores["plain"]["test"]),
        "val_gain": float(np.mean(scores["chosen"]["val"]) - np.mean(scores["plain"]["val"])),
        "val": float(np.mean(scores["chosen"]["val"])),
    }


@_set.exercise(
    3,
    "dropout for the CNN, tuned",
    level="open",
    section="sec-sweep-04",
    hints=(
        "On labels that are partly wrong, what does a network without dropout do with the wrong ones, and "
        "which rates and places did the lesson find to stop that without making the network underfit?",
        "A rate too low leaves the wrong labels memorized; one too high (the lesson's 0.9) underfits. The "
        "hidden Dense layer holds most of this CNN's weights: a candidate without dropout there leaves them "
        "free to memorize. Compare your candidates on the validation digits only.",
        "Candidates such as Dropout(0.5) after the convolution and Dropout(0.5) after the hidden layer, or "
        "SpatialDropout2D(0.5) after the convolution and Dropout(0.5) after the hidden layer, pass; choose "
        "the one with the best mean validation accuracy.",
    ),
)
def _tuned_dropout(candidates, chosen, seed):
    import keras

    if is_stub(candidates):
        raise NotAttempted
    if not isinstance(candidates, dict) or not candidates:
        raise Hint(
            "CANDIDATES should be a dict: a name for each candidate, and a function that builds its "
            "fresh, untrained network."
        )
    if len(candidates) > _MAX_CANDIDATES:
        raise Hint(
            f"the tuning budget is {_MAX_CANDIDATES} candidates; you tried {len(candidates)}. Every extra "
            "candidate is one more chance to win on validation by luck."
        )
    if is_stub(chosen):
        raise NotAttempted
    if not isinstance(chosen, str) or chosen not in candidates:
        raise Hint(
            f"chosen should be the name of one of your candidates ({', '.join(map(str, candidates))}), got {chosen!r}"
        )
    for name, factory in candidates.items():
        require_function(factory, f"candidate {name!r}'s factory (a function that builds the network)")
        model = call_learner(factory, what=f"candidate {name!r}'s factory")
        if not isinstance(model, keras.Model):
            raise Hint(f"candidate {name!r}'s factory should return a fresh Keras model, got {type(model).__name__}")
        if not {type(layer).__name__ for layer in model.layers} & _DROPOUT_LAYERS:
            raise Hint(
                f"candidate {name!r} has no dropout layer: every candidate adds dropout (Dropout, "
                "SpatialDropout2D, ...) to the CNN."
            )
        if _skeleton(model) != _skeleton(_plain_cnn()):
            raise Hint(
                f"candidate {name!r} changes the CNN itself, not only where dropout goes: build it with "
                "make_cnn(...), so that the comparison with the plain CNN changes one thing."
            )
    result = _train_and_score(candidates[chosen], int(seed))
    gain = result["gain"]
    record_pilot("04.3", seed, gain_low=gain.low, gain_mean=gain.mean, val_gain=result["val_gain"])
    task = (
        f"{chosen!r}, trained by the check with the plain CNN on {gain.n} draws of its own digits (30 % of "
        "the labels wrong), paired by draw"
    )
    if gain.low > _GAIN_BOUND:
        return (
            f"{task}: it gains {gain} points of test accuracy over the plain CNN on the sealed test digits "
            f"(mean [95 % interval]); the bound is +{100 * _GAIN_BOUND:.0f}."
        )
    raise Hint(
        f"{task}: on the check's validation digits (noisy labels) it gains {100 * result['val_gain']:+.1f} "
        f"points over the plain CNN, and on the sealed test digits the lower end of its gain is below "
        f"+{100 * _GAIN_BOUND:.0f} (the test numbers are shown only with a pass). Improve it on your "
        "validation digits, not by retrying the check."
    )


# --- Check yourself: Lesson 04's questions -----------------------------------------------------------------

_set.question(
    1,
    "A model with `Dropout(0.5)` ends training with `fit` reporting a training accuracy a few points below "
    "perfect. Does it get those few points of its training images wrong?",
    choices=(
        "Yes: fit's accuracy is the model's accuracy on its training images.",
        "Yes, and more: fit's figure is optimistic.",
        "Probably not: fit measures with dropout active, on a random half of the network; in inference mode "
        "the same model fits practically all of its training images.",
    ),
    answer="c",
    explanation="`fit` reports a running mean over the epoch with `training=True`, so every image is scored "
    "by a thinned network. Measure training accuracy in inference mode (`predict`, `evaluate`, "
    "`model(x, training=False)`), never from the history.",
    section="sec-train-inference",
)
_set.question(
    2,
    "On the clean digits dropout had little to win; on the same digits with 30 % of the labels replaced it "
    "gained a lot. What is different about the second task?",
    choices=(
        "There is something to memorize that does not generalize: without dropout the network learns most "
        "wrong labels by heart, and dropout stops that.",
        "Dropout corrects the wrong labels during training.",
        "The noisy task has more training images.",
        "Dropout only works on noisy data.",
    ),
    answer="a",
    explanation="Without dropout the network memorized most of the wrong labels; the tuned rate gave up that "
    "fit to wrong labels and gained fit to the true ones and on test. On clean labels the network "
    "already generalizes well, so there is little left to win ({ref}`sec-clean-04`).",
    section="sec-sweep-04",
)
_set.question(
    3,
    "In the rate sweep, rate 0.9 has by far the smallest gap between training and validation accuracy. Why "
    "is it still the wrong choice?",
    choices=(
        "Because its validation accuracy is measured with dropout on.",
        "Because the gap should be negative.",
        "Because rates above 0.5 are not allowed.",
        "Because both accuracies are low: with nine units in ten switched off the network underfits, and a "
        "model that fits nothing has no gap either.",
    ),
    answer="d",
    explanation="A small gap is not a goal in itself: choose the rate with the best validation accuracy and "
    "read the gap next to the scores.",
    section="sec-sweep-04",
)
_set.question(
    4,
    "Would you expect `SpatialDropout2D` to beat plain `Dropout` in a CNN for these 8 x 8 digits? And for "
    "large photos?",
    choices=(
        "Yes for both: dropping whole maps is always stronger.",
        "Not for the digits, whose small feature maps are only weakly correlated between neighbours; for "
        "large, smooth maps, where neighbours recover a dropped value, yes.",
        "No for both: spatial dropout is only for text.",
    ),
    answer="b",
    explanation="The argument for dropping whole maps is correlation: in a smooth map the next layer fills a "
    "hole from its neighbours, so plain Dropout hides little. The digit maps were measured far less smooth "
    "than a photo's pixels; the head to head on the lesson's page was one rate each, and exploratory.",
    section="sec-conv-04",
)
_set.question(
    5,
    "`GaussianNoise(0.5)` is one layer. Is it augmentation or regularization?",
    choices=(
        "Always augmentation: it adds noise.",
        "Always regularization: it is in keras.layers.regularization.",
        "It depends on where it goes: after the input it makes new training images (augmentation); after a "
        "hidden layer it perturbs the network's representation (regularization).",
    ),
    answer="c",
    explanation="The same noise is augmentation in one place and regularization in the other; both placements "
    "beat no noise on the noisy labels, for the same reason: a single image-label pair can no longer be "
    "memorized exactly ({ref}`sec-bridge`).",
    section="sec-bridge",
)
