import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

import augreg
from augreg import TECHNIQUE_COLORS, plot_image_grid, plot_learning_curves, plot_sweep, technique_color

HISTORY = {
    "loss": [1.0, 0.5, 0.2],
    "val_loss": [1.1, 0.8, 0.9],
    "accuracy": [0.5, 0.8, 0.9],
    "val_accuracy": [0.4, 0.7, 0.7],
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_technique_colors_are_distinct_and_looked_up_strictly():
    assert len(set(TECHNIQUE_COLORS.values())) == len(TECHNIQUE_COLORS)
    assert technique_color("dropout") == TECHNIQUE_COLORS["dropout"]
    with pytest.raises(ValueError, match="unknown technique 'droput'; known techniques: .*dropout"):
        technique_color("droput")


def test_learning_curves_use_technique_colours_solid_train_dashed_val():
    ax = plot_learning_curves({"baseline": HISTORY, "dropout": HISTORY}, "accuracy")
    lines = ax.get_lines()
    assert len(lines) == 4
    styles = {(line.get_label(), line.get_linestyle(), mcolors.to_hex(line.get_color())) for line in lines}
    assert ("baseline (training)", "-", TECHNIQUE_COLORS["baseline"]) in styles
    assert ("dropout (validation)", "--", TECHNIQUE_COLORS["dropout"]) in styles
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])  # epochs counted from 1
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "accuracy"


def test_learning_curves_colour_override_and_log_scale():
    ax = plot_learning_curves({"my run": HISTORY}, colors={"my run": "l2"}, log_y=True, title="T", ylabel="Y")
    assert mcolors.to_hex(ax.get_lines()[0].get_color()) == TECHNIQUE_COLORS["l2"]
    assert ax.get_yscale() == "log" and ax.get_title() == "T" and ax.get_ylabel() == "Y"


def test_learning_curves_reject_missing_metric_and_empty_input():
    with pytest.raises(
        ValueError, match="history 'a' has no 'crossentropy'; available: accuracy, loss, val_accuracy, val_loss"
    ):
        plot_learning_curves({"a": HISTORY}, "crossentropy")
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_learning_curves({})


def test_sweep_plot_labels_and_gap():
    ax = plot_sweep(
        [2, 8, 32],
        [0.5, 0.9, 1.0],
        [0.45, 0.8, 0.95],
        xlabel="width",
        ylabel="acc",
        title="sweep",
        technique="l2",
        log_x=True,
    )
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title(), ax.get_xscale()) == ("width", "acc", "sweep", "log")
    train, val = ax.get_lines()
    assert train.get_linestyle() == "-" and val.get_linestyle() == "--"
    assert mcolors.to_hex(train.get_color()) == TECHNIQUE_COLORS["l2"]


def test_sweep_plot_rejects_bad_input():
    with pytest.raises(ValueError, match="equal length"):
        plot_sweep([1, 2], [0.1], [0.2, 0.3], xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="title must be a non-empty string"):
        plot_sweep([1], [0.1], [0.2], xlabel="x", ylabel="y", title="")


def test_image_grid_titles_layout_and_value_range():
    images = np.random.default_rng(0).random((10, 8, 8, 1))
    fig = plot_image_grid(images, [str(i) for i in range(10)], ncols=4, suptitle="digits")
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 12 and len(shown) == 10
    assert fig._suptitle.get_text() == "digits" and shown[3].get_title() == "3"
    assert shown[0].images[0].get_clim() == (0.0, 1.0)  # no per-image rescaling
    rgb = plot_image_grid(np.ones((2, 4, 4, 3)) * 255, suptitle="photos", value_range=(0, 255))
    assert rgb.axes[0].images[0].get_array().max() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "images, kwargs, words",
    [
        (np.zeros((2, 8)), {}, "images must have shape"),
        (np.zeros((2, 8, 8, 2)), {}, "images must have shape"),
        (np.zeros((2, 8, 8)), {"titles": ["a"]}, "got 1 titles for 2 images"),
        (np.zeros((2, 8, 8)), {"ncols": 0}, "ncols must be at least 1"),
        (np.zeros((2, 8, 8)), {"suptitle": " "}, "suptitle must be a non-empty string"),
    ],
)
def test_image_grid_rejects_bad_input(images, kwargs, words):
    kwargs.setdefault("suptitle", "t")
    with pytest.raises(ValueError, match=words):
        plot_image_grid(images, **kwargs)


@pytest.mark.parametrize(
    "n, ncols, size, titles",
    [
        (12, 6, 1.2, ["face"] * 6 + ["non-face"] * 6),  # Lesson 06's face grids
        (12, 6, 1.2, ["original"] * 6 + ["augmented"] * 6),
        (
            12,
            6,
            1.2,
            ["brick", "grass", "gravel"]
            + [f"{t}, other light" for t in ("brick", "grass", "gravel")]
            + ["green", "dry"] * 3,
        ),
        (24, 8, 1.2, [str(i % 10) for i in range(24)]),  # digits with their labels
        (9, 3, 0.6, [f"label {i}" for i in range(9)]),  # small images
    ],
)
def test_image_grid_titles_never_lie_on_another_row(n, ncols, size, titles):
    """Each title's box, as drawn, misses the image of every other row and the figure's title."""
    fig = plot_image_grid(
        np.random.default_rng(0).uniform(size=(n, 25, 25)), titles, ncols=ncols, size=size, suptitle="A grid of images"
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes = [ax for ax in fig.axes if ax.images]
    rows = {ax: round(ax.get_position().y0, 3) for ax in axes}
    suptitle = fig._suptitle.get_window_extent(renderer)
    for ax in axes:
        title = ax.title.get_window_extent(renderer)
        assert not title.overlaps(suptitle), f"title {ax.title.get_text()!r} lies on the figure's title"
        for other in axes:
            if rows[other] != rows[ax]:
                image = other.get_window_extent(renderer)
                assert not title.overlaps(image), (
                    f"title {ax.title.get_text()!r} lies on an image of another row: {title} vs {image}"
                )


def test_markdown_table():
    table = augreg.markdown_table(["a", "b"], [[1, "x|y"], [2.5, "z"]])
    assert table.data.splitlines() == ["| a | b |", "|---|---|", "| 1 | x\\|y |", "| 2.5 | z |"]
    with pytest.raises(ValueError, match="row 0 has 1 cells but the header has 2 columns"):
        augreg.markdown_table(["a", "b"], [[1]])
    with pytest.raises(ValueError, match="at least one column"):
        augreg.markdown_table([], [])
