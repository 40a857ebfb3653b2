"""Self-checks for the exercises: results, hints, and the pieces every check module builds on.

Every check answers with a :class:`CheckResult` that a notebook displays as a coloured line: grey "not
attempted yet" for an untouched stub (``...``), green for a right answer, orange with a diagnosis and
where to reread for a wrong one. A check never shows a raw traceback: errors in the learner's code become
hints too.

Two ways to write checks live side by side:

* **Exercise sets** (:class:`~augreg.checks.sets.ExerciseSet`, the way every set is written from now
  on): the notebook imports one ``check`` object with the set's checks, tiered hints
  (``check.hint(n)``), worked answers (``check.solution(n)``), scored questions (``check.quiz(n)``) and a
  progress table (``check.progress()``). Graders own their evidence (:mod:`augreg.checks.evidence`: the
  check draws its own data, trains and measures itself, and keeps the test split sealed);
  :mod:`augreg.checks.testing` holds the assertions their unit tests use.
* **Plain checks** (:func:`exercise_check`), which sets 02-09 still use until they move: a decorated
  function that returns a message or raises :class:`Hint`.

:mod:`augreg.checks.myst` turns MyST roles into text a learner can read in JupyterLab.
"""

from __future__ import annotations

import functools
import html
import inspect
import numbers
import re
from dataclasses import dataclass

import numpy as np

#: Statuses a check can end in.
PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted yet"
_COLORS = {PASSED: "#1a7f37", FAILED: "#b35900", NOT_ATTEMPTED: "#6e7781"}
_ICONS = {PASSED: "✓", FAILED: "✗", NOT_ATTEMPTED: "○"}  # in every common font (no emoji needed)

#: The latest result of every check run in this kernel, by exercise name.
RESULTS: dict[str, CheckResult] = {}


class Hint(Exception):
    """Raised inside a check to reject an answer; its message is the hint shown."""


class NotAttempted(Exception):
    """Raised inside a check when the answer is still the stub."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one exercise check."""

    exercise: str
    status: str
    message: str
    advice: str = ""  #: where to reread and what to ask oneself (exercise sets add it to every miss)

    @property
    def passed(self) -> bool:
        """Whether the answer was accepted."""
        return self.status == PASSED

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        text = f"{_ICONS[self.status]} {self.exercise}: {self.status}. {self.message}".rstrip()
        return f"{text}\n  {self.advice}" if self.advice else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        color = _COLORS[self.status]
        return (
            f'<div style="border-left: 4px solid {color}; padding: 0.3em 0.8em; margin: 0.3em 0;">'
            f'<strong style="color: {color};">{_ICONS[self.status]} {html.escape(self.exercise)}: '
            f"{html.escape(self.status)}.</strong> {_inline_html(self.message)}"
            + (f'<br><span style="color: #57606a;">{_inline_html(self.advice)}</span>' if self.advice else "")
            + "</div>"
        )


def _inline_html(text: str) -> str:
    """``text`` escaped for HTML, with its `code` spans and *emphasis* rendered."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", escaped)


def is_stub(value) -> bool:
    """True for the placeholder ``...`` that the exercise notebooks start with."""
    return value is Ellipsis


def as_number(value, what: str) -> float:
    """Return ``value`` as a float, or raise :class:`Hint` saying that ``what`` should be one number.

    Accepts Python and NumPy scalars and one-element arrays; rejects booleans, strings, lists, ...
    """
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Hint(f"{what} should be one number, got {type(value).__name__}")
    return float(value)


#: Intervals over seeds need this many seeds at least (the course's protocol).
MIN_SEEDS = 5


def per_seed_accuracies(values, what: str, min_seeds: int = MIN_SEEDS) -> np.ndarray:
    """``values`` as a 1-D array of accuracies (one per seed, in [0, 1]), or a :class:`Hint` saying why not.

    ``what`` names the values in the hint (``"results['none']['test']"``).
    """
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a list of accuracies, one per seed") from None
    if array.ndim != 1 or array.size < min_seeds:
        raise Hint(f"{what} should hold one accuracy per seed (at least {min_seeds}), got shape {array.shape}")
    if not np.all((array >= 0) & (array <= 1)):
        raise Hint(f"{what} should be accuracies between 0 and 1, got {array.round(3).tolist()}")
    return array


def call_learner_function(function, *args):
    """Call a learner's function, turning stubs and crashes into check outcomes.

    Raises :class:`NotAttempted` if ``function`` is the stub or returns ``...``,
    and :class:`Hint` if it is not callable, returns ``None`` or raises.
    """
    if is_stub(function):
        raise NotAttempted
    if not callable(function):
        raise Hint(f"expected a function, got {type(function).__name__}: define it with `def ...:`")
    try:
        result = function(*args)
    except Exception as exc:  # the learner's bug, reported as a hint
        raise Hint(f"your function raised {type(exc).__name__}: {exc}") from None
    if is_stub(result):
        raise NotAttempted
    if result is None:
        raise Hint("your function returned None: did you forget the `return` statement?")
    return result


def exercise_check(exercise: str):
    """Decorate a check function so that it returns a :class:`CheckResult`.

    The decorated function receives the learner's answers. It returns a short
    success message, raises :class:`Hint` with advice for a wrong answer, or
    :class:`NotAttempted` for a stub. Any answer that is ``...`` is treated as
    not attempted before the check runs; any other exception becomes a hint.
    """

    def decorate(check):
        @functools.wraps(check)
        def run(*args, **kwargs):
            try:
                bound = inspect.signature(check).bind(*args, **kwargs)
            except TypeError as exc:
                result = CheckResult(exercise, FAILED, f"the check was called wrongly: {exc}")
            else:
                if any(is_stub(value) for value in bound.arguments.values()):
                    result = CheckResult(exercise, NOT_ATTEMPTED, "Replace the `...` with your answer.")
                else:
                    try:
                        message = check(*args, **kwargs)
                        result = CheckResult(exercise, PASSED, message or "Well done.")
                    except NotAttempted:
                        result = CheckResult(exercise, NOT_ATTEMPTED, "Replace the `...` with your answer.")
                    except Hint as hint:
                        result = CheckResult(exercise, FAILED, f"Hint: {hint}")
                    except Exception as exc:  # a malformed answer the check did not foresee
                        result = CheckResult(
                            exercise, FAILED, f"Hint: your answer could not be checked ({type(exc).__name__}: {exc})."
                        )
            RESULTS[exercise] = result
            return result

        run.exercise = exercise
        return run

    return decorate


def assert_all_passed(module) -> None:
    """Assert that every check of ``module`` (or exercise set) has run and passed.

    Solution notebooks end with this (in a hidden cell), so a solution that a check rejects, or a check
    that was never called, fails the test suite. ``module`` is an
    :class:`~augreg.checks.sets.ExerciseSet` (its exercises and questions must all have passed) or a
    module of plain :func:`exercise_check` functions.
    """

    if isinstance(module, LearnerView):
        module = module._set
    if isinstance(module, ExerciseSet):
        results = module._all_results()
        if not results:
            raise AssertionError("the exercise set has no exercises")
        problems = [
            f"{label}: never checked" if result is None else str(result)
            for label, result in results.items()
            if result is None or not result.passed
        ]
    else:
        checks = [obj for obj in vars(module).values() if callable(obj) and hasattr(obj, "exercise")]
        if not checks:
            raise AssertionError(f"{module.__name__} defines no exercise checks")
        problems = []
        for check in checks:
            result = RESULTS.get(check.exercise)
            if result is None:
                problems.append(f"{check.exercise}: never checked")
            elif not result.passed:
                problems.append(str(result))
    if problems:
        raise AssertionError("not every exercise passed:\n" + "\n".join(problems))


# The submodules build on the names above, so they are imported last.
from . import evidence  # noqa: E402, F401
from .evidence import working_split  # noqa: E402, F401
from .quiz import Question  # noqa: E402, F401
from .sets import Check, ExerciseSet, LearnerView  # noqa: E402, F401
