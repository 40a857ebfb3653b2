"""augreg: the helper package of the course *Augmentation vs. Regularization*.

Plumbing only; the ideas live in the notebooks. Importing this package does not
import TensorFlow (call :func:`import_tensorflow_quietly` for that).

* :mod:`augreg.data` -- offline data: :func:`load_digits_split` (train / validation / test),
  :func:`load_sample_photo`
* :mod:`augreg.photos` -- real photographs offline (scikit-image, scikit-learn): :func:`load_faces_split`,
  :func:`texture_patches`, :func:`photo_patches`, :func:`relight`, :func:`tint`, :func:`perturb`
* :mod:`augreg.text` -- offline text for Lesson 07: :func:`~augreg.text.load_reviews_split` (generated
  reviews with training and held-out wordings), WordNet 3.0 synonyms, the VADER lexicon,
  :func:`~augreg.text.augment_texts`
* :mod:`augreg.occlusion` -- :func:`occlude_images`, occluded test images
* :mod:`augreg.training` -- :func:`seeded_fit`, ``model.fit`` returning arrays; :func:`accuracy` in inference mode
* :mod:`augreg.plotting` -- :func:`plot_learning_curves`, :func:`plot_sweep`, :func:`plot_image_grid`
* :mod:`augreg.claims` -- :class:`Ledger`: every claim of a lesson declared once, judged, glued, recorded
* :mod:`augreg.stats` -- :func:`paired_difference`, :func:`mean_interval`: 95 % intervals over seeds
* :mod:`augreg.parallel` -- :func:`fit_in_parallel`: several seeds' or arms' models in one ``fit``
* :mod:`augreg.seeds` -- :func:`experiment_seeds`, :func:`base_seed` (``AUGREG_SEED``)
* :mod:`augreg.calibration` -- :func:`expected_calibration_error`, :func:`plot_reliability_diagram`
* :mod:`augreg.comparison` -- :func:`plot_arm_bars`, :func:`plot_paired_differences`,
  :func:`plot_robustness`, :func:`arm_style`
* :mod:`augreg.robustness` -- :func:`shift_images`, :func:`rotate_images`, perturbed test images
* :mod:`augreg.diagrams` -- :func:`plot_training_loop`, the course map
* :mod:`augreg.reporting` -- :func:`markdown_table` for results tables
* :mod:`augreg.style` -- :data:`TECHNIQUE_COLORS`, one colour per technique
* :mod:`augreg.checks` -- the exercises' self-checks
* :mod:`augreg.exercises` -- generates ``exercises/`` from ``solutions/``
"""

from .claims import Ledger
from .calibration import expected_calibration_error, plot_reliability_diagram, reliability_bins
from . import occlusion, photos, text
from .comparison import arm_style, plot_arm_bars, plot_paired_differences, plot_robustness
from .data import DigitsSplit, load_digits_split, load_sample_photo
from .diagrams import plot_training_loop
from .parallel import batch_order, fit_in_parallel
from .plotting import plot_image_grid, plot_learning_curves, plot_sweep
from .quiet import import_tensorflow_quietly
from .reporting import markdown_table
from .robustness import rotate_images, shift_images
from .seeds import base_seed, experiment_seeds
from .stats import Interval, mean_interval, paired_difference
from .style import TECHNIQUE_COLORS, technique_color
from .training import accuracy, seeded_fit

__version__ = "0.1.0"

__all__ = [
    "accuracy",
    "DigitsSplit",
    "Interval",
    "Ledger",
    "TECHNIQUE_COLORS",
    "arm_style",
    "base_seed",
    "batch_order",
    "expected_calibration_error",
    "experiment_seeds",
    "fit_in_parallel",
    "import_tensorflow_quietly",
    "load_digits_split",
    "load_sample_photo",
    "markdown_table",
    "occlusion",
    "photos",
    "mean_interval",
    "paired_difference",
    "plot_arm_bars",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_paired_differences",
    "plot_reliability_diagram",
    "plot_robustness",
    "plot_sweep",
    "plot_training_loop",
    "reliability_bins",
    "rotate_images",
    "seeded_fit",
    "shift_images",
    "technique_color",
    "text",
]
