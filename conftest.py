"""The notebooks as tests: nbval runs each one once, within its budget, and the book reuses what it ran.

It lives at the repository root so that its hooks see the notebook tests in lessons/, exercises/ and
solutions/ (the shared fixtures of tests/ are in ``tests/conftest.py``).

* **One execution per notebook.** When every cell of a notebook passes under nbval, its outputs are
  stored in the book's execution cache, stamped with the notebook's fingerprint
  (``book/_ext/execution_cache.py``). While a stored result's code and fingerprint hold, nbval does not
  run that notebook again: its cells are reported as skipped, "reused". ``make book`` runs nbval before
  the book build, so whichever of ``make book`` and ``make test`` comes first executes each notebook
  once. ``--rerun-notebooks`` (or ``AUGREG_RERUN=1``) runs them all regardless.
* **Budgets as tests.** Each notebook gets one more test item, ``<notebook>::budget``, which fails when
  the notebook took more than :data:`BUDGET_FACTOR` times its budget. The budgets are one table:
  ``[tool.augreg.budgets]`` in ``pyproject.toml``.
* The book's tests (marker ``book``) run last: they build the book from what nbval stored.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import execution_cache  # noqa: E402  (book/_ext, shared with the Sphinx build)

NOTEBOOK_FOLDERS = ("lessons", "exercises", "solutions")


def _budget_table() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["augreg"]["budgets"]


#: A notebook fails its budget item when it takes more than this many times its budget.
BUDGET_FACTOR = float(_budget_table()["factor"])


def budget_for(notebook: str | Path) -> float:
    """The execution budget in seconds of ``folder/NN-slug.ipynb`` (or ``.md``), from pyproject.toml."""
    table = _budget_table()
    folder, name = Path(notebook).parts[-2:]
    stem = Path(name).stem
    for key in (f"{folder}/{stem}", f"{folder}/{stem[:2]}", folder):
        if key in table:
            return float(table[key])
    raise KeyError(f"no budget for {folder}/{stem} in [tool.augreg.budgets] of pyproject.toml")


def pytest_addoption(parser):
    parser.addoption(
        "--rerun-notebooks",
        action="store_true",
        help="run every notebook under nbval even when a stored result of the same code and "
        "fingerprint exists (also AUGREG_RERUN=1)",
    )


def _default_seed() -> bool:
    """Only runs with the book's seed and no recording may store or reuse results."""
    return os.environ.get("AUGREG_SEED", "").strip() in ("", "0") and not os.environ.get("AUGREG_RECORD")


class _NotebookRun:
    """What nbval produced for one notebook: each code cell's outputs, whether all passed, how long."""

    def __init__(self):
        self.outputs: dict[int, list] = {}
        self.passed = True
        self.seconds = 0.0
        self.reused_seconds: float | None = None


_runs: dict[Path, _NotebookRun] = {}
_stored: list[str] = []


class NotebookBudget(pytest.Item):
    """``<notebook>::budget``: fails when the notebook ran more than BUDGET_FACTOR times its budget."""

    def runtest(self):
        run = _runs.get(Path(self.path))
        if run is None:
            pytest.skip("the notebook's cells did not run")
        seconds = run.seconds if run.reused_seconds is None else run.reused_seconds
        budget = budget_for(self.path)
        if not run.passed and run.reused_seconds is None:
            pytest.skip("the notebook failed; its time says nothing")
        if seconds > BUDGET_FACTOR * budget:
            pytest.fail(
                f"{Path(self.path).relative_to(ROOT)} ran {seconds:.1f} s, more than {BUDGET_FACTOR:g} x its "
                f"budget of {budget:g} s ([tool.augreg.budgets] in pyproject.toml)",
                pytrace=False,
            )

    def reportinfo(self):
        return self.path, None, self.nodeid


def pytest_collection_modifyitems(session, config, items):
    """Skip notebooks whose stored result holds, add each notebook's budget item, run the book last."""
    rerun = config.getoption("--rerun-notebooks") or os.environ.get("AUGREG_RERUN", "") not in ("", "0")
    by_notebook: dict[Path, list] = {}
    for item in items:
        if str(item.path).endswith(".ipynb") and hasattr(item, "cell_num"):
            by_notebook.setdefault(Path(item.path), []).append(item)
    for path, cells in by_notebook.items():
        run = _runs.setdefault(path, _NotebookRun())
        record = None
        if not rerun and _default_seed():
            record = execution_cache.nbval_record(ROOT, path.with_suffix(".md"), cells[0].parent.nb)
        if record is not None:
            run.reused_seconds = float(record.data.get("execution_seconds", 0.0))
            reason = (
                f"reused: passed under nbval on {record.created:%Y-%m-%d %H:%M} UTC with the same code and "
                "inputs (--rerun-notebooks runs it again)"
            )
            for cell in cells:
                cell.add_marker(pytest.mark.skip(reason=reason))
        # a child of the session, not of the notebook: checking a reused notebook's time starts no kernel
        nodeid = f"{path.relative_to(ROOT)}::budget"
        budget = NotebookBudget.from_parent(session, name=nodeid, nodeid=nodeid, path=path)
        items.insert(items.index(cells[-1]) + 1, budget)
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not hasattr(item, "cell_num") or not str(item.path).endswith(".ipynb"):
        return
    report = outcome.get_result()
    run = _runs.setdefault(Path(item.path), _NotebookRun())
    if run.reused_seconds is not None:
        return
    run.seconds += report.duration
    if report.failed or report.skipped:
        run.passed = False
    if call.when == "call" and getattr(item, "test_outputs", None) is not None:
        run.outputs[item.cell_num] = [dict(output) for output in item.test_outputs]


def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell: store its outputs for the book if every cell passed."""
    if not hasattr(item, "cell_num") or (
        nextitem is not None and Path(nextitem.path) == Path(item.path) and hasattr(nextitem, "cell_num")
    ):
        return
    path = Path(item.path)
    run = _runs.get(path)
    md = path.with_suffix(".md")
    if run is None or run.reused_seconds is not None or not run.passed or not md.is_file() or not _default_seed():
        return
    notebook = item.parent.nb
    n_code = sum(cell.cell_type == "code" for cell in notebook.cells)
    if len(run.outputs) != n_code:
        return
    outputs = [run.outputs[index] for index in range(n_code)]
    if execution_cache.store_executed_notebook(ROOT, md, notebook, outputs, run.seconds):
        _stored.append(str(md.relative_to(ROOT)))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    timed = {path: run for path, run in _runs.items() if run.seconds or run.reused_seconds is not None}
    if not timed:
        return
    terminalreporter.section("notebook execution times (nbval)")
    for path, run in sorted(timed.items()):
        seconds = run.seconds if run.reused_seconds is None else run.reused_seconds
        budget = budget_for(path)
        flag = "ok" if seconds <= budget else f"over budget{'' if seconds <= BUDGET_FACTOR * budget else ': FAILS'}"
        how = "reused" if run.reused_seconds is not None else "ran"
        terminalreporter.write_line(
            f"{seconds:7.1f} s  {how:6}  (budget {budget:4.0f} s, {flag})  {path.relative_to(ROOT)}"
        )
    executed = sum(run.seconds for run in timed.values() if run.reused_seconds is None)
    terminalreporter.write_line(f"{executed:7.1f} s  executed in this run")
    if _stored:
        terminalreporter.write_line(
            f"{len(_stored)} executed notebooks stored for the book build "
            f"({execution_cache.cache_dir(ROOT).relative_to(ROOT)})"
        )
