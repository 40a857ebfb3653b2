"""Checks of exercise set 06 (augmentation on real photographs): ``from augreg.checks.lesson06 import check``.

Everything but ``check`` is private and hidden from ``dir``; the truths are computed from probes and data
the learner never receives.

* Exercise 1 grades ``share_kept(augmentation, images, labels, labeller)`` on probes of the check's own:
  lawns under a mild and a strong colour jitter read by their mean colour, and images whose label is
  which half is brighter, flipped vertically (the label changes) and horizontally (it does not), read by
  an imperfect rule. Each probe gives the learner a fresh layer with a fixed seed and computes the truth
  with a twin of it; the synthetic images are drawn anew for every attempt.
* Exercise 2 (open) grades a *recipe*, ``for_the_second_scanner(x_train, y_train, x_val, y_val, seed)``:
  the check draws faces of its own (hidden split seeds, the two labels swapped), trains the recipe on
  three draws, and measures the networks it returns on its sealed test faces, as they are and as
  photographic negatives. See :data:`_NEGATIVE_BOUND` and :data:`_NORMAL_BOUND`.
* Exercise 3 grades ``choose_amount(clean, dim, plain_clean, bound)`` on validation results of the
  check's own: cases that separate the near misses (no averaging over seeds, a relative bound, a strict
  comparison at the bound, the best amount on dim or on clean images alone) and random cases drawn anew
  for every attempt.
"""

from __future__ import annotations

import numpy as np

from . import ExerciseSet, Hint
from .evidence import call_learner, hidden_seed, predict_classes, record_pilot, require_function

_set = ExerciseSet("06", "06-photos")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


# --- Exercise 1 ------------------------------------------------------------------------------------------

#: The two colour jitters of the lawn probes (Lesson 06's mild and strong settings).
_JITTER = {
    "mild": dict(brightness_factor=0.1, contrast_factor=0.1, saturation_factor=(0.4, 0.6), hue_factor=0.1),
    "strong": dict(brightness_factor=0.3, contrast_factor=0.3, saturation_factor=(0.2, 0.8), hue_factor=0.3),
}
_LAWNS = ((0.55, 0.9, 0.35), (0.9, 0.8, 0.4))  # green, dry (Lesson 06)


def _nearest_mean_labeller(means):
    def labeller(images):
        colours = np.asarray(images).mean(axis=(1, 2))
        return ((colours[:, None] - means) ** 2).sum(axis=-1).argmin(axis=1)

    return labeller


def _lawns():
    """Green and dry lawns (the same grass, tinted) and the nearest-mean-colour labeller fitted on them."""
    from ..photos import texture_patches, tint

    grass, _ = texture_patches(40, region="val", size=24, names=["grass"], seed=606)
    labels = np.arange(40) % 2
    images = np.concatenate([tint(grass[i : i + 1], _LAWNS[label]) for i, label in enumerate(labels)])
    means = np.stack([images[labels == k].mean(axis=(0, 1, 2)) for k in (0, 1)])
    return images, labels, _nearest_mean_labeller(means)


def _brighter_half(seed: int, attempt: int, n: int = 60):
    """Images whose label is which half is brighter (1: the top), and a rule that reads it imperfectly.

    The rule compares the two halves' means in one column only, so the noise makes it wrong on some
    original images: comparing its answers on changed and original images is then not the same as
    comparing them with the labels.
    """
    rng = np.random.default_rng([seed, attempt, 6])
    labels = rng.integers(0, 2, n)
    ramp = np.linspace(0.7, 0.3, 16)[:, None] * np.ones((16, 16))
    images = np.where(labels[:, None, None] == 1, ramp, ramp[::-1])
    images = np.clip(images + rng.normal(0, 0.35, (n, 16, 16)), 0, 1)[..., None].astype("float32")

    def labeller(x):
        x = np.asarray(x)
        return (x[:, :8, 3, 0].mean(axis=1) > x[:, 8:, 3, 0].mean(axis=1)).astype(int)

    return images, labels, labeller


def _probes(seed: int, attempt: int):
    """(name, make a fresh layer, images, labels, labeller) for every probe of this attempt."""
    import keras

    lawns = _lawns()
    halves = _brighter_half(seed, attempt)
    layer_seed = int(np.random.default_rng([seed, attempt, 7]).integers(1, 10_000))
    return [
        (
            f"lawns under the {strength} colour jitter",
            lambda s=settings: keras.layers.RandomColorJitter(value_range=(0, 1), seed=layer_seed, **s),
            *lawns,
        )
        for strength, settings in _JITTER.items()
    ] + [
        (
            "brighter-half images flipped upside down",
            lambda: keras.layers.RandomFlip("vertical", seed=layer_seed),
            *halves,
        ),
        (
            "brighter-half images mirrored",
            lambda: keras.layers.RandomFlip("horizontal", seed=layer_seed),
            *halves,
        ),
    ]


def _share(changed, labels, labeller) -> float:
    return float(np.mean(np.asarray(labeller(changed)) == labels))


@_set.exercise(
    1,
    "does it keep the label?",
    level="warm-up",
    section="sec-06-colour",
    hints=(
        "After the augmentation has changed an image, what should still agree with what, for the label to "
        "count as kept?",
        "Change the images the way training would (the layer called with training switched on), let the "
        "labeller read the changed images, and compare its answers with the labels you were given, not "
        "with its answers on the original images.",
        "`changed = augmentation(images, training=True)`, then `return float(np.mean(labeller(changed) == labels))`.",
    ),
)
def _share_kept(function, seed):
    require_function(function)
    record = _set._record(("exercise", 1))
    for name, make, images, labels, labeller in _probes(seed, record.attempts):
        answer = call_learner(function, make(), images.copy(), labels.copy(), labeller)
        try:
            answer = float(answer)
        except (TypeError, ValueError):
            raise Hint(f"return one number, the share of images that keep their label; got {answer!r}") from None
        changed = np.asarray(make()(images, training=True))
        truth = _share(changed, labels, labeller)
        if np.isclose(answer, truth, atol=1e-6):
            continue
        if answer > 1:
            raise Hint(f"on {name}: return a fraction between 0 and 1, not a count of images.")
        if np.isclose(answer, 1 - truth, atol=1e-6):
            raise Hint(
                f"on {name}: you returned the share of images whose label changed; the question is "
                "the share that keep it."
            )
        if np.isclose(answer, _share(images, labels, labeller), atol=1e-6):
            raise Hint(
                f"on {name}: your share is the labeller's accuracy on the *original* images: were "
                "the images changed (the layer called as in training) before the labeller read them?"
            )
        if np.isclose(answer, float(np.mean(np.asarray(labeller(changed)) == np.asarray(labeller(images)))), atol=1e-6):
            raise Hint(
                f"on {name}: you compared the labeller's answers on changed and on original images; "
                "compare them with the labels, which the labeller does not always get right."
            )
        raise Hint(
            f"on {name}: your share differs from the share of changed images that the labeller still gives their label."
        )
    return (
        "your share is right on four probes: the strong colour jitter breaks many lawns' labels, the mild "
        "one few; an upside-down flip breaks about half of the brighter-half labels, a mirror none."
    )


# --- Exercise 2 ------------------------------------------------------------------------------------------

#: Exercise 2's bounds: the mean test accuracy of the recipe's three networks, trained by the check on three
#: hidden draws of the faces, on the *negatives* of the sealed test faces and on the faces as they are.
#: Pilots on base seeds 100-103 (never run by the suite), graded by this check with
#: ``augreg.checks.testing.grade(check.negatives, recipe, seed=base)`` (the recipes of
#: tests/test_checks_lesson06.py; the solution notebook's recipe is the first):
#: * ``RandomInvert(factor=(0.5, 0.5), value_range=(0, 1))`` in front of the lesson's network: negatives
#:   0.990 / 0.987 / 0.963 / 0.987, normal 0.983 / 0.990 / 0.963 / 0.983;
#: * doing nothing (the lesson's network, no augmentation): negatives 0.457 / 0.350 / 0.617 / 0.360, normal
#:   0.980 / 0.957 / 0.977 / 0.963;
#: * ``RandomInvert`` without ``value_range`` (every pixel becomes 255 - v): negatives 0.490 / 0.307 / 0.373 /
#:   0.420, normal 0.907 / 0.870 / 0.893 / 0.890;
#: * ``RandomInvert(factor=0.5, value_range=(0, 1))`` (a quarter of the images inverted): negatives 0.963 /
#:   0.980 / 0.953 / 0.973 (it passes: a smaller share of negatives is a legitimate choice).
#: The negatives' bound lies 18 points above doing nothing's best pilot and 16 below the solution's worst; the
#: normal faces' bound keeps the faces as they are in view: a recipe must not buy the negatives with them
#: (the solution's worst pilot there is 11 points above it).
_NEGATIVE_BOUND = 0.8
_NORMAL_BOUND = 0.85
#: The number of hidden draws the check trains the recipe on.
_DRAWS = 3


def _hidden_faces(seed: int, draw: int):
    """A hidden draw of the faces (split seed from the run's seed), with face and non-face swapped."""
    from ..photos import load_faces_split

    split = load_faces_split(40, 60, 100, split_seed=hidden_seed(seed, f"06.2/{draw}"))
    swap = lambda y: 1 - np.asarray(y)  # noqa: E731
    return split.x_train, swap(split.y_train), split.x_val, swap(split.y_val), split.x_test, swap(split.y_test)


def _scores(model, x, y) -> tuple[float, float]:
    """Accuracy on the faces as they are and as negatives."""
    normal = float(np.mean(predict_classes(model, x, n_classes=2) == y))
    negative = float(np.mean(predict_classes(model, 1.0 - x, n_classes=2) == y))
    return normal, negative


@_set.exercise(
    2,
    "a scanner that delivers negatives",
    level="open",
    section="sec-06-robustness",
    hints=(
        "Does a negative keep the label of a face, and which cue that the plain network leans on does it reverse?",
        "Brightness and contrast changes move or scale the pixel values but never reverse them, and dropout "
        "or L2 never show the network a reversed image. Show the network training faces in both polarities, "
        "and keep enough normal faces that it still learns them.",
        "Put `layers.RandomInvert(...)` in front of the lesson's network with `value_range=(0, 1)` (its "
        "default is 0-255) and a probability of inverting that is fixed, not drawn: `factor=(p, p)`; "
        "choose p on your validation negatives.",
    ),
)
def _negatives(recipe, seed):
    require_function(recipe, "your recipe (the function itself)")
    val, test = [], []
    for draw in range(_DRAWS):
        x_train, y_train, x_val, y_val, x_test, y_test = _hidden_faces(seed, draw)
        model = call_learner(
            recipe, x_train.copy(), y_train.copy(), x_val.copy(), y_val.copy(), seed + draw, what="your recipe"
        )
        val.append(_scores(model, x_val, y_val))
        test.append(_scores(model, x_test, y_test))
    (val_normal, val_negative), (normal, negative) = np.mean(val, axis=0), np.mean(test, axis=0)
    record_pilot("06.2", seed, negative=negative, normal=normal, val_negative=val_negative, val_normal=val_normal)
    task = (
        f"your recipe, trained by the check on {_DRAWS} draws of faces of its own (the labels swapped, so "
        "only a network trained on the faces it is given can score)"
    )
    if negative >= _NEGATIVE_BOUND and normal >= _NORMAL_BOUND:
        return (
            f"{task}: on the sealed test faces {negative:.1%} of the negatives and {normal:.1%} of the faces "
            f"as they are (bounds {_NEGATIVE_BOUND:.0%} and {_NORMAL_BOUND:.0%}; validation {val_negative:.1%} "
            f"and {val_normal:.1%})."
        )
    if val_normal < 0.65:
        raise Hint(
            f"{task}, reads only {val_normal:.1%} of the check's validation faces right as they are: did "
            "the network train on the faces and labels the recipe was given?"
        )
    which = []
    if negative < _NEGATIVE_BOUND:
        which.append(f"the negatives (bound {_NEGATIVE_BOUND:.0%})")
    if normal < _NORMAL_BOUND:
        which.append(f"the faces as they are (bound {_NORMAL_BOUND:.0%})")
    raise Hint(
        f"{task}: on the check's validation faces {val_negative:.1%} of the negatives and {val_normal:.1%} "
        f"as they are; on the sealed test faces it is below the bound for {' and '.join(which)} (the test "
        "numbers are shown only with a pass). Improve it on your validation negatives, not by retrying "
        "the check."
    )


# --- Exercise 3 ------------------------------------------------------------------------------------------


def _rule(clean, dim, plain_clean, bound, *, average=np.mean, relative=False, strict=False):
    """The amount the rule chooses (0, no augmentation, if none qualifies); the keywords give the near misses."""
    plain = average(plain_clean)
    floor = plain * (1 - bound) if relative else plain - bound
    allowed = [a for a in clean if (average(clean[a]) > floor if strict else average(clean[a]) >= floor)]
    return max(allowed, key=lambda a: average(dim[a])) if allowed else 0


def _first(values):
    return values[0]


def _best_dim(clean, dim, plain_clean, bound):
    return max(dim, key=lambda a: np.mean(dim[a]))


def _best_clean(clean, dim, plain_clean, bound):
    return max(clean, key=lambda a: np.mean(clean[a]))


#: Near misses the cases separate, and what to say about each (in the order they are recognized).
_MISSES = (
    (
        lambda *case: _rule(*case, average=_first),
        "your choice follows one seed: average each amount's accuracies over the seeds before you compare.",
    ),
    (
        lambda *case: _rule(*case, average=np.median),
        "your choice follows the median seed: the rule compares mean accuracies over the seeds.",
    ),
    (
        lambda *case: _rule(*case, strict=True),
        "an amount whose clean accuracy lies exactly on the floor is allowed: it costs no more than the bound.",
    ),
    (
        lambda *case: _rule(*case, relative=True),
        "your floor is a fraction of the plain network's accuracy; "
        "the bound is in accuracy points: the floor is the plain network's mean minus the bound.",
    ),
    (
        _best_dim,
        "you took the best amount on dim images without the clean floor: drop the amounts that cost "
        "more than the bound on clean images first.",
    ),
    (
        _best_clean,
        "you took the best amount on clean images: among the amounts that keep clean accuracy, the "
        "rule takes the best one on *dim* images.",
    ),
)


def _case(clean, dim, plain, bound):
    return ({a: list(v) for a, v in clean.items()}, {a: list(v) for a, v in dim.items()}, list(plain), bound)


#: Cases built so that each near miss chooses another amount than the rule. The values are exact binary
#: fractions, so that "on the floor" is exact: with the plain network at 0.875 and a bound of 0.125 the floor
#: is 0.75, and a relative floor would be 0.765625.
_CASES = (
    # the most robust amount costs more than the bound; the best clean amount is the least robust
    _case(
        {0.1: [0.9375] * 5, 0.3: [0.875] * 5, 0.6: [0.625] * 5},
        {0.1: [0.5] * 5, 0.3: [0.75] * 5, 0.6: [0.875] * 5},
        [0.9375] * 5,
        0.125,
    ),
    # the first seed ranks the amounts on dim images the other way than the mean does
    _case(
        {0.1: [0.875] * 5, 0.3: [0.9375] * 5}, {0.1: [0.75, 0.5, 0.5, 0.5, 0.5], 0.3: [0.625] * 5}, [0.875] * 5, 0.125
    ),
    # the median ranks them the other way than the mean
    _case(
        {0.1: [0.875] * 5, 0.3: [0.9375] * 5},
        {0.1: [0.5, 0.5, 0.75, 0.75, 0.75], 0.3: [0.625, 0.5, 0.5, 1.0, 1.0]},
        [0.875] * 5,
        0.125,
    ),
    # 0.5 lies above the absolute floor and below a relative one
    _case({0.1: [0.875] * 5, 0.5: [0.7578125] * 5}, {0.1: [0.5] * 5, 0.5: [0.75] * 5}, [0.875] * 5, 0.125),
    # 0.5 lies exactly on the floor
    _case({0.1: [0.875] * 5, 0.5: [0.75] * 5}, {0.1: [0.5] * 5, 0.5: [0.75] * 5}, [0.875] * 5, 0.125),
    # no amount keeps clean accuracy within the bound: the answer is 0, no augmentation
    _case({0.1: [0.5] * 5, 0.3: [0.25] * 5}, {0.1: [0.5] * 5, 0.3: [0.75] * 5}, [0.9375] * 5, 0.125),
)


def _random_cases(seed: int, attempt: int, n: int = 6):
    """Cases drawn anew for every attempt, so that a table of the printed cases cannot pass."""
    rng = np.random.default_rng([seed, attempt, 3])
    for _ in range(n):
        amounts = sorted(rng.choice([0.05, 0.1, 0.2, 0.3, 0.5], size=int(rng.integers(2, 5)), replace=False))
        plain = np.clip(rng.normal(0.9, 0.03, 5), 0, 1).round(3)
        clean = {
            float(a): np.clip(plain - rng.uniform(0, 0.08) + rng.normal(0, 0.02, 5), 0, 1).round(3) for a in amounts
        }
        dim = {float(a): np.clip(rng.uniform(0.4, 0.9) + rng.normal(0, 0.05, 5), 0, 1).round(3) for a in amounts}
        yield _case(clean, dim, plain, float(rng.choice([0.02, 0.03, 0.05])))


@_set.exercise(
    3,
    "how much brightness augmentation?",
    level="core",
    section="sec-06-cost",
    hints=(
        "Which amounts are you allowed to choose from at all, and among those, on which images do you compare them?",
        "Two steps: first keep the amounts whose mean clean validation accuracy is no more than `bound` "
        "below the plain network's mean (an amount exactly on that floor is kept); then take the one with "
        "the highest mean accuracy on dim images. Means over the seeds, never one seed.",
        "`floor = np.mean(plain_clean) - bound`; `allowed = [a for a in clean if np.mean(clean[a]) >= "
        "floor]`; return `max(allowed, key=lambda a: np.mean(dim[a]))`, or 0 if nothing is allowed.",
    ),
)
def _choose_amount(function, seed):
    require_function(function)
    record = _set._record(("exercise", 3))
    cases = [*_CASES, *_random_cases(seed, record.attempts)]
    for case in cases:
        clean, dim, plain, bound = case
        answer = call_learner(
            function, {a: list(v) for a, v in clean.items()}, {a: list(v) for a, v in dim.items()}, list(plain), bound
        )
        expected = _rule(*case)
        if answer == expected:
            continue
        shown = f"With bound {bound} and the plain network at {list(plain)}:"
        if expected == 0:
            raise Hint(
                f"{shown} no amount keeps its clean accuracy within the bound, and you returned "
                f"{answer!r}; return 0 then (no augmentation: the plain network stays)."
            )
        for miss, words in _MISSES:
            if miss(*case) == answer:
                raise Hint(f"{shown} {words}")
        if answer not in clean:
            raise Hint(f"{shown} return one of the amounts ({list(clean)}) or 0, got {answer!r}.")
        raise Hint(f"{shown} your rule chose {answer!r}; the rule of the exercise chooses another amount.")
    return f"your rule chooses as the exercise's rule does, on {len(cases)} sets of validation results."


# --- Check yourself: Lesson 06's questions -----------------------------------------------------------------

_set.question(
    1,
    "Why does a horizontal flip keep the label of a face but not of a digit, and why could it buy little on "
    "mirrored test faces?",
    choices=(
        "A flip never keeps a label; it only helped the faces by chance.",
        "A mirrored face is still a face and a mirrored 2 is no digit; but a network trained on nearly "
        "symmetric faces, some turned either way, already reads most mirrored faces right.",
        "Faces are larger images than digits, so the flip moves fewer pixels.",
        "The flip keeps both labels; it buys little because the faces network has too few weights.",
    ),
    answer="b",
    explanation="Keeping the label makes a flip safe to use; it helps only where the network could not "
    "already handle the flipped images. The lesson measures how much mirroring changes the plain faces "
    "network's accuracy (an exploratory interval).",
    section="sec-06-robustness",
)
_set.question(
    2,
    'You rotate square texture patches by any angle with fill_mode="constant". What have you added to the '
    "training images, and how does the lesson avoid it?",
    choices=(
        "Nothing: a constant fill is invisible to a network.",
        "Blur from the interpolation; the lesson avoids it by rotating in multiples of 90 degrees only.",
        "Black corners that only rotated images have; the lesson rotates a larger window and keeps its "
        "centre (CenterCrop), and cuts the turned test patches from real pixels the same way.",
        "A shift of the patch; the lesson avoids it with RandomTranslation.",
    ),
    answer="c",
    explanation="Whatever fills the corners is a pattern that marks rotated images, and a network can use "
    "it as a cue. Cutting the centre of a larger rotated window leaves real pixels only.",
    section="sec-06-textures",
)
_set.question(
    3,
    'A colleague adds a strong RandomHue to a classifier of ripe and unripe fruit "to make it robust to '
    'lighting". What do you expect, and what do you measure first?',
    choices=(
        "A gain: hue jitter always buys robustness to lighting.",
        "No effect: hue is a small change.",
        "A gain on ripe fruit and a loss on unripe fruit, which cancel out.",
        "Ripeness is largely a colour, so a strong hue shift can turn one label's colour into the other's; "
        "measure how many jittered images still look like their label, and whether the plain network "
        "breaks under the lighting you fear at all.",
    ),
    answer="d",
    explanation="Under the lesson's strong jitter, many training lawns took the other class's colour (a "
    "fact the lesson checks on every seed): the augmentation writes wrong labels. And a network that "
    "hardly breaks under another light leaves jitter little to buy.",
    section="sec-06-colour",
)
_set.question(
    4,
    "Test images will be noisy. Which do you add, and what else do you measure?",
    choices=(
        "GaussianNoise on the input, and the other changes the images will see: on them the same input noise "
        "can do worse than the plain network.",
        "Dropout, because it adds noise during training, and nothing else.",
        "Either: dropout and input noise are the same technique.",
        "L2, because noise is a kind of overfitting.",
    ),
    answer="a",
    explanation="Input noise shows the network noisy images; dropout perturbs hidden units and never shows "
    "it one. On noisy faces input noise beat dropout, and on shifted faces the same input noise lost to "
    "the plain network (both primary claims of the lesson).",
    section="sec-06-noise",
)
_set.question(
    5,
    "Your augmentation does not lower clean validation accuracy. Is it therefore harmless?",
    choices=(
        "Yes: clean validation accuracy is the measure of harm.",
        "Not necessarily: it can cost accuracy on changes it does not simulate, or break the labels of a "
        "task; measure on the changes the model will meet.",
        "Yes, provided the training accuracy does not fall either.",
        "No: every augmentation costs accuracy somewhere, so never use one.",
    ),
    answer="b",
    explanation="The lesson's strong colour jitter gave many training lawns the other class's colour (a "
    "fact the lesson checks on every seed): a harm to the labels that no clean score measures. Harm shows "
    "on the labels and on the images the model will meet.",
    section="sec-06-cost",
)
