"""Shared pytest configuration: notebook timing report, book test last, repo paths, book cache.

It lives at the repository root so that its hooks see the notebook tests in
lessons/, exercises/ and solutions/ as well as tests/.

Each notebook runs once per `make test`: nbval executes it (the course's
contract: every notebook is a test), and when every cell of it has passed, its
outputs are stored in the book's execution cache (``book/_ext/execution_cache.py``),
so the book build that follows reuses them instead of running it again.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import execution_cache  # noqa: E402  (book/_ext, shared with the Sphinx build)

#: The book's jupyter-cache folder (``execute.cache`` in _config.yml).
BOOK_CACHE = ROOT / "_build" / ".jupyter_cache"

#: Execution budgets in seconds (COURSE.md, section 8), by notebook folder.
BUDGETS = {"lessons": 60, "exercises": 45, "solutions": 45}
#: The capstone has a larger budget.
CAPSTONE_BUDGETS = {"lessons": 150, "exercises": 60, "solutions": 60}
#: Lessons with a budget of their own (COURSE.md, section 8), by number.
LESSON_BUDGETS = {"05": 150, "06": 90, "08": 90, "09": 90}
#: A notebook fails the run only when it takes this many times its budget
#: (timings vary between runs; doubling is a regression, not noise).
FAIL_FACTOR = 2.0

_notebook_seconds: dict[str, float] = defaultdict(float)


def budget_for(notebook: str) -> float:
    """The execution budget of a notebook given as ``folder/NN-slug.ipynb``."""
    folder, name = Path(notebook).parts[-2:]
    table = CAPSTONE_BUDGETS if name.startswith("05-") else BUDGETS
    if folder == "lessons":
        return LESSON_BUDGETS.get(name[:2], table[folder])
    return table[folder]


def pytest_collection_modifyitems(session, config, items):
    """Run the book build after everything else: it reuses what nbval executed, and needs the rest to pass."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


def pytest_runtest_logreport(report):
    if ".ipynb::" in report.nodeid:
        _notebook_seconds[report.nodeid.split("::")[0]] += report.duration


class _NotebookRun:
    """What nbval produced for one notebook: each code cell's outputs, whether all passed, how long."""

    def __init__(self):
        self.outputs: dict[int, list] = {}
        self.passed = True
        self.seconds = 0.0


_runs: dict[Path, _NotebookRun] = {}
_stored: list[str] = []
_cache_checked = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not hasattr(item, "cell_num") or not str(item.path).endswith(".ipynb"):
        return
    report = outcome.get_result()
    run = _runs.setdefault(Path(item.path), _NotebookRun())
    run.seconds += report.duration
    if report.failed or report.skipped:
        run.passed = False
    if call.when == "call" and getattr(item, "test_outputs", None) is not None:
        run.outputs[item.cell_num] = [dict(output) for output in item.test_outputs]


def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell: store its outputs in the book's cache if every cell passed."""
    global _cache_checked
    path = Path(item.path)
    if path not in _runs or (nextitem is not None and Path(nextitem.path) == path):
        return
    run = _runs.pop(path)
    md = path.with_suffix(".md")
    n_code = sum(cell.cell_type == "code" for cell in item.parent.nb.cells)
    if not run.passed or len(run.outputs) != n_code or not md.is_file():
        return
    if os.environ.get("AUGREG_SEED", "").strip() not in ("", "0"):
        return  # the book is built with the default seed: `make seeds` leaves its cache alone
    if not _cache_checked:  # outputs made under other inputs must not survive next to these
        execution_cache.ensure_fresh_cache(BOOK_CACHE, execution_cache.inputs_fingerprint(ROOT))
        _cache_checked = True
    outputs = [run.outputs[index] for index in range(n_code)]
    if execution_cache.store_executed_notebook(BOOK_CACHE, md, outputs, run.seconds):
        _stored.append(str(md.relative_to(ROOT)))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook execution times (nbval)")
    for notebook, seconds in sorted(_notebook_seconds.items()):
        budget = budget_for(notebook)
        flag = "ok" if seconds <= budget else "OVER BUDGET"
        terminalreporter.write_line(f"{seconds:7.1f} s  (budget {budget:4.0f} s, {flag})  {notebook}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  in all")
    if _stored:
        terminalreporter.write_line(
            f"{len(_stored)} executed notebooks stored for the book build ({BOOK_CACHE.relative_to(ROOT)})"
        )


def pytest_sessionfinish(session, exitstatus):
    slow = [nb for nb, s in _notebook_seconds.items() if s > FAIL_FACTOR * budget_for(nb)]
    if slow and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nnotebooks over {FAIL_FACTOR:g}x their execution budget: {', '.join(sorted(slow))}")
