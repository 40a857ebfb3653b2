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


def _contrast():
    return layers.RandomContrast(0.3, value_range=(0, 1))


def test_digit_pipeline():
    keras.utils.set_random_seed(0)
    solution = keras.Sequential([_shifts(), _contrast()])
    assert check.digit_pipeline(...).status == NOT_ATTEMPTED
    assert check.digit_pipeline(solution).passed
    assert check.digit_pipeline(keras.Sequential([layers.RandomTranslation(0.125, 0.125, fill_mode="constant"),
                                                  layers.RandomRotation(0.02, fill_mode="constant")])).passed
    # The limits: three pixels, 18 degrees, a 25 % zoom (the solution's text says a slight rotation passes).
    assert check.digit_pipeline(keras.Sequential([layers.RandomTranslation(0.375, 0.375, fill_mode="constant"),
                                                  layers.RandomRotation(0.05, fill_mode="constant"),
                                                  layers.RandomZoom(0.2, fill_mode="constant")])).passed
    # One kind is fine where the caller asks for one.
    assert check.digit_pipeline(_shifts(), min_kinds=1).passed
    wrong = {
        "flips break digit labels": keras.Sequential([layers.RandomFlip("horizontal"), _shifts()]),
        "fraction of a": keras.Sequential([layers.RandomRotation(0.3, fill_mode="constant"), _shifts()]),
        # near misses: +/-36 degrees, a move of 4 of 8 pixels, a 50 % zoom, the lesson's one layer
        "rotates by up to 36 degrees": keras.Sequential([_shifts(), layers.RandomRotation(0.1, fill_mode="constant")]),
        "by up to 4 of its 8 pixels": keras.Sequential([layers.RandomTranslation(0.5, 0.5, fill_mode="constant"),
                                                        _contrast()]),
        "moves a digit by up to 4": keras.Sequential([layers.RandomTranslation((-0.45, 0.1), 0.1,
                                                                                  fill_mode="constant"), _contrast()]),
        "zooms by up to 50%": keras.Sequential([_shifts(), layers.RandomZoom(0.5, fill_mode="constant")]),
        "at least 2 kinds of random layer": _shifts(),
        'fill_mode="constant"': keras.Sequential([layers.RandomTranslation(0.125, 0.125), _contrast()]),
        "value_range=(0.0, 1.0)": keras.Sequential([_shifts(), layers.RandomContrast(0.3)]),
        "RandomCrop makes the images smaller": keras.Sequential([layers.RandomCrop(6, 6)]),
        "keras-team/keras#21868": keras.Sequential([_shifts(), layers.RandomCrop(7, 7)]),
        "outside the digits' [0, 1]": keras.Sequential([_shifts(), layers.GaussianNoise(0.2)]),
        "left every image unchanged": keras.Sequential([layers.Rescaling(1.0)]),
        "expected a Keras layer": "RandomTranslation",
    }
    for words, answer in wrong.items():
        result = check.digit_pipeline(answer, min_kinds=0 if words == "left every image unchanged" else 2)
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
        # near miss: RandomRotation(0.1) sounds small but is +/-36 degrees
        "rotates by up to 36 degrees": keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1),
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


class _Lookup:
    """A fake model: right on the first `n_wandering` wandering and `n_centred` centred test digits."""

    def __init__(self, data, n_wandering, n_centred):
        wandering = check.wandering_digits(data.x_test, check.TEST_WANDER_SEED)
        self.answers = {}  # one batch of predictions per batch of images
        for x, n_right in ((wandering, n_wandering), (data.x_test, n_centred)):
            right = np.arange(len(x)) < n_right
            self.answers[x.tobytes()] = np.where(right, data.y_test, (data.y_test + 1) % 10)

    def predict_on_batch(self, x):
        return np.eye(10)[self.answers[np.asarray(x).tobytes()]]


def test_wandering_digits_moves_whole_pixels_at_most_two():
    x = augreg.load_digits_split(n_train=100).x_train
    moved = check.wandering_digits(x, seed=5)
    assert moved.shape == x.shape and np.array_equal(moved, check.wandering_digits(x, seed=5))
    assert set(np.unique(moved)) <= set(np.unique(x))  # whole pixels: no new values
    for original, image in zip(x[:20], moved[:20]):
        shifts = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
                  if np.array_equal(np.roll(np.pad(original, ((2, 2), (2, 2), (0, 0))), (dy, dx), (0, 1))[2:10, 2:10],
                                    image)]
        assert shifts, "every image is its original moved by at most two pixels"
    with pytest.raises(ValueError):
        check.wandering_digits(x[:, :6], seed=0)


def test_wandering_model():
    data = augreg.load_digits_split(n_train=100, split_seed=1)
    n = len(data.y_test)
    wandering, centred = (int(np.ceil(b * n)) for b in (check.WANDERING_BOUND, check.CENTRED_BOUND))
    assert check.wandering_model(..., data).status == NOT_ATTEMPTED
    assert check.wandering_model(_Lookup(data, int(0.80 * n), int(0.88 * n)), data).passed  # 2-3 pixel shifts
    assert check.wandering_model(_Lookup(data, wandering, centred), data).passed
    wrong = [
        # the lesson's one-pixel shifts: fine on centred digits, about half of the wandering ones (pilots)
        (_Lookup(data, int(0.50 * n), int(0.95 * n)), "one-pixel shifts are not enough"),
        # near miss: one wandering digit short of the bound
        (_Lookup(data, wandering - 1, int(0.95 * n)), "one-pixel shifts are not enough"),
        # too strong (4-pixel moves): fine on wandering digits, poor on centred ones (pilots: 75-78 %)
        (_Lookup(data, int(0.74 * n), int(0.77 * n)), "no longer keeps the label"),
        ("model", "pass the trained Keras model"),
    ]
    for model, words in wrong:
        result = check.wandering_model(model, data)
        assert result.status == FAILED and words in result.message, (words, result)
    assert "pass the data split" in check.wandering_model(_Lookup(data, n, n), data.x_test).message
