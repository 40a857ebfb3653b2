"""MyST markup made readable where no Sphinx runs: the exercise notebooks in JupyterLab, hints, worked answers.

The book renders roles such as ``{ref}`sec-gap``` and ``{doc}`Lesson 01 <../lessons/01-overfitting>```;
JupyterLab shows them as raw text. :func:`plain_text` turns the roles that have a readable form into plain
Markdown (a section label becomes "Lesson 01, section *The generalization gap*"), and leaves the rest
(``{glue:text}``, ``{cite:p}``, ...) in place for :func:`raw_markup` to report: a number that the book glues
cannot be shown in an exercise notebook except by a code cell that prints it.

:func:`section_titles` reads the labelled headings of ``lessons/*.md`` (``(sec-gap)=`` above
``## The generalization gap``), so hints and exercises can name a section by its label.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

#: The repository's root when the package runs from its source tree (``src/augreg/checks/``).
REPOSITORY = Path(__file__).resolve().parents[3]

_LABEL = re.compile(r"^\((?P<label>[A-Za-z0-9_.:-]+)\)=\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*$")
_ROLE = re.compile(r"\{(?P<role>[a-z:]+)\}`(?P<body>[^`]*)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
#: Roles that :func:`plain_text` can write as plain text.
READABLE_ROLES = ("ref", "doc", "term", "math", "abbr", "sub", "sup")
#: Markup that JupyterLab would show as raw text: a role, or a directive fence (```{note}, :::{dropdown}).
RAW_MARKUP = re.compile(r"\{[a-z][a-z:]*\}`|^(```|:::)\{[a-z]", re.M)


@functools.lru_cache(maxsize=8)
def section_titles(lessons: Path | str | None = None) -> dict[str, str]:
    """``{label: "Lesson NN, section *Title*"}`` for every labelled heading in ``lessons/NN-*.md``.

    A label right above a lesson's title (``(lesson-01)=``) maps to ``"Lesson 01"``. Returns an empty
    dict when the folder does not exist (the package installed without its repository).
    """
    folder = Path(lessons) if lessons is not None else REPOSITORY / "lessons"
    titles: dict[str, str] = {}
    for path in sorted(folder.glob("[0-9][0-9]-*.md")):
        lesson = f"Lesson {path.name[:2]}"
        pending: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            label = _LABEL.match(line)
            if label:
                pending.append(label.group("label"))
                continue
            heading = _HEADING.match(line)
            if heading and pending:
                title = heading.group("title")
                for name in pending:
                    titles[name] = lesson if len(heading.group("hashes")) == 1 else f"{lesson}, section *{title}*"
            if line.strip():
                pending = []
    return titles


def describe_section(label: str, titles: dict[str, str] | None = None) -> str:
    """A readable name for a section label (``"Lesson 01, section *The generalization gap*"``).

    Falls back to the label itself when the lessons are not at hand.
    """
    titles = section_titles() if titles is None else titles
    return titles.get(label, f"the lesson's section `{label}`")


def _doc_name(target: str) -> str:
    stem = Path(target).name
    match = re.match(r"(\d\d)-", stem)
    if match is None:
        return stem
    kind = {"lessons": "Lesson", "solutions": "Solutions", "exercises": "Exercises"}.get(Path(target).parent.name)
    return f"{kind or 'Lesson'} {match.group(1)}"


def plain_text(markdown: str, titles: dict[str, str] | None = None) -> str:
    """Markdown with every readable MyST role (:data:`READABLE_ROLES`) written as plain text.

    ``{ref}`sec-gap``` becomes the section's name, ``{ref}`this section <sec-gap>``` its text,
    ``{doc}`Lesson 01 <../lessons/01-overfitting>``` its text, ``{term}`capacity``` the word,
    ``{math}`x^2``` becomes ``$x^2$``. Other roles are left as they are (see :func:`raw_markup`).
    """
    titles = section_titles() if titles is None else titles

    def replace(match: re.Match) -> str:
        role, body = match.group("role"), match.group("body")
        explicit = _EXPLICIT.match(body)
        text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, body)
        if role == "ref":
            return text if text else describe_section(target, titles)
        if role == "doc":
            return text if text else _doc_name(target)
        if role == "term":
            return text if text else target
        if role == "math":
            return f"${body}$"
        if role in ("abbr", "sub", "sup"):
            return re.sub(r"\s*\(.*\)$", "", body) if role == "abbr" else body
        return match.group(0)

    return _ROLE.sub(replace, markdown)


def raw_markup(markdown: str) -> list[str]:
    """The pieces of MyST markup that JupyterLab would show as raw text (roles and directive fences)."""
    found = []
    for match in RAW_MARKUP.finditer(markdown):
        line_end = markdown.find("\n", match.start())
        found.append(markdown[match.start() : line_end if line_end != -1 else None][:60])
    return found
