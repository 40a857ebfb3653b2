"""Everything a reader sees: the course palette, every figure, and results tables.

One colour per technique, the same in every figure of the course (:data:`TECHNIQUE_COLORS`). The
palette is Okabe & Ito's, which stays distinguishable for colour-blind readers and on both light and
dark page themes (figures keep a white background), with Paul Tol's muted palette for the
techniques of Lessons 08 and 09. Training curves are solid, validation curves dashed, so the colour
always means *technique* and the line style always means *split*. Every figure has a title and
labelled axes; figures over seeds show the mean with its Student-t 95 % interval, never a standard
deviation.

Colours: :data:`TECHNIQUE_COLORS`, :func:`technique_color`, :func:`arm_style`.

Figures:

* :func:`plot_learning_curves` -- training (solid) and validation (dashed) curves of one metric.
* :func:`plot_sweep` -- training and validation scores against a swept setting (the gap shaded).
* :func:`plot_image_grid` -- images in a grid, each with a title.
* :func:`plot_arm_bars` -- one bar per arm: mean, 95 % interval and the seeds as dots.
* :func:`plot_paired_differences` -- paired differences against a reference arm, with intervals.
* :func:`plot_robustness` -- accuracy against the size of a perturbation, one line per arm.
* :func:`plot_reliability_diagram` -- calibration, one panel per arm.
* :func:`plot_training_loop` -- the course map: where each technique acts in the training loop.

Tables: :func:`markdown_table`.

An *arm* is one recipe (``"none"``, ``"augmentation"``, ``"L2 + dropout"``, ...); its name lists
the techniques it combines, joined by ``" + "``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .stats import Interval, mean_interval
from .validation import check_int, check_text

__all__ = [
    "ARM_TECHNIQUES",
    "SPLIT_LINESTYLES",
    "TECHNIQUE_COLORS",
    "TRAINING_LOOP",
    "arm_style",
    "markdown_table",
    "plot_arm_bars",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_paired_differences",
    "plot_reliability_diagram",
    "plot_robustness",
    "plot_sweep",
    "plot_training_loop",
    "technique_color",
]

# ---------------------------------------------------------------------------------------------
# Colours
# ---------------------------------------------------------------------------------------------

#: Colour of each technique (and of the baseline) across all lessons.
TECHNIQUE_COLORS: dict[str, str] = {
    "baseline": "#000000",  # no augmentation, no regularization
    "augmentation": "#0072b2",  # blue
    "l2": "#e69f00",  # orange
    "l1": "#d55e00",  # vermillion
    "dropout": "#009e73",  # bluish green
    "noise": "#56b4e9",  # sky blue
    "combined": "#cc79a7",  # reddish purple
    "shuffled": "#999999",  # grey: random labels, the memorization control
    # Lessons 08 and 09 (Paul Tol's muted palette, also colour-blind safe).
    # Modern augmentation: the cool side.
    "mixup": "#332288",  # indigo
    "cutmix": "#882255",  # wine
    "randaugment": "#6699cc",  # steel blue
    "augmix": "#aa4499",  # purple
    "erasing": "#88ccee",  # cyan
    "tta": "#44aa99",  # teal: test-time augmentation
    # The rest of the regularization toolbox: the warm side.
    "early_stopping": "#999933",  # olive
    "label_smoothing": "#ddcc77",  # sand
    "weight_decay": "#cc6677",  # rose: decoupled decay (AdamW)
    "batch_norm": "#117733",  # dark green
    "max_norm": "#a6761d",  # ochre
    "ensemble": "#555555",  # dark grey: several models averaged
    # Lesson 11: a penalty that encodes an invariance (tangent propagation).
    "tangent": "#117799",  # dark cyan: between augmentation's blue and the penalties' warm side
}

#: Line style of each data split.
SPLIT_LINESTYLES: dict[str, str] = {"train": "-", "val": "--"}


def technique_color(technique: str) -> str:
    """Return the course colour of ``technique`` (e.g. ``"dropout"``).

    Raises ``ValueError`` naming the known techniques when the name is unknown,
    so that a typo cannot silently fall back to matplotlib's colour cycle.
    """
    try:
        return TECHNIQUE_COLORS[technique]
    except (KeyError, TypeError):
        known = ", ".join(sorted(TECHNIQUE_COLORS))
        raise ValueError(f"unknown technique {technique!r}; known techniques: {known}") from None


#: Colours for labels that name no technique, in order: the course palette's first colours.
_FALLBACK_COLORS = tuple(
    TECHNIQUE_COLORS[name]
    for name in ("baseline", "augmentation", "l2", "dropout", "combined", "l1", "noise", "shuffled")
)


#: The technique names an arm may combine, and their key in :data:`TECHNIQUE_COLORS`.
ARM_TECHNIQUES = {"augmentation": "augmentation", "L2": "l2", "L1": "l1", "dropout": "dropout", "noise": "noise"}


def arm_style(arm: str, techniques: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the matplotlib style of an arm: colour, bar hatch, line style and marker.

    ``"none"`` is the baseline (black); an arm with one technique gets that
    technique's course colour, solid lines and round markers; a combination gets
    the "combined" colour, told apart by hatch, line style and marker: two
    techniques without augmentation ``//``, ``--``, squares; two with
    augmentation ``\\\\``, ``-.``, diamonds; three or more ``xx``, ``:``, triangles.

    ``techniques`` names the colour of arms with names of their own
    (``{"shifts": "augmentation", "flips": "l1"}``, keys of
    :data:`TECHNIQUE_COLORS`): such an arm is drawn like a
    one-technique arm in that colour.

    Raises:
        ValueError: for a name that is not ``"none"`` or techniques from
            :data:`ARM_TECHNIQUES` joined by ``" + "``, or ``"all three"``, and
            is not in ``techniques``.
    """
    if not isinstance(arm, str):
        raise TypeError(f"an arm name must be a string, got {type(arm).__name__}")
    if techniques and arm in techniques:
        return {"color": technique_color(techniques[arm]), "hatch": "", "linestyle": "-", "marker": "o"}
    combined = TECHNIQUE_COLORS["combined"]
    if arm == "none":
        return {"color": TECHNIQUE_COLORS["baseline"], "hatch": "", "linestyle": "-", "marker": "o"}
    if arm == "all three":
        return {"color": combined, "hatch": "xx", "linestyle": ":", "marker": "^"}
    parts = [part.strip() for part in arm.split("+")]
    unknown = [part for part in parts if part not in ARM_TECHNIQUES]
    if unknown:
        known = ", ".join(["none", "all three", *ARM_TECHNIQUES])
        raise ValueError(f"unknown technique {unknown[0]!r} in arm {arm!r}; arms combine: {known}")
    if len(parts) == 1:
        return {"color": TECHNIQUE_COLORS[ARM_TECHNIQUES[parts[0]]], "hatch": "", "linestyle": "-", "marker": "o"}
    if len(parts) > 2:
        return {"color": combined, "hatch": "xx", "linestyle": ":", "marker": "^"}
    if "augmentation" in parts:
        return {"color": combined, "hatch": "\\\\", "linestyle": "-.", "marker": "D"}
    return {"color": combined, "hatch": "//", "linestyle": "--", "marker": "s"}


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def _new_axes(ax, figsize=(6.4, 4.0)):
    """``ax``, or the axes of a new figure of ``figsize`` inches (constrained layout)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _resolve_colors(labels: Sequence[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    colors = dict(colors or {})
    resolved, spare = {}, iter(c for c in _FALLBACK_COLORS if c not in colors.values())
    for label in labels:
        if label in colors:
            value = colors[label]
            resolved[label] = TECHNIQUE_COLORS.get(value, value)
        elif label in TECHNIQUE_COLORS:
            resolved[label] = technique_color(label)
        else:
            resolved[label] = next(spare, "#000000")
    return resolved


def _as_runs(name: str, values) -> np.ndarray:
    runs = np.asarray(values, dtype="float64")
    if runs.size == 0 or not np.all(np.isfinite(runs)):
        raise ValueError(f"{name}: need at least one finite value per arm, got {values!r}")
    return runs


def _as_percent(arm: str, runs: np.ndarray) -> np.ndarray:
    """Fractions as percentages; refuses values above 1, which are percentages already."""
    if runs.max() > 1 + 1e-9:
        raise ValueError(
            f"{arm}: values up to {runs.max():g}, but percent=True expects fractions in "
            "[0, 1] (it multiplies by 100): pass fractions, or percent=False"
        )
    return runs * 100.0


def plot_learning_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    metric: str = "loss",
    *,
    colors: Mapping[str, str] | None = None,
    ax=None,
    title: str | None = None,
    ylabel: str | None = None,
    log_y: bool = False,
):
    """Plot training (solid) and validation (dashed) curves of one metric.

    Args:
        histories: ``{label: history}``, where each history is what
            :func:`augreg.seeded_fit` returns (``history[metric]`` and
            ``history["val_" + metric]`` are per-epoch sequences).
        metric: the metric to plot, e.g. ``"loss"`` or ``"accuracy"``.
        colors: ``{label: technique or colour}``; labels that are technique
            names (``"baseline"``, ``"dropout"``, ...) get the course colour.
        ax: matplotlib axes to draw on; a new figure is made if omitted.
        title, ylabel: text for the axes (sensible defaults are used).
        log_y: use a logarithmic y axis (useful when the training loss goes to 0).

    Returns:
        The matplotlib axes.
    """
    if not isinstance(histories, Mapping) or not histories:
        raise ValueError("histories must be a non-empty dict {label: history}")
    for label, history in histories.items():
        for key in (metric, f"val_{metric}"):
            if not isinstance(history, Mapping) or key not in history:
                available = ", ".join(sorted(history)) if isinstance(history, Mapping) else type(history).__name__
                raise ValueError(f"history {label!r} has no {key!r}; available: {available}")
    ax = _new_axes(ax)
    palette = _resolve_colors(list(histories), colors)
    for label, history in histories.items():
        for split, key in (("train", metric), ("val", f"val_{metric}")):
            values = np.asarray(history[key], dtype=float)
            epochs = np.arange(1, len(values) + 1)
            name = "training" if split == "train" else "validation"
            ax.plot(epochs, values, SPLIT_LINESTYLES[split], color=palette[label], label=f"{label} ({name})")
    pretty = metric.replace("_", " ")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or pretty)
    ax.set_title(title or f"Learning curves: {pretty}")
    if log_y:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_sweep(
    values: Sequence[float],
    train: Sequence[float],
    val: Sequence[float],
    *,
    xlabel: str,
    ylabel: str,
    title: str,
    technique: str = "baseline",
    log_x: bool = False,
    ax=None,
):
    """Plot a training and a validation score against a swept setting.

    Used for capacity, penalty-strength and dropout-rate sweeps: the vertical
    distance between the two lines is the generalization gap.

    Args:
        values: the swept setting (x axis), e.g. layer widths.
        train, val: the final training and validation score for each value.
        xlabel, ylabel, title: axis labels and title (required: every course
            figure is labelled).
        technique: course colour to draw with (see :data:`TECHNIQUE_COLORS`).
        log_x: logarithmic x axis (for widths or strengths on a log grid).
        ax: matplotlib axes to draw on; a new figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    values, train, val = (np.asarray(v, dtype=float) for v in (values, train, val))
    if not (values.ndim == train.ndim == val.ndim == 1) or not (len(values) == len(train) == len(val) >= 1):
        raise ValueError(
            f"values, train and val must be 1-D and of equal length, got {values.shape}, {train.shape}, {val.shape}"
        )
    for name, text in (("xlabel", xlabel), ("ylabel", ylabel), ("title", title)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be a non-empty string")
    color = technique_color(technique)
    ax = _new_axes(ax)
    ax.plot(values, train, SPLIT_LINESTYLES["train"], marker="o", color=color, label="training")
    ax.plot(values, val, SPLIT_LINESTYLES["val"], marker="s", color=color, label="validation")
    ax.fill_between(values, train, val, color=color, alpha=0.12, label="gap")
    if log_x:
        ax.set_xscale("log")
        ax.set_xticks(values, [f"{v:g}" for v in values])
        ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_image_grid(
    images,
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 8,
    suptitle: str,
    value_range: tuple[float, float] = (0.0, 1.0),
    cmap: str = "gray",
    size: float = 1.2,
):
    """Show images in a grid, each with an optional title.

    Each row leaves room above its images for their titles, and the layout is
    constrained, so a title never lies on an image of the row above.

    Args:
        images: array of shape ``(n, h, w)``, ``(n, h, w, 1)`` or ``(n, h, w, 3)``.
        titles: one short title per image (e.g. its label), or ``None``.
        ncols: images per row.
        suptitle: the figure's title (required).
        value_range: the ``(min, max)`` pixel values, so that brightness is not
            silently rescaled per image (which would hide photometric changes).
        cmap: colour map for single-channel images.
        size: size of one image in inches.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 3) or len(images) == 0:
        raise ValueError(f"images must have shape (n, h, w), (n, h, w, 1) or (n, h, w, 3), got {images.shape}")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(titles)} titles for {len(images)} images")
    ncols = min(check_int("ncols", ncols, 1), len(images))
    check_text("suptitle", suptitle)
    low, high = value_range
    nrows = -(-len(images) // ncols)
    title_height = 0.0 if titles is None else 0.3  # inches above each row for its titles
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, (size + title_height) * nrows + 0.5), squeeze=False, layout="constrained"
    )
    for index, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if index >= len(images):
            continue
        image = images[index]
        if image.ndim == 3:
            ax.imshow(np.clip((image - low) / (high - low), 0, 1))
        else:
            ax.imshow(image, cmap=cmap, vmin=low, vmax=high)
        if titles is not None:
            ax.set_title(str(titles[index]), fontsize="small")
    fig.suptitle(suptitle)
    return fig


def plot_arm_bars(
    values: Mapping[str, Sequence[float]],
    *,
    ylabel: str,
    title: str,
    percent: bool = True,
    techniques: Mapping[str, str] | None = None,
    ax=None,
):
    """Draw one bar per arm: the mean over seeds, its 95 % interval (Student t), the seeds as dots.

    Args:
        values: ``{arm: one value per seed}`` (at least two seeds), in the order the bars should appear.
        ylabel, title: axis label and title (both required: every figure is labelled).
        percent: show values given as fractions (0-1) in percent; " (%)" is added to
            ``ylabel`` unless it already names the unit.
        techniques: colours of arms with names of their own, as in :func:`arm_style`.
        ax: matplotlib axes; a new figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    if not isinstance(values, Mapping) or not values:
        raise ValueError("values must be a non-empty mapping {arm: values per seed}")
    if not ylabel or not title:
        raise ValueError("ylabel and title are required: every figure in the course is labelled")
    ax = _new_axes(ax, (7.5, 3.6))
    for position, (arm, runs) in enumerate(values.items()):
        runs = _as_runs(arm, runs)
        runs = _as_percent(arm, runs) if percent else runs
        interval = mean_interval(runs, scale=1.0)
        style = arm_style(arm, techniques)
        ax.bar(
            position,
            interval.mean,
            color=style["color"],
            alpha=0.75,
            hatch=style["hatch"],
            edgecolor="white",
            linewidth=0,
        )
        ax.errorbar(
            position,
            interval.mean,
            yerr=[[interval.mean - interval.low], [interval.high - interval.mean]],
            color="#333333",
            capsize=4,
            linewidth=1.2,
        )
        ax.scatter(
            np.full(runs.shape, position) + np.linspace(-0.15, 0.15, runs.size),
            runs,
            color="white",
            edgecolor="#333333",
            s=18,
            zorder=3,
        )
    ax.set_xticks(range(len(values)), [arm.replace(" + ", " +\n") for arm in values], fontsize=9)
    ax.set_ylabel(ylabel + (" (%)" if percent and "%" not in ylabel else ""))
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    # how to read it, under the arm names (a caller may set its own x label instead)
    ax.set_xlabel("bars: mean over seeds; lines: 95 % interval; dots: one per seed", fontsize=8, color="#555555")
    return ax


def plot_paired_differences(
    differences: Mapping[str, Interval],
    *,
    xlabel: str,
    title: str,
    bound: float | None = None,
    techniques: Mapping[str, str] | None = None,
    ax=None,
):
    """Draw paired differences with their 95 % intervals, one row per comparison (a forest plot).

    Each row is an :class:`~augreg.stats.Interval` from
    :func:`augreg.paired_difference`: a dot at the mean, a line for the
    interval, the seeds as small marks. A vertical line marks zero; with
    ``bound``, a shaded band marks the equivalence region ``(-bound, +bound)``
    that "about the same" claims must fall inside. Rows named after an arm
    (``"dropout"``, or ``"dropout - none"``) take the arm's colour; other rows are dark grey.

    Args:
        differences: ``{label: Interval}``, top row first.
        xlabel, title: axis label and title (both required).
        bound: the equivalence bound, in the intervals' units before scaling (0.02 = 2 points).
        techniques: colours of arms with names of their own, as in :func:`arm_style`
            (``{"MixUp": "mixup"}`` colours the row ``"MixUp - none"``).
        ax: matplotlib axes; a new figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    if not isinstance(differences, Mapping) or not differences:
        raise ValueError("differences must be a non-empty mapping {label: Interval}")
    bad = [label for label, value in differences.items() if not isinstance(value, Interval)]
    if bad:
        raise TypeError(f"{bad[0]!r}: expected an Interval from augreg.paired_difference")
    if not xlabel or not title:
        raise ValueError("xlabel and title are required: every figure in the course is labelled")
    ax = _new_axes(ax, (6.4, 0.45 * len(differences) + 1.4))
    if bound is not None:
        width = float(bound) * next(iter(differences.values())).scale
        ax.axvspan(-width, width, color="#999999", alpha=0.15, linewidth=0, label=f"within ±{width:g}: about the same")
    ax.axvline(0, color="#333333", linewidth=0.8)
    for row, (label, interval) in enumerate(differences.items()):
        y = len(differences) - 1 - row
        arm = label.split(" - ")[0].split(" vs ")[0].strip()
        try:
            color = arm_style(arm, techniques)["color"]
        except ValueError:
            color = "#333333"
        k = interval.scale
        ax.plot([k * interval.low, k * interval.high], [y, y], color=color, linewidth=2.2, solid_capstyle="butt")
        ax.plot(k * interval.mean, y, "o", color=color, markersize=7)
        ax.scatter(
            k * interval.values, np.full(interval.values.shape, y - 0.22), marker="|", s=30, color=color, alpha=0.7
        )
    ax.set_yticks(range(len(differences)), list(differences)[::-1], fontsize=9)
    ax.set_ylim(-0.7, len(differences) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    if bound is not None:
        ax.legend(fontsize=8, loc="best")
    return ax


def plot_robustness(
    levels: Sequence[float],
    accuracies: Mapping[str, Sequence[Sequence[float]]],
    *,
    xlabel: str,
    title: str,
    ylabel: str = "test accuracy",
    percent: bool = True,
    techniques: Mapping[str, str] | None = None,
    ax=None,
):
    """Draw accuracy against the size of a perturbation, one line per arm.

    Args:
        levels: the perturbation sizes (e.g. shifts in pixels), increasing.
        accuracies: ``{arm: array of shape (seeds, len(levels))}`` with at least
            two seeds; the line is the mean over seeds, the band its 95 % interval.
        xlabel, title: axis label and title (both required: every figure is labelled).
        ylabel: the y axis label (test accuracy unless said otherwise).
        percent: show values given as fractions (0-1) in percent, on a 0-100 axis; " (%)" is
            added to ``ylabel`` unless it already names the unit.
        techniques: colours of arms with names of their own, as in :func:`arm_style`.
        ax: matplotlib axes; a new figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    levels = np.asarray(levels, dtype="float64")
    if levels.ndim != 1 or levels.size < 2 or np.any(np.diff(levels) <= 0):
        raise ValueError(f"levels must be at least two increasing numbers, got {levels.tolist()}")
    if not isinstance(accuracies, Mapping) or not accuracies:
        raise ValueError("accuracies must be a non-empty mapping {arm: array (seeds, levels)}")
    if not xlabel or not title:
        raise ValueError("xlabel and title are required: every figure in the course is labelled")
    ax = _new_axes(ax, (6.4, 4.0))
    for arm, runs in accuracies.items():
        runs = _as_runs(arm, runs)
        if runs.ndim != 2 or runs.shape[1] != levels.size:
            raise ValueError(f"{arm}: expected shape (seeds, {levels.size}), got {runs.shape}")
        runs = _as_percent(arm, runs) if percent else runs
        style = arm_style(arm, techniques)
        ax.plot(
            levels,
            runs.mean(axis=0),
            marker=style["marker"],
            color=style["color"],
            linestyle=style["linestyle"],
            label=arm,
        )
        bands = [mean_interval(column, scale=1.0) for column in runs.T]
        ax.fill_between(levels, [b.low for b in bands], [b.high for b in bands], color=style["color"], alpha=0.15)
    ax.set_xticks(levels)  # the measured levels, not matplotlib's in-between ticks
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (%)" if percent and "%" not in ylabel else ""))
    ax.set_title(title)
    if percent:
        ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_reliability_diagram(
    probabilities_by_arm: Mapping[str, np.ndarray],
    labels,
    n_bins: int = 10,
    title: str = "Reliability diagrams",
    techniques: Mapping[str, str] | None = None,
    ax=None,
):
    """Draw one reliability diagram per arm, side by side; return the figure.

    Each panel shows the accuracy of each confidence bin (confidence = the
    top-class probability) as a bar in the arm's course colour, the diagonal of
    perfect calibration, the gap to it shaded, and the arm's ECE in its title. Bars below the diagonal mean the model is
    over-confident there.

    Args:
        probabilities_by_arm: ``{arm name: (n, classes) probabilities}``, all
            predicting the same ``labels``.
        labels: the ``n`` true classes, as integers.
        n_bins: equal-width bins on [0, 1] (say how many with every ECE you report).
        title: the figure's title.
        techniques: colours of arms with names of their own, as in :func:`arm_style`.
        ax: a sequence of one matplotlib axes per arm to draw into (optional).
    """
    import matplotlib.pyplot as plt

    from .calibration import reliability_bins

    if not isinstance(probabilities_by_arm, Mapping) or not probabilities_by_arm:
        raise ValueError("probabilities_by_arm must be a non-empty dict {arm: probabilities}")
    arms = list(probabilities_by_arm)
    if ax is None:
        fig, axes = plt.subplots(1, len(arms), figsize=(2.9 * len(arms), 3.7), sharey=True, squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(np.atleast_1d(ax))
        if len(axes) != len(arms):
            raise ValueError(f"need one axes per arm ({len(arms)}), got {len(axes)}")
        fig = axes[0].figure
    for arm, axis in zip(arms, axes):
        bins = reliability_bins(probabilities_by_arm[arm], labels, n_bins)
        color = arm_style(arm, techniques)["color"]
        filled = bins.count > 0
        left = bins.edges[:-1][filled]
        width = np.diff(bins.edges)[filled]
        axis.bar(
            left,
            bins.accuracy[filled],
            width=width,
            align="edge",
            color=color,
            alpha=0.8,
            edgecolor="white",
            label="accuracy",
        )
        axis.bar(
            left,
            bins.confidence[filled] - bins.accuracy[filled],
            bottom=bins.accuracy[filled],
            width=width,
            align="edge",
            facecolor="none",
            edgecolor="#b35900",
            hatch="///",
            linewidth=0.0,
            label="gap to confidence",
        )
        axis.plot([0, 1], [0, 1], color="#555555", linestyle="--", linewidth=1, label="perfect calibration")
        axis.set(
            xlim=(0, 1), ylim=(0, 1), xlabel="confidence", title=f"{arm}\nECE {100 * bins.ece:.1f} % ({n_bins} bins)"
        )
        axis.set_aspect("equal")
    axes[0].set_ylabel("accuracy in the bin")
    handles, names = axes[0].get_legend_handles_labels()
    fig.suptitle(title)
    if ax is None:
        fig.legend(handles, names, loc="lower center", ncol=3, fontsize="small", frameon=False)
        fig.tight_layout(rect=(0, 0.1, 1, 1))
    else:
        axes[0].legend(loc="upper left", fontsize="small", frameon=False)
    return fig


#: The stages of the training loop, left to right: (name, detail, technique or None, when it acts).
TRAINING_LOOP = (
    ("training data", "images and labels", None, ""),
    ("augmentation", "RandomRotation,\nRandomZoom, ...", "augmentation", "changes the inputs\ntraining only"),
    ("model", "Dense / Conv layers\n+ Dropout inside", "dropout", "dropout: noise inside\ntraining only"),
    ("loss", "cross-entropy\n+ L1/L2 penalty", "l2", "penalty on the weights\nin every training loss"),
    ("optimizer", "gradient step\n(+ weight decay)", "l2", "shrinks the weights\nat every update"),
)


def plot_training_loop(ax=None):
    """Draw the training loop and mark where each technique acts, and when.

    Boxes are coloured with the course colour of the technique that acts there
    (:data:`TECHNIQUE_COLORS`); the brackets above group them into
    augmentation (changes what the model sees) and regularization (changes what
    the model may learn). Everything is drawn with matplotlib: no network needed.

    Args:
        ax: matplotlib axes to draw on; a new 12 x 4.6 inch figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    ax = _new_axes(ax, (12, 4.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    ax.set_axis_off()
    width, height, gap, y = 1.7, 1.25, 0.325, 1.6
    centers = []
    for index, (name, detail, technique, when) in enumerate(TRAINING_LOOP):
        left = 0.1 + index * (width + gap)
        color = TECHNIQUE_COLORS[technique] if technique else "#666666"
        ax.add_patch(
            FancyBboxPatch(
                (left, y),
                width,
                height,
                boxstyle="round,pad=0.05",
                facecolor=to_rgba(color, 0.15 if technique else 0.06),
                edgecolor=color,
                linewidth=2,
            )
        )
        ax.text(
            left + width / 2,
            y + height - 0.3,
            name,
            ha="center",
            va="center",
            fontsize=14,
            fontweight="bold",
            color="#222222",
        )
        ax.text(left + width / 2, y + 0.42, detail, ha="center", va="center", fontsize=10.5, color="#222222")
        if when:
            ax.text(
                left + width / 2, y - 0.45, when, ha="center", va="center", fontsize=11, color=color, fontstyle="italic"
            )
        centers.append(left + width / 2)
        if index:
            ax.add_patch(
                FancyArrowPatch(
                    (left - gap + 0.06, y + height / 2),
                    (left - 0.06, y + height / 2),
                    arrowstyle="-|>",
                    mutation_scale=14,
                    color="#444444",
                )
            )
    # the weight update feeds back into the model
    ax.add_patch(
        FancyArrowPatch(
            (centers[4], y - 0.95),
            (centers[2], y - 0.95),
            connectionstyle="arc3,rad=0.0",
            arrowstyle="-|>",
            mutation_scale=14,
            color="#444444",
            linestyle="--",
        )
    )
    ax.plot([centers[4], centers[4]], [y - 0.75, y - 0.95], color="#444444", ls="--")
    ax.plot([centers[2], centers[2]], [y - 0.95, y - 0.75], color="#444444", ls="--")
    ax.text(
        (centers[2] + centers[4]) / 2,
        y - 1.15,
        "updated weights go back into the model",
        ha="center",
        va="center",
        fontsize=11,
        color="#444444",
    )
    # brackets: what each family changes
    for first, last, label, color in (
        (1, 1, "Augmentation\nchanges what the model sees", TECHNIQUE_COLORS["augmentation"]),
        (2, 4, "Regularization\nchanges what the model may learn", TECHNIQUE_COLORS["l2"]),
    ):
        left = centers[first] - width / 2
        right = centers[last] + width / 2
        top = y + height + 0.25
        ax.plot([left, left, right, right], [top - 0.1, top, top, top - 0.1], color=color, lw=2)
        ax.text(
            (left + right) / 2, top + 0.4, label, ha="center", va="center", fontsize=13, color=color, fontweight="bold"
        )
    ax.set_title("Where each technique acts in the training loop (all of them only while training)", fontsize=14)
    return ax


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]):
    """Return a Markdown table that Jupyter and the book render as a table.

    Args:
        header: column names.
        rows: one sequence of cells per row, each as long as ``header``; cells
            are shown with ``str()``, so format numbers before passing them
            (e.g. ``f"{accuracy:.1%}"``).

    Returns:
        An ``IPython.display.Markdown`` object (display it, or make it the last
        expression of a cell).
    """
    from IPython.display import Markdown

    header = [str(h) for h in header]
    if not header:
        raise ValueError("header must name at least one column")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for index, row in enumerate(rows):
        cells = [str(cell).replace("|", "\\|") for cell in row]
        if len(cells) != len(header):
            raise ValueError(f"row {index} has {len(cells)} cells but the header has {len(header)} columns")
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))
