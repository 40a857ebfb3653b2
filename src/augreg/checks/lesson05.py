"""Checks for Exercises 05 (side by side)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..stats import paired_difference
from . import Hint, as_number, call_learner_function, exercise_check

#: The techniques a recipe of Exercise 1 may switch on.
RECIPE_KEYS = ("augmentation", "l2", "dropout")
#: Exercise 1: the paired 95 % interval of the recipe's gain must lie above this (accuracy).
BUDGET_MARGIN = 0.15
#: Exercise 3: the interval of the gain on small digits must lie above ZOOM_GAIN, and the interval of
#: the clean accuracy given up below ZOOM_CLEAN_COST. From pilots of the solution on base seeds 100, 101,
#: 102 (5 seeds each): gain intervals' lower bounds 35.1 and above, cost intervals' upper bounds 3.6, 3.7,
#: 2.6 points. Exercise 1's margin: the solution's lower bound was 20.8 on base 102.
ZOOM_GAIN, ZOOM_CLEAN_COST = 0.10, 0.05
#: Intervals need this many seeds at least (the course's protocol).
MIN_SEEDS = 5


def _per_seed(values, what: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a list of accuracies, one per seed") from None
    if array.ndim != 1 or array.size < MIN_SEEDS:
        raise Hint(f"{what} should hold one accuracy per seed (at least {MIN_SEEDS}), got shape {array.shape}")
    if not np.all((array >= 0) & (array <= 1)):
        raise Hint(f"{what} should be accuracies between 0 and 1, got {array.round(3).tolist()}")
    return array


@exercise_check("Exercise 1 (beat the baseline on a budget)")
def beats_baseline(recipe, baseline_accuracies, recipe_accuracies) -> str:
    """Check a recipe ``{"augmentation": bool, "l2": float, "dropout": float}`` and its measured gain."""
    if not isinstance(recipe, Mapping) or set(recipe) != set(RECIPE_KEYS):
        raise Hint(f"recipe should be a dict with exactly the keys {', '.join(RECIPE_KEYS)}")
    if not isinstance(recipe["augmentation"], (bool, np.bool_)):
        raise Hint("recipe['augmentation'] should be True or False")
    l2 = as_number(recipe["l2"], "recipe['l2']")
    rate = as_number(recipe["dropout"], "recipe['dropout']")
    if l2 < 0 or not 0 <= rate < 1:
        raise Hint("recipe['l2'] should be >= 0 and recipe['dropout'] a rate in [0, 1)")
    if not recipe["augmentation"] and l2 == 0 and rate == 0:
        raise Hint("that recipe is the baseline itself: switch at least one technique on")
    base = _per_seed(baseline_accuracies, "baseline_accuracies")
    mine = _per_seed(recipe_accuracies, "recipe_accuracies")
    if base.shape != mine.shape:
        raise Hint("baseline_accuracies and recipe_accuracies should have one value per seed each")
    gain = paired_difference(mine, base)
    if gain.low > BUDGET_MARGIN:
        return (f"{gain} points over the baseline (mean [95 % interval] over {gain.n} seeds, paired): the "
                f"whole interval lies above +{100 * BUDGET_MARGIN:.0f}.")
    if not recipe["augmentation"]:
        raise Hint(f"regularization alone bought {gain} points. Half of these validation digits are shifted "
                   "by a pixel: which technique teaches the network that a shifted digit is the same digit?")
    raise Hint(f"augmentation is on, but the gain is {gain} points: the whole interval must lie above "
               f"+{100 * BUDGET_MARGIN:.0f}. With a fixed budget, strong dropout or L2 on top of augmentation "
               "can leave the network underfitted: try less.")


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
def new_invariance(make_augmentation, results) -> str:
    """Check the augmentation layers and the measured results ``{"none"|"mine": {"clean"|"small": [...]}}``."""
    import keras

    augmentation = call_learner_function(make_augmentation)
    if isinstance(augmentation, keras.layers.Layer):
        augmentation = [augmentation]
    if not isinstance(augmentation, (list, tuple)) or not augmentation:
        raise Hint("make_augmentation() should return a list of Keras preprocessing layers")
    for layer in augmentation:
        if not isinstance(layer, keras.layers.Layer):
            raise Hint(f"make_augmentation() returned {type(layer).__name__}, not a Keras layer")
        problem = _layer_problem(layer)
        if problem:
            raise Hint(problem)
    if not isinstance(results, Mapping) or set(results) != {"none", "mine"}:
        raise Hint("results should map 'none' and 'mine' to {'clean': [...], 'small': [...]}")
    try:
        measured = {arm: {key: _per_seed(results[arm][key], f"results[{arm!r}][{key!r}]")
                          for key in ("clean", "small")} for arm in ("none", "mine")}
    except (KeyError, TypeError):
        raise Hint("results should map 'none' and 'mine' to {'clean': [...], 'small': [...]}") from None
    gain = paired_difference(measured["mine"]["small"], measured["none"]["small"])
    cost = paired_difference(measured["none"]["clean"], measured["mine"]["clean"])
    if gain.low <= ZOOM_GAIN:
        raise Hint(f"on the small digits your augmentation bought {gain} points (mean [95 % interval]); the "
                   f"whole interval should lie above +{100 * ZOOM_GAIN:.0f}. Which transformation turns a "
                   "training digit into a smaller one?")
    if cost.high >= ZOOM_CLEAN_COST:
        raise Hint(f"it costs {cost} points on the clean digits (mean [95 % interval]); the whole interval "
                   f"should lie below +{100 * ZOOM_CLEAN_COST:.0f}: make the augmentation milder.")
    return (f"{gain} points on the small digits, for {cost} points of clean accuracy given up "
            f"(mean [95 % interval] over {gain.n} seeds, paired).")
