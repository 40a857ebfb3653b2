"""The HTML book builds with zero warnings, and every page and figure is there."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_notebooks import _toc_files

pytestmark = pytest.mark.book

HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def build():
    """Build the book as `make book` does (reusing its execution cache)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=1800, cwd=ROOT,
    )
    return result


def test_book_builds_without_warnings(build):
    output = build.stdout + build.stderr
    warnings = [line for line in output.splitlines() if re.search(r"\bWARNING\b", line) and "IPKernelApp" not in line]
    assert build.returncode == 0, f"jupyter-book build failed:\n{output[-5000:]}"
    assert not warnings, "\n".join(warnings)


def test_every_page_in_the_toc_is_built(build):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for name in [toc["root"], *_toc_files(toc["parts"])]:
        assert (HTML / f"{name}.html").is_file(), f"{name}.html was not built"


@pytest.mark.parametrize("page", sorted(str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "lessons").glob("*.md")))
def test_lesson_pages_show_their_figures_and_numbers(build, page):
    html = (HTML / f"{page}.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    figures = [src for src in images if "_images/" in src]
    assert len(figures) >= 3, f"{page}: expected its figures, found {images}"
    for src in figures:
        path = (HTML / page).parent / src
        assert path.is_file() and path.stat().st_size > 2000, f"{page}: figure {src} is missing or empty"
    assert "{glue" not in html and "glue:text" not in html, f"{page}: an unresolved glue reference"
    assert "Traceback" not in html, f"{page}: a cell shows a traceback"
