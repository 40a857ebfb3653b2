"""augreg: the helper package of the course *Augmentation vs. Regularization*.

Plumbing only; the ideas live in the notebooks. Importing this package does not
import TensorFlow (call :func:`import_tensorflow_quietly` for that). Each module
owns one job:

* :mod:`augreg.data` -- offline digits: :func:`load_digits_split` (train / validation / test, the
  :class:`~augreg.data.Split` every data set comes in), :func:`load_sample_photo`
* :mod:`augreg.photos` -- real photographs offline (scikit-image, scikit-learn): faces, textures,
  :func:`~augreg.photos.relight`, :func:`~augreg.photos.tint`
* :mod:`augreg.text` -- offline text for Lesson 07: generated reviews, WordNet 3.0 synonyms, the
  VADER lexicon, :func:`~augreg.text.augment_texts`
* :mod:`augreg.robustness` -- every image perturbation: :func:`shift_images`, :func:`rotate_images`,
  :func:`~augreg.robustness.occlude_images`, :func:`~augreg.robustness.perturb` (also reachable as
  ``augreg.occlusion`` and ``augreg.photos.perturb``)
* :mod:`augreg.training` -- :func:`import_tensorflow_quietly`, :func:`seeded_fit`, :func:`accuracy`
* :mod:`augreg.parallel` -- :func:`fit_in_parallel`: several seeds' or arms' models in one ``fit``;
  :func:`batch_order`
* :mod:`augreg.stats` -- :func:`paired_difference`, :func:`mean_interval`: 95 % intervals over seeds
* :mod:`augreg.seeds` -- :func:`experiment_seeds`, :func:`base_seed` (``AUGREG_SEED``)
* :mod:`augreg.calibration` -- :func:`expected_calibration_error`, :func:`reliability_bins`
* :mod:`augreg.plotting` -- everything a reader sees: :data:`TECHNIQUE_COLORS`, :func:`arm_style`,
  every ``plot_*`` figure, :func:`markdown_table`
* :mod:`augreg.validation` -- the argument checks every module shares
* :mod:`augreg.claims` -- :class:`Ledger`: every claim of a lesson declared once, judged, glued, recorded
* :mod:`augreg.checks` -- the exercises' self-checks
"""

import sys

from . import calibration, photos, plotting, robustness, text
from .calibration import expected_calibration_error, reliability_bins
from .claims import Ledger
from .data import DigitsSplit, load_digits_split, load_sample_photo
from .parallel import batch_order, fit_in_parallel
from .plotting import (
    TECHNIQUE_COLORS,
    arm_style,
    markdown_table,
    plot_arm_bars,
    plot_image_grid,
    plot_learning_curves,
    plot_paired_differences,
    plot_reliability_diagram,
    plot_robustness,
    plot_sweep,
    plot_training_loop,
    technique_color,
)
from .robustness import rotate_images, shift_images
from .seeds import base_seed, experiment_seeds
from .stats import Interval, mean_interval, paired_difference
from .training import accuracy, import_tensorflow_quietly, seeded_fit

#: ``augreg.occlusion``: Lesson 08's name for :mod:`augreg.robustness` (where
#: :func:`~augreg.robustness.occlude_images` lives), kept until the lesson moves to the new name.
occlusion = robustness
sys.modules[f"{__name__}.occlusion"] = robustness

__version__ = "0.1.0"

__all__ = [
    "DigitsSplit",
    "Interval",
    "Ledger",
    "TECHNIQUE_COLORS",
    "accuracy",
    "arm_style",
    "base_seed",
    "batch_order",
    "calibration",
    "expected_calibration_error",
    "experiment_seeds",
    "fit_in_parallel",
    "import_tensorflow_quietly",
    "load_digits_split",
    "load_sample_photo",
    "markdown_table",
    "mean_interval",
    "occlusion",
    "paired_difference",
    "photos",
    "plot_arm_bars",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_paired_differences",
    "plot_reliability_diagram",
    "plot_robustness",
    "plot_sweep",
    "plot_training_loop",
    "plotting",
    "reliability_bins",
    "robustness",
    "rotate_images",
    "seeded_fit",
    "shift_images",
    "technique_color",
    "text",
]
