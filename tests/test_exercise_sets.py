"""What every exercise set shares: each exercise's hint and each scored question names a lesson section that
exists (a hint that points nowhere is a dead end for the learner)."""

import importlib
import re
from pathlib import Path

import pytest

from augreg.checks import NOT_ATTEMPTED
from augreg.checks.myst import section_titles

ROOT = Path(__file__).resolve().parents[1]
SETS = sorted(p.stem for p in (ROOT / "src" / "augreg" / "checks").glob("lesson*.py"))


def test_every_lesson_with_exercises_has_a_check_module():
    exercises = sorted(p.stem[:2] for p in (ROOT / "exercises").glob("*.md"))
    assert [s.removeprefix("lesson") for s in SETS] == exercises


@pytest.mark.parametrize("name", SETS)
def test_every_hint_names_a_lesson_section_that_exists(name):
    check = importlib.import_module(f"augreg.checks.{name}").check
    titles = section_titles()
    for number, exercise in check._set._exercises.items():
        assert exercise["section"] in titles, f"{name}, exercise {number}: no section {exercise['section']!r}"
    for number, question in check._set._questions.items():
        assert question.section in titles, f"{name}, question {number}: no section {question.section!r}"


def _lesson_questions(name: str) -> int:
    """How many numbered questions the lesson's "Check yourself" section asks."""
    lesson = next((ROOT / "lessons").glob(f"{name.removeprefix('lesson')}-*.md")).read_text(encoding="utf-8")
    section = lesson.split("## Check yourself", 1)[1].split("\n## ", 1)[0]
    return len(re.findall(r"^\d+\. ", section, flags=re.M))


@pytest.mark.parametrize("name", SETS)
def test_the_questions_are_the_lessons_and_explain_every_answer(name):
    """Each of the lesson's check-yourself questions is a scored item: the stub is not attempted, a wrong
    letter is answered with the right one and why, the right letter passes, and the right letter varies."""
    check = importlib.import_module(f"augreg.checks.{name}").check
    check._set._reset()
    questions = check._set._questions
    n = _lesson_questions(name)
    assert sorted(questions) == list(range(1, n + 1)), f"{name}: the lesson asks {n} questions"
    assert len({q.answer for q in questions.values()}) >= 3, f"{name}: the right letter is nearly always the same"
    for number, question in questions.items():
        assert check.quiz(number, ...).status == NOT_ATTEMPTED
        wrong = next(letter for letter in question.letters if letter != question.answer)
        assert "the answer is" in check.quiz(number, wrong).message
        assert check.quiz(number, question.answer).passed
    assert f"0 of {n} right at the first try" in str(check.progress())
    check._set._reset()
