"""Exercise sets: the object a learner's notebook calls ``check``, with tiered hints, worked answers,
scored questions and a progress table.

A lesson's check module (``augreg/checks/lessonNN.py``) builds one :class:`ExerciseSet` in a private
name, registers its graders with :meth:`ExerciseSet.exercise` and its questions with
:meth:`ExerciseSet.question`, keeps everything else (probe models, truths, reference rules) in private
names, and offers one public name, ``check = _set.learner_view`` (a :class:`LearnerView`). The notebook
imports only that::

    from augreg.checks.lesson01 import check

    check.early_stopping(early_stopping)   # grade an answer: passed / a diagnosis and where to reread
    check.hint(2)                          # the next, more concrete hint for Exercise 2
    check.solution(2)                      # the worked answer (recorded in the progress table)
    check.quiz(1)                          # show question 1; check.quiz(1, "b") answers it
    check.progress()                       # not attempted / tried / hinted / passed / solution viewed

What a learner can see: ``dir(check)`` and tab completion list the set's checks and these four methods,
nothing else (:class:`LearnerView`); a check is a :class:`Check` whose own ``dir`` is empty of
truths; the lesson module's ``dir`` lists only ``check``. The source is in the repository, so this hides
truths from a glance and from completion, not from someone who reads the code: the grading does not rely
on secrecy, because graders compute their truths from data the learner never receives (see
:mod:`augreg.checks.evidence`).

The grader of an exercise receives the learner's answers (``...`` is caught before it runs) and the run's
base seed if it has a ``seed`` parameter. It returns a short message for a pass, or raises
:class:`~augreg.checks.Hint` with a diagnosis of *this* answer (what is wrong, never the formula, and never
a number measured on the test split). The set adds the first-tier hint to every miss: the lesson section
to reread and a question to ask oneself. ``check.hint(n)`` then gives the next tiers, ``check.solution(n)``
the worked answer, read from the solution notebook (the single source), and records that it was seen.
"""

from __future__ import annotations

import html
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

from . import FAILED, NOT_ATTEMPTED, PASSED, RESULTS, CheckResult, Hint, NotAttempted, is_stub
from .myst import REPOSITORY, describe_section, plain_text
from .quiz import Question

#: Levels an exercise can have (CONTRIBUTING.md, section 7).
LEVELS = ("warm-up", "core", "open")
#: What a first hint may not contain: an equation or operator, or a shape such as (n, 8, 8, 1).
_FORMULA = re.compile(r"[=*/^+]|\(\s*\w+\s*(,\s*\w+\s*)+\)|\bnp\.|\bkeras\.")


@dataclass
class _Record:
    """What the learner did with one exercise or question in this kernel."""

    attempts: int = 0
    passed: bool = False
    ever_passed: bool = False
    hints_seen: int = 0
    solution_viewed: bool = False
    first_answer: str | None = None


class _Panel:
    """Text shown in a notebook as a coloured box (HTML) and as plain text elsewhere."""

    def __init__(self, title: str, body_markdown: str, color: str = "#0969da"):
        self.title, self.body, self.color = title, body_markdown, color

    def __str__(self) -> str:
        return f"{self.title}\n{self.body}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"**{self.title}**\n\n{self.body}"


class _Table:
    """The progress table: HTML in a notebook, aligned text elsewhere."""

    def __init__(self, header: tuple[str, ...], rows: list[tuple[str, ...]], footer: str):
        self.header, self.rows, self.footer = header, rows, footer

    def __str__(self) -> str:
        widths = [max(len(str(r[i])) for r in [self.header, *self.rows]) for i in range(len(self.header))]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [self.header, *self.rows]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines + ["", self.footer])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:left'>{html.escape(str(c))}</td>" for c in row) + "</tr>"
            for row in self.rows
        )
        return (
            f"<table class='augreg-progress'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>{html.escape(self.footer)}</p>"
        )


class Check:
    """One exercise's check, as the learner calls it: ``check.name(answer, ...)``.

    Calling it grades the answers and returns a :class:`~augreg.checks.CheckResult`. Its ``dir`` lists
    nothing but ``__call__`` and ``__doc__`` (how to call it): the grader and its truths are not offered
    by completion.
    """

    def __init__(self, exercise_set: ExerciseSet, number: int):
        exercise = exercise_set._exercises[number]
        object.__setattr__(self, "_set", exercise_set)
        object.__setattr__(self, "_number", number)
        usage = f"check.{exercise['name']}({', '.join(exercise['parameters'])})"
        object.__setattr__(self, "_usage", usage)
        object.__setattr__(
            self, "__doc__", f"Check your answer to {exercise['title']}: {usage}. check.hint({number}) gives a hint."
        )

    def __call__(self, *answers, **named):
        return self._set._grade(self._number, answers, named)

    def __dir__(self):
        return ["__call__", "__doc__"]

    def __setattr__(self, name, value):
        raise AttributeError("a check cannot be changed")

    def __repr__(self):
        return f"<check: {self._usage}>"


class ExerciseSet:
    """The checks, hints, worked answers and questions of one exercise set (see the module docstring).

    Args:
        lesson: the two-digit lesson number, ``"01"``.
        notebook: the set's slug, ``"01-overfitting"``: the worked answers are read from
            ``solutions/<notebook>.md``.
    """

    _PUBLIC = ("hint", "solution", "quiz", "progress")

    def __init__(self, lesson: str, notebook: str):
        if not re.fullmatch(r"\d\d", str(lesson)):
            raise ValueError(f"lesson must be two digits such as '01', got {lesson!r}")
        if not str(notebook).startswith(f"{lesson}-"):
            raise ValueError(f"notebook must be the set's slug starting with '{lesson}-', got {notebook!r}")
        self._lesson, self._notebook = str(lesson), str(notebook)
        self._exercises: dict[int, dict] = {}
        self._questions: dict[int, Question] = {}
        self._records: dict[tuple, _Record] = {}
        for key in [k for k in RESULTS if k.startswith(f"{notebook}: ")]:  # a set built anew starts afresh
            del RESULTS[key]

    # --- what the lesson's check module calls -------------------------------------------------------

    def exercise(
        self, number: int, title: str, *, level: str, section: str, hints: tuple[str, ...], name: str | None = None
    ):
        """Register the decorated function as the grader of Exercise ``number``.

        Args:
            number: the exercise's number in the notebook (``## Exercise 2: ...``).
            title: its title, as in the heading.
            level: ``"warm-up"``, ``"core"`` or ``"open"``.
            section: the label of the lesson section to reread (``"sec-01-stop"``).
            hints: the tiers, least to most concrete. Tier 1 asks a question (it ends with ``?``) and
                holds no formula, operator or shape; the last tier may come close to the answer.
            name: the check's name in the notebook (``check.<name>``); the grader's name by default.

        Returns:
            the decorator; it returns the learner-facing :class:`Check` (keep graders in private names).
        """
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
        if number in self._exercises:
            raise ValueError(f"Exercise {number} is registered twice")
        if not isinstance(hints, tuple) or not hints or not all(isinstance(h, str) and h.strip() for h in hints):
            raise ValueError("hints must be a non-empty tuple of strings, least concrete first")
        first = hints[0].strip()
        if not first.endswith("?"):
            raise ValueError(f"the first hint asks a question (ends with '?'): {first!r}")
        if _FORMULA.search(first):
            raise ValueError(f"the first hint may not hold a formula, operator, shape or code: {first!r}")

        def register(grader):
            check_name = name or grader.__name__.lstrip("_")
            if check_name in self._PUBLIC or not check_name.isidentifier():
                raise ValueError(f"{check_name!r} cannot be a check's name")
            signature = inspect.signature(grader)
            parameters = [p for p in signature.parameters if p != "seed"]
            self._exercises[number] = {
                "name": check_name,
                "title": f"Exercise {number} ({title})",
                "level": level,
                "section": section,
                "hints": hints,
                "grader": grader,
                "parameters": parameters,
                "takes_seed": "seed" in signature.parameters,
            }
            return Check(self, number)

        return register

    def question(
        self, number: int, prompt: str, *, choices: tuple[str, ...], answer: str, explanation: str, section: str
    ) -> None:
        """Register question ``number`` of the set's "Check yourself" items (a :class:`Question`)."""
        if number in self._questions:
            raise ValueError(f"question {number} is registered twice")
        self._questions[number] = Question(prompt, tuple(choices), answer, explanation, section)

    # --- what the learner calls -----------------------------------------------------------------------

    def hint(self, number: int):
        """Show the next hint for Exercise ``number``: each call gives one tier more concrete."""
        exercise = self._exercise(number)
        if exercise is None:
            return self._no_such(number)
        record = self._record(("exercise", number))
        tiers = exercise["hints"]
        record.hints_seen = min(record.hints_seen + 1, len(tiers))
        tier = record.hints_seen
        text = plain_text(tiers[tier - 1])
        if tier == 1:
            text = f"Reread {describe_section(exercise['section'])}. {text}"
        more = (
            f"`check.hint({number})` again for hint {tier + 1}."
            if tier < len(tiers)
            else f"That was the last hint; `check.solution({number})` shows the worked answer."
        )
        return _Panel(f"Hint {tier} of {len(tiers)} for {exercise['title']}", f"{text}\n\n{more}")

    def solution(self, number: int):
        """Show the worked answer of Exercise ``number`` (from the solution notebook); recorded as seen."""
        exercise = self._exercise(number)
        if exercise is None:
            return self._no_such(number)
        self._record(("exercise", number)).solution_viewed = True
        path = REPOSITORY / "solutions" / f"{self._notebook}.md"
        body = worked_answer(path, number) if path.is_file() else None
        if body is None:
            body = f"Open `solutions/{self._notebook}.ipynb` in the course repository, Exercise {number}."
        return _Panel(f"Worked answer to {exercise['title']} (noted in check.progress())", body, "#8250df")

    def quiz(self, number: int, answer=None):
        """``check.quiz(n)`` shows question ``n``; ``check.quiz(n, "b")`` answers it.

        The first answer is the one scored; every answer is followed by the explanation.
        """
        question = self._questions.get(number)
        label = f"Question {number}"
        if question is None:
            known = ", ".join(str(n) for n in sorted(self._questions)) or "none"
            return self._store(
                label, CheckResult(label, FAILED, f"there is no question {number} (questions: {known}).")
            )
        if answer is None:
            return _Question(question, number)
        if is_stub(answer):
            return self._store(label, CheckResult(label, NOT_ATTEMPTED, "Replace the `...` with a letter."))
        try:
            letter = question.letter(answer)
        except ValueError as exc:
            return self._store(label, CheckResult(label, FAILED, f"{exc}."))
        record = self._record(("question", number))
        record.attempts += 1
        if record.first_answer is None:
            record.first_answer = letter
        record.passed = letter == question.answer
        record.ever_passed = record.ever_passed or record.passed
        explanation = plain_text(question.explanation)
        where = describe_section(question.section)
        if record.passed:
            message = f"({letter}) is right. {explanation} ({where})"
            return self._store(label, CheckResult(label, PASSED, _flat(message)))
        right = question.answer
        right_choice = _flat(question.choices[question.letters.index(right)]).rstrip(".")
        message = f"you chose ({letter}); the answer is ({right}): {right_choice}. {explanation} ({where})"
        return self._store(label, CheckResult(label, FAILED, _flat(message)))

    def progress(self):
        """Show the set's table: each exercise's status, attempts and hints, and the questions' score."""
        rows = []
        for number in sorted(self._exercises):
            exercise = self._exercises[number]
            record = self._records.get(("exercise", number), _Record())
            rows.append(
                (
                    exercise["title"],
                    exercise["level"],
                    _status(record),
                    str(record.attempts),
                    f"{record.hints_seen} of {len(exercise['hints'])}",
                )
            )
        for number in sorted(self._questions):
            record = self._records.get(("question", number), _Record())
            if record.attempts == 0:
                status = "not attempted"
            elif record.first_answer == self._questions[number].answer:
                status = "right at the first try"
            else:
                status = "right after a re-read" if record.ever_passed else "not right yet"
            rows.append((f"Question {number}", "check yourself", status, str(record.attempts), "-"))
        answered = [n for n in self._questions if self._records.get(("question", n), _Record()).attempts]
        first = sum(self._records[("question", n)].first_answer == self._questions[n].answer for n in answered)
        passed = sum(self._records.get(("exercise", n), _Record()).passed for n in self._exercises)
        footer = (
            f"{passed} of {len(self._exercises)} exercises passed; questions: {first} of "
            f"{len(self._questions)} right at the first try."
        )
        return _Table(("item", "level", "status", "attempts", "hints"), rows, footer)

    @property
    def learner_view(self) -> LearnerView:
        """The object a notebook calls ``check`` (see :class:`LearnerView`)."""
        return LearnerView(self)

    # --- machinery (private) --------------------------------------------------------------------------

    def _exercise(self, number):
        return self._exercises.get(number)

    def _no_such(self, number):
        known = ", ".join(str(n) for n in sorted(self._exercises))
        return _Panel(f"There is no Exercise {number} in this set", f"Exercises: {known}.", "#b35900")

    def _record(self, key) -> _Record:
        return self._records.setdefault(key, _Record())

    def _store(self, label: str, result: CheckResult) -> CheckResult:
        RESULTS[f"{self._notebook}: {label}"] = result
        return result

    def _grade(self, number: int, answers: tuple, named: dict, seed: int | None = None) -> CheckResult:
        exercise = self._exercises[number]
        title = exercise["title"]
        if any(is_stub(value) for value in (*answers, *named.values())):
            return self._store(title, CheckResult(title, NOT_ATTEMPTED, "Replace the `...` with your answer."))
        grader = exercise["grader"]
        if "seed" in named:
            return self._store(title, CheckResult(title, FAILED, "the check chooses the seed itself."))
        if exercise["takes_seed"]:
            from ..seeds import base_seed

            named = {**named, "seed": base_seed() if seed is None else seed}
        try:
            bound = inspect.signature(grader).bind(*answers, **named)
        except TypeError:
            usage = f"check.{exercise['name']}({', '.join(exercise['parameters'])})"
            return self._store(title, CheckResult(title, FAILED, f"call it as {usage}."))
        record = self._record(("exercise", number))
        try:
            message = grader(*bound.args, **bound.kwargs)
        except NotAttempted:
            return self._store(title, CheckResult(title, NOT_ATTEMPTED, "Replace the `...` with your answer."))
        except Hint as hint:
            record.attempts += 1
            record.passed = False
            record.hints_seen = max(record.hints_seen, 1)
            advice = (
                f"Reread {describe_section(exercise['section'])}. {plain_text(exercise['hints'][0])} "
                f"More help: check.hint({number}); the worked answer: check.solution({number})."
            )
            return self._store(title, CheckResult(title, FAILED, f"{plain_text(str(hint))}", advice))
        except Exception as exc:  # a malformed answer the grader did not foresee
            record.attempts += 1
            record.passed = False
            return self._store(
                title,
                CheckResult(
                    title,
                    FAILED,
                    f"your answer could not be checked ({type(exc).__name__}: {exc}).",
                    f"check.hint({number}) gives a hint.",
                ),
            )
        record.attempts += 1
        record.passed = record.ever_passed = True
        return self._store(title, CheckResult(title, PASSED, message or "Well done."))

    def _all_results(self) -> dict[str, CheckResult | None]:
        """The latest result of every exercise and question (``None``: never checked)."""
        labels = [e["title"] for _, e in sorted(self._exercises.items())]
        labels += [f"Question {n}" for n in sorted(self._questions)]
        return {label: RESULTS.get(f"{self._notebook}: {label}") for label in labels}

    def _reset(self) -> None:
        """Forget every record and result of this set (tests)."""
        self._records.clear()
        for key in [k for k in RESULTS if k.startswith(f"{self._notebook}: ")]:
            del RESULTS[key]


class LearnerView:
    """What a notebook imports as ``check``: the set's checks as attributes, and ``hint``, ``solution``,
    ``quiz``, ``progress``. Nothing else is listed by ``dir`` or offered by tab completion (the authoring
    methods of :class:`ExerciseSet` are not on this class), and nothing can be set on it.
    """

    def __init__(self, exercise_set: ExerciseSet):
        object.__setattr__(self, "_set", exercise_set)

    def hint(self, number: int):
        """Show the next hint for Exercise ``number``: each call gives one tier more concrete."""
        return self._set.hint(number)

    def solution(self, number: int):
        """Show the worked answer of Exercise ``number``; the progress table notes that you looked."""
        return self._set.solution(number)

    def quiz(self, number: int, answer=None):
        """``check.quiz(n)`` shows question ``n``; ``check.quiz(n, "b")`` answers it (the first answer counts)."""
        return self._set.quiz(number, answer)

    def progress(self):
        """Show the set's table: each exercise's status, attempts and hints, and the questions' score."""
        return self._set.progress()

    def __dir__(self):
        return sorted([e["name"] for e in self._set._exercises.values()] + list(ExerciseSet._PUBLIC))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        for number, exercise in self._set._exercises.items():
            if exercise["name"] == name:
                return Check(self._set, number)
        raise AttributeError(f"this exercise set has no check named {name!r}; try dir(check)")

    def __setattr__(self, name, value):
        raise AttributeError("the exercise set cannot be changed from a notebook")

    def __repr__(self):
        names = ", ".join(f"check.{e['name']}" for _, e in sorted(self._set._exercises.items()))
        return (
            f"<exercise set {self._set._notebook}: {names}; check.hint(n), check.solution(n), "
            "check.quiz(n), check.progress()>"
        )


class _Question:
    """A question as displayed by ``check.quiz(n)``."""

    def __init__(self, question: Question, number: int):
        self._question, self._number = question, number

    def __str__(self):
        return self._question.as_text(self._number)

    __repr__ = __str__

    def _repr_html_(self):
        return self._question.as_html(self._number)


def _status(record: _Record) -> str:
    if record.passed:
        return (
            "passed (solution viewed)"
            if record.solution_viewed
            else ("passed with hints" if record.hints_seen > 1 else "passed")
        )
    if record.solution_viewed:
        return "solution viewed"
    if record.hints_seen > 1 or (record.hints_seen and record.attempts == 0):
        return "hinted"
    if record.attempts:
        return "tried"
    return "not attempted"


def _flat(text: str) -> str:
    return " ".join(text.split())


_BEGIN, _END = "# BEGIN SOLUTION", "# END SOLUTION"


def worked_answer(path: Path, number: int) -> str | None:
    """The worked answer to Exercise ``number`` of a solution notebook (MyST ``.md``), as Markdown.

    It is the code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` in the exercise's section, and the
    text of the cells tagged ``solution`` there (the explanations). ``None`` if the section is missing.
    """
    text = Path(path).read_text(encoding="utf-8")
    heading = re.search(rf"^## Exercise {number}\b.*$", text, flags=re.M)
    if heading is None:
        return None
    following = re.search(r"^## ", text[heading.end() :], flags=re.M)
    section = text[heading.end() : heading.end() + following.start() if following else None]
    pieces, code, in_code, in_block, in_solution_text = [], [], False, False, False
    whole_cell = False  # a code cell tagged `solution` (and shown): all of it is part of the answer
    prose: list[str] = []
    for line in section.splitlines():
        if line.startswith("```{code-cell}"):
            in_code, in_solution_text, whole_cell = True, False, False
            if prose:
                pieces.append(("text", "\n".join(prose).strip()))
                prose = []
            continue
        if in_code:
            tags = re.match(r"^:tags:\s*\[(.*)\]\s*$", line)
            if tags and not code:
                names = {t.strip().strip("'\"") for t in tags.group(1).split(",")}
                whole_cell = "solution" in names and "remove-cell" not in names
                continue
            if line.startswith("```"):
                in_code = False
                if code:
                    pieces.append(("code", "\n".join(code).strip("\n")))
                    code = []
            elif whole_cell:
                code.append(line)
            elif line.strip() == _BEGIN:
                in_block = True
            elif line.strip() == _END:
                in_block = False
            elif in_block:
                code.append(line)
            continue
        if line.startswith("+++"):
            if prose:
                pieces.append(("text", "\n".join(prose).strip()))
                prose = []
            in_solution_text = '"solution"' in line
            continue
        if in_solution_text:
            prose.append(line)
    if prose:
        pieces.append(("text", "\n".join(prose).strip()))
    parts = [f"```python\n{body}\n```" if kind == "code" else plain_text(body) for kind, body in pieces if body]
    return "\n\n".join(parts) if parts else None
