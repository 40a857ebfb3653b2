import numpy as np
import pytest

from augreg import load_digits_split, load_sample_photo
from augreg.data import N_DIGITS, N_TEST, N_VAL


def test_digits_split_shapes_ranges_and_types():
    data = load_digits_split(n_train=300, n_val=400, n_test=500)
    assert data.x_train.shape == (300, 8, 8, 1) and data.x_val.shape == (400, 8, 8, 1)
    assert data.x_test.shape == (500, 8, 8, 1)
    assert data.y_train.shape == (300,) and data.y_val.shape == (400,) and data.y_test.shape == (500,)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert data.x_test.dtype == np.float32 and data.y_test.dtype == np.int64
    for x in (data.x_train, data.x_val, data.x_test):
        assert x.min() == 0.0 and x.max() == 1.0
    assert set(np.unique(data.y_train)) == set(range(10)) and data.n_classes == 10
    assert "train=300, val=400, test=500" in repr(data) and "split_seed=0" in repr(data)


def test_digits_split_defaults():
    data = load_digits_split()
    assert (len(data.y_train), len(data.y_val), len(data.y_test)) == (300, N_VAL, N_TEST)
    assert N_DIGITS - N_VAL - N_TEST == 897  # the training pool the docstring promises


def test_digits_split_is_stratified():
    data = load_digits_split(n_train=100, n_val=400, n_test=500)
    assert np.all(np.bincount(data.y_train) == 10)
    assert np.ptp(np.bincount(data.y_val)) <= 3 and np.ptp(np.bincount(data.y_test)) <= 3


def test_validation_and_test_do_not_depend_on_n_train():
    a, b = load_digits_split(n_train=100), load_digits_split(n_train=400)
    for name in ("x_val", "y_val", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    c = load_digits_split(n_train=100)
    np.testing.assert_array_equal(a.x_train, c.x_train)
    # the test split depends on n_test and the seed only, not on n_val
    d = load_digits_split(n_train=100, n_val=200)
    np.testing.assert_array_equal(a.x_test, d.x_test)


def test_the_split_is_drawn_from_the_seed():
    a, b = load_digits_split(split_seed=0), load_digits_split(split_seed=1)
    assert b.split_seed == 1
    for name in ("x_train", "x_val", "x_test"):
        assert not np.array_equal(getattr(a, name), getattr(b, name)), name


def _rows(images):
    return sorted(map(tuple, np.round(images.reshape(len(images), 64) * 16).astype(int)))


@pytest.mark.parametrize("split_seed", [0, 7])
def test_the_three_splits_partition_the_digits(split_seed):
    from sklearn.datasets import load_digits

    data = load_digits_split(n_train=N_DIGITS - 400 - 500, n_val=400, n_test=500, split_seed=split_seed)
    together = np.concatenate([data.x_train, data.x_val, data.x_test])
    original = load_digits().images
    # every image appears exactly once across the three splits: they share no sample
    assert _rows(together) == _rows(original / 16)
    labels = np.concatenate([data.y_train, data.y_val, data.y_test])
    assert np.array_equal(np.bincount(labels), np.bincount(load_digits().target))


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"n_train": 5}, ValueError, "n_train must be between 10"),
        ({"n_train": 1500, "n_val": 400}, ValueError, "n_train must be between 10 and 897"),
        ({"n_val": 2}, ValueError, "n_val must be between 10"),
        ({"n_test": 5}, ValueError, "n_test must be between 10"),
        ({"n_test": 1790}, ValueError, "n_test must be between 10"),
        ({"n_train": 30.0}, TypeError, "n_train must be a whole number"),
        ({"n_train": True}, TypeError, "n_train must be a whole number"),
        ({"split_seed": -1}, ValueError, "split_seed"),
    ],
)
def test_digits_split_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        load_digits_split(**kwargs)


@pytest.mark.parametrize("name", ["china", "flower"])
def test_sample_photo(name):
    photo = load_sample_photo(name)
    assert photo.shape == (427, 640, 3) and photo.dtype == np.float32
    assert 0.0 <= photo.min() and photo.max() <= 1.0 and photo.max() > 0.9
    small = load_sample_photo(name, size=32)
    assert small.shape == (32, 32, 3) and 0.0 <= small.min() and small.max() <= 1.0


def test_sample_photo_rejects_bad_arguments():
    with pytest.raises(ValueError, match="name must be one of china, flower"):
        load_sample_photo("astronaut")
    with pytest.raises(ValueError, match="size must be between 8 and 427"):
        load_sample_photo("china", size=1000)
    with pytest.raises(TypeError, match="size must be a whole number"):
        load_sample_photo("china", size="64")
