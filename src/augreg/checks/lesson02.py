"""Checks for Exercises 02 (data augmentation)."""

from __future__ import annotations

import time

import numpy as np

from . import Hint, as_number, call_learner_function, exercise_check

#: Layers that move pixels, and the colour layers that need ``value_range``.
GEOMETRIC = ("RandomRotation", "RandomZoom", "RandomTranslation")
COLOUR = ("RandomBrightness", "RandomContrast", "RandomColorJitter")

#: What each layer does when called directly, without ``training=`` (Keras 3.15).
CHANGES_WHEN_CALLED_DIRECTLY = {
    "RandomTranslation": True,
    "RandomContrast": True,
    "GaussianNoise": False,
    "Dropout": False,
}


def pipeline_layers(pipeline) -> list:
    """The layers of an augmentation pipeline: a ``keras.Sequential``'s layers, or one layer.

    Nested ``Sequential`` models are flattened. Raises :class:`Hint` for anything
    that is not a Keras layer.
    """
    import keras

    if not isinstance(pipeline, keras.layers.Layer):
        raise Hint(f"expected a Keras layer or keras.Sequential([...]), got {type(pipeline).__name__}")
    if isinstance(pipeline, keras.Sequential):
        found = []
        for layer in pipeline.layers:
            found.extend(pipeline_layers(layer))
        return found
    return [pipeline]


def _max_factor(factor) -> float:
    values = np.abs(np.atleast_1d(np.asarray(factor, dtype=float)))
    return float(values.max())


def _apply(pipeline, images, training: bool) -> np.ndarray:
    import keras

    try:
        out = pipeline(images, training=training)
    except Exception as exc:  # a pipeline that cannot run on these images
        raise Hint(f"your pipeline raised {type(exc).__name__} on a batch of images: {exc}") from None
    return np.asarray(keras.ops.convert_to_numpy(out))


def _common_layer_hints(found, value_range) -> None:
    """Hints shared by the two pipeline exercises: flips, rotation factor, fill mode, value range."""
    for layer in found:
        name = type(layer).__name__
        if name == "RandomRotation" and _max_factor(layer.factor) > 0.1:
            raise Hint(f"RandomRotation({layer.factor}) rotates by up to "
                       f"{360 * _max_factor(layer.factor):.0f} degrees: the factor is a fraction of a "
                       "full turn, so a few degrees is a factor of about 0.01-0.05.")
        if name in COLOUR and tuple(float(v) for v in layer.value_range) != tuple(value_range):
            raise Hint(f"{name} assumes value_range={tuple(layer.value_range)}, but these images are in "
                       f"{tuple(value_range)}: pass value_range={tuple(value_range)}.")


@exercise_check("Exercise 1 (a pipeline for the digits)")
def digit_pipeline(pipeline, images=None) -> str:
    """Check an augmentation pipeline for 8x8 digits in [0, 1] (white on black)."""
    if images is None:
        from ..data import load_digits_split

        images = load_digits_split(n_train=100).x_train[:64]
    found = pipeline_layers(pipeline)
    names = [type(layer).__name__ for layer in found]
    if "RandomFlip" in names:
        raise Hint("a flipped 6 is a 9 and a mirrored 2 looks like a 5: flips break digit labels.")
    if "RandomCrop" in names:
        raise Hint("RandomCrop makes the images smaller in training and, through a Keras bug "
                   "(keras-team/keras#21868), not at inference; it also cuts every image of a batch at "
                   "one offset: use RandomTranslation to move a digit around instead.")
    _common_layer_hints(found, (0.0, 1.0))
    for layer in found:
        if type(layer).__name__ in GEOMETRIC and layer.fill_mode != "constant":
            raise Hint(f'{type(layer).__name__} fills new pixels with fill_mode="{layer.fill_mode}", which '
                       'draws extra strokes on a digit: use fill_mode="constant" (black).')
    out = _apply(pipeline, images, training=True)
    if out.shape != images.shape:
        raise Hint(f"the pipeline turned images of shape {images.shape[1:]} into {out.shape[1:]}.")
    if np.allclose(out, images):
        raise Hint("with training=True your pipeline left every image unchanged: add at least one "
                   "random layer.")
    if out.min() < -1e-6 or out.max() > 1 + 1e-6:
        raise Hint(f"augmented pixels range over {out.min():.2f}-{out.max():.2f}, outside the digits' "
                   "[0, 1]: a digit never looks like that.")
    changed = np.mean([not np.allclose(a, b) for a, b in zip(out, images)])
    if changed < 0.3:
        raise Hint(f"only {changed:.0%} of the images changed: the augmentation is almost never applied.")
    if not np.allclose(_apply(pipeline, images, training=False), images):
        raise Hint("with training=False the pipeline should leave the images unchanged.")
    return f"{' -> '.join(names)}: keeps labels, shape and value range; changed {changed:.0%} of the images."


@exercise_check("Exercise 2 (fix a broken pipeline)")
def photo_pipeline(pipeline, images=None) -> str:
    """Check a fixed augmentation pipeline for landscape photos with values in [0, 1]."""
    if images is None:
        from ..data import load_sample_photo

        images = np.stack([load_sample_photo(name, size=48) for name in ("china", "flower")] * 4)
    found = pipeline_layers(pipeline)
    names = [type(layer).__name__ for layer in found]
    for layer in found:
        if type(layer).__name__ == "RandomFlip" and layer.mode != "horizontal":
            raise Hint(f'RandomFlip("{layer.mode}") can turn a landscape upside down; photos of the world '
                       'are mirrored left-right only: RandomFlip("horizontal").')
    _common_layer_hints(found, (0.0, 1.0))
    out = _apply(pipeline, images, training=True)
    if out.shape != images.shape:
        raise Hint(f"the pipeline turned images of shape {images.shape[1:]} into {out.shape[1:]}.")
    if out.min() < -1e-6 or out.max() > 1 + 1e-6:
        raise Hint(f"augmented pixels range over {out.min():.2f}-{out.max():.2f}: they should stay in [0, 1].")
    if np.mean([view.max() == 0 for view in out]) > 0:
        raise Hint("some augmented photos are entirely black: check the value_range of the colour layers.")
    if not any(name in COLOUR for name in names):
        raise Hint("keep a photometric layer (the broken pipeline had RandomBrightness): fix it, "
                   "don't drop it.")
    if np.allclose(out, images):
        raise Hint("with training=True your pipeline left every image unchanged.")
    return f"{' -> '.join(names)}: no upside-down photos, small rotations, colours in [0, 1]."


@exercise_check("Exercise 3 (which layers are active?)")
def active_layers(answers) -> str:
    """Check the learner's ``{layer name: changes when called directly}`` dictionary."""
    if not isinstance(answers, dict):
        raise Hint(f"answers should be a dict {{layer name: True or False}}, got {type(answers).__name__}")
    missing = sorted(set(CHANGES_WHEN_CALLED_DIRECTLY) - set(answers))
    if missing:
        raise Hint(f"give an answer for every layer; missing: {', '.join(missing)}.")
    for name, value in answers.items():
        if name in CHANGES_WHEN_CALLED_DIRECTLY and not isinstance(value, (bool, np.bool_)):
            raise Hint(f"the answer for {name} should be True or False, got {value!r}")
    wrong = [name for name, truth in CHANGES_WHEN_CALLED_DIRECTLY.items() if bool(answers[name]) != truth]
    if not wrong:
        return "preprocessing layers default to training=True; GaussianNoise and Dropout to training=False."
    if set(wrong) == set(CHANGES_WHEN_CALLED_DIRECTLY):
        raise Hint("every answer is the wrong way round: what does a preprocessing layer do when you "
                   "call it as layer(x), with no training argument?")
    if "GaussianNoise" in wrong and answers["GaussianNoise"]:
        raise Hint("GaussianNoise is a regularization layer, like Dropout: called directly it defaults to "
                   "training=False. Call it and compare with its input.")
    if "Dropout" in wrong:
        raise Hint("Dropout called directly defaults to training=False: it returns its input unchanged.")
    raise Hint(f"not right for: {', '.join(wrong)}. Call each layer on a batch of images, without "
               "training=, and compare the output with the input.")


def reference_images_per_second(augment, images, batch_size: int) -> float:
    """Images per second of ``augment`` mapped over ``images`` in ``tf.data``, one pass, batched."""
    import tensorflow as tf

    dataset = (tf.data.Dataset.from_tensor_slices(images)
               .map(lambda x: augment(x, training=True), num_parallel_calls=tf.data.AUTOTUNE)
               .batch(batch_size))
    start = time.perf_counter()
    for _ in dataset:
        pass
    return len(images) / (time.perf_counter() - start)


#: A measured throughput is accepted within this factor of the check's own measurement.
THROUGHPUT_TOLERANCE = 5.0


@exercise_check("Exercise 4 (measure a pipeline's throughput)")
def images_per_second(function, augment=None, images=None, batch_size: int = 64) -> str:
    """Check ``images_per_second(augment, images, batch_size)`` against a measurement of the check's own."""
    import keras

    if augment is None:
        augment = keras.layers.RandomTranslation(0.125, 0.125, fill_mode="constant")
    if images is None:
        from ..data import load_digits_split

        images = np.tile(load_digits_split(n_train=100).x_train, (20, 1, 1, 1))  # 2,000 digits
    answer = as_number(call_learner_function(function, augment, images, batch_size), "images per second")
    if not np.isfinite(answer) or answer <= 0:
        raise Hint(f"a throughput is a positive number of images per second, got {answer}")
    expected = max(reference_images_per_second(augment, images, batch_size) for _ in range(2))
    ratio = answer / expected
    if 1 / THROUGHPUT_TOLERANCE <= ratio <= THROUGHPUT_TOLERANCE:
        return f"{answer:,.0f} images per second (the check measured {expected:,.0f})."
    if answer < 1:
        raise Hint(f"{answer:.2g} looks like seconds per image: divide the number of images by the time.")
    if abs(np.log(ratio * batch_size)) < np.log(THROUGHPUT_TOLERANCE):
        raise Hint("this looks like batches per second: count the images (len(images)), not the batches.")
    raise Hint(f"you measured {answer:,.0f} images per second, the check {expected:,.0f}: time one full "
               "pass over the data set (time.perf_counter() before and after) and divide len(images) by it.")
