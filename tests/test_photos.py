"""The photographs of Lesson 06 load offline, split without overlap, and perturb as documented."""

import socket

import numpy as np
import pytest

from augreg import photos


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection raises."""

    def refuse(*args, **kwargs):
        raise OSError("networking is off in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(OSError):
        socket.socket()


@pytest.mark.parametrize("name", photos.IMAGES)
def test_every_image_of_the_course_loads_with_networking_off(offline, name):
    image = photos.load_image(name)
    assert image.dtype == np.float32 and 0.0 <= image.min() and image.max() <= 1.0
    if name in photos.TEXTURES:
        assert image.shape == (512, 512)
    else:
        assert image.ndim == 3 and image.shape[2] == 3 and min(image.shape[:2]) >= 300


def test_faces_load_with_networking_off_and_the_first_hundred_are_faces(offline):
    images, labels = photos.load_faces()
    assert images.shape == (200, 25, 25, 1) and images.dtype == np.float32
    assert labels.tolist() == [1] * 100 + [0] * 100
    # the non-faces are crops of backgrounds: darker and more varied, pixel by pixel, than the aligned faces
    assert images[:100].mean() > images[100:].mean()
    assert images[:100].std(axis=0).mean() < images[100:].std(axis=0).mean()


def test_faces_split_is_disjoint_stratified_and_seeded():
    split = photos.load_faces_split(n_train=40, n_val=60, n_test=100, split_seed=3)
    sizes = [len(split.y_train), len(split.y_val), len(split.y_test)]
    assert sizes == [40, 60, 100] and split.x_train.shape[1:] == (25, 25, 1)
    for y in (split.y_train, split.y_val, split.y_test):
        assert abs(int(y.sum()) * 2 - len(y)) <= 1  # as many faces as non-faces
    flat = [x.reshape(len(x), -1) for x in (split.x_train, split.x_val, split.x_test)]
    rows = [{row.tobytes() for row in x} for x in flat]
    assert not (rows[0] & rows[1]) and not (rows[0] & rows[2]) and not (rows[1] & rows[2])
    again = photos.load_faces_split(n_train=40, n_val=60, n_test=100, split_seed=3)
    np.testing.assert_array_equal(split.x_test, again.x_test)
    other = photos.load_faces_split(n_train=40, n_val=60, n_test=100, split_seed=4)
    assert not np.array_equal(split.x_test, other.x_test)
    # the test split depends on n_test and the seed only
    smaller = photos.load_faces_split(n_train=20, n_val=40, n_test=100, split_seed=3)
    np.testing.assert_array_equal(split.x_test, smaller.x_test)
    assert "train=40, val=60, test=100" in repr(split)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n_train": 100, "n_val": 60, "n_test": 100}, ValueError),
        ({"n_test": 2}, ValueError),
        ({"n_train": 4.0}, TypeError),
        ({"split_seed": -1}, ValueError),
    ],
)
def test_faces_split_validates_its_arguments(kwargs, error):
    with pytest.raises(error):
        photos.load_faces_split(**kwargs)


def test_unknown_image_names_are_refused():
    with pytest.raises(ValueError, match="name must be one of brick"):
        photos.load_image("camera_obscura")


def _windows(image, patches):
    """Where each patch occurs in the image (top, left), found by exact match."""
    size = patches.shape[1]
    from numpy.lib.stride_tricks import sliding_window_view

    views = sliding_window_view(image, (size, size))
    places = []
    for patch in patches[..., 0]:
        hits = np.argwhere(np.all(views == patch, axis=(2, 3)))
        assert len(hits) >= 1
        places.append(tuple(hits[0]))
    return places


def test_texture_patches_come_from_disjoint_regions():
    size = 16
    image = photos._downsample(photos.load_image("brick"), 2)
    for region, (top, bottom, left, right) in [
        ("train", (0, 256, 0, 128)),
        ("val", (0, 128, 128, 256)),
        ("test", (128, 256, 128, 256)),
    ]:
        x, y = photos.texture_patches(5, region=region, size=size, seed=1)
        assert x.shape == (15, size, size, 1) and y.tolist() == [0] * 5 + [1] * 5 + [2] * 5
        for row, col in _windows(image, x[:5]):
            assert top <= row and row + size <= bottom and left <= col and col + size <= right, region


def test_turned_texture_patches_are_real_pixels_and_exact_at_right_angles():
    x, _ = photos.texture_patches(4, size=20, seed=2)
    turned, _ = photos.texture_patches(4, size=20, angle=90, seed=2)
    np.testing.assert_array_equal(turned, np.rot90(x, 1, axes=(1, 2)))
    oblique, _ = photos.texture_patches(4, size=20, angle="random", seed=2)
    assert oblique.shape == x.shape
    # nothing invented: no constant (black) corner, values inside the image's range
    image = photos.load_image("brick")
    assert oblique[:4].min() >= image.min() - 1e-6 and oblique[:4].max() <= image.max() + 1e-6
    corners = oblique[:, [0, 0, -1, -1], [0, -1, 0, -1], 0]
    assert np.all(corners > 0.0)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"region": "holdout"}, ValueError),
        ({"size": 200}, ValueError),
        ({"angle": "sideways"}, ValueError),
        ({"names": ["brick", "marble"]}, ValueError),
        ({"seed": 1.5}, TypeError),
        ({"angle": 1000}, ValueError),
    ],
)
def test_texture_patches_validate_their_arguments(kwargs, error):
    with pytest.raises(error):
        photos.texture_patches(2, **kwargs)


def test_relight_and_tint():
    x = np.full((2, 3, 3, 3), 0.5, dtype="float32")
    x[..., 0] = 0.8
    warm = photos.relight(x, (1.2, 1.0, 0.8))
    assert np.allclose(warm[..., 0], 0.96) and np.allclose(warm[..., 2], 0.4)
    assert np.allclose(photos.relight(x, brightness=0.5), x * 0.5)
    grey = photos.relight(x, saturation=0.0)
    assert np.allclose(grey, grey[..., :1]) and np.allclose(grey[..., 0], x.mean(axis=-1))
    assert photos.relight(x, (3, 3, 3)).max() == 1.0
    with pytest.raises(ValueError):
        photos.relight(x, (1, 1))
    with pytest.raises(ValueError):
        photos.relight(x[..., :1])
    g = np.full((1, 2, 2, 1), 0.5, dtype="float32")
    assert np.allclose(photos.tint(g, (1.0, 0.5, 0.0))[0, 0, 0], [0.5, 0.25, 0.0])
    with pytest.raises(ValueError):
        photos.tint(x, (1, 1, 1))


def test_perturb_each_kind():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.2, 0.8, (6, 10, 10, 1)).astype("float32")
    for kind in photos.PERTURBATIONS:
        np.testing.assert_allclose(photos.perturb(x, kind, 0), x)
    mirrored = photos.perturb(x, "mirror", 1.0)
    np.testing.assert_array_equal(mirrored, x[:, :, ::-1])
    half = photos.perturb(x, "mirror", 0.5, seed=1)
    assert sum(np.array_equal(h, m) for h, m in zip(half, mirrored)) == 3
    shifted = photos.perturb(x, "shift", 2, seed=3)
    assert shifted.shape == x.shape and not np.allclose(shifted, x)
    # a shifted image keeps the original pixels, moved by 2 in one of eight directions
    inner = [
        np.array_equal(s[2:-2, 2:-2], o[2 + dy : 8 + dy, 2 + dx : 8 + dx])
        for s, o in zip(shifted, x)
        for dy in (-2, 0, 2)
        for dx in (-2, 0, 2)
    ]
    assert sum(inner) == len(x)
    np.testing.assert_allclose(photos.perturb(x, "darken", 0.5), x * 0.5, rtol=1e-6)
    low = photos.perturb(x, "contrast", 0.5)
    np.testing.assert_allclose(low.mean(axis=(1, 2, 3)), x.mean(axis=(1, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(low.std(axis=(1, 2, 3)), 0.5 * x.std(axis=(1, 2, 3)), rtol=1e-4)
    noisy = photos.perturb(x, "noise", 0.1, seed=4)
    assert 0.05 < np.std(noisy - x) < 0.15
    np.testing.assert_array_equal(noisy, photos.perturb(x, "noise", 0.1, seed=4))


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("blur", 0.1), ValueError),
        (("darken", 1.5), ValueError),
        (("shift", 0.5), TypeError),
        (("shift", 10), ValueError),
        (("mirror", -0.1), ValueError),
    ],
)
def test_perturb_validates_its_arguments(args, error):
    x = np.zeros((2, 10, 10, 1), dtype="float32")
    with pytest.raises(error):
        photos.perturb(x, *args)
    with pytest.raises(ValueError):
        photos.perturb(np.zeros((10, 10)), "darken", 0.1)
