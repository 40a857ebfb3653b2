"""The course map: where augmentation and regularization act in the training loop."""

from __future__ import annotations

from .style import TECHNIQUE_COLORS

#: The stages of the training loop, left to right: (name, detail, technique or None, when it acts).
TRAINING_LOOP = (
    ("training data", "images and labels", None, ""),
    ("augmentation", "RandomRotation,\nRandomZoom, ...", "augmentation",
     "changes the inputs\ntraining only"),
    ("model", "Dense / Conv layers\n+ Dropout inside", "dropout", "dropout: noise inside\ntraining only"),
    ("loss", "cross-entropy\n+ L1/L2 penalty", "l2", "penalty on the weights\nin every training loss"),
    ("optimizer", "gradient step\n(+ weight decay)", "l2", "shrinks the weights\nat every update"),
)


def plot_training_loop(ax=None):
    """Draw the training loop and mark where each technique acts, and when.

    Boxes are coloured with the course colour of the technique that acts there
    (:data:`augreg.style.TECHNIQUE_COLORS`); the brackets above group them into
    augmentation (changes what the model sees) and regularization (changes what
    the model may learn). Everything is drawn with matplotlib: no network needed.

    Args:
        ax: matplotlib axes to draw on; a new 12 x 4.6 inch figure is made if omitted.

    Returns:
        The matplotlib axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if ax is None:
        _, ax = plt.subplots(figsize=(12, 4.6), layout="constrained")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    ax.set_axis_off()
    width, height, gap, y = 1.7, 1.25, 0.325, 1.6
    centers = []
    for index, (name, detail, technique, when) in enumerate(TRAINING_LOOP):
        left = 0.1 + index * (width + gap)
        color = TECHNIQUE_COLORS[technique] if technique else "#666666"
        ax.add_patch(FancyBboxPatch((left, y), width, height, boxstyle="round,pad=0.05",
                                    facecolor=to_rgba(color, 0.15 if technique else 0.06),
                                    edgecolor=color, linewidth=2))
        ax.text(left + width / 2, y + height - 0.3, name, ha="center", va="center",
                fontsize=14, fontweight="bold", color="#222222")
        ax.text(left + width / 2, y + 0.42, detail, ha="center", va="center", fontsize=10.5, color="#222222")
        if when:
            ax.text(left + width / 2, y - 0.45, when, ha="center", va="center", fontsize=11,
                    color=color, fontstyle="italic")
        centers.append(left + width / 2)
        if index:
            ax.add_patch(FancyArrowPatch((left - gap + 0.06, y + height / 2), (left - 0.06, y + height / 2),
                                         arrowstyle="-|>", mutation_scale=14, color="#444444"))
    # the weight update feeds back into the model
    ax.add_patch(FancyArrowPatch((centers[4], y - 0.95), (centers[2], y - 0.95),
                                 connectionstyle="arc3,rad=0.0", arrowstyle="-|>", mutation_scale=14,
                                 color="#444444", linestyle="--"))
    ax.plot([centers[4], centers[4]], [y - 0.75, y - 0.95], color="#444444", ls="--")
    ax.plot([centers[2], centers[2]], [y - 0.95, y - 0.75], color="#444444", ls="--")
    ax.text((centers[2] + centers[4]) / 2, y - 1.15, "updated weights go back into the model",
            ha="center", va="center", fontsize=11, color="#444444")
    # brackets: what each family changes
    for first, last, label, color in (
        (1, 1, "Augmentation\nchanges what the model sees", TECHNIQUE_COLORS["augmentation"]),
        (2, 4, "Regularization\nchanges what the model may learn", TECHNIQUE_COLORS["l2"]),
    ):
        left = centers[first] - width / 2
        right = centers[last] + width / 2
        top = y + height + 0.25
        ax.plot([left, left, right, right], [top - 0.1, top, top, top - 0.1], color=color, lw=2)
        ax.text((left + right) / 2, top + 0.4, label, ha="center", va="center", fontsize=13, color=color,
                fontweight="bold")
    ax.set_title("Where each technique acts in the training loop (all of them only while training)",
                 fontsize=14)
    return ax
