"""What the tests under tests/ share: the repository root, the table of contents, the built book, a browser.

A test module imports the module-level names it needs at collection time (``from tests.conftest import
ROOT, toc_pages``: ``tests`` is a package) and asks for the rest as fixtures (``root``, ``built_book``,
``browser``). The notebook concerns (nbval timing, budgets, storing outputs for the book) live in the
root ``conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

#: The repository root (the book root).
ROOT = Path(__file__).resolve().parents[1]
#: Where ``jupyter-book build`` writes the HTML book.
HTML = ROOT / "_build" / "html"
#: Where the browser tests save screenshots for a human to look at.
SCREENSHOTS = ROOT / "_build" / "screenshots"
#: Seconds the book build may take (a cold build runs every notebook).
BOOK_TIMEOUT = 1200
#: Debian's Chromium (Playwright cannot download its own browser offline).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: As root in a container Chromium needs --no-sandbox; the other flags stop its background
#: connections to Google services, which would be failed requests on an offline machine.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def toc_files(entries) -> list[str]:
    """Every ``file`` of a ``_toc.yml`` subtree (parts, chapters, sections), in order."""
    files = []
    for entry in entries:
        if "file" in entry:
            files.append(entry["file"])
        files += toc_files(entry.get("chapters", []) + entry.get("sections", []) + entry.get("parts", []))
    return files


def toc_pages() -> list[str]:
    """Every page of the book, as listed in ``_toc.yml``: the root first."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"], *toc_files(toc["parts"])]


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def built_book() -> subprocess.CompletedProcess:
    """Build the book as `make book` does (reusing its execution cache); the completed process."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=BOOK_TIMEOUT, cwd=ROOT)
    except subprocess.TimeoutExpired as exc:  # a hang fails fast, with what the build said so far
        said = (exc.stdout or b"")[-3000:]
        said = said.decode(errors="replace") if isinstance(said, bytes) else said
        return subprocess.CompletedProcess(
            command, -1, f"the book build did not finish in {BOOK_TIMEOUT} s; its last output:\n{said}", ""
        )


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright; skips (fails under CI) when Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        message = "Chromium is not installed (`make test` installs Debian's `chromium` package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
