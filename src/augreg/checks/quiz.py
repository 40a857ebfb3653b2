"""Multiple-choice questions: a lesson's "Check yourself" items, scored in its exercise notebook.

A :class:`Question` holds the prompt, the lettered choices, the right letter and the explanation. An
:class:`~augreg.checks.sets.ExerciseSet` shows it (``check.quiz(1)``) and grades a letter
(``check.quiz(1, "b")``): the first answer is the one that counts for the score, and every answer, right
or wrong, is followed by the explanation (so a second try is a re-read, not a guess).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    """One scored multiple-choice question.

    Args:
        prompt: the question, in Markdown (a prediction, an explanation or a choice, not "what number
            was printed").
        choices: the options, in order; they are lettered a, b, c, ...
        answer: the letter of the right option.
        explanation: why it is right (and, where useful, why the tempting wrong options are wrong).
        section: the label of the lesson section that shows it (``"sec-gap"``).
    """

    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    section: str
    letters: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        if not isinstance(self.choices, tuple) or not 2 <= len(self.choices) <= 6:
            raise ValueError("choices must be a tuple of 2 to 6 options")
        object.__setattr__(self, "letters", tuple("abcdef"[: len(self.choices)]))
        if self.answer not in self.letters:
            raise ValueError(f"answer must be one of {self.letters}, got {self.answer!r}")
        for name in ("prompt", "explanation", "section"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise ValueError(f"{name} must be a non-empty string")

    def letter(self, given) -> str:
        """The learner's answer as one of :attr:`letters`; ``ValueError`` with a readable message if not."""
        if isinstance(given, str):
            text = given.strip().lower().strip("()").strip(".")
            if text in self.letters:
                return text
        raise ValueError(f"answer with one letter: {', '.join(repr(x) for x in self.letters)}; got {given!r}")

    def as_text(self, number: int) -> str:
        """The question as plain text (what ``print`` and the browser's text view show)."""
        lines = [f"Question {number}. {_flat(self.prompt)}"]
        lines += [f"  ({letter}) {_flat(choice)}" for letter, choice in zip(self.letters, self.choices)]
        lines.append(f'Answer with check.quiz({number}, "a"), "b", ...')
        return "\n".join(lines)

    def as_html(self, number: int) -> str:
        """The question as HTML for a notebook: prompt, lettered choices, how to answer."""
        items = "".join(
            f"<li><strong>({letter})</strong> {_inline(choice)}</li>"
            for letter, choice in zip(self.letters, self.choices)
        )
        return (
            '<div style="border-left: 4px solid #6e7781; padding: 0.3em 0.8em; margin: 0.3em 0;">'
            f"<strong>Question {number}.</strong> {_inline(self.prompt)}"
            f'<ul style="list-style: none; padding-left: 0.5em;">{items}</ul>'
            f'<em>Answer with <code>check.quiz({number}, "a")</code>, "b", ...</em></div>'
        )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _inline(text: str) -> str:
    """Escape for HTML, keeping `code` spans and *emphasis*."""
    escaped = html.escape(_flat(text))
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)
