"""Argument checks shared by every module: one check, and one message, for each kind of mistake.

Every public helper of the course validates its arguments with a clear message (CONTRIBUTING.md,
section 4). The rule for the exception type is the same everywhere: a value of the wrong *type*
(a string, a float where a whole number is needed, ``True``) raises ``TypeError``; a value of the
right type outside its range raises ``ValueError``. Each message names the argument.

* :func:`check_int`, :func:`check_seed` -- whole numbers, optionally within bounds.
* :func:`check_number`, :func:`check_positive` -- real numbers, finite, optionally within bounds.
* :func:`check_choice`, :func:`check_text` -- one of a few names; a non-empty string.
* :func:`check_images` -- a batch of images as a NumPy array.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np

#: The largest seed the course accepts: what NumPy's legacy seeding and scikit-learn take.
MAX_SEED = 2**32 - 1


def _bounds(low, high) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def check_int(name: str, value, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int``: a whole number (Python or NumPy, not ``bool``) in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_bounds(low, high)}, got {value}")
    return int(value)


def check_seed(value, name: str = "seed") -> int:
    """``value`` as a seed: a whole number from 0 to :data:`MAX_SEED`."""
    return check_int(name, value, 0, MAX_SEED)


def check_number(name: str, value, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a ``float``: a finite real number (not ``bool``) in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_bounds(low, high)}, got {value!r}")
    return float(value)


def check_positive(name: str, value) -> float:
    """``value`` as a ``float``: a finite number above zero."""
    value = check_number(name, value)
    if not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return value


def check_choice(name: str, value, choices: Iterable[str]):
    """``value`` if it is one of ``choices``; otherwise a ``ValueError`` that lists them."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def check_text(name: str, value) -> str:
    """``value`` if it is a string with something besides spaces (a title, an axis label)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def check_images(images, *, ndim: tuple[int, ...] = (3, 4), channels: int | None = None, dtype=None) -> np.ndarray:
    """A non-empty batch of images as a numeric array; never modifies ``images``.

    Args:
        images: array-like of shape ``(n, height, width)`` or ``(n, height, width, channels)``.
        ndim: the numbers of dimensions accepted (``(4,)`` when the channel axis is required).
        channels: the number of channels required on the last axis, if any.
        dtype: convert to this dtype (``"float32"``); by default the dtype is kept.
    """
    array = np.asarray(images) if dtype is None else np.asarray(images, dtype=dtype)
    if array.ndim not in ndim or array.shape[0] == 0:
        shapes = " or ".join({3: "(n, height, width)", 4: "(n, height, width, channels)"}[d] for d in ndim)
        raise ValueError(f"images must be a non-empty batch of shape {shapes}, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"images must be numeric, got dtype {array.dtype}")
    if channels is not None and array.shape[-1] != channels:
        raise ValueError(f"images must have {channels} channel(s), got {array.shape[-1]}")
    return array
