"""Records of pilots and held-out bases (records/): they match the code that runs now, and the runner works."""

import json
import random
import re

import pytest

from augreg import claims
from augreg_tools import records
from conftest import ROOT

LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]-*.md"))
LEDGERS = [s for s in LESSONS if "augreg.Ledger(" in (ROOT / "lessons" / f"{s}.md").read_text("utf8")]


@pytest.mark.parametrize("slug", LESSONS)
def test_every_lesson_declares_its_claims_through_the_ledger(slug):
    text = (ROOT / "lessons" / f"{slug}.md").read_text("utf8")
    assert "augreg.Ledger(" in text, f"{slug} declares no claims ledger (augreg.Ledger)"
    own = re.findall(r"^\s*def (verdict|accuracy)\(", text, flags=re.M)
    assert not own, f"{slug} defines its own {own}: the ledger judges claims, one home per job"


@pytest.mark.parametrize("slug", LEDGERS)
def test_pilots_match_the_code_that_runs_now(slug):
    current = claims.lesson_fingerprint(slug)["fingerprint"]
    runs = claims.read_records("pilots", slug)["runs"]
    assert all(claims.FIRST_PILOT_SEED <= r["base"] < claims.FIRST_HELD_OUT_BASE for r in runs), "pilot bases"
    fresh = [r for r in runs if r.get("fingerprint") == current and r.get("status") == "complete"]
    assert len(fresh) >= claims.MIN_PILOTS, (
        f"{slug}: {len(fresh)} complete pilot runs on the current code ({current}); the code changed since "
        f"the pilots ran. Run `make pilots LESSON={slug[:2]}`."
    )


@pytest.mark.parametrize("slug", LEDGERS)
def test_held_out_record_matches_the_code_and_its_latest_base_passed(slug):
    current = claims.lesson_fingerprint(slug)["fingerprint"]
    runs = claims.read_records("heldout", slug)["runs"]
    assert all(r["base"] >= claims.FIRST_HELD_OUT_BASE for r in runs), "held-out bases start at 1000"
    on_current = [r for r in runs if r.get("fingerprint") == current]
    assert on_current, f"{slug}: no held-out run on the current code ({current}); run `make seeds LESSON={slug[:2]}`"
    assert not records.failures(on_current[-1]), (
        f"{slug}: on held-out base {on_current[-1]['base']} these failed: {records.failures(on_current[-1])}. "
        f"Change the claim or the experiment, then run `make seeds` on fresh bases."
    )


def test_every_held_out_base_is_spent_once():
    seen = {}
    for kind in ("pilots", "heldout"):
        for path in (ROOT / "records" / kind).glob("*.json"):
            for run in json.loads(path.read_text("utf8"))["runs"]:
                key = (path.stem, run["base"])
                if kind == "heldout":
                    assert key not in seen, f"{path.stem}: base {run['base']} recorded twice"
                seen[key] = kind
    held = {base for (_, base), kind in seen.items() if kind == "heldout"}
    assert not held & claims.LOOKED_AT_BASES


def test_fresh_bases_avoid_every_used_one(tmp_path):
    (tmp_path / "records" / "heldout").mkdir(parents=True)
    (tmp_path / "records" / "pilots").mkdir(parents=True)
    (tmp_path / "records" / "heldout" / "99-toy.json").write_text(json.dumps({"runs": [{"base": 1500}]}))

    class Fixed(random.Random):
        values = iter([1500, 1500, 1501, 1502])

        def randrange(self, *args):
            return next(self.values)

    assert records.draw_fresh_bases(tmp_path, 2, Fixed()) == [1501, 1502]


TOY = """---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Toy

```{{code-cell}} ipython3
from augreg.claims import Ledger
import augreg
base = augreg.base_seed()
ledger = Ledger("99-toy", primary=["gain"], root={root!r})
ledger.superior("gain", [0.05, 0.06, 0.04, 0.05, 0.07], [0.0] * 5, claim="a beats b", what="a minus b")
ledger.mean_below("chance", [0.1, 0.11, 0.09, 0.1, 0.12], 0.2, claim="near chance", what="accuracy")
ledger.finish()
```
"""


@pytest.mark.slow
def test_the_runner_records_a_lesson_run(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "99-toy.md").write_text(TOY.format(root=str(tmp_path)))
    run = records.run_lesson(tmp_path, "99-toy", 123, timeout=120)
    assert run["status"] == "complete" and run["base"] == 123
    assert run["claims"]["gain"]["verdict"] == claims.HOLDS
    assert run["fingerprint"] == claims.lesson_fingerprint("99-toy", tmp_path)["fingerprint"]
    assert records.failures(run) == []
    broken = tmp_path / "lessons" / "99-toy.md"
    broken.write_text(TOY.format(root=str(tmp_path)).replace("ledger.finish()", "1 / 0"))
    run = records.run_lesson(tmp_path, "99-toy", 124, timeout=120)
    assert run["status"].startswith("error") and records.failures(run)
