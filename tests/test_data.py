import numpy as np
import pytest

from augreg import load_digits_split, load_sample_photo
from augreg.data import N_DIGITS


def test_digits_split_shapes_ranges_and_types():
    data = load_digits_split(n_train=300, n_val=600)
    assert data.x_train.shape == (300, 8, 8, 1) and data.x_val.shape == (600, 8, 8, 1)
    assert data.y_train.shape == (300,) and data.y_val.shape == (600,)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    for x in (data.x_train, data.x_val):
        assert x.min() == 0.0 and x.max() == 1.0
    assert set(np.unique(data.y_train)) == set(range(10)) and data.n_classes == 10
    assert "train=300" in repr(data)


def test_digits_split_is_stratified():
    data = load_digits_split(n_train=100, n_val=500)
    assert np.all(np.bincount(data.y_train) == 10)
    assert np.ptp(np.bincount(data.y_val)) <= 3


def test_digits_split_is_fixed_and_validation_does_not_depend_on_n_train():
    a, b = load_digits_split(n_train=100), load_digits_split(n_train=400)
    np.testing.assert_array_equal(a.x_val, b.x_val)
    np.testing.assert_array_equal(a.y_val, b.y_val)
    c = load_digits_split(n_train=100)
    np.testing.assert_array_equal(a.x_train, c.x_train)
    d = load_digits_split(n_train=100, split_seed=1)
    assert not np.array_equal(a.x_val, d.x_val)


def test_training_and_validation_splits_partition_the_digits():
    from sklearn.datasets import load_digits

    data = load_digits_split(n_train=N_DIGITS - 600, n_val=600)
    together = np.concatenate([data.x_train, data.x_val]).reshape(N_DIGITS, 64) * 16
    original = load_digits().images.reshape(N_DIGITS, 64)
    # every image appears exactly once across the two splits: they share no sample
    rows = lambda a: sorted(map(tuple, np.round(a).astype(int)))
    assert rows(together) == rows(original)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"n_train": 5}, ValueError, "n_train must be between 10"),
        ({"n_train": 1500, "n_val": 600}, ValueError, "n_train must be between 10 and 1197"),
        ({"n_val": 2}, ValueError, "n_val must be between 10"),
        ({"n_train": 30.0}, TypeError, "n_train must be an integer"),
        ({"n_train": True}, TypeError, "n_train must be an integer"),
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
    with pytest.raises(ValueError, match="choose one of china, flower"):
        load_sample_photo("astronaut")
    with pytest.raises(ValueError, match="size must be between 8 and 427"):
        load_sample_photo("china", size=1000)
    with pytest.raises(TypeError, match="size must be an integer"):
        load_sample_photo("china", size="64")
