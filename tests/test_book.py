"""The HTML book builds with zero warnings, and every page and figure is there."""

import re

import pytest
import yaml

from tests.conftest import HTML, ROOT, toc_pages

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def build(built_book):
    return built_book


def test_book_builds_without_warnings(build):
    output = build.stdout + build.stderr
    warnings = [line for line in output.splitlines() if re.search(r"\bWARNING\b", line) and "IPKernelApp" not in line]
    assert build.returncode == 0, f"jupyter-book build failed:\n{output[-5000:]}"
    assert not warnings, "\n".join(warnings)


def test_every_page_in_the_toc_is_built(build):
    for name in toc_pages():
        assert (HTML / f"{name}.html").is_file(), f"{name}.html was not built"


@pytest.mark.parametrize(
    "page", sorted(str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "lessons").glob("*.md"))
)
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
    stray = re.findall(r"(?:Text\(0\.\d+, [\d.]+, |&lt;matplotlib\.[\w.]+ object at|\[&lt;matplotlib)", html)
    assert not stray, f"{page}: a plotting cell prints its return value (end it with ';'): {stray[:3]}"


@pytest.mark.parametrize("folder", ["lessons", "exercises", "solutions"])
def test_notebook_pages_offer_md_and_ipynb_downloads(build, folder):
    for md in sorted((ROOT / folder).glob("*.md")):
        page = f"{folder}/{md.stem}"
        html = (HTML / f"{page}.html").read_text(encoding="utf-8")
        for suffix in (".md", ".ipynb"):
            assert f"_sources/{page}{suffix}" in html, f"{page}: no {suffix} in the download menu"
            assert (HTML / "_sources" / f"{page}{suffix}").is_file()


def test_no_launch_buttons_without_a_repository_url(build):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    html = (HTML / "lessons" / "01-overfitting.html").read_text(encoding="utf-8")
    if config.get("repository", {}).get("url"):
        pytest.skip("a repository URL is set: launch buttons are allowed")
    assert "mybinder" not in html and "colab.research" not in html and "launch-buttons" not in html


def test_every_check_in_an_exercise_page_says_not_attempted_yet(build):
    """The generated exercise notebooks run, and each check answers the stub with "not attempted yet"."""
    for md in sorted((ROOT / "exercises").glob("*.md")):
        # every call that grades something: the exercises' checks and the answered questions
        # (`check.quiz(n)` only shows question n, `check.progress()` the table)
        calls = re.findall(r"^check\.\w+\(.*$", md.read_text(encoding="utf-8"), flags=re.M)
        n_checks = len([c for c in calls if not re.fullmatch(r"check\.(quiz\(\d+\)|progress\(\))", c.strip())])
        html = (HTML / "exercises" / f"{md.stem}.html").read_text(encoding="utf-8")
        assert n_checks >= 3 and html.count("not attempted yet.</strong>") == n_checks, md.name
        assert "passed.</strong>" not in html and "failed.</strong>" not in html
    for md in sorted((ROOT / "solutions").glob("*.md")):
        html = (HTML / "solutions" / f"{md.stem}.html").read_text(encoding="utf-8")
        assert "passed.</strong>" in html and "not attempted yet.</strong>" not in html, md.name
