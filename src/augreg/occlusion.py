"""Occluded copies of images: a square patch hides part of every image.

Lesson 08 measures whether :class:`keras.layers.RandomErasing` (cutout) makes a
network robust to occlusion, which needs test images with something in the
way. :func:`occlude_images` makes them: one square patch per image, at a
position drawn per image from ``seed``, filled with a constant. It is
deterministic for a given ``seed`` and never modifies its input.

* :func:`occlude_images` -- hide a ``size`` x ``size`` square of every image.
"""

from __future__ import annotations

import numpy as np

from .robustness import _check_images

__all__ = ["occlude_images"]


def occlude_images(images, size: int, *, fill: float = 0.0, seed: int = 0) -> np.ndarray:
    """Cover a ``size`` x ``size`` square of each image with the value ``fill``.

    The square lies wholly inside the image; its top-left corner is drawn
    uniformly per image from ``numpy.random.default_rng(seed)``. Every channel
    of the covered pixels gets ``fill`` (0, black, is the digits' background,
    so a patch erases strokes without adding any).

    Args:
        images: array of shape ``(n, height, width)`` or
            ``(n, height, width, channels)``, numeric.
        size: side of the square in pixels, a whole number from 0 (a copy)
            to ``min(height, width)``.
        fill: the value of the covered pixels.
        seed: non-negative seed of the positions.

    Returns:
        A new array of the same shape and dtype.
    """
    images = _check_images(images)
    height, width = images.shape[1:3]
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"size must be a whole number, got {type(size).__name__} {size!r}")
    if not 0 <= size <= min(height, width):
        raise ValueError(f"size must be between 0 and {min(height, width)}, got {size}")
    if isinstance(fill, bool) or not isinstance(fill, (int, float, np.integer, np.floating)):
        raise TypeError(f"fill must be a number, got {type(fill).__name__} {fill!r}")
    if not np.isfinite(fill):
        raise ValueError(f"fill must be finite, got {fill!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    rows = rng.integers(0, height - size + 1, size=len(images))
    cols = rng.integers(0, width - size + 1, size=len(images))
    occluded = images.copy()
    for index, (row, col) in enumerate(zip(rows, cols)):
        occluded[index, row : row + size, col : col + size] = fill
    return occluded
