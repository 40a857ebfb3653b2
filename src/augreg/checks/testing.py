"""Assertions for the unit tests of exercise checks (``tests/test_checks_lessonNN.py``).

The pattern every check's tests follow:

* :func:`assert_passes` -- the solution (and a second right way of writing it) passes;
* :func:`assert_not_attempted` -- the stub, and a function that still returns ``...``;
* :func:`assert_rejects` -- each near miss fails with words that diagnose it, and (``sealed=``) without
  showing a test number;
* :func:`assert_rejects_typed_evidence` -- numbers, lists, arrays, dicts and split objects handed in
  where something built is expected all fail;
* :func:`assert_hides_truths` -- ``dir`` and IPython's tab completion show the set's checks and its four
  methods, nothing else.

:func:`grade` runs a check on a chosen base seed (a learner's call always uses the run's own).
"""

from __future__ import annotations

import types

import numpy as np

from . import FAILED, NOT_ATTEMPTED, CheckResult
from .sets import Check, ExerciseSet, LearnerView

#: Evidence a learner might type in instead of building something; every check must reject each.
TYPED_EVIDENCE = {
    "a number": 0.93,
    "a list of numbers": [0.91, 0.9, 0.92, 0.93, 0.9],
    "an array": np.array([0.9, 0.91, 0.92, 0.95, 0.9]),
    "a dict of results": {"val": [0.9] * 5, "test": [0.92] * 5},
    "a string": "0.93",
    "a split object": types.SimpleNamespace(
        x_train=np.zeros((3, 8, 8, 1)), y_train=np.zeros(3), x_test=np.zeros((3, 8, 8, 1)), y_test=np.zeros(3)
    ),
}


def grade(check: Check, *answers, seed: int = 0) -> CheckResult:
    """Run ``check`` on ``answers`` with base seed ``seed``."""
    return check._set._grade(check._number, answers, {}, seed=seed)


def assert_passes(check: Check, *answers, seed: int = 0) -> CheckResult:
    """Assert that ``answers`` pass; returns the result."""
    result = grade(check, *answers, seed=seed)
    assert result.passed, f"expected a pass, got: {result}"
    return result


def assert_not_attempted(check: Check, *answers, seed: int = 0) -> CheckResult:
    """Assert that ``answers`` count as not attempted (the stub)."""
    result = grade(check, *answers, seed=seed)
    assert result.status == NOT_ATTEMPTED, f"expected 'not attempted yet', got: {result}"
    return result


def _shown_as(value: float) -> list[str]:
    """How a fraction could appear in a message: 87.4%, 0.874, 87.4, 87 %."""
    return [f"{value:.1%}", f"{value:.0%}", f"{value:.3f}", f"{value:.2f}", f"{100 * value:.1f}"]


def assert_rejects(
    check: Check, *answers, says: str | tuple[str, ...] = (), seed: int = 0, sealed: tuple[float, ...] = ()
) -> CheckResult:
    """Assert that ``answers`` fail with a diagnosis containing ``says``, and none of the ``sealed`` numbers.

    ``sealed`` are test-split values the message must not show (in any of the usual formats).
    """
    result = grade(check, *answers, seed=seed)
    assert result.status == FAILED, f"expected a failure, got: {result}"
    for words in (says,) if isinstance(says, str) else says:
        assert words in result.message, f"expected {words!r} in the diagnosis, got: {result.message}"
    text = f"{result.message} {result.advice}"
    for value in sealed:
        for shown in _shown_as(value):
            assert shown not in text, f"a sealed test number ({shown}) is shown on a failure: {text}"
    assert result.advice, "every miss names the section to reread (the first-tier hint)"
    return result


def assert_rejects_typed_evidence(
    check: Check, n_answers: int = 1, *, extra_answers: tuple = (), seed: int = 0
) -> None:
    """Assert that each of :data:`TYPED_EVIDENCE`, in each answer position, fails (not a pass, no crash).

    ``extra_answers`` fill the other positions (the right answers of the other parameters).
    """
    for name, value in TYPED_EVIDENCE.items():
        for position in range(n_answers):
            answers = list(extra_answers)
            answers.insert(position, value)
            result = grade(check, *answers[:n_answers], seed=seed)
            assert result.status == FAILED, f"{name} in position {position} was not rejected: {result}"


def assert_hides_truths(check: LearnerView, module: types.ModuleType, truths: tuple[str, ...] = ()) -> None:
    """Assert that a learner sees only the set's checks and methods, in ``dir`` and in tab completion.

    ``check`` is what the notebook imports, ``module`` the lesson's check module; ``truths`` are names
    (private or not) of the module that must not be offered anywhere.
    """
    expected = sorted([e["name"] for e in check._set._exercises.values()] + list(ExerciseSet._PUBLIC))
    assert dir(check) == expected, dir(check)
    assert dir(module) == ["check"], f"the check module should offer only `check`, got {dir(module)}"
    for name in expected:
        if name not in ExerciseSet._PUBLIC:
            assert set(dir(getattr(check, name))) <= {"__call__", "__doc__"}
    offered = {name for name in _completions(check, "check.") if not name.startswith("__")}
    assert offered <= set(expected), f"tab completion on check offers {sorted(offered - set(expected))}"
    offered_by_module = {name for name in _completions(module, "check.") if not name.startswith("__")}
    for name in truths:
        assert name not in offered_by_module, f"tab completion on the module offers {name}"
        assert name not in dir(check) and name not in dir(module), name


def _completions(obj, text: str) -> list[str]:
    """What IPython offers after ``text`` (``check.``) for ``obj`` bound to ``check`` (jedi and its own)."""
    from IPython.core.completer import IPCompleter, provisionalcompleter
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns["check"] = obj
    offered = []
    for use_jedi in (True, False):
        completer = IPCompleter(shell=shell, namespace=shell.user_ns, use_jedi=use_jedi)
        with provisionalcompleter():
            offered += [c.text.split(".")[-1] for c in completer.completions(text, len(text))]
    return offered
