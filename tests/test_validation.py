"""augreg.validation: one check and one message per kind of mistake.

A wrong type raises TypeError, a value out of range ValueError; each message names the argument.
"""

import numpy as np
import pytest

from augreg import validation as v


def test_check_int_accepts_python_and_numpy_whole_numbers():
    assert v.check_int("n", 3) == 3 and type(v.check_int("n", np.int64(3))) is int
    assert v.check_int("n", 5, 1, 5) == 5


@pytest.mark.parametrize(
    "value, low, high, error, words",
    [
        (2.0, None, None, TypeError, "n must be a whole number, got float 2.0"),
        (True, None, None, TypeError, "n must be a whole number, got bool"),
        ("3", None, None, TypeError, "got str '3'"),
        (0, 1, None, ValueError, "n must be at least 1, got 0"),
        (9, 1, 8, ValueError, "n must be between 1 and 8, got 9"),
        (9, None, 8, ValueError, "n must be at most 8, got 9"),
    ],
)
def test_check_int_names_the_argument_and_the_bound(value, low, high, error, words):
    with pytest.raises(error, match=words):
        v.check_int("n", value, low, high)


def test_check_seed():
    assert v.check_seed(0) == 0 and v.check_seed(v.MAX_SEED) == v.MAX_SEED
    with pytest.raises(ValueError, match="split_seed must be between 0 and"):
        v.check_seed(-1, "split_seed")
    with pytest.raises(TypeError, match="seed must be a whole number"):
        v.check_seed(1.5)


def test_check_number_and_check_positive():
    assert v.check_number("x", 1) == 1.0 and v.check_number("x", np.float32(0.5), 0, 1) == 0.5
    for bad, error in [
        ("1", TypeError),
        (True, TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (2, ValueError),
    ]:
        with pytest.raises(error, match="x must"):
            v.check_number("x", bad, 0, 1)
    assert v.check_positive("scale", 100) == 100.0
    with pytest.raises(ValueError, match="scale must be a positive number"):
        v.check_positive("scale", 0)


def test_check_choice_and_check_text():
    assert v.check_choice("kind", "a", ("a", "b")) == "a"
    with pytest.raises(ValueError, match="kind must be one of a, b, got 'c'"):
        v.check_choice("kind", "c", ("a", "b"))
    with pytest.raises(ValueError, match="kind must be one of"):
        v.check_choice("kind", ["a"], ("a", "b"))
    assert v.check_text("title", "T") == "T"
    for bad in ("", "  ", None, 3):
        with pytest.raises(ValueError, match="title must be a non-empty string"):
            v.check_text("title", bad)


def test_check_images():
    images = np.zeros((2, 4, 4), dtype="uint8")
    assert v.check_images(images) is images  # no copy, dtype kept
    assert v.check_images(images, ndim=(3,), dtype="float32").dtype == np.float32
    with pytest.raises(ValueError, match=r"shape \(n, height, width\) or \(n, height, width, channels\)"):
        v.check_images(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="non-empty"):
        v.check_images(np.zeros((0, 4, 4)))
    with pytest.raises(ValueError, match=r"shape \(n, height, width, channels\), got shape \(2, 4, 4\)"):
        v.check_images(images, ndim=(4,))
    with pytest.raises(ValueError, match="must have 3 channel"):
        v.check_images(np.zeros((2, 4, 4, 1)), channels=3)
    with pytest.raises(TypeError, match="numeric"):
        v.check_images(np.array([[["a"]]]))
