"""Consistency of the notebooks: jupytext pairs, stored outputs, cell tags, the table of contents."""

import json
import re
import subprocess

import jupytext
import pytest
import yaml

from tests.conftest import ROOT, toc_pages

FOLDERS = ("lessons", "exercises", "solutions")
NOTEBOOKS = sorted(p for folder in FOLDERS for p in (ROOT / folder).glob("*.md"))

#: The only cell tags the course uses, with the tool that reads each.
KNOWN_TAGS = {
    "remove-cell",
    "remove-input",
    "remove-output",
    "hide-cell",
    "hide-input",
    "hide-output",  # myst-nb
    "raises-exception",  # myst-nb and nbval: the cell is expected to raise
    "solution",  # augreg.exercises: the cell appears in solutions/ only
}


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def test_there_are_notebooks_in_every_folder():
    for folder in FOLDERS:
        assert list((ROOT / folder).glob("[0-9][0-9]-*.md")), f"no notebooks in {folder}/"


def test_lessons_exercises_and_solutions_share_their_slugs():
    slugs = {folder: sorted(p.stem for p in (ROOT / folder).glob("*.md")) for folder in FOLDERS}
    assert slugs["lessons"] == slugs["exercises"] == slugs["solutions"], slugs
    for slug in slugs["lessons"]:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", slug), f"{slug!r} is not NN-slug"


@pytest.mark.parametrize("md", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_pair_is_in_sync(md):
    ipynb = md.with_suffix(".ipynb")
    assert ipynb.exists(), f"{md.name} has no paired {ipynb.name}: run `make sync`"
    stored = json.loads(ipynb.read_text(encoding="utf-8"))
    text = jupytext.read(md)
    as_text = [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in text.cells]
    as_ipynb = [
        (c["cell_type"], "".join(c["source"]).strip(), sorted(c.get("metadata", {}).get("tags", [])))
        for c in stored["cells"]
    ]
    assert as_text == as_ipynb, f"{md.name} and {ipynb.name} differ: run `make sync`"
    assert stored["metadata"]["kernelspec"]["name"] == "python3"


def _staged(path):
    """The text of ``path`` as staged in git (what a commit would hold); the working tree's outside git."""
    relative = str(path.relative_to(ROOT))
    result = subprocess.run(["git", "show", f":{relative}"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else path.read_text(encoding="utf-8")


@pytest.mark.parametrize("md", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs(md):
    """What is staged (or committed) has no outputs; a notebook run in place in the working tree is fine:
    the nbstripout filter (.gitattributes) strips it when it is staged."""
    stored = json.loads(_staged(md.with_suffix(".ipynb")))
    for cell in stored["cells"]:
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, f"{md.stem}.ipynb is staged with outputs"


def test_jupytext_headers_carry_no_tool_version():
    """An upgrade of jupytext must not rewrite every notebook (jupytext.toml filters the version out)."""
    for md in NOTEBOOKS:
        header = md.read_text(encoding="utf-8").split("\n---", 1)[0]
        assert "jupytext_version" not in header, f"{md.relative_to(ROOT)}: run `make sync` (jupytext.toml)"
    assert "-jupytext.text_representation.jupytext_version" in (ROOT / "jupytext.toml").read_text()


@pytest.mark.parametrize("md", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_cell_tags_are_known(md):
    for index, cell in enumerate(jupytext.read(md).cells):
        unknown = set(cell.metadata.get("tags", [])) - KNOWN_TAGS
        assert not unknown, f"{md.name}, cell {index}: unknown tag(s) {sorted(unknown)}; known: {sorted(KNOWN_TAGS)}"


@pytest.mark.parametrize("md", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_silences_tensorflow_before_importing_keras(md):
    code = [c for c in jupytext.read(md).cells if c.cell_type == "code"]
    first_keras = next(i for i, c in enumerate(code) if re.search(r"^import keras", c.source, re.M))
    quiet = [i for i, c in enumerate(code) if "import_tensorflow_quietly()" in c.source]
    assert quiet and quiet[0] < first_keras, "call augreg.import_tensorflow_quietly() before `import keras`"
    assert "remove-cell" in code[quiet[0]].metadata.get("tags", []), "the noise-control cell should be hidden"
    assert not any("verbose=1" in c.source or "verbose=2" in c.source for c in code), "no progress bars"


@pytest.mark.parametrize("md", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_visible_code_fits_the_book_column(md):
    """The book's code column shows 80 characters (measured in a screenshot); longer lines scroll."""
    for index, cell in enumerate(jupytext.read(md).cells):
        if cell.cell_type != "code" or "remove-cell" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            assert len(line) <= 80, f"{md.name}, cell {index}: {len(line)} characters: {line.strip()[:60]}..."


@pytest.mark.parametrize(
    "md", sorted((ROOT / "lessons").glob("*.md")), ids=_ids(sorted((ROOT / "lessons").glob("*.md")))
)
def test_lesson_follows_the_template(md):
    """The sections of a lesson. Its claims go through the claims ledger (tests/test_records.py checks
    that), and its numbers come from the run (tests/test_typed_numbers.py)."""
    text = md.read_text(encoding="utf-8")
    assert "{glue:text}" in text or "{glue}" in text, "numbers in the prose come from the run (glue)"
    for heading in ("## Setup", "## Exercises", "## References"):
        assert heading in text, f"missing section {heading!r}"
    assert "Side by side" in text, "a lesson has a side-by-side section"
    assert "{cite" in text, "a lesson cites its sources"
    assert re.search(r"\*\*Learning objectives", text)


def test_solutions_end_by_asserting_that_every_check_passed():
    for md in sorted((ROOT / "solutions").glob("*.md")):
        last = [c for c in jupytext.read(md).cells if c.cell_type == "code"][-1]
        assert "assert_all_passed(" in last.source, md.name
        assert {"remove-cell", "solution"} <= set(last.metadata.get("tags", [])), md.name


def test_table_of_contents_lists_every_notebook_and_only_existing_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = toc_pages()
    for name in files:
        assert (ROOT / f"{name}.md").exists(), f"_toc.yml lists {name}, which does not exist"
    assert len(files) == len(set(files)), "a file is listed twice in _toc.yml"
    for md in NOTEBOOKS:
        assert str(md.relative_to(ROOT).with_suffix("")) in files, f"{md.name} is not in _toc.yml"
    captions = [part["caption"] for part in toc["parts"]]
    assert {"Lessons", "Exercises", "Solutions"} <= set(captions)


@pytest.mark.slow
def test_pytest_never_collects_build_or_venv():
    """Even `pytest .` must skip _build/ (the execution cache holds .ipynb copies) and .venv/."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pytest", ".", "--collect-only", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    collected = [line for line in result.stdout.splitlines() if "::" in line]
    assert any(line.startswith("lessons/") for line in collected)
    stray = [line for line in collected if line.startswith(("_build", ".venv", "book/", "src/"))]
    assert not stray, stray[:5]


@pytest.mark.parametrize(
    "md", sorted((ROOT / "lessons").glob("*.md")), ids=_ids(sorted((ROOT / "lessons").glob("*.md")))
)
def test_lesson_ends_with_self_check_questions(md):
    """3-5 questions before the references, each answer in a dropdown that points to a labelled section."""
    text = md.read_text(encoding="utf-8")
    assert "\n## Check yourself\n" in text, "a lesson ends with a 'Check yourself' section"
    section = text.split("\n## Check yourself\n", 1)[1].split("\n## References", 1)[0]
    assert "\n## " not in section, "'Check yourself' is the last section before the references"
    answers = re.findall(r":::\{dropdown\} Answer\n(.*?)\n *:::", section, flags=re.S)
    assert 3 <= len(answers) <= 5, f"{len(answers)} self-check questions, want 3-5"
    labels = set(re.findall(r"^\((sec-[\w-]+)\)=$", text, flags=re.M))
    for answer in answers:
        refs = re.findall(r"\{ref\}`(?:[^`<]*<)?(sec-[\w-]+)>?`", answer)
        assert refs, f"an answer points to the section that shows it: {answer.strip()[:60]}..."
        assert set(refs) <= labels, f"answer points to labels this lesson does not define: {set(refs) - labels}"


ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")  # a MyST role with its target, e.g. {glue:text}`name:.1f`


def glue_inside_code(text: str) -> str | None:
    """The first inline code span (outside roles) that contains a glue role, or None."""
    for line in text.splitlines():
        position = 0
        while (tick := line.find("`", position)) >= 0:
            role = ROLE.match(line, line.rfind("{", 0, tick + 1)) if "}" == line[tick - 1 : tick] else None
            if role and role.end() > tick:
                position = role.end()
                continue
            end = line.find("`", tick + 1)
            if end < 0:
                break
            span = line[tick : end + 1]
            if "{glue" in span:
                return span + line[end + 1 : end + 20]
            position = end + 1
    return None


def test_glue_inside_inline_code_is_found():
    assert glue_inside_code("chose `RandomRotation({glue:text}`turn`)`.")
    assert glue_inside_code("{glue:text}`a:,` and `code`, {glue:text}`b:.2f` `x`") is None


@pytest.mark.parametrize("md", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_glue_role_inside_inline_code(md):
    """Inside `code` a role is text: the page would show raw `{glue:text}` markup."""
    found = glue_inside_code(md.read_text(encoding="utf-8"))
    assert found is None, f"{md.name}: a glue role inside inline code: {found}"
