"""augreg.calibration: the ECE against hand-computed cases, and its input checks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from augreg import TECHNIQUE_COLORS
from augreg.calibration import expected_calibration_error, plot_reliability_diagram, reliability_bins


def _two_class(confidences, right):
    """Probabilities whose top class is 0 with the given confidences; labels right or wrong."""
    conf = np.asarray(confidences, dtype="float64")
    probs = np.stack([conf, 1 - conf], axis=1)
    labels = np.where(np.asarray(right), 0, 1)
    return probs, labels


def test_a_confident_model_right_80_percent_of_the_time_has_ece_019():
    probs, labels = _two_class([0.99] * 10, [True] * 8 + [False] * 2)
    assert expected_calibration_error(probs, labels) == pytest.approx(0.19)


def test_perfectly_calibrated_bins_give_zero():
    # 10 predictions at 0.75 (bin 7), 3 of 4 right would be 0.75: use 4 of them.
    probs, labels = _two_class([0.75] * 4 + [0.55] * 20, [True, True, True, False] + [True] * 11 + [False] * 9)
    assert expected_calibration_error(probs, labels) == pytest.approx(0.0, abs=1e-12)


def test_bins_are_weighted_by_their_counts_worked_example():
    # bin 9: 3 predictions at 0.95, all right (gap 0.05); bin 6: 1 prediction at 0.65, wrong (gap 0.65)
    probs, labels = _two_class([0.95, 0.95, 0.95, 0.65], [True, True, True, False])
    bins = reliability_bins(probs, labels, n_bins=10)
    assert bins.count.tolist() == [0, 0, 0, 0, 0, 0, 1, 0, 0, 3]
    assert bins.accuracy[9] == 1.0 and bins.accuracy[6] == 0.0
    assert np.isnan(bins.accuracy[0])
    assert bins.ece == pytest.approx(0.75 * 0.05 + 0.25 * 0.65)


def test_confidence_of_one_falls_in_the_last_bin_and_the_number_of_bins_matters():
    probs, labels = _two_class([1.0, 0.5], [True, True])
    assert reliability_bins(probs, labels, n_bins=4).count.tolist() == [0, 0, 1, 1]
    probs, labels = _two_class([0.62, 0.68], [True, False])
    # one bin of 10: mean confidence 0.65, accuracy 0.5; two bins of 20: gaps 0.38 and 0.68
    assert expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.15)
    assert expected_calibration_error(probs, labels, n_bins=20) == pytest.approx(0.53)


def test_many_classes_use_the_top_class():
    probs = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]])
    bins = reliability_bins(probs, [1, 2], n_bins=10)
    assert bins.count[7] == 1 and bins.accuracy[7] == 1.0
    assert bins.count[6] == 1 and bins.accuracy[6] == 0.0


@pytest.mark.parametrize(
    "probs, labels, message",
    [
        (np.array([[2.0, -1.0]]), [0], "not logits"),
        (np.array([[0.2, 0.2]]), [0], "sum to 1"),
        (np.array([0.2, 0.8]), [0], "2-D"),
        (np.array([[0.2, 0.8]]), [[0.0, 1.0]], "one-hot"),
        (np.array([[0.2, 0.8], [0.5, 0.5]]), [1], "one integer class per prediction"),
        (np.array([[0.2, 0.8]]), [2], "0..1"),
    ],
)
def test_bad_inputs_get_a_clear_message(probs, labels, message):
    with pytest.raises(ValueError, match=message):
        expected_calibration_error(probs, labels)


@pytest.mark.parametrize("n_bins", [0, -3, 2.5, True])
def test_bad_bin_counts_are_refused(n_bins):
    probs, labels = _two_class([0.9], [True])
    with pytest.raises((TypeError, ValueError), match="n_bins"):
        expected_calibration_error(probs, labels, n_bins=n_bins)


def test_reliability_diagram_draws_one_labelled_panel_per_arm_in_course_colours():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(200, 10)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 10, size=200)
    fig = plot_reliability_diagram(
        {"none": probs, "MixUp": probs}, labels, techniques={"MixUp": "mixup"}, title="Two arms"
    )
    axes = fig.axes
    assert len(axes) == 2 and fig._suptitle.get_text() == "Two arms"
    assert "ECE" in axes[0].get_title() and "10 bins" in axes[1].get_title()
    assert axes[0].get_xlabel() and axes[0].get_ylabel()
    colours = {matplotlib.colors.to_hex(p.get_facecolor()) for p in axes[1].patches if p.get_fill()}
    assert TECHNIQUE_COLORS["mixup"] in colours
    plt.close(fig)
    with pytest.raises(ValueError, match="non-empty"):
        plot_reliability_diagram({}, labels)
