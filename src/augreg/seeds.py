"""Which seeds an experiment runs: read from ``AUGREG_SEED``, disjoint across runs.

Every lesson reads one *base* seed from the environment variable
``AUGREG_SEED`` (default 0). A comparison over ``n`` seeds runs
:func:`experiment_seeds`, which never overlap between two base seeds, so
``AUGREG_SEED=1`` checks every claim on seeds that the default run never saw.

Conventions (CONTRIBUTING.md, "The measurement protocol"):

* the suite runs base seed 0; ``make seeds`` runs base seeds 1, 2 and 3;
* thresholds of non-comparative claims come from *pilot* runs with base seeds
  100 and above, which no test ever runs.
"""

from __future__ import annotations

import os

from .validation import check_int

#: The environment variable that holds the base seed.
SEED_VARIABLE = "AUGREG_SEED"
#: Base seeds from here on are reserved for pilots (choosing thresholds); tests never run them.
FIRST_PILOT_SEED = 100
#: Seeds of different base seeds are this far apart, so they never overlap.
STRIDE = 1000


def base_seed() -> int:
    """The base seed of this run: ``AUGREG_SEED`` as a non-negative integer, 0 when unset."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return 0
    try:
        seed = int(text)
    except ValueError:
        raise ValueError(f"{SEED_VARIABLE} must be a non-negative integer, got {text!r}") from None
    if seed < 0:
        raise ValueError(f"{SEED_VARIABLE} must be a non-negative integer, got {seed}")
    return seed


def experiment_seeds(n: int, base: int | None = None) -> list[int]:
    """The ``n`` seeds of one experiment: ``base * 1000 + 0, 1, ..., n - 1``.

    Args:
        n: how many seeds (1 to 999); the protocol asks for at least 5 in a comparison.
        base: the base seed; by default :func:`base_seed` (``AUGREG_SEED``).

    Returns:
        A list of ``n`` distinct seeds; two different bases never share one.
    """
    n = check_int("n", n, 1, STRIDE - 1)
    base = base_seed() if base is None else check_int("base", base, 0)
    return [base * STRIDE + i for i in range(n)]
