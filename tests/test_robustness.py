import numpy as np
import pytest

from augreg import rotate_images, shift_images
from augreg.robustness import SHIFT_DIRECTIONS


def dots(n=40, size=8):
    """Images with one bright pixel in the middle, the rest black."""
    images = np.zeros((n, size, size, 1), dtype="float32")
    images[:, size // 2, size // 2] = 1.0
    return images


def test_shift_moves_every_image_by_the_given_pixels_in_one_of_eight_directions():
    images = dots()
    shifted = shift_images(images, 2, seed=0)
    assert shifted.shape == images.shape and shifted.dtype == images.dtype
    moves = set()
    for image in shifted[..., 0]:
        (row,), (col,) = np.nonzero(image)
        moves.add((row - 4, col - 4))
        assert image.sum() == 1.0  # nothing lost: the dot stays inside
    assert moves <= {(2 * dy, 2 * dx) for dy, dx in SHIFT_DIRECTIONS}
    assert len(moves) >= 6  # 40 draws of 8 directions: (almost) all of them
    np.testing.assert_array_equal(images, dots())  # input unchanged


def test_shift_fills_with_black_drops_what_leaves_and_is_reproducible():
    images = np.ones((10, 8, 8))
    shifted = shift_images(images, 1, seed=3)
    assert np.all(shifted.sum(axis=(1, 2)) < 64)  # a black row or column came in
    assert set(np.unique(shifted)) == {0.0, 1.0}
    np.testing.assert_array_equal(shifted, shift_images(images, 1, seed=3))
    assert not np.array_equal(shift_images(images, 1, seed=3), shift_images(images, 1, seed=4))
    np.testing.assert_array_equal(shift_images(images, 0), images)


def test_rotate_by_zero_is_a_copy_and_by_180_flips_both_axes():
    rng = np.random.default_rng(0)
    images = rng.random((5, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(rotate_images(images, 0), images)
    np.testing.assert_allclose(rotate_images(images, 180), images[:, ::-1, ::-1], atol=1e-5)


def test_rotate_by_90_turns_clockwise_or_anticlockwise_per_image():
    images = np.zeros((30, 8, 8))
    images[:, 1, 3:5] = 1.0  # a bar near the top edge
    rotated = rotate_images(images, 90, seed=1)
    sides = set()
    for image in rotated:
        cols = np.nonzero(image.sum(axis=0) > 0.5)[0]
        assert image[:3].sum() < 0.1  # the bar left the top edge
        sides.add("left" if cols.mean() < 4 else "right")
    assert sides == {"left", "right"}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: shift_images(np.zeros((2, 8)), 1), ValueError, "shape"),
        (lambda: shift_images(np.zeros((0, 8, 8)), 1), ValueError, "non-empty"),
        (lambda: shift_images(np.zeros((2, 8, 8)), 8), ValueError, "between 0 and 7"),
        (lambda: shift_images(np.zeros((2, 8, 8)), 1.5), TypeError, "whole number"),
        (lambda: shift_images(np.zeros((2, 8, 8)), 1, seed=-1), ValueError, "seed"),
        (lambda: rotate_images(np.zeros((2, 8, 8)), 200), ValueError, "between 0 and 180"),
        (lambda: rotate_images(np.zeros((2, 8, 8)), "30"), TypeError, "number"),
        (lambda: rotate_images(np.array([["a"]] * 2), 30), ValueError, "shape"),
    ],
)
def test_bad_arguments_get_clear_messages(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_every_perturbation_has_one_home_reached_by_its_old_names():
    import augreg
    import augreg.occlusion
    from augreg import photos, robustness

    assert augreg.occlusion.occlude_images is robustness.occlude_images
    assert photos.perturb is robustness.perturb and augreg.shift_images is robustness.shift_images


def test_shift_fill_modes_black_or_edge():
    images = np.arange(16, dtype="float32").reshape(1, 4, 4) + 1
    black, edge = (shift_images(images, 1, seed=0, fill_mode=mode) for mode in ("constant", "nearest"))
    moved = black != 0
    np.testing.assert_array_equal(black[moved], edge[moved])  # the same shift...
    assert (black == 0).sum() in (4, 7) and (edge == 0).sum() == 0  # ...and only the border differs
    with pytest.raises(ValueError, match="fill_mode must be one of constant, nearest"):
        shift_images(images, 1, fill_mode="reflect")
