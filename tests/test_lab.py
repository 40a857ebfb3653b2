"""The learner's loop in a real JupyterLab, driven in headless Chromium (Playwright).

JupyterLab is started from .venv exactly as ``make lab`` starts it (``augreg_tools.lab``: working copies of the
exercises in a git-ignored folder, ``--allow-root`` only as root), on 127.0.0.1 with a token. The test then
does what a learner does: opens an exercise notebook (the ``.ipynb``, and a ``.md`` through jupytext), runs
every cell, reads each check's "not attempted yet", types a wrong answer into an exercise cell and reads the
hint, types the right answer and reads "passed", saves, and checks that ``git status`` did not change.
Screenshots go to ``_build/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from augreg_tools.lab import lab_command, prepare_workspace, write_lab_settings
from conftest import ROOT
from test_browser import CHROMIUM, CHROMIUM_FLAGS, browser  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.lab, pytest.mark.book, pytest.mark.timeout(900)]
sync_api = pytest.importorskip("playwright.sync_api")

WORK = ROOT / "_build" / "lab-work"
SCREENSHOTS = ROOT / "_build" / "screenshots"
#: The set whose first exercise the learner answers (wrong, then right), and the set opened as .md.
IPYNB_SET, MD_SET = "01-overfitting", "03-weight-penalties"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on screen
CELL_SECONDS = 150  # the longest a single cell may run in the browser before the test fails


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def lab():
    """JupyterLab serving fresh working copies of the exercises; yields (base URL, token)."""
    shutil.rmtree(WORK, ignore_errors=True)
    prepare_workspace(ROOT / "exercises", WORK)
    write_lab_settings()
    token, port = secrets.token_hex(16), _free_port()
    command = lab_command(WORK, ip="127.0.0.1", port=port, token=token, open_browser=False)
    log = open(ROOT / "_build" / "lab-test.log", "w")
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"JupyterLab did not start: see {log.name}:\n" + Path(log.name).read_text()[-3000:])
        time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


class LabPage:
    """One browser tab on JupyterLab that records console errors and keeps every request local."""

    def __init__(self, browser, base: str, token: str):  # noqa: F811
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.base, self.token, self.errors, self.external = base, token, [], []
        self.context.route("**/*", self._only_local)
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _only_local(self, route):
        if route.request.url.startswith((self.base, "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def open(self, name: str):
        # a workspace of its own: no document left open by an earlier visit
        workspace = f"test-{secrets.token_hex(4)}"
        self.page.goto(f"{self.base}/lab/workspaces/{workspace}/tree/{name}?token={self.token}",
                       wait_until="domcontentloaded")
        self.page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60_000)
        # the kernel has started and is idle (the status bar reads "Python 3 (ipykernel) | Idle")
        self.page.wait_for_function(
            "() => /ipykernel\\)? *\\| *Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText)",
            timeout=90_000)
        self.wait_idle()

    def wait_idle(self, seconds: float = CELL_SECONDS):
        """Wait until the kernel is idle and no cell shows [*]."""
        self.page.wait_for_function(
            """() => {
                const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
                const busy = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                    .some(p => p.textContent.includes('*'));
                return status && status.getAttribute('data-status') === 'idle' && !busy;
            }""",
            timeout=seconds * 1000,
        )

    def command(self, menu: str, command: str):
        """Click a menu of the menu bar, then the item that runs ``command``."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
        self.page.locator(f'li.lm-Menu-item[data-command="{command}"]').click()

    def run_all(self):
        """Run every cell; return when each has run, or when one failed (the rest then stay unrun)."""
        self.command("Run", "runmenu:run-all")
        self.page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                const error = document.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]')
                    && document.body.innerText.includes('Traceback');
                return error || prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=CELL_SECONDS * 2 * 1000,
        )
        self.wait_idle()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / "lab-after-run-all.png"))

    def outputs_text(self) -> str:
        return "\n".join(self.page.locator(f"{PANEL} .jp-OutputArea").all_inner_texts())

    def code_cell(self, containing: str):
        return self.page.locator(f"{PANEL} .jp-CodeCell").filter(has_text=containing).first

    def replace_and_run(self, cell, code: str) -> str:
        """Replace a cell's code as a learner types it, run it in place, return its output text."""
        editor = cell.locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Control+Enter")
        time.sleep(0.5)
        self.wait_idle()
        return cell.locator(".jp-OutputArea").inner_text()

    def close(self):
        self.context.close()


def _n_checks(md: Path) -> int:
    return len(re.findall(r"^check\.\w+\(", md.read_text(encoding="utf-8"), flags=re.M))


def _first_exercise(set_name: str) -> tuple[str, str, str]:
    """The first exercise cell of a set: (a line that finds it, its stub code, the solution's code)."""
    import jupytext

    exercise = [c.source for c in jupytext.read(ROOT / "exercises" / f"{set_name}.md").cells
                if c.cell_type == "code" and "# YOUR CODE HERE" in c.source and "check." in c.source][0]
    call = re.search(r"^check\.\w+\(.*$", exercise, flags=re.M).group(0)
    solution = [c.source for c in jupytext.read(ROOT / "solutions" / f"{set_name}.md").cells
                if c.cell_type == "code" and call in c.source][0]
    answer = "\n".join(line for line in solution.splitlines()
                       if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION"))
    return call, exercise, answer


def test_learner_runs_an_exercise_notebook_gets_a_hint_then_passes(browser, lab):  # noqa: F811
    base, token = lab
    before = _git_status()
    tab = LabPage(browser, base, token)
    try:
        tab.open(f"{IPYNB_SET}.ipynb")
        tab.run_all()
        text = tab.outputs_text()
        n_checks = _n_checks(ROOT / "exercises" / f"{IPYNB_SET}.md")
        assert n_checks >= 3 and text.count("not attempted yet") == n_checks, text[:3000]
        assert "Traceback" not in text and "Error" not in text, text[:3000]

        call, stub, answer = _first_exercise(IPYNB_SET)
        cell = tab.code_cell(call)
        wrong = tab.replace_and_run(cell, stub.replace("...", "None"))
        assert "failed." in wrong and "Traceback" not in wrong, wrong
        assert len(wrong.split("failed.", 1)[1].strip()) > 20, f"the hint says nothing: {wrong}"
        right = tab.replace_and_run(cell, answer)
        assert "passed." in right and "Traceback" not in right, right

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        cell.scroll_into_view_if_needed()
        tab.page.screenshot(path=str(SCREENSHOTS / "lab-exercise-passed.png"))
        with tab.page.expect_response(lambda r: r.request.method == "PUT"
                                      and f"/api/contents/{IPYNB_SET}.ipynb" in r.url) as response:
            tab.page.keyboard.press("Escape")  # command mode, then the learner's Ctrl+S
            tab.page.keyboard.press("Control+s")
        assert response.value.ok, f"saving failed: HTTP {response.value.status}"
        saved = WORK / f"{IPYNB_SET}.ipynb"
        assert "passed." in saved.read_text(encoding="utf-8"), "the saved working copy lacks the answer"
        assert (WORK / f"{IPYNB_SET}.md").is_file(), "jupytext did not write the .md pair of the working copy"
        assert _git_status() == before, "saving an exercise changed tracked files"
        assert not tab.external, f"requests that would leave the machine: {tab.external}"
        assert not tab.errors, f"console errors: {tab.errors}"
    finally:
        tab.close()


def test_a_myst_markdown_exercise_opens_as_a_notebook_and_runs(browser, lab):  # noqa: F811
    base, token = lab
    tab = LabPage(browser, base, token)
    try:
        tab.open(f"{MD_SET}.md")  # the default viewer for .md is "Jupytext Notebook"
        assert tab.page.locator(f"{PANEL} .jp-CodeCell").count() >= 3
        tab.run_all()
        text = tab.outputs_text()
        n_checks = _n_checks(ROOT / "exercises" / f"{MD_SET}.md")
        assert text.count("not attempted yet") == n_checks and "Traceback" not in text, text[:3000]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(SCREENSHOTS / "lab-markdown-exercise.png"))
        assert not tab.external, f"requests that would leave the machine: {tab.external}"
        assert not tab.errors, f"console errors: {tab.errors}"
    finally:
        tab.close()
