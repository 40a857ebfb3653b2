"""Checks of exercise set 05 (side by side): ``from augreg.checks.lesson05 import check``.

Everything but ``check`` is private and hidden from ``dir``; the truths are computed from data the
learner never receives.

* Exercise 1 grades ``paired_interval(a, b)`` on fixed cases and on per-seed accuracies drawn anew for
  every attempt, against the Student-t interval of the paired differences. It must be written, not handed
  to ``augreg.paired_difference`` (or its siblings): the check notices a call to them, a reference to
  them, and an :class:`~augreg.stats.Interval` returned.
* Exercise 2 grades a rule ``most_invariant(curves)`` on robustness curves built to separate the near
  misses (the highest perturbed accuracy, the first level, the best clean accuracy, the points lost
  instead of the share kept, the area under the curve), on curves drawn anew for every attempt, and on
  three real networks the check trains itself (plain, dropout, shift augmentation) on digits of its own,
  under names shuffled for every attempt: the rule must find the augmented one.
* Exercise 3 (open) grades an augmentation, a function that returns Keras preprocessing layers: the check
  trains the lesson's network with them and without them on digits of its own (several draws, the ten
  classes relabelled), and measures both on its sealed test digits, half of them shrunk. See
  :data:`_MIX_BOUND` for the bound and its pilots.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from . import ExerciseSet, Hint
from .evidence import call_learner, record_pilot, require_function, sealed_split, sealed_verdict

_set = ExerciseSet("05", "05-side-by-side")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


# --- the lesson's network and budget ------------------------------------------------------------------

#: The lesson's training budget (Lesson 05, "How the budget was chosen"): Adam, a cosine decay from
#: _RATE to zero over _STEPS steps of _BATCH digits, 100 training digits.
_RATE, _STEPS, _BATCH, _N_TRAIN = 1e-2, 300, 32, 100


def _make_network(seed: int, augmentation=(), rate: float = 0.0):
    """Lesson 05's network (no L2), with ``augmentation`` layers in front and dropout at ``rate``."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    conv16 = layers.Conv2D(16, 3, padding="same", activation="relu")
    conv32 = layers.Conv2D(32, 3, padding="same", activation="relu")
    hidden = layers.Dense(64, activation="relu")
    output = layers.Dense(10, activation="softmax")
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            *augmentation,
            conv16,
            conv32,
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(rate),
            hidden,
            layers.Dropout(rate),
            output,
        ]
    )


def _train(models, splits, seeds):
    """Train ``models[i]`` on ``splits[i]`` in the batch order of ``seeds[i]``, with the lesson's budget."""
    import keras

    from ..parallel import fit_in_parallel

    schedule = keras.optimizers.schedules.CosineDecay(_RATE, decay_steps=_STEPS)
    fit_in_parallel(
        models,
        [s.x_train for s in splits],
        [s.y_train for s in splits],
        seeds=list(seeds),
        steps=_STEPS,
        batch_size=_BATCH,
        optimizer=keras.optimizers.Adam(schedule),
    )
    return models


def _accuracy(model, x, y) -> float:
    from ..training import accuracy

    return accuracy(model, x, y)


# --- Exercise 1 ------------------------------------------------------------------------------------------

#: Fixed cases: per-seed accuracies (a, b) of two arms on the same seeds. The first pair moves together
#: from seed to seed (pairing matters); the second has eight seeds and a loss.
_INTERVAL_CASES = (
    (np.array([0.91, 0.85, 0.95, 0.88, 0.80]), np.array([0.88, 0.83, 0.91, 0.86, 0.79])),
    (
        np.array([0.70, 0.74, 0.69, 0.75, 0.72, 0.71, 0.73, 0.76]),
        np.array([0.72, 0.73, 0.72, 0.78, 0.73, 0.75, 0.72, 0.79]),
    ),
)


def _random_cases(seed: int, attempt: int, n: int = 3):
    """Per-seed accuracies drawn anew for every attempt: a table of answers typed from a failure cannot pass."""
    rng = np.random.default_rng([seed, attempt, 5])
    for _ in range(n):
        seeds = int(rng.integers(5, 10))
        base = rng.uniform(0.6, 0.95, seeds)
        yield (np.round(base + rng.normal(0.02, 0.02, seeds), 4), np.round(base, 4))


def _truth(a, b) -> tuple[float, float, float]:
    from ..stats import paired_difference

    interval = paired_difference(a, b)
    return interval.mean, interval.low, interval.high


def _wrong_intervals(a, b):
    """(description, (mean, low, high)) of the plausible wrong ways to compute the interval of a - b."""
    from scipy import stats

    d, n = a - b, len(a)
    t, z = stats.t.ppf(0.975, n - 1), stats.norm.ppf(0.975)
    sd0, sd1 = d.std(ddof=0), d.std(ddof=1)
    unpaired = np.sqrt(a.var(ddof=1) / n + b.var(ddof=1) / n)
    mean = d.mean()
    return [
        (
            "the standard deviation with ddof=0: with n seeds the sample standard deviation divides by n - 1",
            (mean, mean - t * sd0 / np.sqrt(n), mean + t * sd0 / np.sqrt(n)),
        ),
        (
            "the normal quantile: with a handful of seeds the interval needs Student's t with n - 1 degrees of freedom",
            (mean, mean - z * sd1 / np.sqrt(n), mean + z * sd1 / np.sqrt(n)),
        ),
        (
            "the normal quantile: with a handful of seeds the interval needs Student's t with n - 1 degrees of freedom",
            (mean, mean - 1.96 * sd1 / np.sqrt(n), mean + 1.96 * sd1 / np.sqrt(n)),
        ),
        (
            "Student's t with n degrees of freedom: a mean estimated from n differences leaves n - 1",
            (mean, mean - stats.t.ppf(0.975, n) * sd1 / np.sqrt(n), mean + stats.t.ppf(0.975, n) * sd1 / np.sqrt(n)),
        ),
        (
            "the spread of each arm separately (an unpaired interval): the arms share seeds, so take the "
            "difference per seed first and the spread of those differences",
            (mean, mean - t * unpaired, mean + t * unpaired),
        ),
        ("the standard deviation instead of the standard error of the mean", (mean, mean - t * sd1, mean + t * sd1)),
        (
            "a 97.5 % interval: 0.975 is the quantile of a two-sided 95 % interval, not its level",
            (
                mean,
                mean - stats.t.ppf(0.9875, n - 1) * sd1 / np.sqrt(n),
                mean + stats.t.ppf(0.9875, n - 1) * sd1 / np.sqrt(n),
            ),
        ),
    ]


def _augreg_intervals() -> dict:
    """augreg's own interval helpers, by the names a learner could reach them under."""
    from .. import claims, stats

    return {
        "paired_difference": stats.paired_difference,
        "mean_interval": stats.mean_interval,
        "interval": claims.interval,
    }


def _referenced_functions(function):
    """The global names ``function`` (and the functions nested in it) refers to, resolved in its globals."""
    code_objects, names = [getattr(function, "__code__", None)], set()
    while code_objects:
        code = code_objects.pop()
        if code is None:
            continue
        names.update(code.co_names)
        code_objects += [c for c in code.co_consts if hasattr(c, "co_names")]
    scope = getattr(function, "__globals__", {})
    return {scope[name] for name in names if name in scope and callable(scope[name])}


@contextlib.contextmanager
def _watching_augreg(calls: list):
    """Replace augreg's interval helpers by spies that note a call, in every module that offers them."""
    import augreg

    from .. import claims, stats

    own = _augreg_intervals()
    homes = [
        (augreg, "paired_difference"),
        (augreg, "mean_interval"),
        (stats, "paired_difference"),
        (stats, "mean_interval"),
        (claims, "interval"),
    ]
    saved = [(module, name, getattr(module, name)) for module, name in homes]

    def spy(name):
        def called(*args, **kwargs):
            calls.append(name)
            return own[name](*args, **kwargs)

        return called

    try:
        for module, name in homes:
            setattr(module, name, spy(name))
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def _as_triple(value) -> tuple[float, float, float]:
    from ..stats import Interval

    if isinstance(value, Interval):
        raise Hint(
            "your function returns augreg's own Interval: the exercise asks you to compute the mean "
            "and its interval yourself."
        )
    try:
        triple = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise Hint(f"return three numbers (mean, low, high), got {type(value).__name__}") from None
    if len(triple) != 3:
        raise Hint(f"return three numbers (mean, low, high), got {len(triple)}")
    return triple


@_set.exercise(
    1,
    "a paired interval by hand",
    level="warm-up",
    section="sec-fair",
    hints=(
        "Two arms trained on the same seeds share each seed's luck: what should you take per seed before "
        "you look at the spread, and how many seeds does that spread come from?",
        "Take the difference per seed, then its mean and its standard error (the sample standard "
        "deviation, ddof=1, divided by the square root of the number of seeds). With a handful of seeds "
        "the quantile comes from Student's t, not the normal distribution.",
        "`d = np.asarray(a) - np.asarray(b)`, `n = len(d)`, `half = scipy.stats.t.ppf(0.975, n - 1) * "
        "d.std(ddof=1) / np.sqrt(n)`; return `(d.mean(), d.mean() - half, d.mean() + half)`.",
    ),
)
def _paired_interval(function, seed):
    require_function(function)
    own = set(_augreg_intervals().values())
    used = [f.__name__ for f in _referenced_functions(function) if f in own]
    if used:
        raise Hint(
            f"your function calls augreg's {used[0]}: the exercise asks you to write the interval "
            "yourself, with NumPy and scipy.stats."
        )
    record = _set._record(("exercise", 1))
    for a, b in [*_INTERVAL_CASES, *_random_cases(seed, record.attempts)]:
        calls: list = []
        with _watching_augreg(calls):
            answer = call_learner(function, a.copy(), b.copy())
        if calls:
            raise Hint(
                f"your function calls augreg.{calls[0]}: the exercise asks you to write the interval "
                "yourself, with NumPy and scipy.stats."
            )
        got = _as_triple(answer)
        right = _truth(a, b)
        if np.allclose(got, right, atol=1e-9):
            continue
        if np.allclose(got, [100 * v for v in right], atol=1e-6):
            raise Hint("return fractions of accuracy (0.03), not points (3.0): the inputs are fractions.")
        if np.allclose(got, [-right[0], -right[2], -right[1]], atol=1e-9):
            raise Hint("you computed b - a: the difference is a - b (the first arm minus the second).")
        if not np.isclose(got[0], right[0], atol=1e-9):
            raise Hint("your mean is not the mean of the per-seed differences a - b.")
        for words, wrong in _wrong_intervals(a, b):
            if np.allclose(got, wrong, atol=1e-9):
                raise Hint(f"close: your interval uses {words}.")
        raise Hint(
            "your mean is right, but the interval's ends are not those of the Student-t 95 % "
            "interval of the mean of the per-seed differences."
        )
    return "the mean of the per-seed differences, Student's t with n - 1 degrees of freedom, ddof=1."


# --- Exercise 2 ------------------------------------------------------------------------------------------

#: (curves, why) built so that each near miss picks another network than the share kept at the largest
#: perturbation; the truth of each is :func:`_keeps_most`.
_INVARIANCE_CASES = (
    ({"A": [0.97, 0.40], "B": [0.95, 0.85], "C": [0.98, 0.45]}, "the obvious case"),
    (
        {"A": [0.90, 0.80], "B": [0.99, 0.82], "C": [0.80, 0.79]},
        "the network with the highest shifted accuracy is not the one that lost least",
    ),
    (
        {"p": [0.96, 0.70, 0.30], "q": [0.92, 0.88, 0.60], "r": [0.97, 0.50, 0.20]},
        "three perturbation sizes: compare the clean level with the largest",
    ),
    (
        {"A": [0.94, 0.90, 0.30], "B": [0.96, 0.70, 0.60], "C": [0.90, 0.60, 0.20]},
        "the network that holds up best at the first perturbation collapses at the largest",
    ),
    (
        {"A": [0.95, 0.93, 0.40], "B": [0.95, 0.70, 0.60], "C": [0.95, 0.60, 0.30]},
        "the largest area under the curve belongs to a network that collapses at the largest perturbation",
    ),
    (
        {"A": [0.99, 0.80], "B": [0.60, 0.45], "C": [0.97, 0.50]},
        "clean accuracies far apart: the share kept, not the points lost",
    ),
    (
        {"A": [0.95, 0.94, 0.30], "B": [0.95, 0.60, 0.58], "C": [0.95, 0.88, 0.50]},
        "one network holds up best at the first perturbation, another has the largest area, a third keeps the "
        "most at the largest",
    ),
)


def _keeps_most(curves) -> str:
    """The truth: the name whose accuracy at the largest perturbation keeps the largest share of its clean one."""
    return max(curves, key=lambda name: curves[name][-1] / curves[name][0])


_AREA = (
    "the area under the curve: a network that holds up at the small perturbations and collapses at "
    "the largest has a large area; compare the clean level with the *largest* perturbation"
)
#: The near misses the check names, each a rule of (curves) -> name.
_RULES = (
    (
        "the network with the highest accuracy at the largest perturbation: a network can be better everywhere "
        "without being more invariant",
        lambda c: max(c, key=lambda n: c[n][-1]),
    ),
    (_AREA, lambda c: max(c, key=lambda n: np.mean(c[n]) / c[n][0])),
    (_AREA, lambda c: max(c, key=lambda n: np.mean(c[n]))),
    (_AREA, lambda c: max(c, key=lambda n: np.trapezoid(c[n]) / c[n][0])),
    (_AREA, lambda c: max(c, key=lambda n: np.trapezoid(c[n]))),
    (
        "the first perturbation level: the largest perturbation is the last value of a curve",
        lambda c: max(c, key=lambda n: c[n][1] / c[n][0]),
    ),
    (
        "the points lost: with clean accuracies far apart, the share of its clean accuracy a network keeps "
        "is what says how invariant it is",
        lambda c: min(c, key=lambda n: c[n][0] - c[n][-1]),
    ),
    (
        "the best clean accuracy: the question is how much of it a network keeps when the input moves",
        lambda c: max(c, key=lambda n: c[n][0]),
    ),
)


def _random_curves(seed: int, attempt: int, n: int = 4):
    """Curves drawn anew for every attempt, each with one clear winner."""
    rng = np.random.default_rng([seed, attempt, 52])
    made = 0
    while made < n:
        names = [f"net {chr(65 + i)}" for i in range(int(rng.integers(3, 5)))]
        levels = int(rng.integers(2, 5))
        curves = {}
        for name in names:
            clean = rng.uniform(0.7, 0.99)
            kept = np.sort(rng.uniform(0.2, 1.0, levels - 1))[::-1]
            curves[name] = [round(float(clean), 3)] + [round(float(clean * k), 3) for k in kept]
        shares = sorted(c[-1] / c[0] for c in curves.values())
        if shares[-1] - shares[-2] > 0.03:
            made += 1
            yield curves


@functools.lru_cache(maxsize=4)
def _real_curves(seed: int) -> dict:
    """Validation accuracy, shifted by 0, 1 and 2 pixels, of three networks the check trains itself."""
    from keras import layers

    from ..robustness import shift_images

    split = sealed_split(seed, "05.2", n_train=_N_TRAIN)
    init = int(np.random.default_rng([seed, 52]).integers(2**31))
    recipes = {
        "plain": {},
        "dropout": {"rate": 0.5},
        "augmented": {
            "augmentation": [layers.RandomTranslation(1 / 8, 1 / 8, fill_mode="constant", interpolation="nearest")]
        },
    }
    models = {name: _make_network(init, **settings) for name, settings in recipes.items()}
    _train(list(models.values()), [split] * len(models), [init] * len(models))
    shifted = [shift_images(split.x_val, p, seed=init) for p in (0, 1, 2)]
    return {name: [_accuracy(model, x, split.y_val) for x in shifted] for name, model in models.items()}


def _as_name(answer, names) -> str:
    if answer not in names:
        raise Hint(f"return one of the names of the curves ({', '.join(map(str, names))}), got {answer!r}")
    return answer


@_set.exercise(
    2,
    "which network was augmented?",
    level="core",
    section="sec-robustness",
    hints=(
        "A network that is better on every image is not more invariant: what should each network's "
        "perturbed accuracy be compared with, and at which perturbation?",
        "Compare each network with itself: its accuracy at the largest perturbation (the last value of "
        "its curve) as a share of its clean accuracy (the first value). The highest share wins.",
        "`max(curves, key=lambda name: curves[name][-1] / curves[name][0])`.",
    ),
)
def _most_invariant(function, seed):
    require_function(function, "your rule (the function itself)")
    record = _set._record(("exercise", 2))
    cases = [*_INVARIANCE_CASES, *((c, "a case drawn for this attempt") for c in _random_curves(seed, record.attempts))]
    answers = [
        _as_name(call_learner(function, {k: list(v) for k, v in curves.items()}, what="your rule"), list(curves))
        for curves, _ in cases
    ]
    wrong = [(curves, why, answer) for (curves, why), answer in zip(cases, answers) if answer != _keeps_most(curves)]
    if wrong:
        curves, why, answer = wrong[0]
        shown = ", ".join(f"{k}: {v}" for k, v in curves.items())
        for words, rule in _RULES:  # the near miss that gives every answer the learner's rule gave
            if all(rule(c) == a for (c, _), a in zip(cases, answers)):
                raise Hint(f"on the curves {{{shown}}} ({why}) your rule picks {answer!r}: it looks like {words}.")
        raise Hint(
            f"on the curves {{{shown}}} ({why}) your rule picks {answer!r}, and another network keeps a "
            "larger share of its clean accuracy at the largest perturbation."
        )
    real = _real_curves(seed)
    rng = np.random.default_rng([seed, record.attempts, 53])
    anonymous = dict(zip(rng.permutation(list(real)), ["network A", "network B", "network C"]))
    curves = {anonymous[name]: curve for name, curve in real.items()}
    answer = _as_name(call_learner(function, {k: list(v) for k, v in curves.items()}, what="your rule"), list(curves))
    if answer != anonymous["augmented"]:
        raise Hint(
            "on three networks the check trained itself (plain, dropout, shift augmentation), your "
            "rule did not pick the augmented one."
        )
    record_pilot("05.2", seed, **{f"{name}_{p}px": v for name, curve in real.items() for p, v in enumerate(curve)})
    return (
        "your rule keeps the largest share of the clean accuracy, and it found the augmented network among "
        "three the check trained itself."
    )


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: How much smaller the new users' digits are (a fixed zoom out, black border): a setting of the task.
_SHRINK = 0.3
#: Draws (hidden splits, each with its own initial weights) the check trains on, for each of the
#: learner's augmentation and the plain network.
_DRAWS = 3
#: The bound: the mean accuracy over the draws on the sealed test digits, half of them shrunk (the mean
#: of the clean and the small digits' accuracy). Pilots on base seeds 100-103 (never run by the suite), on
#: this check with the lesson's budget:
#: * the solution (``python -m augreg_tools.exercises pilot 05 --bases 100 101 102 103``: the candidate
#:   validation chose on the mix): 0.905 / 0.897 / 0.900 / 0.912 (validation 0.915 / 0.902 / 0.905 / 0.912);
#: * doing nothing (an ``Identity`` layer; graded with ``augreg.checks.testing.grade(..., seed=base)``):
#:   0.670 / 0.669 / 0.678 / 0.681;
#: * a zoom that only shrinks, ``RandomZoom((0.1, 0.5))``: 0.875 / 0.874 / 0.870 / 0.883 (it passes: a
#:   sound decision, a little worse on the clean half).
#: The bound lies between: 12 points above the best "do nothing" pilot, 9.7 below the solution's worst.
_MIX_BOUND = 0.80


def _shrink(x):
    from keras import layers

    return np.asarray(layers.RandomZoom((_SHRINK, _SHRINK), fill_mode="constant")(x, training=True))


def _augmentation_layers(function) -> list:
    import keras

    layers = call_learner(function, what="your augmentation function")
    if isinstance(layers, keras.layers.Layer):
        layers = [layers]
    if not isinstance(layers, (list, tuple)) or not layers:
        raise Hint("your augmentation function should return a list of Keras preprocessing layers.")
    for layer in layers:
        if isinstance(layer, keras.Model) or not isinstance(layer, keras.layers.Layer):
            raise Hint(
                f"your augmentation function returned {type(layer).__name__}: return Keras "
                "preprocessing layers (keras.layers.RandomZoom, ...), which the check puts in front of "
                "the lesson's network."
            )
    return list(layers)


def _layer_problem(layer) -> str | None:
    """A diagnosis of a common mistake in one augmentation layer, or None (for a hint, never for grading)."""
    config = layer.get_config() if hasattr(layer, "get_config") else {}
    if type(layer).__name__ == "RandomZoom":
        factor = np.broadcast_to(np.asarray(config.get("height_factor"), dtype=float), (2,))
        if factor.max() <= 0:
            return (
                "RandomZoom with negative factors zooms *in* (larger digits), while the new digits are "
                "smaller: a positive factor zooms out."
            )
    if config.get("fill_mode") not in (None, "constant"):
        return (
            f"{type(layer).__name__} fills the border with fill_mode={config['fill_mode']!r}, which copies "
            "strokes into the black background of a digit."
        )
    return None


@_set.exercise(
    3,
    "a new invariance",
    level="open",
    section="sec-robustness",
    hints=(
        "An augmentation buys the invariance it encodes: which transformation turns a training digit into "
        "one of the new users' digits, and what must the network still read well?",
        "Zoom out, with a black border, and let the range include digits of the old size: the network will "
        "read both. Compare your candidates on the validation mix, not on the small digits alone.",
        "One augmentation that passes: `[keras.layers.RandomZoom((-0.1, 0.4), fill_mode='constant')]`.",
    ),
)
def _small_digits(augmentation, seed):
    require_function(augmentation, "your augmentation function (the function itself)")
    for layer in _augmentation_layers(augmentation):
        problem = _layer_problem(layer)
        if problem:
            raise Hint(problem)
    splits, models, seeds = [], [], []
    for draw in range(_DRAWS):
        split = sealed_split(seed, f"05.3/{draw}", n_train=_N_TRAIN)
        init = int(np.random.default_rng([seed, draw, 53]).integers(2**31))
        for layers in ([], _augmentation_layers(augmentation)):
            models.append(_make_network(init, augmentation=layers))
            splits.append(split)
            seeds.append(init)
    try:
        _train(models, splits, seeds)
    except ValueError as error:
        raise Hint(f"the check could not train with your layers: {error}. Return new layers at every call.") from None
    scores = {"none": {"val": [], "test": []}, "yours": {"val": [], "test": []}}
    for index, (model, split) in enumerate(zip(models, splits)):
        arm = "yours" if index % 2 else "none"
        for part in ("val", "test"):
            x, y = getattr(split, f"x_{part}"), getattr(split, f"y_{part}")
            scores[arm][part].append((_accuracy(model, x, y) + _accuracy(model, _shrink(x), y)) / 2)
    validation, test = float(np.mean(scores["yours"]["val"])), float(np.mean(scores["yours"]["test"]))
    record_pilot(
        "05.3",
        seed,
        test=test,
        validation=validation,
        none_test=float(np.mean(scores["none"]["test"])),
        none_validation=float(np.mean(scores["none"]["val"])),
    )
    task = (
        f"your augmentation, trained by the check on {_DRAWS} draws of digits of its own and scored on "
        "a half-and-half mix of clean and small digits"
    )
    return sealed_verdict(test, _MIX_BOUND, validation=validation, task=task)


# --- Check yourself: Lesson 05's questions -----------------------------------------------------------------

_set.question(
    1,
    "Why may each technique try only three settings, and why does the validation split choose them rather "
    "than the test split?",
    choices=(
        "Three settings are enough to find the best one of any technique.",
        "Every extra setting is another chance to win by luck, so the tuning budget is equal; and a split "
        "that chose a setting no longer gives an unbiased estimate of it.",
        "The test split is too small to choose on.",
        "Keras's tuners try three settings by default.",
    ),
    answer="b",
    explanation="An equal tuning budget keeps the trial fair, and the training budget follows one rule for "
    "every arm; the test digits report, they never choose.",
    section="sec-tuning",
)
_set.question(
    2,
    "Over six seeds, A minus B is 0.8 points, with a 95 % interval from minus 0.4 to 2.6 points; the margin "
    'of "no loss larger than" is 2 points. What may you say?',
    choices=(
        "A beats B.",
        "A is about the same as B, within 2 points.",
        'A loses no more than 2 points to B, but "A beats B" is not resolved.',
        "Nothing at all: the interval contains zero.",
    ),
    answer="c",
    explanation='The interval contains zero, so "beats" is not resolved; its whole range lies above minus 2, '
    'so "no loss larger than 2 points" holds. "About the same" would need the upper end below 2 as well.',
    section="sec-trade",
)
_set.question(
    3,
    "Dropout and shift augmentation both raise accuracy on clean digits. Which would you choose for a model "
    "that will read digits shifted by a pixel?",
    choices=(
        "Either: they both reduce overfitting, so both make the model robust.",
        "Dropout: it adds noise everywhere, so it covers every variation.",
        "L2: a smaller network is less sensitive to its input.",
        "Shift augmentation (or a network built not to see position): it encodes exactly that invariance.",
    ),
    answer="d",
    explanation="On digits shifted by one pixel augmentation beat both no technique and dropout (the lesson's "
    "primary claims): dropout bought less of that invariance than augmentation, and what it bought on its own "
    "over no technique is only exploratory.",
    section="sec-robustness",
)
_set.question(
    4,
    "How do you measure the training error of a network trained with dropout and augmentation?",
    choices=(
        "Read the last training accuracy that fit reports.",
        "In inference mode, on the clean training images.",
        "On the augmented training images, with dropout on, as in training.",
        "It cannot be measured: augmentation changes the training set.",
    ),
    answer="b",
    explanation="fit reports on augmented images with dropout on, while the weights change. In inference mode "
    "on the clean images, dropout gave up no more than the margin of training accuracy (a trade smaller than "
    "the margin is not ruled out), and every network fit its training digits.",
    section="sec-trade",
)
_set.question(
    5,
    "Augmentation gains some points on clean digits, dropout some others. Do you get the sum when you use both?",
    choices=(
        "Yes: effects on different parts of the training loop add up.",
        "No: two techniques always cancel out.",
        "It has to be measured: the interaction gets its own interval, and in this lesson it is exploratory.",
        "Only if the two are tuned together on the test split.",
    ),
    answer="c",
    explanation="The interaction (what dropout adds to augmentation minus what it adds alone) has its own "
    "interval over seeds; the lesson shows it as exploratory, not as a finding either way.",
    section="sec-together",
)
