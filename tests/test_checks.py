"""The exercise-check machinery: results, plain checks, exercise sets (tiered hints, worked answers,
questions, progress, hidden truths), evidence the checks own, and the MyST-to-text conversion.

The checks of each set are tested in tests/test_checks_lessonNN.py."""

import types

import numpy as np
import pytest

from augreg import checks
from augreg.checks import FAILED, NOT_ATTEMPTED, PASSED, ExerciseSet, Hint, evidence, exercise_check, myst, testing
from augreg.checks.sets import worked_answer


@exercise_check("demo")
def _demo_check(answer):
    if answer != 42:
        raise Hint("think of the question")
    return "right"


def test_machinery_statuses_and_display():
    assert _demo_check(...).status == NOT_ATTEMPTED
    wrong = _demo_check(41)
    assert wrong.status == FAILED and wrong.message == "Hint: think of the question" and not wrong
    right = _demo_check(42)
    assert right.status == PASSED and right and right.message == "right"
    assert str(right).startswith("✓ demo: passed.") and "#1a7f37" in right._repr_html_()
    html = checks.CheckResult("<ex>", FAILED, "a<b, `x * y`", "reread <this>, *Title*")._repr_html_()
    assert "&lt;ex&gt;" in html and "a&lt;b" in html and "<ex>" not in html and "reread &lt;this&gt;" in html
    assert "<code>x * y</code>" in html and "<em>Title</em>" in html
    assert _demo_check().status == FAILED  # called wrongly: a hint, not a TypeError


def test_assert_all_passed_on_a_module_of_plain_checks():
    module = types.SimpleNamespace(__name__="demo_module", demo=_demo_check)
    _demo_check(41)
    with pytest.raises(AssertionError, match="not every exercise passed"):
        checks.assert_all_passed(module)
    _demo_check(42)
    checks.assert_all_passed(module)
    with pytest.raises(AssertionError, match="defines no exercise checks"):
        checks.assert_all_passed(types.SimpleNamespace(__name__="empty"))


def test_as_number_accepts_scalars_and_rejects_the_rest_with_a_hint():
    assert checks.as_number(np.float32(0.5), "x") == 0.5
    assert checks.as_number(np.array([3]), "x") == 3.0
    for bad in (True, "0.5", [0.5], np.array([1.0, 2.0])):
        with pytest.raises(Hint, match="x should be one number"):
            checks.as_number(bad, "x")


def test_per_seed_accuracies_accepts_one_accuracy_per_seed_and_hints_otherwise():
    from augreg.checks import MIN_SEEDS, per_seed_accuracies

    values = per_seed_accuracies([0.9, 0.8, 0.85, 0.9, 0.95], "results['none']")
    assert values.shape == (MIN_SEEDS,) and values.dtype == float
    with pytest.raises(Hint, match="at least 5"):
        per_seed_accuracies([0.9, 0.8], "results['none']")
    with pytest.raises(Hint, match="between 0 and 1"):
        per_seed_accuracies([90, 80, 85, 90, 95], "results['none']")  # percent, a near miss
    with pytest.raises(Hint, match="one per seed"):
        per_seed_accuracies(["a"] * 5, "results['none']")
    with pytest.raises(Hint, match="one accuracy per seed"):
        per_seed_accuracies([[0.9] * 5], "results['none']")


# --- exercise sets -----------------------------------------------------------------------------------------

HINTS = ("Which number did the question ask for?", "It is the answer to everything.", "Return 42.")


def _demo_set():
    demo = ExerciseSet("98", "98-demo")

    @demo.exercise(1, "the answer", level="warm-up", section="sec-gap", hints=HINTS)
    def _answer(function):
        value = evidence.call_learner(evidence.require_function(function))
        if value != 42:
            raise Hint("not the number the question asked for.")
        return "right."

    @demo.exercise(2, "a seeded one", level="open", section="sec-01-stop", hints=HINTS, name="seeded")
    def _seeded(function, seed):
        evidence.require_function(function)
        if evidence.call_learner(function, seed) != seed:
            raise Hint("return the seed you were given.")
        return f"seed {seed}."

    demo.question(
        1,
        "Pick `b`.",
        choices=("no", "yes", "never"),
        answer="b",
        explanation="Because the prompt said so.",
        section="sec-gap",
    )
    return demo.learner_view


def test_a_set_grades_records_and_tiers_its_hints():
    demo = _demo_set()
    check = demo.answer
    assert check(...).status == NOT_ATTEMPTED and check(lambda: ...).status == NOT_ATTEMPTED
    miss = check(lambda: 41)
    assert miss.status == FAILED and miss.message == "not the number the question asked for."
    assert miss.advice.startswith("Reread Lesson 01, section *The generalization gap*. Which number")
    assert "check.hint(1)" in miss.advice and "check.solution(1)" in miss.advice
    second, third, again = (str(demo.hint(1)) for _ in range(3))
    assert second.startswith("Hint 2 of 3") and "answer to everything" in second and "hint 3" in second
    assert third.startswith("Hint 3 of 3") and "Return 42" in third and "check.solution(1)" in third
    assert again == third
    assert check(lambda: 42).passed
    table = str(demo.progress())
    assert "passed with hints" in table and "3 of 3" in table and "1 of 2 exercises passed" in table
    assert "not attempted" in table  # exercise 2 and the question


def test_a_set_says_how_to_call_it_and_chooses_the_seed_itself():
    demo = _demo_set()
    assert "call it as check.answer(function)" in demo.answer(1, 2).message
    assert "chooses the seed itself" in demo.seeded(lambda s: s, seed=5).message
    assert testing.grade(demo.seeded, lambda s: s, seed=7).message == "seed 7."
    crash = demo.answer(lambda: 1 / 0)
    assert crash.status == FAILED and "ZeroDivisionError" in crash.message
    assert "forget the `return`" in demo.answer(lambda: None).message
    for name in testing.TYPED_EVIDENCE:
        assert demo.answer(testing.TYPED_EVIDENCE[name]).status == FAILED, name
    with pytest.raises(AttributeError, match="no check named"):
        _ = demo.nothing
    with pytest.raises(AttributeError):
        demo.answer = None


def test_first_hints_ask_a_question_without_a_formula():
    demo = ExerciseSet("98", "98-demo")
    for first in ("Use the mean.", "What is w = w - lr * g?", "Which mask of shape (n, h, w, c)?", "Is it np.mean?"):
        with pytest.raises(ValueError, match="first hint"):
            demo.exercise(1, "t", level="core", section="s", hints=(first, "more"))
    with pytest.raises(ValueError, match="level"):
        demo.exercise(1, "t", level="hard", section="s", hints=HINTS)
    with pytest.raises(ValueError, match="two digits"):
        ExerciseSet("1", "1-x")


def test_questions_score_the_first_answer_and_explain_every_answer():
    demo = _demo_set()
    shown = demo.quiz(1)
    assert "Question 1. Pick `b`." in str(shown) and "(c) never" in str(shown)
    assert "<code>b</code>" in shown._repr_html_()
    assert demo.quiz(1, ...).status == NOT_ATTEMPTED
    assert "one letter" in demo.quiz(1, "z").message
    wrong = demo.quiz(1, "A")
    assert wrong.status == FAILED and "you chose (a); the answer is (b)" in wrong.message
    assert "Because the prompt said so." in wrong.message
    right = demo.quiz(1, "(b)")
    assert right.passed and "Because the prompt said so." in right.message
    assert "right after a re-read" in str(demo.progress()) and "0 of 1 right at the first try" in str(demo.progress())
    assert demo.quiz(2, "a").status == FAILED
    with pytest.raises(ValueError):
        demo._set.question(2, "p", choices=("x", "y"), answer="c", explanation="e", section="s")


def test_assert_all_passed_on_an_exercise_set():
    demo = _demo_set()
    with pytest.raises(AssertionError, match="never checked"):
        checks.assert_all_passed(demo)
    demo.answer(lambda: 42)
    testing.grade(demo.seeded, lambda s: s, seed=3)
    demo.quiz(1, "a")
    with pytest.raises(AssertionError, match="Question 1"):
        checks.assert_all_passed(demo)
    demo.quiz(1, "b")
    checks.assert_all_passed(demo)


def test_a_set_hides_everything_but_its_checks_and_methods():
    demo = _demo_set()
    assert dir(demo) == ["answer", "hint", "progress", "quiz", "seeded", "solution"]
    assert dir(demo.answer) == ["__call__", "__doc__"]
    assert "check.answer(function)" in demo.answer.__doc__ and "_answer" not in repr(demo.answer)
    module = types.ModuleType("demo")
    module.check, module.__dir__ = demo, lambda: ["check"]
    testing.assert_hides_truths(demo, module)


def test_the_worked_answer_is_read_from_the_solution_notebook(tmp_path):
    path = tmp_path / "98-demo.md"
    path.write_text(
        "# Solutions\n\n## Exercise 1: t\n\ntext\n\n```{code-cell} ipython3\nsetup()\n# BEGIN SOLUTION\n"
        'answer = 42\n# END SOLUTION\ncheck.answer(answer)\n```\n\n+++ {"tags": ["solution"]}\n\n'
        "Because {ref}`sec-gap`.\n\n+++\n\n## Exercise 2: u\n\n```{code-cell} ipython3\n# BEGIN SOLUTION\n"
        "other = 1\n# END SOLUTION\n```\n",
        encoding="utf-8",
    )
    text = worked_answer(path, 1)
    assert "```python\nanswer = 42\n```" in text and "setup()" not in text and "other" not in text
    assert "Because Lesson 01, section *The generalization gap*." in text
    assert worked_answer(path, 3) is None


# --- evidence ---------------------------------------------------------------------------------------------


def test_typed_evidence_is_rejected_and_built_things_pass():
    for value in testing.TYPED_EVIDENCE.values():
        with pytest.raises(Hint, match="pass your function"):
            evidence.require_function(value)
    with pytest.raises(checks.NotAttempted):
        evidence.require_function(...)
    assert evidence.require_function(len) is len
    with pytest.raises(Hint, match="between 0 and 1"):
        evidence.require_setting(1.5, (0, 1), "the rate")
    with pytest.raises(Hint, match="one of"):
        evidence.require_setting("ends", ("start", "middle"), "the place")
    assert evidence.require_setting(0.3, (0, 1), "the rate") == 0.3


def test_the_sealed_split_is_hidden_relabelled_and_reproducible():
    first = evidence.sealed_split(0, "01.3")
    again = evidence.sealed_split(0, "01.3")
    other = evidence.sealed_split(0, "02.4")
    assert np.array_equal(first.x_test, again.x_test) and np.array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.x_test, other.x_test)
    assert not np.any(first.permutation == np.arange(10))  # no digit keeps its label
    assert evidence.hidden_seed(0, "01.3") >= evidence.HIDDEN_SEED_OFFSET
    assert "drawn by the check" in repr(first)
    plain = evidence.sealed_split(0, "01.3", relabel=False)
    assert np.array_equal(plain.permutation, np.arange(10))
    assert np.array_equal(first.permutation[plain.y_train], first.y_train)


def test_the_working_split_has_no_test_digits():
    data = evidence.working_split(n_train=100, seed=3)
    assert len(data.y_train) == 100 and len(data.y_val) == 400 and "test sealed" in repr(data)
    with pytest.raises(AttributeError, match="sealed"):
        _ = data.x_test
    assert not hasattr(data, "y_test")


def test_the_sealed_verdict_shows_a_test_number_only_with_a_pass():
    assert "87.0% on the sealed test" in evidence.sealed_verdict(0.87, 0.8, validation=0.6, task="t")
    with pytest.raises(Hint) as miss:
        evidence.sealed_verdict(0.745, 0.8, validation=0.61, task="t")
    assert "61.0%" in str(miss.value) and "74" not in str(miss.value) and "shown only with a pass" in str(miss.value)


def test_pilot_measurements_are_logged_only_when_asked(tmp_path, monkeypatch):
    log = tmp_path / "pilot.jsonl"
    monkeypatch.delenv(evidence.PILOT_LOG_VARIABLE, raising=False)
    evidence.record_pilot("01.3", 0, test=0.9)
    assert not log.exists()
    monkeypatch.setenv(evidence.PILOT_LOG_VARIABLE, str(log))
    evidence.record_pilot("01.3", 100, test=0.9, validation=np.float32(0.5))
    assert log.read_text() == '{"exercise": "01.3", "seed": 100, "test": 0.9, "validation": 0.5}\n'


# --- MyST to text --------------------------------------------------------------------------------------


def test_myst_roles_become_plain_text():
    titles = {"sec-gap": "Lesson 01, section *The gap*"}
    text = (
        "See {ref}`sec-gap`, {ref}`this part <sec-gap>`, {doc}`Lesson 02 <../lessons/02-augmentation>`, "
        "{doc}`../lessons/03-weight-penalties`, {term}`capacity`, {term}`gaps <gap>`, {math}`x^2`, "
        "and {ref}`sec-unknown`."
    )
    assert myst.plain_text(text, titles) == (
        "See Lesson 01, section *The gap*, this part, Lesson 02, Lesson 03, capacity, gaps, $x^2$, "
        "and the lesson's section `sec-unknown`."
    )
    kept = "glued {glue:text}`gap_pct` and {cite:p}`zhang2017`"
    assert myst.plain_text(kept, titles) == kept
    assert myst.raw_markup(kept) == ["{glue:text}`gap_pct` and {cite:p}`zhang2017`", "{cite:p}`zhang2017`"]
    assert myst.raw_markup("```{note}\nx\n```") and not myst.raw_markup("```python\nx\n```")


def test_section_titles_are_read_from_the_lessons():
    titles = myst.section_titles()
    assert titles["sec-gap"] == "Lesson 01, section *The generalization gap*"
    assert titles["lesson-01"] == "Lesson 01"
    assert myst.section_titles("/nonexistent") == {}
