"""Plotting helpers with the course's conventions.

Colour = technique (see :mod:`augreg.style`), solid = training, dashed =
validation. Every plot gets a title and labelled axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .style import SPLIT_LINESTYLES, TECHNIQUE_COLORS, technique_color

_FALLBACK_COLORS = ("#000000", "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#999999")


def _new_axes(ax, figsize=(6.4, 4.0)):
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
        technique: course colour to draw with (see :data:`augreg.style.TECHNIQUE_COLORS`).
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
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    if not isinstance(suptitle, str) or not suptitle.strip():
        raise ValueError("suptitle must be a non-empty string")
    low, high = value_range
    ncols = min(int(ncols), len(images))
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.4), squeeze=False)
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
    fig.tight_layout()
    return fig
