"""Tests of augreg.occlusion.occlude_images."""

import numpy as np
import pytest

from augreg import occlusion


def test_one_square_of_the_given_size_per_image():
    images = np.ones((20, 8, 8, 1))
    occluded = occlusion.occlude_images(images, 3, seed=1)
    assert occluded.shape == images.shape and occluded.dtype == images.dtype
    covered = occluded[..., 0] == 0
    assert np.all(covered.sum(axis=(1, 2)) == 9)
    for mask in covered:  # the covered pixels form one 3x3 square
        rows, cols = np.nonzero(mask)
        assert rows.max() - rows.min() == 2 and cols.max() - cols.min() == 2


def test_deterministic_per_seed_and_input_untouched():
    images = np.random.default_rng(0).random((30, 8, 8))
    before = images.copy()
    a = occlusion.occlude_images(images, 2, seed=5)
    b = occlusion.occlude_images(images, 2, seed=5)
    c = occlusion.occlude_images(images, 2, seed=6)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert np.array_equal(images, before)


def test_fill_value_size_zero_and_whole_image():
    images = np.zeros((4, 8, 8, 3))
    assert np.all(occlusion.occlude_images(images, 8, fill=0.5) == 0.5)
    assert np.array_equal(occlusion.occlude_images(images, 0), images)


def test_positions_cover_the_whole_image():
    images = np.ones((400, 8, 8))
    covered = occlusion.occlude_images(images, 2, seed=0) == 0
    assert covered.any(axis=0).all()  # every pixel is hidden in some image


@pytest.mark.parametrize(
    "args, kwargs, error",
    [
        ((np.zeros((8, 8)), 2), {}, ValueError),
        ((np.zeros((0, 8, 8)), 2), {}, ValueError),
        ((np.array([[["a"]]]), 0), {}, TypeError),
        ((np.zeros((2, 8, 8)), 9), {}, ValueError),
        ((np.zeros((2, 8, 8)), -1), {}, ValueError),
        ((np.zeros((2, 8, 8)), 2.0), {}, TypeError),
        ((np.zeros((2, 8, 8)), True), {}, TypeError),
        ((np.zeros((2, 8, 8)), 2), {"seed": -1}, ValueError),
        ((np.zeros((2, 8, 8)), 2), {"fill": "black"}, TypeError),
        ((np.zeros((2, 8, 8)), 2), {"fill": float("nan")}, ValueError),
    ],
)
def test_rejects_bad_arguments(args, kwargs, error):
    with pytest.raises(error):
        occlusion.occlude_images(*args, **kwargs)
