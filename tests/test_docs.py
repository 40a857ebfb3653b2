"""The newcomer's pages stay true: two commands, no timing typed by hand, the third-party notices."""

import re

import pytest

from tests.conftest import ROOT

PAGES = ["README.md", "book/setup.md", "book/execution.md"]
#: A duration typed into prose: "13 min 48 s", "about 5 s", "27 seconds", "1.5 minutes", "under 1 min".
TIMING = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:s|sec|secs|seconds?|min|mins|minutes?|h|hours?)\b")


@pytest.mark.parametrize("name", PAGES)
def test_no_timing_is_typed_by_hand(name):
    """Measured times come from the runs (the execution page, `make test`'s summary), never from prose."""
    text = (ROOT / name).read_text(encoding="utf-8")
    typed = TIMING.findall(text)
    assert not typed, f"{name} types timings ({typed}): link the execution page or the budgets table instead"


def test_the_readme_gives_a_newcomer_exactly_two_commands_book_then_test():
    """`make book` first, then `make test`: with the execution cache each notebook still runs once."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "one block of commands"
    commands = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.split("#")[0].strip()]
    assert commands == ["make book", "make test"], commands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^book: notebooks$", makefile, re.M), "make book runs the notebooks under nbval first"


def test_notice_carries_the_wordnet_licence_of_the_extract_in_augreg_text():
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved." in notice
    assert "src/augreg/text.py" in notice and "THIS SOFTWARE AND DATABASE IS PROVIDED" in notice
    assert "NOTICE" in (ROOT / "src/augreg/text.py").read_text(encoding="utf-8")
    assert "NOTICE" in (ROOT / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "README.md",
        "book/setup.md",
        "book/execution.md",
        "conftest.py",
        "tests/conftest.py",
        "Makefile",
        "pyproject.toml",
    ],
)
def test_no_reference_outside_the_repository(name):
    """No design document, brief or issue that a reader of the repository cannot open."""
    text = (ROOT / name).read_text(encoding="utf-8")
    assert not re.search(r"COURSE\.md|\bissue #?\d+|\bbrief\b|shared/", text), name
