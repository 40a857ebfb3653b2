"""Offline data sets: nothing here downloads anything.

* :func:`load_digits_split` -- scikit-learn's 8x8 handwritten digits, scaled to
  [0, 1], with a fixed stratified validation split and a small stratified
  training split.
* :func:`load_sample_photo` -- one of the colour photos that ship inside
  scikit-learn, scaled to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Number of images in scikit-learn's digits data set.
N_DIGITS = 1797
#: The photos that ship inside scikit-learn (``sklearn.datasets.load_sample_image``).
SAMPLE_PHOTOS = ("china", "flower")


@dataclass(frozen=True)
class DigitsSplit:
    """A training and a validation split of the digits.

    Images are ``float32`` arrays of shape ``(n, 8, 8, 1)`` with values in
    [0, 1]; labels are ``int64`` arrays of shape ``(n,)`` with values 0-9.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray

    @property
    def n_classes(self) -> int:
        """Number of classes (10 digits)."""
        return 10

    def __repr__(self) -> str:
        return (
            f"DigitsSplit(train={len(self.y_train)} images, val={len(self.y_val)} images, "
            f"image shape={self.x_train.shape[1:]}, values in [0, 1])"
        )


def _check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return int(value)


def load_digits_split(n_train: int = 300, n_val: int = 600, *, split_seed: int = 0) -> DigitsSplit:
    """Load scikit-learn's digits as a small training split and a validation split.

    The validation split (``n_val`` images, stratified by class) is drawn first
    and depends only on ``n_val`` and ``split_seed``, so every lesson and every
    training-set size is scored on the same validation images. The training
    split is a stratified subset of ``n_train`` of the remaining images.

    Args:
        n_train: number of training images, at least 10 (one per class) and at
            most ``1797 - n_val``.
        n_val: number of validation images, at least 10 and at most 1787.
        split_seed: seed of the split itself. Keep the default so that numbers
            are comparable across lessons; experiments vary *their* seed instead.

    Returns:
        A :class:`DigitsSplit` with images scaled from 0-16 to [0, 1].
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    n_val = _check_int("n_val", n_val, 10, N_DIGITS - 10)
    n_train = _check_int("n_train", n_train, 10, N_DIGITS - n_val)
    split_seed = _check_int("split_seed", split_seed, 0, 2**32 - 1)

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., np.newaxis]
    labels = digits.target.astype("int64")
    x_pool, x_val, y_pool, y_val = train_test_split(
        images, labels, test_size=n_val, stratify=labels, random_state=split_seed
    )
    if n_train < len(y_pool):
        x_train, _, y_train, _ = train_test_split(
            x_pool, y_pool, train_size=n_train, stratify=y_pool, random_state=split_seed
        )
    else:
        x_train, y_train = x_pool, y_pool
    return DigitsSplit(x_train, y_train, x_val, y_val)


def load_sample_photo(name: str = "china", *, size: int | None = None) -> np.ndarray:
    """Return a colour photo that ships inside scikit-learn, as floats in [0, 1].

    Args:
        name: ``"china"`` (a temple) or ``"flower"``.
        size: if given, the photo is centre-cropped to a square and resized to
            ``size x size`` pixels (8 to 427), which keeps augmentation demos fast.

    Returns:
        A ``float32`` array of shape ``(height, width, 3)``.
    """
    from sklearn.datasets import load_sample_image

    if name not in SAMPLE_PHOTOS:
        raise ValueError(f"unknown photo {name!r}; choose one of {', '.join(SAMPLE_PHOTOS)}")
    photo = load_sample_image(f"{name}.jpg")
    if size is not None:
        size = _check_int("size", size, 8, min(photo.shape[:2]))
        from PIL import Image

        height, width = photo.shape[:2]
        side = min(height, width)
        top, left = (height - side) // 2, (width - side) // 2
        square = Image.fromarray(photo[top : top + side, left : left + side])
        photo = np.asarray(square.resize((size, size), Image.Resampling.BILINEAR))
    return (photo / 255.0).astype("float32")
