"""The exercise-check machinery, and every Lesson 01 check: it accepts the
solution, says "not attempted yet" for the stub, and rejects plausible wrong answers
with a hint (never an exception)."""

import types

import numpy as np
import pytest

from augreg import checks
from augreg.checks import FAILED, NOT_ATTEMPTED, PASSED, Hint, exercise_check
from augreg.checks import lesson01 as check


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
    html = checks.CheckResult("<ex>", FAILED, "a<b")._repr_html_()
    assert "&lt;ex&gt;" in html and "a&lt;b" in html and "<ex>" not in html
    assert _demo_check().status == FAILED  # called wrongly: a hint, not a TypeError


def test_machinery_turns_learner_errors_into_hints():
    def crashes(history):
        return history["no such key"]

    def forgets_return(history):
        history["accuracy"][-1] - history["val_accuracy"][-1]

    result = check.final_gap(crashes)
    assert result.status == FAILED and "your function raised KeyError" in result.message
    assert "forget the `return`" in check.final_gap(forgets_return).message
    assert "expected a function" in check.final_gap(0.1).message


def test_assert_all_passed():
    module = types.SimpleNamespace(__name__="demo_module", demo=_demo_check)
    _demo_check(41)
    with pytest.raises(AssertionError, match="not every exercise passed"):
        checks.assert_all_passed(module)
    _demo_check(42)
    checks.assert_all_passed(module)
    with pytest.raises(AssertionError, match="defines no exercise checks"):
        checks.assert_all_passed(types.SimpleNamespace(__name__="empty"))


# --- Exercise 1 -------------------------------------------------------------

def test_final_gap():
    assert check.final_gap(...).status == NOT_ATTEMPTED
    assert check.final_gap(lambda h: ...).status == NOT_ATTEMPTED  # the generated stub returns ...
    assert check.final_gap(lambda h: h["accuracy"][-1] - h["val_accuracy"][-1]).passed
    wrong = {
        "the sign is flipped": lambda h: h["val_accuracy"][-1] - h["accuracy"][-1],
        "use the last epoch": lambda h: h["accuracy"].max() - h["val_accuracy"].max(),
        "gap in loss": lambda h: h["val_loss"][-1] - h["loss"][-1],
        "index 0 is the first epoch": lambda h: h["accuracy"][0] - h["val_accuracy"][0],
        "one number": lambda h: h["accuracy"] - h["val_accuracy"],
        "your function returned 0.500": lambda h: 0.5,
    }
    for words, answer in wrong.items():
        result = check.final_gap(answer)
        assert result.status == FAILED and words in result.message, (words, result)


# --- Exercise 2 -------------------------------------------------------------

def test_best_epoch():
    assert check.best_epoch(...).status == NOT_ATTEMPTED
    assert check.best_epoch(lambda h: int(np.argmin(h["val_loss"])) + 1).passed
    assert check.best_epoch(lambda h: float(np.argmin(h["val_loss"]) + 1)).passed  # 3.0 is fine
    wrong = {
        "off by one": lambda h: int(np.argmin(h["val_loss"])),
        "*training* loss": lambda h: int(np.argmin(h["loss"])) + 1,
        "*highest* validation loss": lambda h: int(np.argmax(h["val_loss"])) + 1,
        "whole epoch number": lambda h: "3",
    }
    for words, answer in wrong.items():
        result = check.best_epoch(answer)
        assert result.status == FAILED and words in result.message, (words, result)


# --- Exercise 3 -------------------------------------------------------------

SWEEP = {2: 0.25, 4: 0.7, 8: 0.97, 16: 1.0, 32: 1.0, 64: 1.0}


def test_smallest_fitting_width():
    assert check.smallest_fitting_width(..., ...).status == NOT_ATTEMPTED
    assert check.smallest_fitting_width(16, SWEEP).passed
    assert check.smallest_fitting_width(np.int64(16), {np.int64(k): np.float64(v) for k, v in SWEEP.items()}).passed
    wrong = [
        ((64, SWEEP), "a narrower one in your sweep does too"),
        ((8, SWEEP), "reached only 97.0%"),
        ((12, SWEEP), "not one of the widths you trained"),
        (("16", SWEEP), "should be a layer width"),
        ((16, {2: 0.2, 4: 0.5, 8: 0.9}), "none of your models reached 99 %"),
        ((2, {2: 1.0, 4: 1.0, 8: 1.0}), "add narrower widths"),
        ((16, {2: 25.0, 4: 70.0, 16: 100.0}), "fractions between 0 and 1"),
        ((16, [0.1, 0.5, 1.0]), "should be a dict"),
    ]
    for args, words in wrong:
        result = check.smallest_fitting_width(*args)
        assert result.status == FAILED and words in result.message, (args, result)


# --- Exercise 4 -------------------------------------------------------------

MEMORIZED = {"accuracy": np.array([0.1, 0.6, 1.0]), "val_accuracy": np.array([0.1, 0.09, 0.08])}


def test_shuffled_labels():
    assert check.shuffled_labels(..., MEMORIZED).status == NOT_ATTEMPTED
    assert check.shuffled_labels(0.1, ...).status == NOT_ATTEMPTED
    assert check.shuffled_labels(0.1, MEMORIZED).passed
    assert check.shuffled_labels(0.12, MEMORIZED).passed
    wrong = [
        ((0.95, MEMORIZED), "only match chance"),
        ((0.5, MEMORIZED), "only match chance"),
        ((10, MEMORIZED), "fraction between 0 and 1"),
        ((0.1, {"accuracy": np.array([0.5]), "val_accuracy": np.array([0.1])}), "train it longer"),
        ((0.1, {"accuracy": np.array([1.0]), "val_accuracy": np.array([0.96])}), "really shuffled"),
        ((0.1, [1.0]), "pass the history"),
    ]
    for args, words in wrong:
        result = check.shuffled_labels(*args)
        assert result.status == FAILED and words in result.message, (args, result)


def test_as_number_accepts_scalars_and_rejects_the_rest_with_a_hint():
    assert checks.as_number(np.float32(0.5), "x") == 0.5
    assert checks.as_number(np.array([3]), "x") == 3.0
    for bad in (True, "0.5", [0.5], np.array([1.0, 2.0])):
        with pytest.raises(Hint, match="x should be one number"):
            checks.as_number(bad, "x")
