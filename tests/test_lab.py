"""The learner's loop in a real JupyterLab, driven in headless Chromium (Playwright).

JupyterLab is started from .venv exactly as ``make lab`` starts it (``augreg_tools.lab``: working copies of
the exercise notebooks in a git-ignored folder, ``--allow-root`` only as root), on 127.0.0.1 with a token.
The test then does what a learner does with set 01, which runs on the exercise-set API: opens the notebook,
runs every cell, reads each check's "not attempted yet", types a wrong answer and reads the diagnosis and
the section to reread, asks for hints (tier 2, then 3), types the right answer and reads "passed",
answers a question wrongly and reads the explanation, reads the progress table, saves, and checks that
``git status`` did not change and that the working folder holds each exercise once. Every exercise
notebook is opened to check that its text shows no raw MyST markup. Screenshots go to
``_build/screenshots/`` for a human to look at.
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
from tests.conftest import ROOT, SCREENSHOTS

pytestmark = [pytest.mark.lab, pytest.mark.book, pytest.mark.timeout(900)]
sync_api = pytest.importorskip("playwright.sync_api")

WORK = ROOT / "_build" / "lab-work"
#: The set the learner works through (it uses the exercise-set API: hints, progress, questions).
LEARNER_SET = "01-overfitting"
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

    def __init__(self, browser, base: str, token: str):
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

    def open(self, name: str, *, wait_for_kernel: bool = True):
        # a workspace of its own: no document left open by an earlier visit
        workspace = f"test-{secrets.token_hex(4)}"
        self.page.goto(
            f"{self.base}/lab/workspaces/{workspace}/tree/{name}?token={self.token}", wait_until="domcontentloaded"
        )
        self.page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60_000)
        # every text cell rendered (JupyterLab renders Markdown asynchronously)
        self.page.wait_for_function(
            f"""() => {{
                const cells = document.querySelectorAll('{PANEL} .jp-MarkdownCell');
                const rendered = document.querySelectorAll('{PANEL} .jp-MarkdownCell .jp-RenderedMarkdown');
                return cells.length > 0 && rendered.length === cells.length
                    && [...rendered].every(r => r.innerText.trim().length > 0);
            }}""",
            timeout=60_000,
        )
        if not wait_for_kernel:
            return
        # the kernel has started and is idle (the status bar reads "Python 3 (ipykernel) | Idle")
        self.page.wait_for_function(
            "() => /ipykernel\\)? *\\| *Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText)",
            timeout=90_000,
        )
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
        """The first code cell whose text contains ``containing``, pinned by its position (the locator
        keeps pointing at it after its code is replaced)."""
        cells = self.page.locator(f"{PANEL} .jp-CodeCell")
        texts = cells.all_inner_texts()
        index = next(i for i, text in enumerate(texts) if containing in text)
        return cells.nth(index)

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


def _n_stubs(set_name: str) -> int:
    """How many cells of the exercise notebook hold a stub (each check says "not attempted yet")."""
    import jupytext

    notebook = jupytext.read(ROOT / "exercises" / f"{set_name}.md")
    return sum("# YOUR CODE HERE" in c.source for c in notebook.cells if c.cell_type == "code")


def _exercise(set_name: str, number: int) -> tuple[str, str, str]:
    """Exercise ``number`` of a set: (its check call, which finds its cell; its stub code; the solution's code)."""
    import jupytext

    text = (ROOT / "exercises" / f"{set_name}.md").read_text(encoding="utf-8")
    section = re.split(r"^## ", text.split(f"## Exercise {number}:", 1)[1], flags=re.M)[0]
    call = re.search(r"^check\.\w+\(.*$", section, flags=re.M).group(0)
    exercise = [
        c.source
        for c in jupytext.read(ROOT / "exercises" / f"{set_name}.md").cells
        if c.cell_type == "code" and call in c.source
    ][0]
    solution = [
        c.source
        for c in jupytext.read(ROOT / "solutions" / f"{set_name}.md").cells
        if c.cell_type == "code" and call in c.source
    ][0]
    answer = "\n".join(
        line for line in solution.splitlines() if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION")
    )
    return call, exercise, answer


#: MyST markup that JupyterLab would show as raw text.
RAW_MYST = ("{glue", "{ref}", "{doc}", "{term}", "{cite", "{numref}", ":::{", "```{")


def test_learner_works_through_set_01_with_hints_a_question_and_progress(browser, lab):
    base, token = lab
    before = _git_status()
    tab = LabPage(browser, base, token)
    try:
        tab.open(f"{LEARNER_SET}.ipynb")
        page_text = tab.page.locator(PANEL).inner_text()
        assert not [m for m in RAW_MYST if m in page_text], "raw MyST markup shown in JupyterLab"
        tab.run_all()
        text = tab.outputs_text()
        n_stubs = _n_stubs(LEARNER_SET)
        assert n_stubs >= 8 and text.count("not attempted yet") == n_stubs, text[:3000]
        assert "Traceback" not in text and "Error" not in text, text[:3000]
        assert "Question 1." in text and "(a)" in text, "a question is not shown"

        call, stub, answer = _exercise(LEARNER_SET, 1)
        cell = tab.code_cell(call)
        wrong = tab.replace_and_run(cell, stub.replace("return ...", "return 0.5"))
        assert "failed." in wrong and "Traceback" not in wrong, wrong
        assert "Reread Lesson 01" in wrong and "check.hint(1)" in wrong, f"no section to reread: {wrong}"

        scratch = tab.code_cell("check.progress()")
        second = tab.replace_and_run(scratch, "check.hint(1)")
        assert "Hint 2 of 3" in second, second
        third = tab.replace_and_run(scratch, "check.hint(1)")
        assert "Hint 3 of 3" in third and "check.solution(1)" in third, third
        table = tab.replace_and_run(scratch, "check.progress()")
        assert "hinted" in table and "not attempted" in table, table

        right = tab.replace_and_run(cell, answer)
        assert "passed." in right and "Traceback" not in right, right
        question = tab.code_cell("check.quiz(1, answer_1)")
        explained = tab.replace_and_run(question, 'answer_1 = "a"\ncheck.quiz(1, answer_1)')
        assert "you chose (a); the answer is (b)" in explained and "Lesson 01" in explained, explained
        table = tab.replace_and_run(scratch, "check.progress()")
        assert "passed with hints" in table and "0 of 5 right at the first try" in table, table

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        scratch.scroll_into_view_if_needed()
        tab.page.screenshot(path=str(SCREENSHOTS / "lab-progress.png"))
        with tab.page.expect_response(
            lambda r: r.request.method == "PUT" and f"/api/contents/{LEARNER_SET}.ipynb" in r.url
        ) as response:
            tab.page.keyboard.press("Escape")  # command mode, then the learner's Ctrl+S
            tab.page.keyboard.press("Control+s")
        assert response.value.ok, f"saving failed: HTTP {response.value.status}"
        saved = WORK / f"{LEARNER_SET}.ipynb"
        assert "passed." in saved.read_text(encoding="utf-8"), "the saved working copy lacks the answer"
        visible = sorted(p.name for p in WORK.iterdir() if not p.name.startswith("."))
        assert visible == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")), (
            f"the working folder should hold each exercise once, as a notebook: {visible}"
        )
        assert _git_status() == before, "saving an exercise changed tracked files"
        assert not tab.external, f"requests that would leave the machine: {tab.external}"
        assert not tab.errors, f"console errors: {tab.errors}"
    finally:
        tab.close()


def _old_api(name: str) -> bool:
    text = (ROOT / "solutions" / f"{name}.md").read_text(encoding="utf-8")
    return f"from augreg.checks.lesson{name[:2]} import check" not in text


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            p.stem,
            marks=(pytest.mark.xfail(reason="set not yet moved to the exercise-set API", strict=False),)
            if _old_api(p.stem)
            else (),
        )
        for p in sorted((ROOT / "exercises").glob("*.ipynb"))
    ],
)
def test_every_exercise_page_shows_no_raw_myst_markup(browser, lab, name):
    base, token = lab
    tab = LabPage(browser, base, token)
    try:
        tab.open(f"{name}.ipynb", wait_for_kernel=False)
        text = tab.page.locator(PANEL).inner_text()
        shown = [m for m in RAW_MYST if m in text]
        assert not shown, f"{name} shows raw MyST markup in JupyterLab: {shown}"
        listing = tab.page.locator(".jp-DirListing-item").all_inner_texts()
        names = [item.split("\n")[0].strip() for item in listing]
        assert f"{name}.md" not in names, f"the file browser shows a .md twin: {names}"
    finally:
        tab.close()
