"""Calibration: does a model's confidence match how often it is right? Reliability bins and the ECE.

A classifier is *calibrated* when, among the images it labels with confidence
0.8, about 80 % are right. The confidence of a prediction is its top-class
probability. Sort the predictions into equal-width bins of confidence on
[0, 1]; in each bin compare the mean confidence with the accuracy. The
*expected calibration error* (ECE) is the average gap, each bin weighted by
how many predictions it holds (Guo et al., 2017):

    ECE = sum over bins b of  (n_b / n) * |accuracy_b - confidence_b|

* :func:`reliability_bins` -- per-bin confidence, accuracy and count.
* :func:`expected_calibration_error` -- the ECE, a number in [0, 1].
* :func:`plot_reliability_diagram` -- one reliability diagram per arm (drawn by
  :mod:`augreg.plotting`, importable from here too).

The ECE depends on the number of bins (stated with every number: 10 here by
default) and, with few predictions per bin, on sampling noise: compare arms
on the same test images, paired by seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .plotting import plot_reliability_diagram
from .validation import check_int

__all__ = ["ReliabilityBins", "expected_calibration_error", "plot_reliability_diagram", "reliability_bins"]


@dataclass(frozen=True)
class ReliabilityBins:
    """Predictions sorted into equal-width confidence bins.

    Attributes:
        edges: the ``n_bins + 1`` bin edges on [0, 1].
        confidence: mean top-class probability in each bin (NaN for an empty bin).
        accuracy: fraction of right predictions in each bin (NaN for an empty bin).
        count: number of predictions in each bin.
    """

    edges: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray

    @property
    def ece(self) -> float:
        """The expected calibration error of these bins, in [0, 1]."""
        filled = self.count > 0
        weights = self.count[filled] / self.count.sum()
        return float(np.sum(weights * np.abs(self.accuracy[filled] - self.confidence[filled])))


def _checked(probabilities, labels, n_bins) -> tuple[np.ndarray, np.ndarray]:
    probs = np.asarray(probabilities, dtype="float64")
    if probs.ndim != 2 or probs.shape[0] == 0 or probs.shape[1] < 2:
        raise ValueError(
            "probabilities must be a 2-D array (one row of class probabilities per "
            f"prediction, at least 2 classes), got shape {probs.shape}"
        )
    if not np.all(np.isfinite(probs)) or probs.min() < 0 or probs.max() > 1 + 1e-6:
        raise ValueError("probabilities must lie in [0, 1]: pass the softmax output (predict), not logits")
    if not np.allclose(probs.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "each row of probabilities must sum to 1: pass the softmax output (predict), not logits or one column"
        )
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape == probs.shape:
        raise ValueError("labels must be integer classes, not one-hot rows: pass labels.argmax(axis=1)")
    if labels.shape != (probs.shape[0],):
        raise ValueError(
            f"labels must have one integer class per prediction ({probs.shape[0]}), got shape {labels.shape}"
        )
    if not np.issubdtype(labels.dtype, np.integer):
        if not np.all(np.equal(np.mod(labels, 1), 0)):
            raise ValueError("labels must be integer classes")
        labels = labels.astype("int64")
    if labels.min() < 0 or labels.max() >= probs.shape[1]:
        raise ValueError(f"labels must lie in 0..{probs.shape[1] - 1}")
    check_int("n_bins", n_bins, 1)
    return probs, labels


def reliability_bins(probabilities, labels, n_bins: int = 10) -> ReliabilityBins:
    """Sort predictions into ``n_bins`` equal-width bins of top-class confidence.

    Args:
        probabilities: array ``(n, classes)`` of predicted class probabilities
            (the softmax output of ``model.predict``).
        labels: the ``n`` true classes, as integers.
        n_bins: number of equal-width bins on [0, 1]; a confidence of exactly
            1 falls in the last bin, and bins include their lower edge.

    Raises:
        ValueError: for logits, one-hot labels, shapes that do not match, or a
            bad ``n_bins``.
    """
    probs, labels = _checked(probabilities, labels, n_bins)
    confidence = probs.max(axis=1)
    right = probs.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.floor(confidence * n_bins).astype(int), 0, n_bins - 1)
    count = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(which, weights=confidence, minlength=n_bins) / count
        accuracy = np.bincount(which, weights=right.astype("float64"), minlength=n_bins) / count
    return ReliabilityBins(edges=edges, confidence=mean_conf, accuracy=accuracy, count=count)


def expected_calibration_error(probabilities, labels, n_bins: int = 10) -> float:
    """The expected calibration error (ECE) of predictions, in [0, 1].

    Top-class confidence, ``n_bins`` equal-width bins on [0, 1], each bin's
    ``|accuracy - mean confidence|`` weighted by its share of the predictions.
    0 is perfect calibration; a model that says 0.99 and is right 80 % of the
    time has an ECE near 0.19. See :func:`reliability_bins` for the arguments.
    """
    return reliability_bins(probabilities, labels, n_bins).ece
