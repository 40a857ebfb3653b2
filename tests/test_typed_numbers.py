"""No measured number is typed into the prose of a lesson or a solution: each comes from the run (glue).

A measured-looking number is what :data:`augreg.claims.MEASURED_NUMBER` matches: a percentage, a signed
difference (``+3``, ``−2.5``, ``±2``) or an interval (``[-9.3, +2.3]``). The scan reads the Markdown of
``lessons/*.md`` and ``solutions/*.md`` outside code cells, inline code, math, glue roles and HTML
comments. The course's confidence level (95 %) is allowed everywhere. A number that is a fixed fact (a
setting such as "40 % of the labels are wrong", a Keras range such as "±36°") is allowed by the notebook
itself, in its front matter, with the reason::

    augreg:
      fixed_numbers:
        - text: "40 %"
          why: the share of wrong labels is a setting of the exercise
"""

import re

import pytest
import yaml

from augreg.claims import MEASURED_NUMBER
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.md")) + sorted((ROOT / "solutions").glob("[0-9][0-9]-*.md"))
#: Allowed everywhere: the course's confidence level.
ALWAYS = ("95 %",)


def front_matter(text: str) -> dict:
    if not text.startswith("---\n"):
        return {}
    end = text.index("\n---", 4)
    return yaml.safe_load(text[4:end]) or {}


def prose(text: str) -> str:
    """The Markdown a reader sees as text: no front matter, code, math, glue, inline code or comments."""
    if text.startswith("---\n"):
        text = text[text.index("\n---", 4) + 4 :]
    lines, fence, directives = [], None, []  # directives: the fences of open prose directives
    for line in text.splitlines():
        stripped = line.lstrip()
        match = re.match(r"(`{3,}|~{3,})", stripped)
        if fence is None and match:
            if directives and stripped.strip() == directives[-1]:
                directives.pop()  # the closing fence of a note, exercise or dropdown
                continue
            # code cells, math and code blocks are skipped; other directives (notes, dropdowns) are prose
            skipped = r"(`{3,}|~{3,})\s*\{(code-cell|math|code-block|code)\}|(`{3,}|~{3,})\s*(\w+)?\s*$"
            if re.match(skipped, stripped):
                fence = match.group(1)
                continue
            directives.append(match.group(1))
            continue  # a directive line such as ```{note}: its body is prose
        if fence is not None:
            if stripped.startswith(fence) and stripped.strip() == fence:
                fence = None
            continue
        if re.match(r"\s*:[\w-]+:", line):  # a directive option (:label:, :class:)
            continue
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", "", text)  # roles: {glue:text}`x`, {ref}`y`, {math}`z`
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"(?<!\\)\$[^$\n]+\$", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return text


def typed_numbers(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    allowed = [entry["text"] for entry in front_matter(text).get("augreg", {}).get("fixed_numbers", [])]
    seen = prose(text)
    for fixed in (*ALWAYS, *allowed):
        seen = seen.replace(fixed, " ")
    return [m.group(0) for m in MEASURED_NUMBER.finditer(seen)]


def test_the_scan_finds_typed_numbers_and_skips_glue(tmp_path):
    page = tmp_path / "x.md"
    page.write_text(
        "---\naugreg:\n  fixed_numbers:\n    - text: 40 %\n      why: a setting\n---\n"
        "Typed: +2.0 [+0.5, +3.5] points, 87 % and -1.5.\n"
        "Glued: {glue:text}`gain` and `+3` in code, $\\pm 2$ in math, 40 % wrong labels, a 95 % interval.\n"
        "```{code-cell} ipython3\nprint('+4 points, 12 %')\n```\n"
        ":::{dropdown} Answer\nIt rose by +7 points.\n:::\n"
    )
    assert typed_numbers(page) == ["+2", "[+0.5, +3.5]", "87 %", "-1.5", "+7"]


def test_every_fixed_number_says_why():
    for path in NOTEBOOKS:
        for entry in front_matter(path.read_text(encoding="utf-8")).get("augreg", {}).get("fixed_numbers", []):
            assert set(entry) == {"text", "why"} and entry["why"].strip(), f"{path.name}: {entry}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in NOTEBOOKS])
def test_no_measured_number_is_typed_into_prose(path):
    found = typed_numbers(path)
    assert not found, (
        f"{path.name} types measured-looking numbers into its prose: {found}. Glue them from the run "
        f"(a claim of the ledger, or glue()); a number that is a fixed fact goes into the front matter's "
        f"augreg.fixed_numbers with the reason."
    )
