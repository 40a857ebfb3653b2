import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from augreg import TECHNIQUE_COLORS, plot_training_loop
from augreg.plotting import TRAINING_LOOP


def test_training_loop_draws_one_box_per_stage_in_the_course_colours():
    ax = plot_training_loop()
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == len(TRAINING_LOOP) == 5
    edges = [mcolors.to_hex(box.get_edgecolor()) for box in boxes]
    assert edges[1] == TECHNIQUE_COLORS["augmentation"] and edges[2] == TECHNIQUE_COLORS["dropout"]
    assert edges[3] == edges[4] == TECHNIQUE_COLORS["l2"]
    texts = {t.get_text() for t in ax.texts}
    assert {"augmentation", "model", "loss", "optimizer"} <= texts
    assert any("training only" in t for t in texts) and ax.get_title()
    plt.close("all")


def test_training_loop_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert plot_training_loop(ax) is ax
    plt.close(fig)
