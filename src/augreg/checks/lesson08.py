"""Checks for Exercises 08 (modern augmentation)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..robustness import rotate_images
from ..stats import paired_difference
from . import MIN_SEEDS, Hint, NotAttempted, call_learner_function, exercise_check, is_stub, per_seed_accuracies

#: Exercise 2: the interval of the chosen RandAugment's gain on test digits shifted by one pixel must lie
#: above SHIFT_GAIN, and the clean test accuracy it gives up must not be a resolved loss of more than
#: CLEAN_COST (the 2-point floor of the choice on validation): the lower bound of the cost's interval
#: below CLEAN_COST. Pilots of the solution (factors 0.05, 0.1, 0.2; 5 seeds) on base seeds 100 and 101:
#: validation chose 0.1 and 0.2; gains +4.4 [+2.6, +6.2] and +9.5 [+4.6, +14.3] points; clean costs
#: -0.2 [-2.5, +2.2] and +0.9 [-0.2, +2.1] points. Base 0: cost +1.5 [-2.1, +5.2].
SHIFT_GAIN, CLEAN_COST = 0.0, 0.02
#: Exercise 2: the tuning budget, and the clean-accuracy floor of the choice (points below no augmentation).
MAX_FACTORS, FLOOR = 3, 0.02


# ---------------------------------------------------------------- Exercise 1


def _keras_mix_up(images, labels, alpha, seed):
    """Keras's MixUp on one batch: its random draws and its own output."""
    import keras

    layer = keras.layers.MixUp(alpha=alpha, seed=seed)
    plan = layer.get_random_transformation({"images": images, "labels": labels})
    weights = np.asarray(plan["mix_weight"], dtype="float32")
    order = np.asarray(plan["permutation_order"])
    out_images = np.asarray(layer.transform_images(images, plan))
    out_labels = np.asarray(layer.transform_labels(labels, plan))
    return weights, order, out_images, out_labels


def _as_pair(value):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Hint("return two arrays: (mixed_images, mixed_labels)")
    try:
        return np.asarray(value[0], dtype=float), np.asarray(value[1], dtype=float)
    except (TypeError, ValueError):
        raise Hint("return two arrays of numbers: (mixed_images, mixed_labels)") from None


@exercise_check("Exercise 1 (MixUp from scratch)")
def mix_up(function) -> str:
    """Check ``mix_up(images, labels, weights, order)`` against ``keras.layers.MixUp`` on digit batches."""
    from ..data import load_digits_split

    split = load_digits_split(n_train=100)
    for alpha, seed, n in [(0.4, 1, 16), (1.0, 7, 32)]:
        images = split.x_train[:n].astype("float32")
        labels = np.eye(10, dtype="float32")[split.y_train[:n]]
        weights, order, right_images, right_labels = _keras_mix_up(images, labels, alpha, seed)
        got = call_learner_function(function, images.copy(), labels.copy(), weights.copy(), order.copy())
        got_images, got_labels = _as_pair(got)
        if got_images.shape != images.shape:
            raise Hint(f"the mixed images should keep the batch's shape {images.shape}, got {got_images.shape}: "
                       "reshape the weights to (n, 1, 1, 1) so that each image gets its own weight.")
        if got_labels.shape != labels.shape:
            raise Hint(f"the mixed labels should keep the shape of the one-hot labels {labels.shape}, got "
                       f"{got_labels.shape}: reshape the weights to (n, 1) for the labels and (n, 1, 1, 1) for "
                       "the images, so that each row gets its own weight.")
        images_ok = np.allclose(got_images, right_images, atol=1e-5)
        labels_ok = np.allclose(got_labels, right_labels, atol=1e-5)
        if images_ok and labels_ok:
            continue
        w = weights.reshape(-1, 1)
        swapped = (1 - w) * labels + w * labels[order]
        if images_ok and np.allclose(got_labels, labels):
            raise Hint("the images are mixed but the labels are not: that is what MixUp inside a model does "
                       "(Lesson 08, 'Mixing labels'). Mix the labels with the same weights.")
        if np.allclose(got_labels, swapped, atol=1e-5) or not images_ok and np.allclose(
                got_images, (1 - weights.reshape(-1, 1, 1, 1)) * images
                + weights.reshape(-1, 1, 1, 1) * images[order], atol=1e-5):
            raise Hint("close: the weight w belongs to the image itself and 1 - w to its partner "
                       "images[order]: w * a + (1 - w) * b, for the images and the labels alike.")
        if not images_ok:
            raise Hint("the mixed images differ from keras.layers.MixUp's: image i is mixed with image "
                       "order[i], w[i] * images[i] + (1 - w[i]) * images[order[i]].")
        raise Hint("the images are right, the labels not: mix the one-hot labels exactly like the images, "
                   "w[i] * labels[i] + (1 - w[i]) * labels[order[i]].")
    return "your MixUp gives the same images and labels as keras.layers.MixUp on the same draws."


# ---------------------------------------------------------------- Exercise 2


@exercise_check("Exercise 2 (how strong a policy?)")
def randaugment_strength(factors, validation, chosen, results) -> str:
    """Check the factors tried, the choice on validation and the chosen factor's test results.

    ``validation`` maps ``"none"`` and each factor to ``{"clean": [...], "shifted": [...]}`` (per-seed
    validation accuracies); ``results`` maps ``"none"`` and ``"mine"`` to the same on the test split.
    """
    try:
        factors = [float(f) for f in factors]
    except (TypeError, ValueError):
        raise Hint("FACTORS should be a list of numbers between 0 and 1") from None
    if not factors:
        raise Hint("FACTORS should hold at least one factor to try")
    if len(factors) > MAX_FACTORS:
        raise Hint(f"the tuning budget is {MAX_FACTORS} factors, you tried {len(factors)}")
    if any(not 0 < f <= 1 for f in factors):
        raise Hint(f"a RandAugment factor lies in (0, 1], got {factors}")
    if not isinstance(validation, Mapping) or set(validation) != {"none", *factors}:
        raise Hint("validation should map 'none' and each factor to {'clean': [...], 'shifted': [...]}")
    try:
        val = {arm: {key: per_seed_accuracies(validation[arm][key], f"validation[{arm!r}][{key!r}]")
                     for key in ("clean", "shifted")} for arm in validation}
    except (KeyError, TypeError):
        raise Hint("validation should map 'none' and each factor to {'clean': [...], 'shifted': [...]}") from None
    if isinstance(chosen, bool) or chosen not in factors:
        raise Hint(f"chosen should be one of your factors ({factors}), got {chosen!r}")
    floor = val["none"]["clean"].mean() - FLOOR
    allowed = [f for f in factors if val[f]["clean"].mean() >= floor]
    if not allowed:
        raise Hint(f"every factor you tried loses more than {100 * FLOOR:.0f} points of clean validation "
                   "accuracy: try weaker ones (Lesson 08, 'Policies': 0.5 turns a 6 into a 9).")
    best = max(allowed, key=lambda f: val[f]["shifted"].mean())
    if chosen != best:
        if chosen not in allowed:
            raise Hint(f"factor {chosen} reads shifted digits well but loses more than {100 * FLOOR:.0f} points "
                       f"of clean validation accuracy; among the factors within the bound, {best} reads the most "
                       "shifted validation digits.")
        raise Hint(f"among the factors within {100 * FLOOR:.0f} points of clean validation accuracy, {best} has "
                   f"the best shifted validation accuracy ({val[best]['shifted'].mean():.1%} against "
                   f"{val[chosen]['shifted'].mean():.1%}): choose on the shifted validation digits.")
    if not isinstance(results, Mapping) or set(results) != {"none", "mine"}:
        raise Hint("results should map 'none' and 'mine' to {'clean': [...], 'shifted': [...]} on the test split")
    try:
        measured = {arm: {key: per_seed_accuracies(results[arm][key], f"results[{arm!r}][{key!r}]")
                          for key in ("clean", "shifted")} for arm in ("none", "mine")}
    except (KeyError, TypeError):
        raise Hint("results should map 'none' and 'mine' to {'clean': [...], 'shifted': [...]}") from None
    same = all(np.allclose(measured[arm][key], val[name][key]) for arm, name in (("none", "none"),
               ("mine", chosen)) for key in ("clean", "shifted"))
    if same:
        raise Hint("results holds the validation accuracies: report the chosen factor on the *test* split.")
    gain = paired_difference(measured["mine"]["shifted"], measured["none"]["shifted"])
    cost = paired_difference(measured["none"]["clean"], measured["mine"]["clean"])
    if gain.low <= SHIFT_GAIN:
        raise Hint(f"on shifted test digits your RandAugment bought {gain} points (mean [95 % interval]); the "
                   f"whole interval should lie above {100 * SHIFT_GAIN:+.0f}. A factor is a fraction of each "
                   "operation's range, translation included (Lesson 08, 'Policies'): is it strong enough to "
                   "move strokes by a pixel?")
    if cost.low >= CLEAN_COST:
        raise Hint(f"it costs {cost} points on the clean test digits, a loss of more than "
                   f"{100 * CLEAN_COST:.0f} points that the interval resolves: the 2-point floor on validation "
                   "should have ruled it out; try weaker factors.")
    return (f"validation chose factor {chosen}: on the test split it gains {gain} points on shifted digits for "
            f"{cost} points of clean accuracy (mean [95 % interval] over {gain.n} seeds, paired).")


# ---------------------------------------------------------------- Exercise 3


@exercise_check("Exercise 3 (test-time augmentation that pays)")
def test_time_augmentation(function, models, splits, angle) -> str:
    """Check ``predict_tta(model, x)``: probabilities, and better than one view on rotated test digits.

    ``models`` and ``splits`` map each seed to its trained network and its ``DigitsSplit``; the test digits
    are turned by ``angle`` degrees (``augreg.rotate_images`` with the seed).
    """
    if is_stub(function):
        raise NotAttempted
    if not isinstance(models, Mapping) or len(models) < MIN_SEEDS or set(models) != set(splits):
        raise Hint(f"pass the plain networks and the splits, one per seed (at least {MIN_SEEDS})")
    single, tta = [], []
    for seed, model in models.items():
        split = splits[seed]
        x = rotate_images(split.x_test, angle, seed=seed)
        one = np.asarray(model.predict_on_batch(x))
        got = call_learner_function(function, model, x.copy())
        try:
            probabilities = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            raise Hint("return an array of probabilities, one row per image") from None
        if probabilities.shape != one.shape:
            raise Hint(f"return one row of {one.shape[1]} probabilities per image, shape {one.shape}; got "
                       f"{probabilities.shape}. Average over the views (axis 0 of a list of predictions).")
        if not np.allclose(probabilities.sum(axis=1), 1, atol=1e-3):
            raise Hint("each row should be probabilities that sum to 1: average the views' probabilities, "
                       "do not add them.")
        if np.allclose(probabilities, one, atol=1e-6):
            raise Hint("your predictions equal a single view's: are the views the image itself? A preprocessing "
                       "layer is switched off unless you call it with training=True (Lesson 08, 'Test-time "
                       "augmentation').")
        single.append(np.mean(one.argmax(axis=1) == split.y_test))
        tta.append(np.mean(probabilities.argmax(axis=1) == split.y_test))
    gain = paired_difference(tta, single)
    if not gain.above_zero:
        raise Hint(f"on rotated test digits your TTA changes accuracy by {gain} points (mean [95 % interval]); "
                   "the whole interval should lie above zero. Which views bring a turned digit back upright? "
                   "Lesson 08's test-time augmentation used the views of the variation it had to undo.")
    return f"TTA beats a single view on rotated test digits by {gain} points (mean [95 % interval], {gain.n} seeds)."
