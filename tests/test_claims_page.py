"""The book's Claims page lists every claim of every lesson, with its verdict, pilots and held-out record."""

import json
import re

import pytest

from augreg import claims
from tests.conftest import HTML, ROOT

pytestmark = pytest.mark.book

LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]-*.md"))


@pytest.fixture(scope="module")
def page(built_book):
    assert built_book.returncode == 0, built_book.stdout[-3000:]
    return (HTML / "book" / "claims.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", LESSONS)
def test_every_lesson_has_its_claims_table(page, slug):
    section = page.split(f'id="claims-{slug}"', 1)
    assert len(section) == 2, f"the Claims page has no table for {slug}"
    table = section[1].split("<h2", 1)[0]
    glue = json.loads((ROOT / "_build" / "jupyter_execute" / "lessons" / f"{slug}.glue.json").read_text())
    record = json.loads(glue["claims_record"]["data"]["text/plain"])
    for claim_id in record["claims"]:
        assert f"<code>{claim_id}</code>" in table, f"{slug}: claim {claim_id} is missing from the Claims page"
    assert table.count("<tr>") == len(record["claims"]) + 1  # a header row and one row per claim
    assert "held on" in table or "not yet run" in table


def test_the_page_counts_primary_claims_and_says_how_they_are_judged(page):
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.search(r"\d+ claims in \d+ lessons, \d+ of them primary", text)
    assert "Bonferroni" in text and "exploratory" in text
    for slug in LESSONS:
        held_out = claims.read_records("heldout", slug)["runs"]
        assert held_out, f"{slug} has no held-out record"
