"""Evidence a check owns: it takes what the learner built, draws its own data, trains and measures itself.

A grade means something only if the learner cannot hand in the numbers it rests on. The helpers here let
a grader

* accept only what the learner *built* (a function, a layer, a model factory, a chosen setting) and turn
  typed-in evidence (a number, a list or array of numbers, a dict of them, a string, a split object) into
  a hint: :func:`require_function`, :func:`require_setting`, :func:`reject_typed_evidence`;
* call the learner's code with its crashes turned into hints: :func:`call_learner`;
* draw data the learner never receives: :func:`sealed_split` is a train / validation / test draw from a
  split seed derived from the run's seed and the exercise (:func:`hidden_seed`), optionally with the ten
  classes relabelled by a hidden permutation, so that neither a model trained on the notebook's data nor a
  lookup table of the notebook's labels can score on it;
* give the notebook its own data without the test split: :func:`working_split` (``x_test`` raises);
* measure in inference mode: :func:`predict_classes`, :func:`accuracy`;
* report a sealed verdict: :func:`sealed_verdict` shows the test number only with a pass; a miss shows
  the validation number and says that the sealed test is below the bound;
* record pilot measurements for the bounds: :func:`record_pilot` (active only when ``AUGREG_PILOT_LOG``
  names a file; ``python -m augreg_tools.exercises pilot`` sets it).

The test split is sealed like this (the course's decision for every open task): the learner's notebook
holds training and validation digits only; the check trains the learner's recipe on a *second, hidden
draw* and measures it there, once per attempt, on that draw's test split; a failed attempt reports the
validation score of the check's run and never a test number. Attempts are counted in ``check.progress()``.
"""

from __future__ import annotations

import json
import numbers
import os
import zlib
from dataclasses import dataclass

import numpy as np

from . import Hint, NotAttempted, is_stub

#: Split seeds derived by :func:`hidden_seed` lie in [OFFSET, OFFSET + SPAN): far above every seed a
#: lesson or notebook draws (base * 1000 + i for bases below 1000).
HIDDEN_SEED_OFFSET, HIDDEN_SEED_SPAN = 10**6, 10**6
#: Environment variable naming the file that :func:`record_pilot` appends to.
PILOT_LOG_VARIABLE = "AUGREG_PILOT_LOG"


def _looks_like_a_split(value) -> bool:
    return any(hasattr(value, name) for name in ("x_train", "x_val", "x_test", "y_train", "y_test"))


def reject_typed_evidence(value, what: str) -> None:
    """Raise :class:`Hint` if ``value`` is evidence typed in rather than something built.

    Typed evidence: a number, a boolean, a string, a list / tuple / array / dict holding numbers, a split
    object (anything with ``x_train``, ``x_test``, ...). ``what`` names the expected answer in the hint
    ("your function").
    """
    if _looks_like_a_split(value):
        raise Hint(f"pass {what}, not a data split: the check draws its own digits and measures on them.")
    if isinstance(value, (bool, numbers.Number, np.generic, str, bytes)):
        raise Hint(
            f"pass {what}, not a value ({type(value).__name__}): the check runs your code on data of "
            "its own and computes every number it grades."
        )
    if isinstance(value, (list, tuple, dict, set, np.ndarray)):
        raise Hint(
            f"pass {what}, not a {type(value).__name__} of results: the check runs your code on data "
            "of its own and computes every number it grades."
        )


def require_function(value, what: str = "your function"):
    """``value`` if it is callable; :class:`NotAttempted` for the stub ``...``; else a :class:`Hint`."""
    if is_stub(value):
        raise NotAttempted
    reject_typed_evidence(value, what)
    if hasattr(value, "predict") and hasattr(value, "layers"):  # a Keras model is callable, but not a recipe
        raise Hint(
            f"pass {what}, not a trained model: the check calls your function on data of its own "
            "and trains or measures what it returns."
        )
    if not callable(value):
        raise Hint(f"pass {what}, got {type(value).__name__}: define it with `def ...:`.")
    return value


def require_setting(value, choices, what: str):
    """A chosen setting, checked against ``choices`` (a sequence of allowed values or a ``(low, high)`` range).

    The check then trains with the setting itself: a setting is the learner's decision, not evidence.
    """
    if is_stub(value):
        raise NotAttempted
    if isinstance(choices, tuple) and len(choices) == 2 and all(isinstance(c, numbers.Real) for c in choices):
        low, high = choices
        if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
            raise Hint(f"{what} is one number between {low} and {high}, got {type(value).__name__}")
        if not low <= float(value) <= high:
            raise Hint(f"{what} must lie between {low} and {high}, got {value}")
        return value
    if value not in list(choices):
        raise Hint(f"{what} is one of {list(choices)}, got {value!r}")
    return value


def call_learner(function, *args, what: str = "your function"):
    """Call the learner's ``function``; its crash, a forgotten ``return`` or a stub become outcomes.

    Raises :class:`NotAttempted` if it returns ``...``, :class:`Hint` if it raises or returns ``None``.
    """
    try:
        result = function(*args)
    except (Hint, NotAttempted):
        raise
    except Exception as exc:  # the learner's bug, reported as a hint
        raise Hint(f"{what} raised {type(exc).__name__}: {exc}") from None
    if is_stub(result):
        raise NotAttempted
    if result is None:
        raise Hint(f"{what} returned None: did you forget the `return` statement?")
    return result


def hidden_seed(seed: int, key: str) -> int:
    """The split seed of the check's own draw for exercise ``key`` on base seed ``seed``.

    Deterministic (a run is reproducible), different for every exercise, and never a seed the notebook
    draws its own data with.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return HIDDEN_SEED_OFFSET + zlib.crc32(f"{key}/{int(seed)}".encode()) % HIDDEN_SEED_SPAN


@dataclass(frozen=True)
class SealedSplit:
    """The check's own draw: train, validation and the sealed test split, labels possibly relabelled."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    permutation: np.ndarray  #: label c of the digits data is ``permutation[c]`` here

    def __repr__(self) -> str:
        return (
            f"SealedSplit(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)} "
            "images, drawn by the check)"
        )


def sealed_split(
    seed: int, key: str, *, n_train: int = 300, n_val: int = 400, n_test: int = 500, relabel: bool = True
) -> SealedSplit:
    """The digits drawn by a check from :func:`hidden_seed` ``(seed, key)``.

    With ``relabel=True`` (for tasks that never use what a digit means) the ten classes are renamed by a
    permutation drawn from the same hidden seed, in all three splits: a model trained on the notebook's
    labels, or a table of them, scores at chance here, while any recipe that learns from the labels it is
    given is unaffected.
    """
    from ..data import load_digits_split

    split_seed = hidden_seed(seed, key)
    draw = load_digits_split(n_train, n_val, n_test, split_seed=split_seed)
    permutation = np.arange(10)
    if relabel:
        rng = np.random.default_rng(split_seed)
        while np.any(permutation == np.arange(10)):  # no digit keeps its label
            permutation = rng.permutation(10)
    return SealedSplit(
        draw.x_train,
        permutation[draw.y_train],
        draw.x_val,
        permutation[draw.y_val],
        draw.x_test,
        permutation[draw.y_test],
        permutation,
    )


@dataclass(frozen=True)
class WorkingSplit:
    """The digits a notebook works with: training and validation only; the test split is sealed.

    ``x_test`` and ``y_test`` raise ``AttributeError`` with a message: the check measures on a test split
    of its own, and the notebook never needs one.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    split_seed: int

    def __getattr__(self, name):
        if name in ("x_test", "y_test"):
            raise AttributeError(
                f"{name}: the test digits are sealed; choose on x_val / y_val, and the check "
                "measures the test split itself"
            )
        raise AttributeError(name)

    def __repr__(self) -> str:
        return (
            f"WorkingSplit(train={len(self.y_train)}, val={len(self.y_val)} images, test sealed, "
            f"split_seed={self.split_seed})"
        )


def working_split(n_train: int = 300, n_val: int = 400, *, seed: int) -> WorkingSplit:
    """The notebook's digits: :func:`augreg.load_digits_split` ``(n_train, n_val, split_seed=seed)`` without
    its test split."""
    from ..data import load_digits_split

    draw = load_digits_split(n_train, n_val, split_seed=seed)
    return WorkingSplit(draw.x_train, draw.y_train, draw.x_val, draw.y_val, seed)


def predict_classes(model, x, n_classes: int = 10) -> np.ndarray:
    """The classes a learner's model predicts for ``x``, in inference mode; a :class:`Hint` if it is no model.

    Keras models are called eagerly with ``training=False`` (augmentation off, dropout off; no prediction
    graph traced for each new model); anything else needs a ``predict`` method returning one row of
    ``n_classes`` scores per input.
    """
    import keras

    reject_typed_evidence(model, "the trained model")
    if isinstance(model, keras.Model):
        out = model(np.asarray(x), training=False)
    elif hasattr(model, "predict"):
        out = model.predict(x)
    else:
        raise Hint(f"return the trained Keras model, got {type(model).__name__}")
    out = np.asarray(out)
    if out.ndim != 2 or out.shape != (len(x), n_classes):
        raise Hint(f"the model should output {n_classes} scores per image, got shape {out.shape}")
    return np.argmax(out, axis=1)


def accuracy(model, x, y) -> float:
    """The fraction of ``x`` that ``model`` classifies as ``y`` (inference mode)."""
    return float(np.mean(predict_classes(model, x) == np.asarray(y)))


def sealed_verdict(test: float, bound: float, *, validation: float, task: str) -> str:
    """The pass message, or a :class:`Hint` that shows the validation score and no test number.

    Args:
        test: the score on the check's sealed test split (higher is better).
        bound: the score to reach (from pilots; the grader's docstring says which).
        validation: the score on the check's validation split, the learner's feedback.
        task: what was measured, for the message ("your recipe on 40 % wrong labels").
    """
    if test >= bound:
        return f"{task}: {test:.1%} on the sealed test digits (the bound is {bound:.0%}; validation {validation:.1%})."
    raise Hint(
        f"{task}: {validation:.1%} on the check's validation digits, and the sealed test digits are "
        f"below the bound of {bound:.0%} (their number is shown only with a pass). Improve it on your "
        "validation digits, not by retrying the check."
    )


def record_pilot(key: str, seed: int, **numbers_measured) -> None:
    """Append one measurement of a pilot run to the file named by ``AUGREG_PILOT_LOG`` (no-op otherwise)."""
    path = os.environ.get(PILOT_LOG_VARIABLE)
    if not path:
        return
    row = {"exercise": key, "seed": int(seed), **{k: float(v) for k, v in numbers_measured.items()}}
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(row) + "\n")
