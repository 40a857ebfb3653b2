import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from augreg import (
    TECHNIQUE_COLORS,
    arm_style,
    paired_difference,
    plot_arm_bars,
    plot_paired_differences,
    plot_robustness,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_arm_style_uses_the_course_colours_and_tells_combinations_apart():
    assert arm_style("none")["color"] == TECHNIQUE_COLORS["baseline"]
    assert arm_style("dropout")["color"] == TECHNIQUE_COLORS["dropout"]
    assert arm_style("augmentation")["hatch"] == ""
    combos = ["L2 + dropout", "augmentation + dropout", "all three"]
    styles = [arm_style(arm) for arm in combos]
    assert {s["color"] for s in styles} == {TECHNIQUE_COLORS["combined"]}
    assert len({(s["hatch"], s["linestyle"], s["marker"]) for s in styles}) == 3
    with pytest.raises(ValueError, match="unknown technique 'droput'.*dropout"):
        arm_style("L2 + droput")
    with pytest.raises(TypeError, match="string"):
        arm_style(3)


def test_arm_bars_show_mean_spread_and_every_seed_in_percent():
    values = {"none": [0.90, 0.92, 0.94], "dropout": [0.95, 0.95, 0.95]}
    ax = plot_arm_bars(values, ylabel="validation accuracy", title="Validation")
    heights = [patch.get_height() for patch in ax.patches]
    np.testing.assert_allclose(heights, [92.0, 95.0])
    assert [mcolors.to_hex(p.get_facecolor()) for p in ax.patches] == [
        TECHNIQUE_COLORS["baseline"],
        TECHNIQUE_COLORS["dropout"],
    ]
    dots = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections if len(c.get_offsets()) == 3])
    np.testing.assert_allclose(sorted(dots), [90, 92, 94, 95, 95, 95])
    assert ax.get_ylabel() == "validation accuracy (%)" and ax.get_title() == "Validation"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["none", "dropout"]
    # the error bar is the Student-t 95 % interval of the mean (ddof=1), not +/- one sd
    segments = [c for c in ax.collections if c.__class__.__name__ == "LineCollection"][0].get_segments()
    low, high = sorted(segments[0][:, 1])
    half = 4.302653 * 2.0 / np.sqrt(3)  # t(0.975, 2 df) * sd(ddof=1) / sqrt(n)
    assert low == pytest.approx(92 - half) and high == pytest.approx(92 + half)


def test_arm_bars_name_the_unit_once():
    values = {"none": [0.90, 0.92, 0.94], "dropout": [0.95, 0.95, 0.95]}
    ax = plot_arm_bars(values, ylabel="test accuracy (%)", title="Test")
    assert ax.get_ylabel() == "test accuracy (%)"
    ax = plot_arm_bars(values, ylabel="ECE (points)", title="Test", percent=False)
    assert ax.get_ylabel() == "ECE (points)"


def test_arm_bars_refuse_percentages_given_as_percent():
    with pytest.raises(ValueError, match="expects fractions"):
        plot_arm_bars({"none": [90.0, 92.0, 94.0]}, ylabel="test accuracy (%)", title="Test")
    ax = plot_arm_bars({"none": [90.0, 92.0, 94.0]}, ylabel="test accuracy (%)", title="Test", percent=False)
    assert ax.patches[0].get_height() == pytest.approx(92.0)


def test_paired_differences_take_the_colour_of_named_arms():
    diff = paired_difference([0.9, 0.92, 0.94], [0.88, 0.9, 0.9])
    ax = plot_paired_differences(
        {"MixUp - none": diff, "mystery - none": diff}, xlabel="points", title="Two rows", techniques={"MixUp": "mixup"}
    )
    colours = [mcolors.to_hex(line.get_color()) for line in ax.get_lines()[1:]]
    assert TECHNIQUE_COLORS["mixup"] in colours and "#333333" in colours


def test_arm_bars_reject_missing_labels_and_empty_or_bad_values():
    with pytest.raises(ValueError, match="labelled"):
        plot_arm_bars({"none": [0.9]}, ylabel="", title="t")
    with pytest.raises(ValueError, match="non-empty"):
        plot_arm_bars({}, ylabel="y", title="t")
    with pytest.raises(ValueError, match="finite"):
        plot_arm_bars({"none": [np.nan]}, ylabel="y", title="t")
    with pytest.raises(ValueError, match="at least 2 seeds"):
        plot_arm_bars({"none": [0.9]}, ylabel="y", title="t")


def test_paired_differences_draw_one_interval_per_row_in_points():
    none = np.array([0.80, 0.85, 0.82, 0.90, 0.84])
    rows = {
        "dropout - none": paired_difference(none + [0.03, 0.02, 0.04, 0.03, 0.03], none),
        "L2 - none": paired_difference(none + [0.01, -0.01, 0.0, 0.005, -0.004], none),
    }
    ax = plot_paired_differences(rows, xlabel="test accuracy difference (points)", title="Gains", bound=0.02)
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 2 and line.get_linewidth() > 2]
    np.testing.assert_allclose(
        sorted(lines[0].get_xdata()), [100 * rows["dropout - none"].low, 100 * rows["dropout - none"].high]
    )
    assert mcolors.to_hex(lines[0].get_color()) == TECHNIQUE_COLORS["dropout"]
    assert mcolors.to_hex(lines[1].get_color()) == TECHNIQUE_COLORS["l2"]
    # the top row is the first comparison; the band marks +/- 2 points
    assert [t.get_text() for t in ax.get_yticklabels()] == ["L2 - none", "dropout - none"]
    (band,) = ax.patches
    left, right = band.get_x(), band.get_x() + band.get_width()
    assert left == pytest.approx(-2.0) and right == pytest.approx(2.0)
    assert ax.get_xlabel().startswith("test accuracy") and ax.get_title() == "Gains"


def test_paired_differences_reject_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        plot_paired_differences({}, xlabel="x", title="t")
    with pytest.raises(TypeError, match="Interval"):
        plot_paired_differences({"a": [0.1, 0.2]}, xlabel="x", title="t")
    with pytest.raises(ValueError, match="labelled"):
        plot_paired_differences({"a": paired_difference([1, 2], [0, 0])}, xlabel="", title="t")


def test_robustness_draws_the_seed_mean_per_arm_with_its_style():
    runs = {"none": [[0.9, 0.4], [0.8, 0.2]], "augmentation + dropout": [[0.9, 0.8], [0.9, 0.8]]}
    ax = plot_robustness([0, 1], runs, xlabel="shift (pixels)", title="Shifted")
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), [85, 30])
    assert lines[1].get_linestyle() == "-." and lines[1].get_marker() == "D"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(runs)
    assert ax.get_xlabel() == "shift (pixels)" and ax.get_ylim() == (0, 100)
    assert ax.get_ylabel() == "test accuracy (%)"
    np.testing.assert_array_equal(ax.get_xticks(), [0, 1])


def test_robustness_takes_fractions_like_its_siblings():
    """Fractions are shown in percent; values above 1 are refused, as in plot_arm_bars; percent=False
    draws the values as given; techniques= colours arms with names of their own."""
    with pytest.raises(ValueError, match="percent=True expects fractions"):
        plot_robustness([0, 1], {"none": [[90, 40], [80, 20]]}, xlabel="x", title="t")
    ax = plot_robustness(
        [0, 1], {"none": [[0.9, 0.4], [0.8, 0.2]]}, xlabel="x", title="t", ylabel="validation accuracy (%)"
    )
    assert ax.get_ylabel() == "validation accuracy (%)"
    ax = plot_robustness([0, 1], {"none": [[90, 40], [80, 20]]}, xlabel="x", title="t", percent=False, ylabel="errors")
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [85, 30])
    assert ax.get_ylabel() == "errors"
    ax = plot_robustness(
        [0, 1], {"pooling": [[0.9, 0.4], [0.8, 0.2]]}, xlabel="x", title="t", techniques={"pooling": "shuffled"}
    )
    assert mcolors.to_hex(ax.get_lines()[0].get_color()) == TECHNIQUE_COLORS["shuffled"]
    with pytest.raises(ValueError, match="unknown technique 'pooling'"):
        plot_robustness([0, 1], {"pooling": [[0.9, 0.4], [0.8, 0.2]]}, xlabel="x", title="t")


@pytest.mark.parametrize(
    ("levels", "runs", "message"),
    [
        ([1, 0], {"none": [[0.5, 0.5]]}, "increasing"),
        ([0], {"none": [[0.5]]}, "at least two"),
        ([0, 1], {"none": [[0.5, 0.5, 0.5]]}, r"shape \(seeds, 2\)"),
        ([0, 1], {}, "non-empty"),
    ],
)
def test_robustness_rejects_bad_input(levels, runs, message):
    with pytest.raises(ValueError, match=message):
        plot_robustness(levels, runs, xlabel="x", title="t")


def test_arms_with_names_of_their_own_take_the_colour_they_are_given():
    values = {"none": [0.9, 0.92], "shifts": [0.95, 0.96], "flips": [0.85, 0.86]}
    techniques = {"none": "baseline", "shifts": "augmentation", "flips": "l1"}
    ax = plot_arm_bars(values, ylabel="test accuracy", title="Four ways", techniques=techniques)
    assert [mcolors.to_hex(p.get_facecolor()) for p in ax.patches] == [
        TECHNIQUE_COLORS["baseline"],
        TECHNIQUE_COLORS["augmentation"],
        TECHNIQUE_COLORS["l1"],
    ]
    with pytest.raises(ValueError, match="unknown technique 'shifts'"):
        plot_arm_bars(values, ylabel="y", title="t")  # without the mapping, a typo cannot pass silently
    with pytest.raises(ValueError, match="unknown technique 'augmentaton'"):
        arm_style("shifts", {"shifts": "augmentaton"})
