"""Shared pytest configuration: notebook timing report, book test last, repo paths.

It lives at the repository root so that its hooks see the notebook tests in
lessons/, exercises/ and solutions/ as well as tests/.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

#: Execution budgets in seconds (COURSE.md, section 8), by notebook folder.
BUDGETS = {"lessons": 60, "exercises": 45, "solutions": 45}
#: The capstone has a larger budget.
CAPSTONE_BUDGETS = {"lessons": 150, "exercises": 60, "solutions": 60}
#: A notebook fails the run only when it takes this many times its budget
#: (timings vary between runs; doubling is a regression, not noise).
FAIL_FACTOR = 2.0

_notebook_seconds: dict[str, float] = defaultdict(float)


def budget_for(notebook: str) -> float:
    """The execution budget of a notebook given as ``folder/NN-slug.ipynb``."""
    folder, name = Path(notebook).parts[-2:]
    table = CAPSTONE_BUDGETS if name.startswith("05-") else BUDGETS
    return table[folder]


def pytest_configure(config):
    config.addinivalue_line("markers", "book: builds the HTML book (runs last, slow on a cold cache)")


def pytest_collection_modifyitems(session, config, items):
    """Run the book build after everything else: it is the slowest test and needs the rest to pass."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


def pytest_runtest_logreport(report):
    if ".ipynb::" in report.nodeid:
        _notebook_seconds[report.nodeid.split("::")[0]] += report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook execution times (nbval)")
    for notebook, seconds in sorted(_notebook_seconds.items()):
        budget = budget_for(notebook)
        flag = "ok" if seconds <= budget else "OVER BUDGET"
        terminalreporter.write_line(f"{seconds:7.1f} s  (budget {budget:4.0f} s, {flag})  {notebook}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  in all")


def pytest_sessionfinish(session, exitstatus):
    slow = [nb for nb, s in _notebook_seconds.items() if s > FAIL_FACTOR * budget_for(nb)]
    if slow and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nnotebooks over {FAIL_FACTOR:g}x their execution budget: {', '.join(sorted(slow))}")


@pytest.fixture(scope="session")
def built_book():
    """Build the book as `make book` does (reusing its execution cache); the completed process."""
    import subprocess
    import sys

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=1800, cwd=ROOT,
    )


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT
