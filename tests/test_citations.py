"""Every key a page cites is in book/references.bib (a missing key is only a warning in a build without -W)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p for folder in ("book", "lessons", "exercises", "solutions") for p in (ROOT / folder).glob("*.md"))


def cited_keys(text: str) -> set[str]:
    keys = set()
    for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
        keys.update(k.strip() for k in group.split(",") if k.strip())
    return keys


def test_cited_keys_are_found_in_their_text():
    assert cited_keys("see {cite:p}`a2019x, b2020y` and {cite:t}`c`") == {"a2019x", "b2020y", "c"}


def test_every_cited_key_is_in_the_bibliography():
    bib = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "book" / "references.bib").read_text(encoding="utf-8"), re.M))
    missing = {
        f"{page.relative_to(ROOT)}: {key}"
        for page in PAGES
        for key in cited_keys(page.read_text(encoding="utf-8"))
        if key not in bib
    }
    assert not missing, f"cited but not in book/references.bib: {sorted(missing)}"
