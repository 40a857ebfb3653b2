"""Offline data sets and the split every data set comes in: nothing here downloads anything.

* :class:`Split` -- train / validation / test, the base of every split in the course
  (:class:`DigitsSplit` here, ``FacesSplit`` in :mod:`augreg.photos`, ``ReviewSplit`` in
  :mod:`augreg.text`).
* :func:`load_digits_split` -- scikit-learn's 8x8 handwritten digits, scaled to
  [0, 1], as three disjoint stratified splits (train, validation, test) drawn
  from a seed.
* :func:`load_sample_photo` -- one of the colour photos that ship inside
  scikit-learn, scaled to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .validation import check_choice, check_int, check_seed

#: Number of images in scikit-learn's digits data set.
N_DIGITS = 1797
#: The photos that ship inside scikit-learn (``sklearn.datasets.load_sample_image``).
SAMPLE_PHOTOS = ("china", "flower")


@dataclass(frozen=True)
class Split:
    """Three disjoint splits of one data set: train, validation and test (the measurement protocol).

    * ``x_train`` / ``y_train``: what the model is fitted on;
    * ``x_val`` / ``y_val``: every *choice* is made on these;
    * ``x_test`` / ``y_test``: the numbers a lesson *reports*; nothing is ever chosen on them.

    ``split_seed`` (keyword only) is the seed the split was drawn from. A subclass may add
    splits of its own (``ReviewSplit`` adds held-out wordings).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    split_seed: int = field(default=0, kw_only=True)


@dataclass(frozen=True)
class DigitsSplit(Split):
    """Three disjoint, stratified splits of the digits: train, validation and test.

    * ``x_train`` / ``y_train``: what the model is fitted on;
    * ``x_val`` / ``y_val``: every *choice* (epochs, strengths, rates,
      augmentation amounts) is made on these;
    * ``x_test`` / ``y_test``: the numbers a lesson *reports*; nothing is ever
      chosen on them.

    Images are ``float32`` arrays of shape ``(n, 8, 8, 1)`` with values in
    [0, 1]; labels are ``int64`` arrays of shape ``(n,)`` with values 0-9.
    """

    @property
    def n_classes(self) -> int:
        """Number of classes (10 digits)."""
        return 10

    def __repr__(self) -> str:
        return (
            f"DigitsSplit(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)} images, "
            f"image shape={self.x_train.shape[1:]}, values in [0, 1], split_seed={self.split_seed})"
        )


#: Default sizes of the validation and test splits (the rest, 897 images, is the training pool).
N_VAL, N_TEST = 400, 500


def load_digits_split(
    n_train: int = 300, n_val: int = N_VAL, n_test: int = N_TEST, *, split_seed: int = 0
) -> DigitsSplit:
    """Load scikit-learn's digits as three disjoint stratified splits: train, validation, test.

    The splits are drawn in this order, each stratified by class:

    1. the **test** split (``n_test`` images) from all 1,797 digits; it depends
       only on ``n_test`` and ``split_seed``;
    2. the **validation** split (``n_val`` images) from the rest; it depends
       only on ``n_test``, ``n_val`` and ``split_seed``;
    3. the **training** split, ``n_train`` of the remaining images.

    So for one ``split_seed``, every training-set size is chosen on the same
    validation images and scored on the same test images. An experiment that
    is repeated over seeds passes ``split_seed=seed``: the spread across seeds
    then includes *which* images were sampled, not only the initial weights.
    Figures that need one fixed split keep the default ``split_seed=0``.

    Args:
        n_train: number of training images, at least 10 (one per class) and at
            most ``1797 - n_val - n_test`` (897 with the defaults).
        n_val: number of validation images, at least 10.
        n_test: number of test images, at least 10.
        split_seed: seed of the split itself (a non-negative integer).

    Returns:
        A :class:`DigitsSplit` with images scaled from 0-16 to [0, 1].
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    n_test = check_int("n_test", n_test, 10, N_DIGITS - 30)
    n_val = check_int("n_val", n_val, 10, N_DIGITS - n_test - 20)
    n_train = check_int("n_train", n_train, 10, N_DIGITS - n_test - n_val)
    split_seed = check_seed(split_seed, "split_seed")

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., np.newaxis]
    labels = digits.target.astype("int64")
    x_rest, x_test, y_rest, y_test = train_test_split(
        images, labels, test_size=n_test, stratify=labels, random_state=split_seed
    )
    x_pool, x_val, y_pool, y_val = train_test_split(
        x_rest, y_rest, test_size=n_val, stratify=y_rest, random_state=split_seed
    )
    if n_train < len(y_pool):
        x_train, _, y_train, _ = train_test_split(
            x_pool, y_pool, train_size=n_train, stratify=y_pool, random_state=split_seed
        )
    else:
        x_train, y_train = x_pool, y_pool
    return DigitsSplit(x_train, y_train, x_val, y_val, x_test, y_test, split_seed=split_seed)


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

    check_choice("name", name, SAMPLE_PHOTOS)
    photo = load_sample_image(f"{name}.jpg")
    if size is not None:
        size = check_int("size", size, 8, min(photo.shape[:2]))
        from PIL import Image

        height, width = photo.shape[:2]
        side = min(height, width)
        top, left = (height - side) // 2, (width - side) // 2
        square = Image.fromarray(photo[top : top + side, left : left + side])
        photo = np.asarray(square.resize((size, size), Image.Resampling.BILINEAR))
    return (photo / 255.0).astype("float32")
