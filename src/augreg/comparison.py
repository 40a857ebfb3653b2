"""Figures that compare training arms measured over several seeds.

An *arm* is one recipe (``"none"``, ``"augmentation"``, ``"L2 + dropout"``, ...);
its name lists the techniques it combines, joined by ``" + "``. Each figure
shows the mean over seeds with its Student-t 95 % interval (never a standard
deviation), and where it fits every seed's own value.

* :func:`arm_style` -- the colour and hatch of an arm (course colours).
* :func:`plot_arm_bars` -- one bar per arm: mean, 95 % interval and the seeds as dots.
* :func:`plot_paired_differences` -- paired differences against a reference arm, with intervals.
* :func:`plot_robustness` -- accuracy against the size of a perturbation, per arm.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .stats import Interval, mean_interval
from .style import TECHNIQUE_COLORS, technique_color

#: The technique names an arm may combine, and their key in :data:`TECHNIQUE_COLORS`.
ARM_TECHNIQUES = {"augmentation": "augmentation", "L2": "l2", "L1": "l1", "dropout": "dropout",
                  "noise": "noise"}


def arm_style(arm: str, techniques: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the matplotlib style of an arm: colour, bar hatch, line style and marker.

    ``"none"`` is the baseline (black); an arm with one technique gets that
    technique's course colour, solid lines and round markers; a combination gets
    the "combined" colour, told apart by hatch, line style and marker: two
    techniques without augmentation ``//``, ``--``, squares; two with
    augmentation ``\\\\``, ``-.``, diamonds; three or more ``xx``, ``:``, triangles.

    ``techniques`` names the colour of arms with names of their own
    (``{"shifts": "augmentation", "flips": "l1"}``, keys of
    :data:`~augreg.style.TECHNIQUE_COLORS`): such an arm is drawn like a
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
    scale = 100.0 if percent else 1.0
    for position, (arm, runs) in enumerate(values.items()):
        runs = _as_runs(arm, runs)
        if percent and runs.max() > 1 + 1e-9:
            raise ValueError(f"{arm}: values up to {runs.max():g}, but percent=True expects fractions in "
                             "[0, 1] (it multiplies by 100): pass fractions, or percent=False")
        runs = runs * scale
        interval = mean_interval(runs, scale=1.0)
        style = arm_style(arm, techniques)
        ax.bar(position, interval.mean, color=style["color"], alpha=0.75, hatch=style["hatch"],
               edgecolor="white", linewidth=0)
        ax.errorbar(position, interval.mean,
                    yerr=[[interval.mean - interval.low], [interval.high - interval.mean]],
                    color="#333333", capsize=4, linewidth=1.2)
        ax.scatter(np.full(runs.shape, position) + np.linspace(-0.15, 0.15, runs.size), runs,
                   color="white", edgecolor="#333333", s=18, zorder=3)
    ax.set_xticks(range(len(values)), [arm.replace(" + ", " +\n") for arm in values], fontsize=9)
    ax.set_ylabel(ylabel + (" (%)" if percent and "%" not in ylabel else ""))
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    # how to read it, under the arm names (a caller may set its own x label instead)
    ax.set_xlabel("bars: mean over seeds; lines: 95 % interval; dots: one per seed", fontsize=8,
                  color="#555555")
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
    :func:`~augreg.stats.paired_difference`: a dot at the mean, a line for the
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
        ax.axvspan(-width, width, color="#999999", alpha=0.15, linewidth=0,
                   label=f"within ±{width:g}: about the same")
    ax.axvline(0, color="#333333", linewidth=0.8)
    for row, (label, interval) in enumerate(differences.items()):
        y = len(differences) - 1 - row
        arm = label.split(" - ")[0].split(" vs ")[0].strip()
        try:
            color = arm_style(arm, techniques)["color"]
        except ValueError:
            color = "#333333"
        k = interval.scale
        ax.plot([k * interval.low, k * interval.high], [y, y], color=color, linewidth=2.2,
                solid_capstyle="butt")
        ax.plot(k * interval.mean, y, "o", color=color, markersize=7)
        ax.scatter(k * interval.values, np.full(interval.values.shape, y - 0.22), marker="|", s=30,
                   color=color, alpha=0.7)
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
    ylabel: str = "test accuracy (%)",
    ax=None,
):
    """Draw accuracy against the size of a perturbation, one line per arm.

    Args:
        levels: the perturbation sizes (e.g. shifts in pixels), increasing.
        accuracies: ``{arm: array of shape (seeds, len(levels))}`` with at least
            two seeds; the line is the mean over seeds, the band its 95 % interval.
        xlabel, title: axis label and title.
        ylabel: the y axis label (test accuracy unless said otherwise).
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
        bands = [mean_interval(column, scale=1.0) for column in runs.T]
        ax.fill_between(levels, [b.low for b in bands], [b.high for b in bands], color=style["color"],
                        alpha=0.15)
    ax.set_xticks(levels)  # the measured levels, not matplotlib's in-between ticks
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
