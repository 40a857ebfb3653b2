"""The built book as a reader meets it, in a real browser (headless Chromium driven by Playwright).

Every page of the table of contents is served from 127.0.0.1 and must load with no console error, no
failed request and no request leaving the machine (the book works offline); every image must decode;
math must be typeset by the bundled MathJax; every sidebar link must point at a built page. Screenshots of
the landing page and of Lesson 01 are saved under _build/screenshots/ for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlparse

import pytest

from tests.conftest import HTML, SCREENSHOTS, toc_pages

pytestmark = pytest.mark.book
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(built_book):
    """Serve _build/html on a free port of 127.0.0.1 for the duration of the module."""
    assert built_book.returncode == 0, "the book did not build; see test_book.py"

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=10)


class PageVisit:
    """Open one page and record everything that went wrong while it loaded."""

    def __init__(self, browser, site: str, path: str, color_scheme: str = "light"):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.site, self.errors, self.failed, self.external = site, [], [], []
        self.context.route("**/*", self._only_local)
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        self.page.on(
            "response", lambda res: self.failed.append(f"{res.url} ({res.status})") if res.status >= 400 else None
        )
        self.response = self.page.goto(f"{site}/{path}", wait_until="networkidle")

    def _only_local(self, route):
        url = route.request.url
        if url.startswith(self.site) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:  # record it, and make sure nothing actually leaves the machine
            self.external.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.mark.parametrize("name", toc_pages())
def test_page_renders_completely_offline(browser, site, name):
    visit = PageVisit(browser, site, f"{name}.html")
    page = visit.page
    try:
        assert visit.response is not None and visit.response.ok, f"{name}.html did not load"
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert not broken, f"images that did not decode: {broken}"
        n_math = page.locator("div.math, span.math").count()
        if n_math:
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=10_000)
            page.evaluate("MathJax.startup.promise")
            typeset = page.locator("mjx-container").count()
            assert typeset >= n_math, f"{typeset} of {n_math} formulas typeset"
        links = page.eval_on_selector_all("nav.bd-docs-nav a[href]", "els => els.map(e => e.href)")
        assert links, "the sidebar has no links"
        for link in links:
            target = urlparse(link)
            assert link.startswith(site), f"sidebar link leaves the site: {link}"
            path = HTML / target.path.lstrip("/")
            assert path.is_file() or (path / "index.html").is_file(), f"sidebar link to a missing page: {link}"
        assert not visit.external, f"requests that would leave the machine: {visit.external}"
        assert not visit.failed, f"failed requests: {visit.failed}"
        assert not visit.errors, f"console errors: {visit.errors}"
    finally:
        visit.close()


def test_search_finds_the_lessons_about_dropout(browser, site):
    pages = toc_pages()
    expected = "lessons/04-dropout" if "lessons/04-dropout" in pages else "lessons/01-overfitting"
    visit = PageVisit(browser, site, "search.html?q=dropout")
    try:
        visit.page.wait_for_selector("#search-results li a", timeout=20_000)
        found = visit.page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
        assert any(expected in href for href in found), f"searching 'dropout' did not find {expected}: {found}"
        assert not visit.errors and not visit.external
    finally:
        visit.close()


@pytest.mark.parametrize(
    "name, scheme, scroll",
    [("book/index", "light", 0), ("lessons/01-overfitting", "light", 0), ("lessons/01-overfitting", "dark", 2400)],
)
def test_screenshot(browser, site, name, scheme, scroll):
    """Screenshots for a human to look at (light and dark theme); they must not be blank."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit = PageVisit(browser, site, f"{name}.html", color_scheme=scheme)
    try:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == scheme
        visit.page.evaluate(f"window.scrollTo(0, {scroll})")
        target = SCREENSHOTS / f"{name.replace('/', '-')}-{scheme}.png"
        visit.page.screenshot(path=str(target), full_page=False)
        assert target.stat().st_size > 20_000, "the screenshot looks blank"
    finally:
        visit.close()


def _lesson_pages() -> list[str]:
    return [page for page in toc_pages() if page.startswith("lessons/")]


@pytest.mark.parametrize("name", _lesson_pages())
def test_check_yourself_answers_stay_hidden_until_clicked(browser, site, name):
    """A reader who runs nothing tests their understanding: each answer opens on a click, offline,
    and its link leads to a section of the lesson that exists."""
    visit = PageVisit(browser, site, f"{name}.html")
    page = visit.page
    try:
        section = page.locator("section#check-yourself")
        assert section.count() == 1, f"{name} has no 'Check yourself' section"
        answers = section.locator("details.sd-dropdown")
        assert 3 <= answers.count() <= 5, f"{name}: {answers.count()} self-check questions, want 3-5"
        first = answers.first
        body = first.locator(".sd-summary-content")
        assert not body.is_visible(), "an answer is visible before it is clicked"
        first.locator("summary").click()
        body.wait_for(state="visible", timeout=5_000)
        assert len(body.inner_text().strip()) > 20, "the opened answer is empty"
        for href in page.eval_on_selector_all(
            "section#check-yourself details a.reference.internal", "els => els.map(e => e.href)"
        ):
            target = urlparse(href)
            assert target.fragment, f"an answer links to a page, not to a section: {href}"
            page_path = HTML / target.path.lstrip("/")
            assert page_path.is_file(), f"an answer links to a missing page: {href}"
            html = page_path.read_text(encoding="utf-8")
            assert f'id="{target.fragment}"' in html, f"an answer links to a missing section: {href}"
        assert not visit.errors, f"console errors: {visit.errors}"
    finally:
        visit.close()
