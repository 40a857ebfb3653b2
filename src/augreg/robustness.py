"""Perturbed copies of images, the one home of every image perturbation: shift, rotate, occlude, noise.

A robustness test asks how much accuracy survives a change the model did not train on. Every
function here returns a new array and never modifies its input, and each random choice (a shift's
direction, a rotation's sign, a patch's position, the noise) is drawn per image from ``seed``, so a
perturbed test set is the same on every run. How the uncovered border is filled is a parameter:
black (``fill_mode="constant"``, the digits' background) or the nearest edge pixel
(``"nearest"``, photographs, where a black frame would be a cue).

* :func:`shift_images` -- move every image by a whole number of pixels in one of eight directions.
* :func:`rotate_images` -- turn every image by a fixed angle, clockwise or anticlockwise.
* :func:`occlude_images` -- hide a square patch of every image.
* :func:`perturb` -- the photographs' perturbations by name: mirror, shift, darken, contrast, noise.
"""

from __future__ import annotations

import numpy as np

from .validation import check_choice, check_images, check_int, check_number, check_seed

__all__ = ["PERTURBATIONS", "SHIFT_DIRECTIONS", "occlude_images", "perturb", "rotate_images", "shift_images"]

#: The eight directions of a shift: (rows, columns), up/down/left/right and diagonals.
SHIFT_DIRECTIONS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))
#: How :func:`shift_images` fills the pixels a shift uncovers (the names of Keras' ``fill_mode``).
FILL_MODES = {"constant": "constant", "nearest": "edge"}
#: The perturbations :func:`perturb` applies.
PERTURBATIONS = ("mirror", "shift", "darken", "contrast", "noise")


def shift_images(images, pixels: int, *, seed: int = 0, fill_mode: str = "constant") -> np.ndarray:
    """Shift every image by ``pixels`` pixels in a random one of eight directions.

    Each image moves up, down, left, right or diagonally (both axes by ``pixels``), the direction
    drawn per image from ``seed``; pixels that move out are lost.

    Args:
        images: array of shape ``(n, height, width)`` or ``(n, height, width, channels)``.
        pixels: how far to shift, a whole number from 0 (a copy) to ``min(height, width) - 1``.
        seed: seed of the directions.
        fill_mode: ``"constant"`` fills the uncovered pixels with 0 (black, the digits'
            background); ``"nearest"`` repeats the edge pixels (no black frame on a photo).

    Returns:
        A new array of the same shape and dtype.
    """
    images = check_images(images)
    height, width = images.shape[1:3]
    pixels = check_int("pixels", pixels, 0, min(height, width) - 1)
    mode = FILL_MODES[check_choice("fill_mode", fill_mode, FILL_MODES)]
    rng = np.random.default_rng(check_seed(seed))
    padding = [(0, 0), (pixels, pixels), (pixels, pixels)] + [(0, 0)] * (images.ndim - 3)
    padded = np.pad(images, padding, mode=mode)
    shifted = np.empty_like(images)
    for index, direction in enumerate(rng.integers(0, len(SHIFT_DIRECTIONS), len(images))):
        dy, dx = SHIFT_DIRECTIONS[direction]
        top, left = pixels - dy * pixels, pixels - dx * pixels
        shifted[index] = padded[index, top : top + height, left : left + width]
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

    images = check_images(images)
    degrees = check_number("degrees", degrees, 0, 180)
    signs = np.random.default_rng(check_seed(seed)).choice((-1.0, 1.0), len(images))
    rotated = np.empty_like(images)
    for index, sign in enumerate(signs):
        rotated[index] = rotate(
            images[index], sign * degrees, axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0
        )
    return rotated


def occlude_images(images, size: int, *, fill: float = 0.0, seed: int = 0) -> np.ndarray:
    """Cover a ``size`` x ``size`` square of each image with the value ``fill``.

    The square lies wholly inside the image; its top-left corner is drawn
    uniformly per image from ``numpy.random.default_rng(seed)``. Every channel
    of the covered pixels gets ``fill`` (0, black, is the digits' background,
    so a patch erases strokes without adding any). Lesson 08 uses it to ask
    whether :class:`keras.layers.RandomErasing` (cutout) makes a network
    robust to occlusion.

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
    images = check_images(images)
    height, width = images.shape[1:3]
    size = check_int("size", size, 0, min(height, width))
    fill = check_number("fill", fill)
    rng = np.random.default_rng(check_seed(seed))
    rows = rng.integers(0, height - size + 1, size=len(images))
    cols = rng.integers(0, width - size + 1, size=len(images))
    occluded = images.copy()
    for index, (row, col) in enumerate(zip(rows, cols)):
        occluded[index, row : row + size, col : col + size] = fill
    return occluded


def perturb(images, kind: str, amount: float, *, seed: int = 0) -> np.ndarray:
    """A perturbed copy of images in [0, 1] (any number of channels), for robustness curves.

    * ``"mirror"``: ``amount`` is the fraction of images flipped left-right
      (the first ``round(amount * n)`` after a shuffle drawn from ``seed``);
    * ``"shift"``: every image moved by ``amount`` whole pixels in a random
      direction (one of eight, from ``seed``), the border filled by repeating
      the edge pixels (:func:`shift_images` with ``fill_mode="nearest"``: no
      black frame the classes could use);
    * ``"darken"``: every pixel multiplied by ``1 - amount``;
    * ``"contrast"``: each image's deviations from its own mean multiplied by ``1 - amount``;
    * ``"noise"``: Gaussian noise of standard deviation ``amount`` added, from ``seed``.

    Args:
        images: array of shape ``(n, height, width, channels)``, converted to ``float32``.
        kind: one of :data:`PERTURBATIONS`.
        amount: the size of the perturbation, as above.
        seed: seed of the random choices.

    Returns:
        A new ``float32`` array clipped to [0, 1]; ``amount=0`` returns an unchanged copy.
    """
    images = check_images(images, ndim=(4,), dtype="float32")
    check_choice("kind", kind, PERTURBATIONS)
    seed = check_seed(seed)
    if kind == "shift":
        pixels = check_int("amount", amount, 0, min(images.shape[1:3]) - 1)
        return shift_images(images, pixels, seed=seed, fill_mode="nearest")
    amount = check_number("amount", amount, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    if kind == "mirror":
        chosen = rng.permutation(len(images))[: round(amount * len(images))]
        out = images.copy()
        out[chosen] = out[chosen, :, ::-1]
        return out
    if kind == "darken":
        out = images * (1.0 - amount)
    elif kind == "contrast":
        mean = images.mean(axis=(1, 2, 3), keepdims=True)
        out = mean + (images - mean) * (1.0 - amount)
    else:
        out = images + rng.normal(0.0, amount, images.shape)
    return np.clip(out, 0.0, 1.0).astype("float32")
