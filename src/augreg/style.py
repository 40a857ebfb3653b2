"""One colour per technique, the same in every figure of the course.

The palette is Okabe & Ito's, which stays distinguishable for colour-blind
readers and on both light and dark page themes (figures keep a white
background). Training curves are solid, validation curves dashed, so the
colour always means *technique* and the line style always means *split*.
"""

from __future__ import annotations

#: Colour of each technique (and of the baseline) across all lessons.
TECHNIQUE_COLORS: dict[str, str] = {
    "baseline": "#000000",      # no augmentation, no regularization
    "augmentation": "#0072b2",  # blue
    "l2": "#e69f00",            # orange
    "l1": "#d55e00",            # vermillion
    "dropout": "#009e73",       # bluish green
    "noise": "#56b4e9",         # sky blue
    "combined": "#cc79a7",      # reddish purple
    "shuffled": "#999999",      # grey: random labels, the memorization control
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
