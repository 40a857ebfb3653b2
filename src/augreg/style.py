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
    # Lessons 08 and 09 (Paul Tol's muted palette, also colour-blind safe).
    # Modern augmentation: the cool side.
    "mixup": "#332288",         # indigo
    "cutmix": "#882255",        # wine
    "randaugment": "#6699cc",   # steel blue
    "augmix": "#aa4499",        # purple
    "erasing": "#88ccee",       # cyan
    "tta": "#44aa99",           # teal: test-time augmentation
    # The rest of the regularization toolbox: the warm side.
    "early_stopping": "#999933",   # olive
    "label_smoothing": "#ddcc77",  # sand
    "weight_decay": "#cc6677",     # rose: decoupled decay (AdamW)
    "batch_norm": "#117733",       # dark green
    "max_norm": "#a6761d",         # ochre
    "ensemble": "#555555",         # dark grey: several models averaged
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
