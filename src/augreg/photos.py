"""Real photographs that ship inside installed packages: faces, textures, colour photos, their light.

Nothing here downloads anything: every image comes from the scikit-image wheel
(``skimage.data``) or from scikit-learn (``load_sample_image``). Lesson 06
trains on them.

* :func:`load_faces_split` -- scikit-image's ``lfw_subset`` (100 faces and 100
  non-faces, 25x25 grey) as three disjoint stratified splits.
* :func:`load_image` -- any image the course uses, as floats in [0, 1].
* :func:`texture_patches` -- patches of ``brick``, ``grass`` and ``gravel``
  cut from disjoint regions of each image (train, validation and test patches
  share no pixel), optionally turned by an angle without inventing a border.
* :func:`relight` -- a change of white balance, brightness and saturation.
* :func:`tint` -- colour a grey image (the same texture in another colour).
* :func:`perturb` -- the robustness test's perturbations (mirror, shift,
  darken, lower the contrast, add noise), from :mod:`augreg.robustness`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data import SAMPLE_PHOTOS, Split, load_sample_photo
from .robustness import PERTURBATIONS, perturb
from .validation import check_choice, check_images, check_int, check_number, check_seed

__all__ = [
    "IMAGES",
    "N_FACES",
    "PERTURBATIONS",
    "REGIONS",
    "SKIMAGE_PHOTOS",
    "SKLEARN_PHOTOS",
    "TEXTURES",
    "FacesSplit",
    "load_faces",
    "load_faces_split",
    "load_image",
    "perturb",
    "relight",
    "texture_patches",
    "tint",
]

#: Number of images in ``skimage.data.lfw_subset()``: the first 100 are faces, the last 100 are not.
N_FACES = 200
#: The grey textures of scikit-image (512 x 512 each).
TEXTURES = ("brick", "grass", "gravel")
#: The colour photos of scikit-image.
SKIMAGE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field", "retina", "immunohistochemistry")
#: The colour photos of scikit-learn (``load_sample_image``), loaded by :func:`augreg.load_sample_photo`.
SKLEARN_PHOTOS = SAMPLE_PHOTOS
#: Every image name :func:`load_image` accepts.
IMAGES = TEXTURES + SKIMAGE_PHOTOS + SKLEARN_PHOTOS
#: The regions of an image that :func:`texture_patches` cuts from.
REGIONS = ("train", "val", "test")


@dataclass(frozen=True)
class FacesSplit(Split):
    """Three disjoint, stratified splits of scikit-image's ``lfw_subset``.

    Images are ``float32`` arrays of shape ``(n, 25, 25, 1)`` in [0, 1]; labels
    are ``int64``: 1 for a face, 0 for a non-face (a crop of the same photos
    without a centred face). ``x_val`` is for choices, ``x_test`` for reported numbers.
    """

    def __repr__(self) -> str:
        return (
            f"FacesSplit(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)} "
            f"images of 25x25, half faces, split_seed={self.split_seed})"
        )


def load_faces() -> tuple[np.ndarray, np.ndarray]:
    """All 200 images of ``skimage.data.lfw_subset()`` as ``(images, labels)``.

    ``images``: ``float32`` of shape ``(200, 25, 25, 1)`` in [0, 1]; ``labels``:
    1 for the first 100 (faces), 0 for the last 100 (non-faces).
    """
    from skimage.data import lfw_subset

    images = lfw_subset().astype("float32")[..., np.newaxis]
    labels = np.r_[np.ones(N_FACES // 2), np.zeros(N_FACES // 2)].astype("int64")
    return images, labels


def load_faces_split(n_train: int = 40, n_val: int = 60, n_test: int = 100, *, split_seed: int = 0) -> FacesSplit:
    """The faces and non-faces as train / validation / test, stratified, drawn from ``split_seed``.

    The test split is drawn first (it depends on ``n_test`` and the seed only),
    then the validation split from the rest, then ``n_train`` training images
    from what remains. Every split holds as many faces as non-faces (up to one).

    Args:
        n_train: training images, at least 4 (even numbers keep the classes equal).
        n_val: validation images, at least 4.
        n_test: test images, at least 4; ``n_train + n_val + n_test <= 200``.
        split_seed: seed of the split (a non-negative integer).
    """
    from sklearn.model_selection import train_test_split

    n_test = check_int("n_test", n_test, 4, N_FACES - 8)
    n_val = check_int("n_val", n_val, 4, N_FACES - n_test - 4)
    n_train = check_int("n_train", n_train, 4, N_FACES - n_test - n_val)
    split_seed = check_seed(split_seed, "split_seed")
    images, labels = load_faces()
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
    return FacesSplit(x_train, y_train, x_val, y_val, x_test, y_test, split_seed=split_seed)


def load_image(name: str) -> np.ndarray:
    """One image the course uses, as ``float32`` in [0, 1], from an installed package (no download).

    Textures (``brick``, ``grass``, ``gravel``) come back as ``(512, 512)``
    grey arrays; photos as ``(height, width, 3)`` colour arrays.
    """
    check_choice("name", name, IMAGES)
    if name in SKLEARN_PHOTOS:
        return load_sample_photo(name)
    import skimage.data

    return (np.asarray(getattr(skimage.data, name)(), dtype="float32") / 255.0).astype("float32")


def _region(shape: tuple[int, int], region: str) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of a region: train = left half; val / test = right half, top / bottom."""
    check_choice("region", region, REGIONS)
    height, width = shape
    if region == "train":
        return 0, height, 0, width // 2
    if region == "val":
        return 0, height // 2, width // 2, width
    return height // 2, height, width // 2, width


def _downsample(image: np.ndarray, factor: int) -> np.ndarray:
    if factor == 1:
        return image
    height, width = (s - s % factor for s in image.shape[:2])
    image = image[:height, :width]
    return image.reshape(height // factor, factor, width // factor, factor, *image.shape[2:]).mean(axis=(1, 3))


def _cut(image: np.ndarray, region: str, n: int, size: int, angles: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``n`` patches of ``size`` pixels from ``region``, each turned by its angle with real pixels only."""
    from scipy.ndimage import rotate

    top, bottom, left, right = _region(image.shape[:2], region)
    turned = bool(np.any(angles % 90 != 0))
    window = math.ceil(size * math.sqrt(2)) + 2 if turned else size
    if bottom - top < window or right - left < window:
        raise ValueError(f"patches of {size} pixels do not fit the {region} region; use a smaller size")
    patches = []
    for angle in angles:
        y = int(rng.integers(top, bottom - window + 1))
        x = int(rng.integers(left, right - window + 1))
        patch = image[y : y + window, x : x + window]
        if angle % 90 == 0:
            patch = np.rot90(patch, int(angle // 90) % 4)
        else:
            patch = rotate(patch, float(angle), reshape=False, order=1, mode="nearest")
        offset = (window - size) // 2
        patches.append(patch[offset : offset + size, offset : offset + size])
    return np.stack(patches).astype("float32")


def _angles(angle, n: int, rng: np.random.Generator) -> np.ndarray:
    if isinstance(angle, str):
        if angle != "random":
            raise ValueError(f"angle must be a number of degrees or 'random', got {angle!r}")
        return rng.uniform(0.0, 360.0, n)
    return np.full(n, check_number("angle", angle, -360.0, 360.0))


def texture_patches(
    n_per_class: int,
    *,
    region: str = "train",
    size: int = 32,
    downsample: int = 2,
    angle: float | str = 0.0,
    seed: int = 0,
    names=TEXTURES,
) -> tuple[np.ndarray, np.ndarray]:
    """Patches of the textures ``brick`` (label 0), ``grass`` (1) and ``gravel`` (2).

    ``names`` picks other textures or another order (``names[i]`` gets label ``i``).

    Each image is first averaged down by ``downsample`` (a 512-pixel texture
    becomes 256 pixels with the default 2), then cut into three **disjoint
    regions**: ``"train"`` is the left half, ``"val"`` the top of the right
    half, ``"test"`` its bottom. A patch lies entirely inside its region, so
    no pixel is shared between the splits (patches of one split may overlap).

    ``angle`` turns each patch (degrees, or ``"random"`` for a uniform angle per
    patch). A turned patch is cut from a window large enough
    (``ceil(size * sqrt(2)) + 2`` pixels) that after turning it, its central
    ``size x size`` pixels are all real pixels: no border is invented. Multiples
    of 90 degrees are exact (``np.rot90``), other angles interpolated linearly.

    Returns:
        ``(images, labels)``: ``float32`` ``(len(names) * n_per_class, size, size, 1)`` in
        [0, 1], classes in blocks; ``int64`` labels.
    """
    n_per_class = check_int("n_per_class", n_per_class, 1)
    size = check_int("size", size, 4, 256)
    downsample = check_int("downsample", downsample, 1, 8)
    seed = check_seed(seed)
    if isinstance(names, str) or not names or any(name not in TEXTURES for name in names):
        raise ValueError(f"names must be a list of textures from {', '.join(TEXTURES)}, got {names!r}")
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, name in enumerate(names):
        texture = _downsample(load_image(name), downsample)
        angles = _angles(angle, n_per_class, rng)
        images.append(_cut(texture, region, n_per_class, size, angles, rng))
        labels.append(np.full(n_per_class, label, dtype="int64"))
    return np.concatenate(images)[..., np.newaxis], np.concatenate(labels)


def relight(images, gains=(1.0, 1.0, 1.0), brightness: float = 1.0, saturation: float = 1.0) -> np.ndarray:
    """Change the white balance, brightness and saturation of colour images in [0, 1].

    Each channel is multiplied by its gain (red, green, blue) and every pixel by
    ``brightness``; then each pixel is moved towards its own grey level (the
    mean of its channels) by ``1 - saturation``; the result is clipped to
    [0, 1]. ``gains=(1.2, 1, 0.8)`` warms an image (tungsten light),
    ``(0.8, 1, 1.2)`` cools it, ``brightness=0.6`` darkens it,
    ``saturation=0.5`` halves its colourfulness, ``saturation=0`` makes it grey.
    """
    images = check_images(images, ndim=(4,), channels=3, dtype="float32")
    gains = np.asarray(gains, dtype="float32")
    if gains.shape != (3,) or not np.all((gains > 0) & np.isfinite(gains)):
        raise ValueError(f"gains must be three positive numbers (red, green, blue), got {gains.tolist()}")
    brightness = check_number("brightness", brightness, 0.0, 10.0)
    saturation = check_number("saturation", saturation, 0.0, 10.0)
    out = images * gains * brightness
    grey = out.mean(axis=-1, keepdims=True)
    out = grey + (out - grey) * saturation
    return np.clip(out, 0.0, 1.0).astype("float32")


def tint(images, gains) -> np.ndarray:
    """Colour grey images ``(n, h, w, 1)`` in [0, 1]: each channel is the grey level times its gain.

    ``tint(grass, (0.55, 0.9, 0.35))`` gives a green lawn, ``(0.9, 0.75, 0.35)``
    a dry, yellow one: the same texture, a different colour. Clipped to [0, 1].
    """
    images = check_images(images, ndim=(4,), channels=1, dtype="float32")
    gains = np.asarray(gains, dtype="float32")
    if gains.shape != (3,) or not np.all((gains >= 0) & np.isfinite(gains)):
        raise ValueError(f"gains must be three non-negative numbers (red, green, blue), got {gains.tolist()}")
    return np.clip(images * gains, 0.0, 1.0).astype("float32")
