"""Every Lesson 02 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint."""

import numpy as np
import pytest

import augreg
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson02 as check

keras = augreg.import_tensorflow_quietly()
layers = keras.layers


def _shifts():
    return keras.Sequential([layers.RandomTranslation(1 / 8, 1 / 8, fill_mode="constant",
                                                      interpolation="nearest")])


def test_pipeline_layers_flattens_nested_sequentials_and_rejects_non_layers():
    inner = keras.Sequential([layers.RandomZoom(0.1), layers.RandomRotation(0.01)])
    found = check.pipeline_layers(keras.Sequential([layers.RandomFlip(), inner]))
    assert [type(layer).__name__ for layer in found] == ["RandomFlip", "RandomZoom", "RandomRotation"]
    assert check.pipeline_layers(layers.RandomFlip())[0].__class__.__name__ == "RandomFlip"
    with pytest.raises(check.Hint, match="expected a Keras layer"):
        check.pipeline_layers(lambda x: x)


def test_digit_pipeline():
    keras.utils.set_random_seed(0)
    assert check.digit_pipeline(...).status == NOT_ATTEMPTED
    assert check.digit_pipeline(_shifts()).passed
    assert check.digit_pipeline(layers.RandomTranslation(0.125, 0.125, fill_mode="constant")).passed
    # The solution's text says that a slight rotation would pass too.
    assert check.digit_pipeline(keras.Sequential([_shifts(), layers.RandomRotation(0.02, fill_mode="constant")])).passed
    wrong = {
        "flips break digit labels": keras.Sequential([layers.RandomFlip("horizontal"), _shifts()]),
        "fraction of a": keras.Sequential([layers.RandomRotation(0.3, fill_mode="constant")]),
        'fill_mode="constant"': keras.Sequential([layers.RandomTranslation(0.125, 0.125)]),
        "value_range=(0.0, 1.0)": keras.Sequential([layers.RandomContrast(0.3)]),
        "RandomCrop makes the images smaller": keras.Sequential([layers.RandomCrop(6, 6)]),
        "keras-team/keras#21868": keras.Sequential([_shifts(), layers.RandomCrop(7, 7)]),
        "outside the digits' [0, 1]": keras.Sequential([_shifts(), layers.GaussianNoise(0.2)]),
        "left every image unchanged": keras.Sequential([layers.Rescaling(1.0)]),
        "expected a Keras layer": "RandomTranslation",
    }
    for words, answer in wrong.items():
        result = check.digit_pipeline(answer)
        assert result.status == FAILED and words in result.message, (words, result)


def test_photo_pipeline():
    keras.utils.set_random_seed(0)
    fixed = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.02),
                              layers.RandomBrightness(0.2, value_range=(0, 1))])
    assert check.photo_pipeline(...).status == NOT_ATTEMPTED
    assert check.photo_pipeline(fixed).passed
    wrong = {
        'RandomFlip("horizontal")': keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.02),
                                                      layers.RandomBrightness(0.2, value_range=(0, 1))]),
        "fraction of a full turn": keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.5),
                                                     layers.RandomBrightness(0.2, value_range=(0, 1))]),
        "pass value_range=(0.0, 1.0)": keras.Sequential([layers.RandomFlip("horizontal"),
                                                         layers.RandomBrightness(0.2)]),
        "keep a photometric layer": keras.Sequential([layers.RandomFlip("horizontal"),
                                                      layers.RandomRotation(0.02)]),
        "should stay in [0, 1]": keras.Sequential([layers.RandomBrightness(0.2, value_range=(0, 1)),
                                                   layers.GaussianNoise(0.3)]),
    }
    for words, answer in wrong.items():
        result = check.photo_pipeline(answer)
        assert result.status == FAILED and words in result.message, (words, result)


def test_randomcrop_hint_states_what_keras_does():
    """The hint says RandomCrop keeps the input at inference (the bug) and crops a batch at one offset."""
    x = np.random.default_rng(0).uniform(size=(8, 8, 8, 1)).astype("float32")
    crop = layers.RandomCrop(6, 6)
    assert tuple(crop(x, training=False).shape) == x.shape  # keras-team/keras#21868
    cropped = keras.ops.convert_to_numpy(crop(np.repeat(x[:1], 8, axis=0), training=True))
    assert cropped.shape == (8, 6, 6, 1) and all(np.array_equal(c, cropped[0]) for c in cropped)


def test_changes_when_called_directly_is_what_keras_does():
    x = np.random.default_rng(0).uniform(size=(8, 8, 8, 1)).astype("float32")
    candidates = {"RandomTranslation": layers.RandomTranslation(0.25, 0.25),
                  "RandomContrast": layers.RandomContrast(0.5, value_range=(0, 1)),
                  "GaussianNoise": layers.GaussianNoise(0.1), "Dropout": layers.Dropout(0.5)}
    for name, layer in candidates.items():
        out = keras.ops.convert_to_numpy(layer(x))
        assert (not np.allclose(out, x)) == check.CHANGES_WHEN_CALLED_DIRECTLY[name], name


def test_active_layers():
    right = dict(check.CHANGES_WHEN_CALLED_DIRECTLY)
    assert check.active_layers(...).status == NOT_ATTEMPTED
    assert check.active_layers(right).passed
    wrong = [
        ({**right, "GaussianNoise": True}, "GaussianNoise is a regularization layer"),
        ({**right, "Dropout": True}, "Dropout called directly defaults to training=False"),
        ({name: not value for name, value in right.items()}, "every answer is the wrong way round"),
        ({**right, "RandomContrast": False}, "not right for: RandomContrast"),
        ({"Dropout": False}, "missing: GaussianNoise, RandomContrast, RandomTranslation"),
        ({**right, "Dropout": "no"}, "True or False"),
        ([True, True, False, False], "should be a dict"),
    ]
    for answer, words in wrong:
        result = check.active_layers(answer)
        assert result.status == FAILED and words in result.message, (answer, result)


def _right_throughput(augment, images, batch_size):
    return check.reference_images_per_second(augment, images, batch_size)


def test_images_per_second():
    images = np.tile(augreg.load_digits_split(n_train=100).x_train, (10, 1, 1, 1))
    augment = layers.RandomTranslation(0.125, 0.125, fill_mode="constant")
    args = (augment, images, 64)
    assert check.images_per_second(..., *args).status == NOT_ATTEMPTED
    assert check.images_per_second(lambda a, x, b: ..., *args).status == NOT_ATTEMPTED
    assert check.images_per_second(_right_throughput, *args).passed
    wrong = {
        "batches per second": lambda a, x, b: _right_throughput(a, x, b) / b,
        "seconds per image": lambda a, x, b: 1 / _right_throughput(a, x, b),
        "time one full pass": lambda a, x, b: 1000 * _right_throughput(a, x, b),
        "positive number": lambda a, x, b: -1.0,
        "one number": lambda a, x, b: [1.0, 2.0],
    }
    for words, answer in wrong.items():
        result = check.images_per_second(answer, *args)
        assert result.status == FAILED and words in result.message, (words, result)
