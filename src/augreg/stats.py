"""Paired comparisons over seeds: the mean difference and its 95 % interval.

The course's measurement protocol (CONTRIBUTING.md, "The measurement protocol")
compares two arms *paired by seed*: on each seed both arms share the split, the
initial weights and the batches, so their per-seed difference cancels what the
seed alone would change. Over ``n`` seeds, the mean difference gets a Student-t
95 % interval (standard deviation with ``ddof=1``, ``n - 1`` degrees of
freedom), and claims follow the interval:

* "A beats B" when the interval lies above zero (:attr:`Interval.above_zero`);
* "A and B are about the same" when the whole interval lies inside a bound
  ``+/- d`` stated in the prose (:meth:`Interval.within`);
* otherwise the difference is "not resolved with n seeds".

* :func:`mean_interval` -- the mean of per-seed values and its 95 % interval.
* :func:`paired_difference` -- the same for per-seed differences ``a - b``.
* :class:`Interval` -- the result: ``str()`` gives ``+3.6 [+1.2, +6.0]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .validation import check_int, check_positive

#: The confidence level of every interval in the course.
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """A mean over seeds with its Student-t confidence interval.

    Attributes:
        mean: the mean of the per-seed values.
        low, high: the interval's bounds.
        n: the number of seeds.
        values: the per-seed values (a read-only array).
        scale: the factor :meth:`format` multiplies by (100 shows fractions as points).
    """

    mean: float
    low: float
    high: float
    n: int
    values: np.ndarray
    scale: float = 100.0

    @property
    def half_width(self) -> float:
        """Half the interval's width (the "+/-" of the mean)."""
        return (self.high - self.low) / 2

    @property
    def above_zero(self) -> bool:
        """True when the whole interval is above zero: "A beats B" for a difference ``a - b``."""
        return self.low > 0

    @property
    def below_zero(self) -> bool:
        """True when the whole interval is below zero: "B beats A" for a difference ``a - b``."""
        return self.high < 0

    def within(self, bound: float) -> bool:
        """True when the whole interval lies inside ``(-bound, +bound)``: an equivalence claim.

        ``bound`` is in the units of the values (a fraction for accuracies: 0.02 is 2 points).
        """
        bound = check_positive("bound", bound)
        return -bound < self.low and self.high < bound

    def verdict(self, bound: float | None = None) -> str:
        """One of ``"higher"``, ``"lower"``, ``"about the same"`` (needs ``bound``) or ``"not resolved"``."""
        if self.above_zero:
            return "higher"
        if self.below_zero:
            return "lower"
        if bound is not None and self.within(bound):
            return "about the same"
        return "not resolved"

    def format(self, digits: int = 1, *, signed: bool = True, scale: float | None = None) -> str:
        """Return ``"+3.6 [+1.2, +6.0]"``: the mean and the interval, times ``scale`` (default :attr:`scale`)."""
        factor = self.scale if scale is None else scale
        sign = "+" if signed else ""
        spec = f"{sign}.{int(digits)}f"
        # round first, then add 0.0: a value that rounds to zero prints as +0.0, never -0.0
        mean, low, high = (format(round(factor * v, int(digits)) + 0.0, spec) for v in (self.mean, self.low, self.high))
        return f"{mean} [{low}, {high}]"

    def __str__(self) -> str:
        return self.format()


def _per_seed(name: str, values) -> np.ndarray:
    try:
        array = np.array(values, dtype="float64")
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers, one per seed, got {values!r}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per seed), got shape {array.shape}")
    if array.size < 2:
        raise ValueError(f"{name}: an interval needs at least 2 seeds, got {array.size}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {array.tolist()}")
    array.setflags(write=False)
    return array


def t_quantile(n: int) -> float:
    """The two-sided 95 % quantile of Student's t with ``n - 1`` degrees of freedom (2.776 for 5 seeds)."""
    from scipy.stats import t

    n = check_int("n", n, 2)
    return float(t.ppf(0.5 + CONFIDENCE / 2, df=n - 1))


def mean_interval(values, *, scale: float = 100.0) -> Interval:
    """The mean of per-seed values and its Student-t 95 % interval (``ddof=1``).

    Args:
        values: one number per seed (at least two), e.g. test accuracies as fractions.
        scale: what :meth:`Interval.format` multiplies by: 100 (the default)
            shows fractions as percentage points; 1 shows the values as they are.

    Returns:
        An :class:`Interval`.
    """
    array = _per_seed("values", values)
    scale = check_positive("scale", scale)
    n = array.size
    mean = float(array.mean())
    half = t_quantile(n) * float(array.std(ddof=1)) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n, array, scale)


def paired_difference(a, b, *, scale: float = 100.0) -> Interval:
    """The per-seed differences ``a - b`` of two arms, their mean and 95 % interval.

    ``a[i]`` and ``b[i]`` must come from the same seed ``i`` (same split, same
    initial weights, same batches): that pairing is what makes the interval
    narrow. ``paired_difference(aug, none).above_zero`` reads "augmentation
    beats no augmentation".

    Args:
        a, b: one number per seed each, in the same seed order.
        scale: as in :func:`mean_interval`.

    Returns:
        An :class:`Interval` of the differences.
    """
    first, second = _per_seed("a", a), _per_seed("b", b)
    if first.shape != second.shape:
        raise ValueError(f"a and b must have one value per seed each, got {first.size} and {second.size} values")
    return mean_interval(first - second, scale=scale)
