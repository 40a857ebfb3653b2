"""Checks for Exercises 05 (side by side)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..stats import paired_difference
from . import MIN_SEEDS, Hint, call_learner_function, exercise_check, per_seed_accuracies

#: Exercise 3: the interval of the chosen augmentation's gain on small test digits must lie above
#: ZOOM_GAIN, and the interval of the clean test accuracy it gives up below ZOOM_CLEAN_COST. From pilots
#: of the solution on base seeds 100, 101, 102 (5 seeds each, 500 test digits, the candidate validation
#: chose, RandomZoom((-0.1, 0.4))): gain intervals' lower bounds +35.2, +35.9, +34.4 points; cost
#: intervals' upper bounds +3.6, +2.6, +1.6 points. A range that only shrinks, (0.1, 0.5), cost +6.4 to
#: +7.6 points (lower bounds +3.1 to +6.4).
ZOOM_GAIN, ZOOM_CLEAN_COST = 0.10, 0.05
#: Exercise 3: the tuning budget, candidate augmentations.
MAX_CANDIDATES = 3


# ---------------------------------------------------------------- Exercise 1

#: Exercise 1's cases: per-seed accuracies (a, b) of two arms on the same seeds. The first pair moves
#: together from seed to seed (pairing matters); the second has eight seeds and a loss.
INTERVAL_CASES = (
    (np.array([0.91, 0.85, 0.95, 0.88, 0.80]), np.array([0.88, 0.83, 0.91, 0.86, 0.79])),
    (np.array([0.70, 0.74, 0.69, 0.75, 0.72, 0.71, 0.73, 0.76]),
     np.array([0.72, 0.73, 0.72, 0.78, 0.73, 0.75, 0.72, 0.79])),
)


def _wrong_intervals(a, b):
    """(description, (mean, low, high)) of the plausible wrong ways to compute the interval of a - b."""
    from scipy import stats

    d, n = a - b, len(a)
    t, z = stats.t.ppf(0.975, n - 1), stats.norm.ppf(0.975)
    sd0, sd1 = d.std(ddof=0), d.std(ddof=1)
    unpaired = np.sqrt(a.var(ddof=1) / n + b.var(ddof=1) / n)
    mean = d.mean()
    return [
        ("the standard deviation with ddof=0: with n seeds the sample standard deviation divides by n - 1 "
         "(ddof=1)", (mean, mean - t * sd0 / np.sqrt(n), mean + t * sd0 / np.sqrt(n))),
        ("1.96, the normal quantile: with a handful of seeds the interval needs Student's t with n - 1 "
         "degrees of freedom (scipy.stats.t.ppf(0.975, n - 1), 2.78 for 5 seeds)",
         (mean, mean - z * sd1 / np.sqrt(n), mean + z * sd1 / np.sqrt(n))),
        ("Student's t with n degrees of freedom: a mean estimated from n differences leaves n - 1",
         (mean, mean - stats.t.ppf(0.975, n) * sd1 / np.sqrt(n), mean + stats.t.ppf(0.975, n) * sd1 / np.sqrt(n))),
        ("the spread of each arm separately (an unpaired interval): the arms share seeds, so take the "
         "difference per seed first and the spread of those differences",
         (mean, mean - t * unpaired, mean + t * unpaired)),
        ("the standard deviation instead of the standard error: divide it by the square root of n",
         (mean, mean - t * sd1, mean + t * sd1)),
    ]


def _as_triple(value) -> tuple[float, float, float]:
    if all(hasattr(value, name) for name in ("mean", "low", "high")):
        value = (value.mean, value.low, value.high)
    try:
        triple = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise Hint(f"return three numbers (mean, low, high), got {type(value).__name__}") from None
    if len(triple) != 3:
        raise Hint(f"return three numbers (mean, low, high), got {len(triple)}")
    return triple


@exercise_check("Exercise 1 (a paired interval by hand)")
def paired_interval(function) -> str:
    """Check ``paired_interval(a, b)`` -> (mean, low, high) of a - b: Student-t 95 %, paired, ddof=1."""
    for a, b in INTERVAL_CASES:
        got = _as_triple(call_learner_function(function, a.copy(), b.copy()))
        truth = paired_difference(a, b)
        right = (truth.mean, truth.low, truth.high)
        if np.allclose(got, right, atol=1e-9):
            continue
        if np.allclose(got, [100 * v for v in right], atol=1e-6):
            raise Hint("return fractions of accuracy (0.03), not points (3.0): the inputs are fractions.")
        if np.allclose(got, [-right[0], -right[2], -right[1]], atol=1e-9):
            raise Hint("you computed b - a: the difference is a - b (the first arm minus the second).")
        if not np.isclose(got[0], right[0], atol=1e-9):
            raise Hint(f"the mean of the per-seed differences a - b should be {right[0]:+.4f}, got {got[0]:+.4f}.")
        for words, wrong in _wrong_intervals(a, b):
            if np.allclose(got, wrong, atol=1e-9):
                raise Hint(f"close: your interval uses {words}.")
        raise Hint(f"for a = {a.tolist()} and b = {b.tolist()} the interval should be ({right[1]:+.4f}, "
                   f"{right[2]:+.4f}); you returned ({got[1]:+.4f}, {got[2]:+.4f}).")
    return "mean of the per-seed differences, t with n - 1 degrees of freedom, standard error with ddof=1."


def _arm_names(curves) -> list[str]:
    if not isinstance(curves, Mapping) or len(curves) < 2:
        raise ValueError("curves must map at least two network names to accuracies")
    return list(curves)


#: Exercise 2: (curves, the name that keeps the largest share of its clean accuracy, why).
INVARIANCE_CASES = (
    ({"A": [0.97, 0.40], "B": [0.95, 0.85], "C": [0.98, 0.45]}, "B", "the obvious case"),
    ({"A": [0.90, 0.80], "B": [0.99, 0.82], "C": [0.80, 0.79]}, "C",
     "the network with the highest shifted accuracy is not the one that lost least"),
    ({"p": [0.96, 0.70, 0.30], "q": [0.92, 0.88, 0.60], "r": [0.97, 0.50, 0.20]}, "q",
     "three perturbation sizes: compare the clean level with the largest"),
    ({"A": [0.94, 0.90, 0.30], "B": [0.96, 0.70, 0.60], "C": [0.90, 0.60, 0.20]}, "B",
     "the network that holds up best at the first perturbation collapses at the largest"),
)


@exercise_check("Exercise 2 (which network was augmented?)")
def most_invariant(function) -> str:
    """Check ``most_invariant(curves)``: the name whose accuracy keeps the largest share at the largest level."""
    for curves, expected, why in INVARIANCE_CASES:
        names = _arm_names(curves)
        answer = call_learner_function(function, {k: list(v) for k, v in curves.items()})
        if answer not in names:
            raise Hint(f"return one of the names of the curves ({', '.join(names)}), got {answer!r}")
        if answer == expected:
            continue
        values = {name: np.asarray(curve) for name, curve in curves.items()}
        best_clean = answer == max(names, key=lambda n: values[n][0])
        best_perturbed = answer == max(names, key=lambda n: values[n][-1])
        if best_perturbed:
            both = " (and the best clean accuracy)" if best_clean else ""
            raise Hint(f"in a test case you returned the network with the highest perturbed accuracy{both} "
                       f"({why}): a network can be better everywhere without being more invariant. Compare "
                       "each network with its own clean accuracy (a ratio or a drop).")
        if len(values[answer]) > 2 and answer == max(names, key=lambda n: values[n][1] / values[n][0]):
            raise Hint(f"in a test case ({why}) you compared the networks at the first perturbation level: "
                       "compare the clean accuracy with the *largest* perturbation, the last value of a curve.")
        if best_clean:
            raise Hint(f"in a test case you returned the network with the best *clean* accuracy ({why}). "
                       "The question is how much of its clean accuracy a network keeps when the input moves.")
        raise Hint(f"in a test case ({why}) the answer should be {expected!r}, you returned {answer!r}: "
                   "compare the first (clean) and the last (largest perturbation) accuracy of each network.")
    return "Your rule picks the network that keeps the largest share of its accuracy."


def _layer_problem(layer) -> str | None:
    """A hint for a common mistake in one augmentation layer, or None."""
    config = layer.get_config() if hasattr(layer, "get_config") else {}
    if type(layer).__name__ == "RandomZoom":
        low, high = np.broadcast_to(np.asarray(config.get("height_factor"), dtype=float), (2,))
        if high <= 0:
            return ("RandomZoom with negative factors zooms *in* (larger digits); the new validation digits "
                    "are smaller: a positive factor zooms out.")
    if config.get("fill_mode") not in (None, "constant"):
        return (f"{type(layer).__name__} fills the border with fill_mode={config['fill_mode']!r}, which copies "
                "strokes into the black background of a digit: use fill_mode='constant'.")
    return None


@exercise_check("Exercise 3 (a new invariance)")
def new_invariance(candidates, chosen, validation, results) -> str:
    """Check the candidate augmentations, the choice on validation and the chosen one's test results.

    ``candidates`` maps a name to a function that returns a list of Keras layers; ``validation`` maps each
    candidate's name to ``{"clean": [...], "small": [...]}`` (per-seed validation accuracies); ``results``
    maps ``"none"`` and ``"mine"`` (the chosen candidate) to the same on the test split.
    """
    import keras

    if not isinstance(candidates, Mapping) or not candidates:
        raise Hint("CANDIDATES should map a name to a function that returns a list of Keras layers")
    if len(candidates) > MAX_CANDIDATES:
        raise Hint(f"the tuning budget is {MAX_CANDIDATES} candidates, you tried {len(candidates)}")
    for name, make in candidates.items():
        augmentation = call_learner_function(make)
        if isinstance(augmentation, keras.layers.Layer):
            augmentation = [augmentation]
        if not isinstance(augmentation, (list, tuple)) or not augmentation:
            raise Hint(f"CANDIDATES[{name!r}]() should return a list of Keras preprocessing layers")
        for layer in augmentation:
            if not isinstance(layer, keras.layers.Layer):
                raise Hint(f"CANDIDATES[{name!r}]() returned {type(layer).__name__}, not a Keras layer")
            problem = _layer_problem(layer)
            if problem:
                raise Hint(f"{name!r}: {problem}")
    if chosen not in candidates:
        raise Hint(f"chosen should be the name of one of your candidates ({', '.join(candidates)}), got {chosen!r}")
    if not isinstance(validation, Mapping) or set(validation) != set(candidates):
        raise Hint("validation should map each candidate's name to {'clean': [...], 'small': [...]}")
    try:
        val = {name: {key: per_seed_accuracies(validation[name][key], f"validation[{name!r}][{key!r}]")
                      for key in ("clean", "small")} for name in candidates}
    except (KeyError, TypeError):
        raise Hint("validation should map each candidate's name to {'clean': [...], 'small': [...]}") from None
    mix = {name: (v["clean"].mean() + v["small"].mean()) / 2 for name, v in val.items()}
    best = max(mix, key=mix.get)
    if chosen != best:
        if chosen == max(val, key=lambda n: val[n]["small"].mean()):
            raise Hint(f"{chosen!r} reads the most *small* validation digits, but the network will read old "
                       f"and new users' digits alike: {best!r} has the best accuracy on that half-and-half mix "
                       f"({mix[best]:.1%} against {mix[chosen]:.1%}).")
        raise Hint(f"{best!r} has the best validation accuracy on the half-and-half mix of clean and small digits "
                   f"({mix[best]:.1%} against {mix[chosen]:.1%} for {chosen!r}): choose on that.")
    if not isinstance(results, Mapping) or set(results) != {"none", "mine"}:
        raise Hint("results should map 'none' and 'mine' to {'clean': [...], 'small': [...]}")
    try:
        measured = {arm: {key: per_seed_accuracies(results[arm][key], f"results[{arm!r}][{key!r}]")
                          for key in ("clean", "small")} for arm in ("none", "mine")}
    except (KeyError, TypeError):
        raise Hint("results should map 'none' and 'mine' to {'clean': [...], 'small': [...]}") from None
    gain = paired_difference(measured["mine"]["small"], measured["none"]["small"])
    cost = paired_difference(measured["none"]["clean"], measured["mine"]["clean"])
    if gain.low <= ZOOM_GAIN:
        raise Hint(f"on the small test digits your augmentation bought {gain} points (mean [95 % interval]); "
                   f"the whole interval should lie above +{100 * ZOOM_GAIN:.0f}. Which transformation turns a "
                   "training digit into a smaller one? Lesson 05's robustness section shows that an augmentation "
                   "buys the invariance it encodes, and little else.")
    if cost.high >= ZOOM_CLEAN_COST:
        raise Hint(f"it costs {cost} points on the clean test digits (mean [95 % interval]); the whole interval "
                   f"should lie below +{100 * ZOOM_CLEAN_COST:.0f}: make the augmentation milder, or let its range "
                   "include digits of the old size.")
    return (f"validation chose {chosen!r}: on the test split it gains {gain} points on the small digits, for "
            f"{cost} points of clean accuracy given up (mean [95 % interval] over {gain.n} seeds, paired).")
