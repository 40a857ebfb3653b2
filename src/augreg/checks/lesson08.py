"""Checks of exercise set 08 (modern augmentation): ``from augreg.checks.lesson08 import check``.

Everything but ``check`` is private and hidden from ``dir``; the graders compute their truths from data
the learner never receives.

* Exercise 1 grades ``mix_up(images, labels, weights, order)`` against ``keras.layers.MixUp``: the check
  draws batches of digits and the layer's own weights and partners, anew for every attempt (so a table of
  outputs a failure showed cannot pass), and compares the learner's images and labels with the layer's.
* Exercise 2 grades a pipeline builder ``varied_batches(x, y, layer, batch_size)``: the check hands it a
  *probe* layer of its own that stamps every image it is called on with one random number per call, and
  reads the stamps back from the batches: one number per image passes; one per batch (``.batch().map()``),
  one for the whole array (the layer applied before the pipeline) or no stamp at all (the layer switched
  off) are diagnosed by name. Labels must stay with their images, in order.
* Exercise 3 (open) grades a *recipe*, ``train_for_tilted_digits(x_train, y_train, seed)``: the check
  draws digits of its own (a hidden draw, the classes renamed), trains the recipe there, turns its
  validation and sealed test digits by 20 to 40 degrees either way, and measures the returned network on
  them. Which augmentation, and which range, are the learner's decision. See :data:`_TILTED_BOUND` for the
  bound and its pilots.
"""

from __future__ import annotations

import numpy as np

from . import ExerciseSet, Hint
from .evidence import accuracy, call_learner, record_pilot, require_function, sealed_split, sealed_verdict

_set = ExerciseSet("08", "08-modern-augmentation")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


# --- Exercise 1 ------------------------------------------------------------------------------------------


def _batches(seed: int, attempt: int):
    """Two digit batches with Keras's MixUp draws, new for every attempt: (images, labels, w, order, truth)."""
    import keras

    from ..data import load_digits_split

    rng = np.random.default_rng([seed, attempt, 81])
    split = load_digits_split(n_train=200, n_val=100, n_test=100, split_seed=int(rng.integers(10**6, 2 * 10**6)))
    for n, alpha in ((16, float(rng.choice([0.2, 0.4]))), (32, 1.0)):
        pick = rng.choice(len(split.y_train), n, replace=False)
        images = split.x_train[pick].astype("float32")
        labels = np.eye(10, dtype="float32")[split.y_train[pick]]
        layer = keras.layers.MixUp(alpha=alpha, seed=int(rng.integers(0, 2**31 - 1)))
        plan = layer.get_random_transformation({"images": images, "labels": labels})
        weights = np.asarray(plan["mix_weight"], dtype="float32")
        order = np.asarray(plan["permutation_order"]).astype("int64")
        truth = (np.asarray(layer.transform_images(images, plan)), np.asarray(layer.transform_labels(labels, plan)))
        yield images, labels, weights, order, truth


def _as_pair(value):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Hint("return two arrays, the mixed images and the mixed labels, as a pair.")
    try:
        return np.asarray(value[0], dtype=float), np.asarray(value[1], dtype=float)
    except (TypeError, ValueError):
        raise Hint("return two arrays of numbers, the mixed images and the mixed labels.") from None


def _mixed(images, labels, weights, partner):
    w4, w2 = weights.reshape(-1, 1, 1, 1), weights.reshape(-1, 1)
    return w4 * images + (1 - w4) * images[partner], w2 * labels + (1 - w2) * labels[partner]


@_set.exercise(
    1,
    "MixUp from scratch",
    level="core",
    section="sec-08-mixing",
    hints=(
        "Which share of its own image does each image keep, which image does it take the rest from, and "
        "does its label get the same shares as its pixels?",
        "Image i keeps the weight drawn for it and takes the rest from image order[i]; its one-hot label is "
        "blended with the same two weights. Each image has its own weight: reshape the weights so that they "
        "line up with the images' first axis (and with the labels' first axis).",
        "With `w = weights.reshape(-1, 1, 1, 1)`: `w * images + (1 - w) * images[order]`; with "
        "`v = weights.reshape(-1, 1)`: `v * labels + (1 - v) * labels[order]`. Return both, in that order.",
    ),
)
def _mix_up(function, seed):
    require_function(function)
    record = _set._record(("exercise", 1))
    for images, labels, weights, order, (right_images, right_labels) in _batches(seed, record.attempts):
        try:
            got = function(images.copy(), labels.copy(), weights.copy(), order.copy())
        except ValueError as exc:
            if "broadcast" in str(exc):
                raise Hint(
                    "your function raised a broadcasting error: the weights hold one number per image, "
                    "and they must line up with the first axis of the images and of the labels."
                ) from None
            raise Hint(f"your function raised ValueError: {exc}") from None
        except Exception as exc:
            raise Hint(f"your function raised {type(exc).__name__}: {exc}") from None
        if got is ...:
            from . import NotAttempted

            raise NotAttempted
        if got is None:
            raise Hint("your function returned None: did you forget the `return` statement?")
        got_images, got_labels = _as_pair(got)
        if got_images.shape != images.shape or got_labels.shape != labels.shape:
            raise Hint(
                f"the mixed images should keep the batch's shape {images.shape} and the labels the shape "
                f"{labels.shape}; got {got_images.shape} and {got_labels.shape}. The weights hold one number "
                "per image: they must line up with the first axis of the images and of the labels."
            )
        images_ok = np.allclose(got_images, right_images, atol=1e-5)
        labels_ok = np.allclose(got_labels, right_labels, atol=1e-5)
        if images_ok and labels_ok:
            continue
        if images_ok and np.allclose(got_labels, labels):
            raise Hint(
                "the images are mixed but the labels are not: that is what MixUp inside a model does. "
                "A blend of two digits needs a blend of their labels."
            )
        swapped = _mixed(images, labels, 1 - weights, order)
        if np.allclose(got_images, swapped[0], atol=1e-5) or np.allclose(got_labels, swapped[1], atol=1e-5):
            raise Hint(
                "close, but the weights are the wrong way round: the weight drawn for image i is the "
                "share image i keeps of itself, not the share it takes from its partner."
            )
        inverse = _mixed(images, labels, weights, np.argsort(order))
        if np.allclose(got_images, inverse[0], atol=1e-5):
            raise Hint(
                "each image is mixed with the wrong partner: image i takes its partner from position "
                "order[i] of the batch, not the image that order sends to position i."
            )
        single = _mixed(images, labels, np.full_like(weights, weights.mean()), order)
        first = _mixed(images, labels, np.full_like(weights, weights[0]), order)
        if any(np.allclose(got_images, other[0], atol=1e-5) for other in (single, first)):
            raise Hint("every image got the same weight: MixUp draws one weight per image.")
        if images_ok:
            raise Hint(
                "the images are right and the labels are not: blend each label with the same weights "
                "as its image, and the same partner."
            )
        raise Hint("your mixed images differ from keras.layers.MixUp's on the same weights and partners.")
    return "your MixUp gives the same images and labels as keras.layers.MixUp on the same draws."


# --- Exercise 2 ------------------------------------------------------------------------------------------

#: The probe data of Exercise 2: this many images, in batches of _PROBE_BATCH.
_PROBE_N, _PROBE_BATCH = 40, 8


def _probe_layer():
    """A layer that replaces every image it is called on by one random number per call (a stamp).

    Called on one image, the image gets its own stamp; called on a batch, the batch shares one. With
    ``training=False`` it passes images through, as Keras's augmentation layers do at inference.
    """
    import keras
    import tensorflow as tf

    class Stamp(keras.layers.Layer):
        def call(self, images, training=True):
            if not training:
                return images
            draw = tf.random.uniform([], 1.0, 2.0)  # one number per call, in [1, 2): never a pixel value
            return tf.zeros_like(images) + tf.cast(draw, images.dtype)

    return Stamp()


def _collect(result):
    """The batches of the learner's pipeline as a list of (images, labels) arrays; a Hint if it is none."""
    import tensorflow as tf

    if not isinstance(result, tf.data.Dataset):
        raise Hint(
            f"return the tf.data.Dataset itself (built with tf.data.Dataset.from_tensor_slices), got "
            f"{type(result).__name__}."
        )
    out = []
    for element in result.as_numpy_iterator():
        if isinstance(element, dict) and {"images", "labels"} <= set(element):
            element = (element["images"], element["labels"])
        if not isinstance(element, tuple) or len(element) != 2:
            raise Hint("each element of the dataset should be a pair (images, labels).")
        out.append((np.asarray(element[0]), np.asarray(element[1])))
    return out


@_set.exercise(
    2,
    "a draw for every image",
    level="core",
    section="sec-08-policies",
    hints=(
        "A Keras augmentation layer draws its random choices once per call: in your pipeline, is it called "
        "once for every image, or once for a whole batch?",
        "In tf.data the order of the steps decides what a call sees: mapped after `.batch()`, the layer is "
        "called on whole batches; mapped before it, on single images. Keep each label paired with its image "
        "through the map.",
        "`tf.data.Dataset.from_tensor_slices((x, y)).map(lambda image, label: (layer(image), label))"
        ".batch(batch_size)`.",
    ),
)
def _varied_batches(function, seed):
    require_function(function)
    rng = np.random.default_rng([seed, 82])
    x = rng.random((_PROBE_N, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 10, _PROBE_N)
    batches = _collect(call_learner(function, x.copy(), y.copy(), _probe_layer(), _PROBE_BATCH))
    if not batches:
        raise Hint("your dataset yields nothing: build it from the images and labels it is given.")
    images = [b[0] for b in batches]
    if any(i.ndim != 4 for i in images):
        raise Hint("your dataset yields single images: batch them, `batch_size` images to a batch.")
    sizes = [len(i) for i in images]
    if sum(sizes) != _PROBE_N or max(sizes) != _PROBE_BATCH:
        raise Hint(
            f"your dataset yields batches of {sorted(set(sizes))} images, {sum(sizes)} in all; the check "
            f"gave {_PROBE_N} images and asked for batches of {_PROBE_BATCH}."
        )
    labels = np.concatenate(
        [np.asarray(b[1]).reshape(len(b[0]), -1)[:, 0] if np.ndim(b[1]) > 1 else b[1] for b in batches]
    )
    if not np.array_equal(labels, y):
        raise Hint(
            "the labels that come out are not the labels of the images, in the order given: keep each "
            "label paired with its image (and do not shuffle here)."
        )
    stacked = np.concatenate(images)
    if np.allclose(stacked, x):
        raise Hint(
            "the images come out unchanged: the layer never ran in training mode. Call it on the images "
            "as augmentation layers are called in a pipeline (training is their default there)."
        )
    stamps = stacked.reshape(_PROBE_N, -1)
    if not np.all(stamps.max(axis=1) == stamps.min(axis=1)) or stamps.min() < 1:
        raise Hint(
            "the images that come out are not what the layer made of them: apply the layer, and "
            "nothing else, to the images."
        )
    draws = len(np.unique(stamps[:, 0]))
    if draws == 1:
        raise Hint(
            "all your images got one and the same draw: the layer ran once, on all of them, before "
            "or inside the pipeline. Every image should get a draw of its own."
        )
    per_batch = all(len(np.unique(s.reshape(len(s), -1)[:, 0])) == 1 for s in images)
    if per_batch:
        raise Hint(
            f"every image of a batch got the same draw ({draws} draws for {len(images)} batches): the "
            "layer is called once per batch. Every image should get a draw of its own."
        )
    if draws < _PROBE_N:
        raise Hint(f"{draws} draws for {_PROBE_N} images: some images share one.")
    return (
        f"each of the {_PROBE_N} images got its own draw of the layer, in batches of {_PROBE_BATCH}, with "
        "its label beside it."
    )


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: The nuisance of Exercise 3: each digit is turned by an angle drawn from this range (degrees), clockwise
#: or anticlockwise.
_TILT = (20.0, 40.0)
#: Exercise 3's limits on the recipe's network (the lesson's has 5,450 weights).
_MAX_WEIGHTS = 20_000
#: Exercise 3's bound: the accuracy the recipe's network must reach on the check's tilted, sealed test
#: digits (a hidden draw with the classes renamed; 100 training digits, 1,000 test digits).
#: Pilots on base seeds 100 / 101 / 102 / 103 (never run by the suite), on this check:
#: * the solution's recipe (``python -m augreg_tools.exercises pilot 08 --bases 100 101 102 103``: the
#:   lesson's network behind ``RandomRotation(40 / 360, fill_mode="constant")``, 100 epochs of the 100
#:   digits): test 0.700 / 0.670 / 0.650 / 0.718 (tilted validation 0.738 / 0.695 / 0.698 / 0.680);
#: * doing nothing about the tilt (the same network and epochs, no augmentation; graded by this check with
#:   ``augreg.checks.testing.grade(..., seed=base)``): test 0.433 / 0.424 / 0.400 / 0.423;
#: * the lesson's policy, ``RandAugment(value_range=(0, 1), factor=0.3)`` (turns one way only):
#:   0.501 / 0.508 / 0.399 / 0.508;
#: * half-way answers: ``RandomRotation((0, 40 / 360))`` (one way), 0.507 / 0.577 / 0.516 / 0.547; both
#:   ways with the default reflect fill, 0.577 / 0.574 / 0.514 / 0.595; both ways, black fill, for half the
#:   epochs, 0.607 / 0.546 / 0.520 / 0.581.
#: The bound lies 17 points above the best "do nothing" pilot and 5 below the solution's worst.
_TILTED_BOUND = 0.60


def _tilt(images, seed: int) -> np.ndarray:
    """Each image turned about its centre by its own angle in _TILT, either way (black corners)."""
    from scipy.ndimage import rotate

    rng = np.random.default_rng(seed)
    angles = rng.uniform(*_TILT, len(images)) * rng.choice((-1.0, 1.0), len(images))
    return np.stack(
        [
            rotate(image, angle, axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0)
            for image, angle in zip(images, angles)
        ]
    ).astype("float32")


@_set.exercise(
    3,
    "training for tilted digits",
    level="open",
    section="sec-08-tta",
    hints=(
        "Which variation will the digits arrive with, which layer shows the network that variation in "
        "training, and does its range cover both directions and the angles you expect?",
        "Put a rotation layer in front of the network and choose its range on the tilted validation digits: "
        "a factor is a fraction of a full turn, a single number turns both ways, and the default fill "
        "reflects strokes back into the corners where a tilted digit has black. RandAugment turns one way "
        "only. A network that sees turned digits may need more of its step budget to learn them.",
        "One recipe that passes: `model = make_model(seed, front=[layers.RandomRotation(40 / 360, "
        "fill_mode='constant', seed=seed)])`, then `model.fit(x_train, y_train, batch_size=32, epochs=100, "
        "verbose=0)`, and return the model.",
    ),
)
def _tilted_digits(recipe, seed):
    require_function(recipe, "your recipe (the function itself)")
    split = sealed_split(seed, "08.3", n_train=100, n_val=400, n_test=1000)
    model = call_learner(recipe, split.x_train.copy(), split.y_train.copy(), seed, what="your recipe")
    weights = getattr(model, "count_params", lambda: 0)()
    if weights > _MAX_WEIGHTS:
        raise Hint(
            f"your network has {weights:,} weights; the task allows {_MAX_WEIGHTS:,} (the lesson's has "
            "about 5,500): the question is what to show it, not how big to make it."
        )
    x_val, x_test = _tilt(split.x_val, seed + 1), _tilt(split.x_test, seed + 2)
    validation, test = accuracy(model, x_val, split.y_val), accuracy(model, x_test, split.y_test)
    upright = accuracy(model, split.x_val, split.y_val)
    record_pilot("08.3", seed, test=test, validation=validation, upright_validation=upright)
    task = "your recipe, trained by the check on digits of its own, on its tilted digits"
    if test < _TILTED_BOUND and upright < 0.3:
        raise Hint(
            f"{task}, scores like chance even on its upright validation digits ({upright:.0%}): did "
            "the network train on the digits and labels the recipe was given (the arguments, not the "
            "notebook's data)?"
        )
    return sealed_verdict(test, _TILTED_BOUND, validation=validation, task=task)


# --- Check yourself: Lesson 08's questions ------------------------------------------------------------------

_set.question(
    1,
    "You put `keras.layers.MixUp()` as the first layer of a `Sequential` model and train with integer labels. "
    "What does the model learn from?",
    choices=(
        "From mixed images with mixed labels, exactly as the paper describes.",
        "From blended images, each with the label of only one of the two digits.",
        "From the original images: MixUp is switched off inside a model.",
        "Nothing: integer labels make the layer raise an error in the first step.",
    ),
    answer="b",
    explanation="Inside a model the layer sees the images alone, so it blends them and never the labels. MixUp "
    "needs a dictionary of images and one-hot labels in the input pipeline.",
    section="sec-08-mixing",
)
_set.question(
    2,
    "A colleague trains with `RandAugment(factor=0.5)` on images scaled to [0, 1], expecting small rotations "
    "either way. Which of these does the layer do?",
    choices=(
        "Rotations either way, a quarter turn at most; pixels stay in [0, 1].",
        "Nothing to the pixels' range, and rotations either way up to half a turn.",
        "Pixels far above 1 (the default value range is 0 to 255), and rotations in one direction only, up to "
        "half a turn.",
        "Pixels far above 1, and rotations either way up to a quarter turn.",
    ),
    answer="c",
    explanation="`value_range` defaults to (0, 255), so brightness and solarization push [0, 1] pixels far "
    "above 1; and inside RandAugment a factor f becomes the range (0, f): rotations from 0 to half a turn, "
    "one way, and shifts toward one side. Only the shear takes both signs.",
    section="sec-08-policies",
)
_set.question(
    3,
    "Before training, predict: what does MixUp do to a small digits network that is not overconfident?",
    choices=(
        "It lowers the network's confidence relative to its accuracy, which can push it into underconfidence.",
        "It makes the network more confident, and better calibrated.",
        "Nothing to its confidence: mixing only changes the images.",
        "It raises the network's accuracy on clean digits by several points, as on ImageNet.",
    ),
    answer="a",
    explanation="Mixed labels pull the top-class probability down. For the overconfident large networks of the "
    "literature that improves calibration; a network that was not overconfident is pushed past its accuracy, "
    "so check its calibration.",
    section="sec-08-calibration",
)
_set.question(
    4,
    "The deployed digits may have a sticker over part of them. Which layer do you pick, and how do you check "
    "the choice without touching the test set?",
    choices=(
        "RandAugment, checked on clean validation digits.",
        "MixUp, checked on the occluded test digits.",
        "RandomErasing, checked on the occluded test digits, then reported on them.",
        "RandomErasing, checked on validation digits occluded the way the test digits will be.",
    ),
    answer="d",
    explanation="RandomErasing encodes occlusion. Choose on occluded *validation* digits, made the same way as "
    "the occluded test set, and report on test only at the end.",
    section="sec-08-erasing",
)
_set.question(
    5,
    "Test-time augmentation averages predictions over shifted views. Why is it not free, and when is "
    "training with the augmentation the better buy?",
    choices=(
        "It is free: the views are made once, and training with shifts costs more.",
        "Every prediction costs one pass per view, for the life of the model, and views can hurt inputs that "
        "did not need them; training with the augmentation is paid once.",
        "It costs only memory; it always beats training with the augmentation.",
        "It is never worth it, because the views are switched off in predict.",
    ),
    answer="b",
    explanation="Each view is another pass through the network at every prediction. In the lesson the network "
    "trained with shifts, with one view, beat the plain network with nine views on shifted digits.",
    section="sec-08-tta",
)
