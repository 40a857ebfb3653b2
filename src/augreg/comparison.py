"""Figures that compare training arms measured over several seeds.

An *arm* is one recipe (``"none"``, ``"augmentation"``, ``"L2 + dropout"``, ...);
its name lists the techniques it combines, joined by ``" + "``. Each figure
shows the mean over seeds and every seed's own value, so the spread is visible.

* :func:`arm_style` -- the colour and hatch of an arm (course colours).
* :func:`plot_arm_bars` -- one bar per arm: mean, spread and the seeds as dots.
* :func:`plot_robustness` -- accuracy against the size of a perturbation, per arm.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .style import TECHNIQUE_COLORS

#: The technique names an arm may combine, and their key in :data:`TECHNIQUE_COLORS`.
ARM_TECHNIQUES = {"augmentation": "augmentation", "L2": "l2", "L1": "l1", "dropout": "dropout",
                  "noise": "noise"}


def arm_style(arm: str) -> dict[str, str]:
    """Return the matplotlib style of an arm: colour, bar hatch, line style and marker.

    ``"none"`` is the baseline (black); an arm with one technique gets that
    technique's course colour, solid lines and round markers; a combination gets
    the "combined" colour, told apart by hatch, line style and marker: two
    techniques without augmentation ``//``, ``--``, squares; two with
    augmentation ``\\\\``, ``-.``, diamonds; three or more ``xx``, ``:``, triangles.

    Raises:
        ValueError: for a name that is not ``"none"`` or techniques from
            :data:`ARM_TECHNIQUES` joined by ``" + "``, or ``"all three"``.
    """
    if not isinstance(arm, str):
        raise TypeError(f"an arm name must be a string, got {type(arm).__name__}")
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
        return {"color": TECHNIQUE_COLORS[ARM_TECHNIQUES[parts[0]]], "hatch": "", "linestyle": "-",
                "marker": "o"}
    if len(parts) > 2:
        return {"color": combined, "hatch": "xx", "linestyle": ":", "marker": "^"}
    if "augmentation" in parts:
        return {"color": combined, "hatch": "\\\\", "linestyle": "-.", "marker": "D"}
    return {"color": combined, "hatch": "//", "linestyle": "--", "marker": "s"}


def _as_runs(name: str, values) -> np.ndarray:
    runs = np.asarray(values, dtype="float64")
    if runs.size == 0 or not np.all(np.isfinite(runs)):
        raise ValueError(f"{name}: need at least one finite value per arm, got {values!r}")
    return runs


def _new_axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_arm_bars(
    values: Mapping[str, Sequence[float]],
    *,
    ylabel: str,
    title: str,
    percent: bool = True,
    ax=None,
):
    """Draw one bar per arm: the mean over seeds, a line for +/- one standard deviation, the seeds as dots.

    Args:
        values: ``{arm: one value per seed}``, in the order the bars should appear.
        ylabel, title: axis label and title (both required: every figure is labelled).
        percent: show values given as fractions (0-1) in percent.
        ax: matplotlib axes; a new figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    if not isinstance(values, Mapping) or not values:
        raise ValueError("values must be a non-empty mapping {arm: values per seed}")
    if not ylabel or not title:
        raise ValueError("ylabel and title are required: every figure in the course is labelled")
    ax = _new_axes(ax, (7.5, 3.6))
    scale = 100.0 if percent else 1.0
    for position, (arm, runs) in enumerate(values.items()):
        runs = _as_runs(arm, runs) * scale
        style = arm_style(arm)
        ax.bar(position, runs.mean(), color=style["color"], alpha=0.75, hatch=style["hatch"],
               edgecolor="white", linewidth=0)
        ax.errorbar(position, runs.mean(), yerr=runs.std(), color="#333333", capsize=4, linewidth=1.2)
        ax.scatter(np.full(runs.shape, position) + np.linspace(-0.15, 0.15, runs.size), runs,
                   color="white", edgecolor="#333333", s=18, zorder=3)
    ax.set_xticks(range(len(values)), [arm.replace(" + ", " +\n") for arm in values], fontsize=9)
    ax.set_ylabel(ylabel + (" (%)" if percent else ""))
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_robustness(
    levels: Sequence[float],
    accuracies: Mapping[str, Sequence[Sequence[float]]],
    *,
    xlabel: str,
    title: str,
    ax=None,
):
    """Draw accuracy against the size of a perturbation, one line per arm.

    Args:
        levels: the perturbation sizes (e.g. shifts in pixels), increasing.
        accuracies: ``{arm: array of shape (seeds, len(levels))}``; the line is
            the mean over seeds, the band spans the lowest to the highest seed.
        xlabel, title: axis label and title.
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
        runs = _as_runs(arm, runs) * 100
        if runs.ndim != 2 or runs.shape[1] != levels.size:
            raise ValueError(f"{arm}: expected shape (seeds, {levels.size}), got {runs.shape}")
        style = arm_style(arm)
        ax.plot(levels, runs.mean(axis=0), marker=style["marker"], color=style["color"],
                linestyle=style["linestyle"], label=arm)
        ax.fill_between(levels, runs.min(axis=0), runs.max(axis=0), color=style["color"], alpha=0.12)
    ax.set_xticks(levels)  # the measured levels, not matplotlib's in-between ticks
    ax.set_xlabel(xlabel)
    ax.set_ylabel("validation accuracy (%)")
    ax.set_title(title)
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
