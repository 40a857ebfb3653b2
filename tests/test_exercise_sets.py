"""What every exercise set shares: each exercise's hint and each scored question names a lesson section that
exists (a hint that points nowhere is a dead end for the learner)."""

import importlib
from pathlib import Path

import pytest

from augreg.checks.myst import section_titles

SETS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "src" / "augreg" / "checks").glob("lesson*.py"))


def test_every_lesson_with_exercises_has_a_check_module():
    exercises = sorted(p.stem[:2] for p in (Path(__file__).resolve().parents[1] / "exercises").glob("*.md"))
    assert [s.removeprefix("lesson") for s in SETS] == exercises


@pytest.mark.parametrize("name", SETS)
def test_every_hint_names_a_lesson_section_that_exists(name):
    check = importlib.import_module(f"augreg.checks.{name}").check
    titles = section_titles()
    for number, exercise in check._set._exercises.items():
        assert exercise["section"] in titles, f"{name}, exercise {number}: no section {exercise['section']!r}"
    for number, question in check._set._questions.items():
        assert question.section in titles, f"{name}, question {number}: no section {question.section!r}"
