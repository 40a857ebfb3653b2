"""Checks for Exercises 06 (augmentation on real photographs)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..stats import paired_difference
from . import MIN_SEEDS, Hint, NotAttempted, call_learner_function, exercise_check, is_stub, per_seed_accuracies

#: Exercise 1: the tasks, the augmentations, and whether each augmentation keeps each task's label.
TASKS = ("face", "lawn", "upright")
AUGMENTATIONS = ("horizontal flip", "vertical flip", "hue jitter")
KEEPS_LABEL = {
    ("face", "horizontal flip"): True, ("face", "vertical flip"): True, ("face", "hue jitter"): True,
    ("lawn", "horizontal flip"): True, ("lawn", "vertical flip"): True, ("lawn", "hue jitter"): False,
    ("upright", "horizontal flip"): True, ("upright", "vertical flip"): False,
    ("upright", "hue jitter"): True,
}
#: Why each answer is what it is (the hint for a wrong one), with the lesson section that shows it.
_WHY = {
    "face": "an upside-down, mirrored or recoloured face is still a face (Lesson 06, section 'Faces')",
    "lawn": "the lawn's label *is* its colour: hue jitter turns a green lawn yellow, while flips leave the "
            "colour alone (Lesson 06, section 'Colour: a nuisance, or the label?')",
    "upright": "the label is the orientation: a vertical flip turns an upright face upside down, while a "
               "mirror image or another colour keeps it upright (Lesson 06, section 'Faces')",
}
#: Exercise 2: the gain on negative test images must lie above NEGATIVE_GAIN, and the clean cost below
#: NEGATIVE_COST (accuracies). Pilot of the solution on base 100 (5 seeds): gain +28.8 [+3.0, +54.6],
#: cost -1.0 or less (the augmented network was no worse on normal faces); bases 0-3 confirmed in the report.
NEGATIVE_GAIN, NEGATIVE_COST = 0.0, 0.05


@exercise_check("Exercise 1 (label-preserving or not?)")
def keeps_label(answers) -> str:
    """Check ``{(task, augmentation): bool}`` against the truth for all nine pairs."""
    if not isinstance(answers, Mapping):
        raise Hint("keeps_label should be a dict mapping (task, augmentation) to True or False")
    missing = [key for key in KEEPS_LABEL if key not in answers]
    if missing:
        raise Hint(f"answer all nine pairs; missing: {missing[0]!r} and {len(missing) - 1} more"
                   if len(missing) > 1 else f"answer all nine pairs; missing: {missing[0]!r}")
    if any(is_stub(answers[key]) for key in KEEPS_LABEL):
        raise NotAttempted
    for key in KEEPS_LABEL:
        if not isinstance(answers[key], (bool, np.bool_)):
            raise Hint(f"keeps_label[{key!r}] should be True or False, got {answers[key]!r}")
    wrong = [key for key, truth in KEEPS_LABEL.items() if bool(answers[key]) != truth]
    if wrong:
        task, augmentation = wrong[0]
        more = f" ({len(wrong) - 1} more wrong)" if len(wrong) > 1 else ""
        raise Hint(f"look again at {augmentation} for the {task!r} task{more}: {_WHY[task]}.")
    return "All nine right: the same transformation keeps one task's label and destroys another's."


def _layer_problem(layer) -> str | None:
    config = layer.get_config() if hasattr(layer, "get_config") else {}
    name = type(layer).__name__
    if name in ("Dropout", "GaussianNoise", "GaussianDropout"):
        return (f"{name} perturbs values but never shows the network a negative: which transformation does "
                "the second scanner apply?")
    if name in ("RandomBrightness", "RandomContrast", "RandomColorJitter"):
        return (f"{name} changes brightness or contrast but never reverses it: a negative maps every value v "
                "to 1 - v.")
    if name == "RandomFlip":
        return "a flip moves pixels; a negative keeps them in place and reverses their values."
    if name == "RandomInvert":
        factor = np.asarray(config.get("factor"), dtype=float).ravel()
        if config.get("value_range") is not None and tuple(config["value_range"]) != (0, 1):
            return ("RandomInvert assumes pixels in 0-255 unless told otherwise: pass value_range=(0, 1), or it "
                    "maps v to 255 - v.")
        if factor.max() <= 0:
            return "RandomInvert with factor 0 never inverts anything."
    return None


@exercise_check("Exercise 2 (a scanner that delivers negatives)")
def negatives(make_augmentation, results) -> str:
    """Check the layers and the measured ``{"none"|"mine": {"test, normal"|"test, negative": [...]}}``."""
    import keras

    augmentation = call_learner_function(make_augmentation)
    if isinstance(augmentation, keras.layers.Layer):
        augmentation = [augmentation]
    if not isinstance(augmentation, (list, tuple)) or not augmentation:
        raise Hint("make_augmentation() should return a list of Keras preprocessing layers")
    for layer in augmentation:
        if not isinstance(layer, keras.layers.Layer):
            raise Hint(f"make_augmentation() returned {type(layer).__name__}, not a Keras layer")
    problems = [p for p in (_layer_problem(layer) for layer in augmentation) if p]
    if not isinstance(results, Mapping) or set(results) != {"none", "mine"}:
        raise Hint("results should map 'none' and 'mine' to {'test, normal': [...], 'test, negative': [...]}")
    try:
        measured = {arm: {key: per_seed_accuracies(results[arm][key], f"results[{arm!r}][{key!r}]")
                          for key in ("test, normal", "test, negative")} for arm in ("none", "mine")}
    except (KeyError, TypeError):
        raise Hint("results should map 'none' and 'mine' to {'test, normal': [...], 'test, negative': [...]}: "
                   "run the cell that trains and scores your augmentation") from None
    gain = paired_difference(measured["mine"]["test, negative"], measured["none"]["test, negative"])
    cost = paired_difference(measured["none"]["test, normal"], measured["mine"]["test, normal"])
    if gain.low <= NEGATIVE_GAIN:
        advice = problems[0] if problems else (
            "Which transformation turns a training face into the image the second scanner delivers?")
        raise Hint(f"on the negative test images your augmentation bought {gain} points (mean [95 % interval]); "
                   f"the whole interval should lie above +{100 * NEGATIVE_GAIN:.0f}. {advice}")
    if cost.high >= NEGATIVE_COST:
        raise Hint(f"robust, but it costs {cost} points on normal test faces; the interval should stay below "
                   f"+{100 * NEGATIVE_COST:.0f}. Invert only part of the training images (a probability below "
                   "1), so that the network still sees normal faces (Lesson 06, 'Where augmentation stops "
                   "being free').")
    return (f"On the negative test images: {gain} points over the plain network; on normal ones it gives up "
            f"{cost} (mean [95 % interval] over {gain.n} seeds).")


#: Exercise 3: synthetic validation results and the amount the rule must choose in each.
_CASES = (
    # (clean, dim, plain_clean, bound, expected, what a wrong rule gets wrong)
    ({0.1: [0.95] * 5, 0.3: [0.94] * 5, 0.6: [0.90] * 5}, {0.1: [0.70] * 5, 0.3: [0.80] * 5, 0.6: [0.88] * 5},
     [0.95] * 5, 0.02, 0.3, "the most robust amount costs more than the bound on clean images"),
    ({0.1: [0.97] * 5, 0.3: [0.95] * 5, 0.6: [0.96] * 5}, {0.1: [0.70] * 5, 0.3: [0.80] * 5, 0.6: [0.85] * 5},
     [0.96] * 5, 0.02, 0.6, "every amount is within the bound: the best on dim images wins"),
    ({1: [0.90] * 5, 2: [0.93] * 5}, {1: [0.85] * 5, 2: [0.60] * 5}, [0.93] * 5, 0.05, 1,
     "the best clean amount is not the most robust one"),
)


def _rule(clean, dim, plain_clean, bound):
    floor = np.mean(plain_clean) - bound
    allowed = [a for a in clean if np.mean(clean[a]) >= floor]
    return max(allowed, key=lambda a: np.mean(dim[a])) if allowed else None


@exercise_check("Exercise 3 (how much brightness augmentation?)")
def choose_amount(function, chosen, validation, test, bound) -> str:
    """Check ``choose_amount`` on synthetic cases, then that ``chosen`` is its answer on validation."""
    for clean, dim, plain_clean, case_bound, expected, why in _CASES:
        answer = call_learner_function(function, {k: list(v) for k, v in clean.items()},
                                       {k: list(v) for k, v in dim.items()}, list(plain_clean), case_bound)
        if answer == expected:
            continue
        best_dim = max(dim, key=lambda a: np.mean(dim[a]))
        best_clean = max(clean, key=lambda a: np.mean(clean[a]))
        if answer == best_dim:
            raise Hint(f"in a test case ({why}) you returned the amount best on dim images, {answer!r}, but its "
                       "clean accuracy is more than `bound` below the plain network's: drop such amounts first.")
        if answer == best_clean:
            raise Hint(f"in a test case ({why}) you returned the amount best on clean images, {answer!r}: among "
                       "the amounts that keep clean accuracy, take the one best on *dim* images.")
        raise Hint(f"in a test case ({why}) the answer is {expected!r}, you returned {answer!r}.")
    amounts = [a for a in validation["clean"] if a != "plain"]
    on_val = _rule({a: validation["clean"][a] for a in amounts}, {a: validation["dim"][a] for a in amounts},
                   validation["clean"]["plain"], bound)
    on_test = _rule({a: test["clean"][a] for a in amounts}, {a: test["dim"][a] for a in amounts},
                    test["clean"]["plain"], bound)
    if is_stub(chosen):
        raise NotAttempted
    if chosen != on_val:
        if chosen == on_test:
            raise Hint(f"your rule was applied to the test images (it chose {chosen!r}; on validation it "
                       f"chooses {on_val!r}): choose on validation, report on test.")
        raise Hint(f"`chosen` should be your rule's answer on the validation accuracies ({on_val!r}), "
                   f"got {chosen!r}.")
    if chosen is None:
        return "No amount kept clean validation accuracy within the bound: the plain network stays."
    gain = paired_difference(test["dim"][chosen], test["dim"]["plain"])
    cost = paired_difference(test["clean"]["plain"], test["clean"][chosen])
    return (f"amount {chosen!r}, chosen on validation. On the test faces: dim light {gain} points over the "
            f"plain network; clean images {cost} points given up (mean [95 % interval], {gain.n} seeds).")
