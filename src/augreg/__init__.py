"""augreg: the helper package of the course *Augmentation vs. Regularization*.

Plumbing only; the ideas live in the notebooks. Importing this package does not
import TensorFlow (call :func:`import_tensorflow_quietly` for that).

* :mod:`augreg.data` -- offline data: :func:`load_digits_split`, :func:`load_sample_photo`
* :mod:`augreg.training` -- :func:`seeded_fit`, ``model.fit`` returning arrays
* :mod:`augreg.plotting` -- :func:`plot_learning_curves`, :func:`plot_sweep`, :func:`plot_image_grid`
* :mod:`augreg.diagrams` -- :func:`plot_training_loop`, the course map
* :mod:`augreg.reporting` -- :func:`markdown_table` for results tables
* :mod:`augreg.style` -- :data:`TECHNIQUE_COLORS`, one colour per technique
* :mod:`augreg.checks` -- the exercises' self-checks
* :mod:`augreg.exercises` -- generates ``exercises/`` from ``solutions/``
"""

from .data import DigitsSplit, load_digits_split, load_sample_photo
from .diagrams import plot_training_loop
from .plotting import plot_image_grid, plot_learning_curves, plot_sweep
from .quiet import import_tensorflow_quietly
from .reporting import markdown_table
from .style import TECHNIQUE_COLORS, technique_color
from .training import seeded_fit

__version__ = "0.1.0"

__all__ = [
    "DigitsSplit",
    "TECHNIQUE_COLORS",
    "import_tensorflow_quietly",
    "load_digits_split",
    "load_sample_photo",
    "markdown_table",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_sweep",
    "plot_training_loop",
    "seeded_fit",
    "technique_color",
]
