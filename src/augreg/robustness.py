"""Perturbed copies of images, to measure how much accuracy survives a change.

* :func:`shift_images` -- move every image by a whole number of pixels.
* :func:`rotate_images` -- turn every image by a fixed angle.

Both are deterministic for a given ``seed`` (the direction of each image's
shift or rotation is drawn from it), fill uncovered pixels with black (0), and
never modify their input.
"""

from __future__ import annotations

import numpy as np

#: The eight directions of a shift: (rows, columns), up/down/left/right and diagonals.
SHIFT_DIRECTIONS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def _check_images(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim not in (3, 4) or images.shape[0] == 0:
        raise ValueError(
            "images must be a non-empty batch of shape (n, height, width) or "
            f"(n, height, width, channels), got shape {images.shape}"
        )
    if not np.issubdtype(images.dtype, np.number):
        raise TypeError(f"images must be numeric, got dtype {images.dtype}")
    return images


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def shift_images(images, pixels: int, *, seed: int = 0) -> np.ndarray:
    """Shift every image by ``pixels`` pixels in a random one of eight directions.

    Each image moves up, down, left, right or diagonally (both axes by
    ``pixels``), the direction drawn per image from ``seed``; pixels that move
    out are lost and uncovered pixels become 0 (black, the digits' background).

    Args:
        images: array of shape ``(n, height, width)`` or ``(n, height, width, channels)``.
        pixels: how far to shift, a whole number from 0 (a copy) to
            ``min(height, width) - 1``.
        seed: seed of the directions.

    Returns:
        A new array of the same shape and dtype.
    """
    images = _check_images(images)
    height, width = images.shape[1:3]
    if isinstance(pixels, bool) or not isinstance(pixels, (int, np.integer)):
        raise TypeError(f"pixels must be a whole number, got {type(pixels).__name__} {pixels!r}")
    if not 0 <= pixels < min(height, width):
        raise ValueError(f"pixels must be between 0 and {min(height, width) - 1}, got {pixels}")
    rng = np.random.default_rng(_check_seed(seed))
    shifted = np.zeros_like(images)
    for index, direction in enumerate(rng.integers(0, len(SHIFT_DIRECTIONS), len(images))):
        dy, dx = (pixels * step for step in SHIFT_DIRECTIONS[direction])
        source = images[index, max(0, -dy):height - max(0, dy), max(0, -dx):width - max(0, dx)]
        shifted[index, max(0, dy):max(0, dy) + source.shape[0], max(0, dx):max(0, dx) + source.shape[1]] = source
    return shifted


def rotate_images(images, degrees: float, *, seed: int = 0) -> np.ndarray:
    """Rotate every image about its centre by ``degrees``, clockwise or anticlockwise.

    The sign is drawn per image from ``seed``; pixel values are interpolated
    bilinearly and corners uncovered by the rotation become 0 (black).

    Args:
        images: array of shape ``(n, height, width)`` or ``(n, height, width, channels)``.
        degrees: the angle, from 0 (a copy) to 180.
        seed: seed of the signs.

    Returns:
        A new array of the same shape and dtype.
    """
    from scipy.ndimage import rotate

    images = _check_images(images)
    if isinstance(degrees, bool) or not isinstance(degrees, (int, float, np.integer, np.floating)):
        raise TypeError(f"degrees must be a number, got {type(degrees).__name__} {degrees!r}")
    if not 0 <= degrees <= 180:
        raise ValueError(f"degrees must be between 0 and 180, got {degrees}")
    signs = np.random.default_rng(_check_seed(seed)).choice((-1.0, 1.0), len(images))
    rotated = np.empty_like(images)
    for index, sign in enumerate(signs):
        rotated[index] = rotate(images[index], sign * float(degrees), axes=(1, 0), reshape=False,
                                order=1, mode="constant", cval=0.0)
    return rotated
