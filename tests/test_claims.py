"""The claims ledger (augreg.claims): rules, wording, multiplicity, pilots, margins, records, fingerprints."""

import json

import numpy as np
import pytest

from augreg import claims
from augreg.claims import ClaimError, ClaimFailed, Ledger

TOY = """---
kernelspec:
  name: python3
---

# A toy lesson

```{code-cell} ipython3
:tags: [remove-cell]

import numpy as np
x = np.arange(5)
```

Some prose.

```{code-cell} ipython3
y = x * 2  # a comment
print(y)
```
"""

GAIN = [0.05, 0.06, 0.04, 0.05, 0.07]  # a resolved gain of about +5 points
ZERO = [0.0, 0.0, 0.0, 0.0, 0.0]
NOISE = [0.03, -0.04, 0.02, -0.01, 0.01]  # not resolved


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A course repository with one toy lesson and empty records; the suite's base seed."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "99-toy.md").write_text(TOY)
    (tmp_path / "records" / "pilots").mkdir(parents=True)
    (tmp_path / "records" / "heldout").mkdir(parents=True)
    monkeypatch.delenv("AUGREG_SEED", raising=False)
    monkeypatch.delenv("AUGREG_RECORD", raising=False)
    return tmp_path


def ledger(repo, primary=("gain",)):
    return Ledger("99-toy", primary=list(primary), glue=False, root=repo)


def free(repo, monkeypatch, primary=("other",)):
    """A ledger whose records are not checked: for the rules and the wording alone."""
    led = ledger(repo, primary)
    monkeypatch.setattr(led, "_check_records", lambda result: None)
    return led


def record_pilots(repo, monkeypatch, declare, bases=(100, 101, 102), values=None):
    """Run ``declare(ledger, base)`` in recording mode on pilot bases and store the runs as make pilots does."""
    runs = []
    for base in bases:
        out = repo / f"run{base}.json"
        monkeypatch.setenv("AUGREG_SEED", str(base))
        monkeypatch.setenv("AUGREG_RECORD", str(out))
        led = Ledger("99-toy", primary=declare.primary, glue=False, root=repo)
        declare(led, base)
        led.finish()
        runs.append(json.loads(out.read_text()))
    monkeypatch.delenv("AUGREG_SEED")
    monkeypatch.delenv("AUGREG_RECORD")
    path = repo / "records" / "pilots" / "99-toy.json"
    path.write_text(json.dumps({"lesson": "99-toy", "runs": runs}))
    return runs


def shifted(values, by):
    return list(np.asarray(values) + by)


# -- rules and verdicts


def test_exploratory_superior_verdicts_follow_the_interval(repo, monkeypatch):
    led = free(repo, monkeypatch)
    assert led.superior("a", GAIN, ZERO, claim="a beats b", what="a minus b").verdict == claims.HOLDS
    assert led.superior("b", NOISE, ZERO, claim="a beats b", what="a minus b").verdict == claims.UNRESOLVED
    assert led.superior("c", ZERO, GAIN, claim="a beats b", what="a minus b").verdict == claims.REVERSED
    assert led.inferior("d", ZERO, GAIN, claim="a loses", what="a minus b").verdict == claims.HOLDS
    assert all(led[i].family == claims.EXPLORATORY for i in "abcd")


def test_a_minimum_difference_must_be_cleared_by_the_whole_interval(repo, monkeypatch):
    led = free(repo, monkeypatch)
    assert (
        led.superior("a", GAIN, ZERO, by=0.02, claim="a beats b by {by} points", what="a minus b").verdict
        == claims.HOLDS
    )
    assert led["a"].claim == "a beats b by 2 points"
    assert led.superior("b", GAIN, ZERO, by=0.045, claim="c", what="a minus b").verdict == claims.UNRESOLVED


def test_single_means_and_facts(repo, monkeypatch):
    led = free(repo, monkeypatch)
    assert (
        led.mean_below("m", [0.10, 0.11, 0.09, 0.12, 0.10], 0.2, claim="near chance", what="accuracy").verdict
        == claims.HOLDS
    )
    assert (
        led.mean_above("n", [0.10, 0.11, 0.09, 0.12, 0.10], 0.2, claim="far above chance", what="accuracy").verdict
        == claims.REVERSED
    )
    with pytest.raises(ClaimFailed, match="Every seed fits"):
        led.fact("f", bool(np.all(np.array([0.98, 1.0]) >= 0.99)), claim="every seed fits")
    assert led.close("c", [1.0, 2.0], [1.0, 2.0 + 1e-9], 1e-6, claim="equal to {tol}").verdict == claims.HOLDS
    assert led["c"].claim == "equal to 1e-06"
    with pytest.raises(ClaimFailed):
        led.close("c2", [1.0], [1.1], 1e-6, claim="equal")


def test_compare_and_measure_are_never_asserted(repo, monkeypatch):
    led = free(repo, monkeypatch)
    r = led.compare("cmp", ZERO, GAIN, what="L2 minus none")
    assert r.verdict == "below zero" and "exploratory" in r.sentence and not r.asserted
    m = led.measure("err", [0.1, 0.12, 0.11], what="baseline test error")
    assert m.verdict == claims.MEASURED and m.family == claims.MEASURE


# -- wording


def test_an_unresolved_result_is_worded_as_unresolved(repo, monkeypatch):
    led = free(repo, monkeypatch)
    r = led.superior("s", NOISE, ZERO, claim="augmentation beats none", what="augmentation minus none")
    assert "not resolved with 5 seeds" in r.sentence
    assert "beats" not in r.sentence and r.sentence.startswith("Augmentation minus none: ")
    assert "(exploratory)" in r.sentence


def test_wording_refuses_numbers_in_what_and_unknown_placeholders(repo, monkeypatch):
    led = free(repo, monkeypatch)
    with pytest.raises(ClaimError, match="typed result"):
        led.superior("s", GAIN, ZERO, claim="x", what="a gain of +2 points")
    with pytest.raises(ClaimError, match="typed result"):
        led.superior("s2", GAIN, ZERO, claim="accuracy rises to 95 %", what="x")
    assert led.superior("s3", GAIN, ZERO, claim="L2 on 8x8 digits turned by 30 degrees", what="L1 minus L2")
    with pytest.raises(ClaimError, match="placeholder"):
        led.superior("t", GAIN, ZERO, claim="beats by {margin}", what="x")


def test_ids_are_declared_once(repo, monkeypatch):
    led = free(repo, monkeypatch)
    led.compare("s", GAIN, ZERO, what="x")
    with pytest.raises(ClaimError, match="declared twice"):
        led.compare("s", GAIN, ZERO, what="x")
    with pytest.raises(ClaimError, match="lower_case"):
        led.compare("Bad-Id", GAIN, ZERO, what="x")


def test_fewer_than_five_seeds_are_refused(repo):
    with pytest.raises(ClaimError, match="at least 5 seeds"):
        ledger(repo, primary=["other"]).superior("s", GAIN[:4], ZERO[:4], claim="x", what="y")


# -- the primary family and its correction


def test_primary_claims_use_a_bonferroni_corrected_interval():
    assert claims.bonferroni_level(1) == pytest.approx(0.95)
    assert claims.bonferroni_level(5) == pytest.approx(0.99)
    assert claims.format_level(claims.bonferroni_level(3)) == "98.3 %"


def test_the_primary_family_is_named_in_advance_and_judged(repo, monkeypatch):
    with pytest.raises(ClaimError, match="in advance"):
        Ledger("99-toy", primary=[], glue=False, root=repo)
    with pytest.raises(ClaimError, match="no interval rule"):
        ledger(repo, primary=["f"]).fact("f", True, claim="x")
    led = ledger(repo, primary=["gain", "never"])
    monkeypatch.setattr(led, "_check_records", lambda result: None)  # pilots are tested below
    r = led.superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")
    assert r.family == claims.PRIMARY and r.level == pytest.approx(0.975)
    assert r.interval.high - r.interval.low > r.interval95.high - r.interval95.low
    assert "(primary claim, 97.5 % interval)" in r.sentence
    with pytest.raises(ClaimFailed, match="never judged"):
        led.finish()


def test_a_primary_claim_that_does_not_hold_fails_its_cell(repo, monkeypatch):
    led = ledger(repo)
    monkeypatch.setattr(led, "_check_records", lambda result: None)
    with pytest.raises(ClaimFailed, match="not resolved"):
        led.superior("gain", NOISE, ZERO, claim="a beats b", what="a minus b")


# -- pilots, margins and held-out records


def gain_claim(led, base):
    led.measure("err", [0.10, 0.12, 0.11, 0.10, 0.12], what="baseline error")
    led.superior("gain", shifted(GAIN, 0.001 * (base - 100)), ZERO, claim="a beats b", what="a minus b")


gain_claim.primary = ["gain"]


def test_a_primary_claim_needs_pilots_of_the_current_code(repo, monkeypatch):
    with pytest.raises(ClaimError, match="make pilots LESSON=99"):
        ledger(repo).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")
    record_pilots(repo, monkeypatch, gain_claim)
    assert ledger(repo).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b").pilots["runs"] == 3
    (repo / "lessons" / "99-toy.md").write_text(TOY.replace("x * 2", "x * 3"))  # the experiment changed
    with pytest.raises(ClaimError, match="needs at least 3 pilot runs"):
        ledger(repo).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")


def test_formatting_comments_prints_and_claims_do_not_make_pilots_stale(repo, monkeypatch):
    record_pilots(repo, monkeypatch, gain_claim)
    edited = TOY.replace("y = x * 2  # a comment\nprint(y)", "y = x*2\nprint('y is', y)\nledger.finish()")
    (repo / "lessons" / "99-toy.md").write_text(edited)
    assert ledger(repo).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b").verdict == claims.HOLDS


def test_a_bound_the_pilots_do_not_support_is_refused(repo, monkeypatch):
    def declare(led, base):
        led.superior("gain", GAIN if base != 101 else NOISE, ZERO, claim="a beats b", what="a minus b")

    declare.primary = ["gain"]
    record_pilots(repo, monkeypatch, declare)
    with pytest.raises(ClaimError, match=r"pilot bases \[101\]"):
        ledger(repo).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")


def test_exploratory_bounds_need_pilots_too(repo, monkeypatch):
    with pytest.raises(ClaimError, match="needs at least 3 pilot runs"):
        ledger(repo, primary=["other"]).mean_below("m", [0.1] * 5, 0.2, claim="c", what="w")
    with pytest.raises(ClaimError, match="needs at least 3 pilot runs"):
        ledger(repo, primary=["other"]).at_least("f", 0.995, 0.99, claim="fits")


def test_the_margin_comes_from_the_policy_and_the_pilots(repo, monkeypatch):
    led = ledger(repo, primary=["other"])
    with pytest.raises(ClaimError, match="one margin policy"):
        led.equivalent("eq", GAIN, GAIN, margin=0.02, claim="same", what="a minus b")
    with pytest.raises(ClaimError, match="pilot runs"):
        led.margin("err")
    record_pilots(repo, monkeypatch, gain_claim)
    margin = ledger(repo).margin("err")
    assert margin.baseline == pytest.approx(0.11)
    assert margin.value == pytest.approx(np.ceil(claims.SESOI_FRACTION * 0.11 * 1000) / 1000)


def test_equivalence_and_non_inferiority_use_the_margin(repo, monkeypatch):
    def declare(led, base):
        led.measure("err", [0.10, 0.12, 0.11, 0.10, 0.12], what="baseline error")
        m = led.margin("err")
        led.equivalent("eq", NOISE, ZERO, margin=m, claim="a and b are about the same (±{margin})", what="a - b")
        led.noninferior("ni", NOISE, ZERO, margin=m, claim="a loses no more than {margin}", what="a - b")
        led.superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")

    declare.primary = ["gain"]
    record_pilots(repo, monkeypatch, declare)
    led = Ledger("99-toy", primary=["gain"], glue=False, root=repo)
    margin = led.margin("err")  # 0.028: NOISE's 95 % interval is about [-0.035, +0.039]
    assert (
        led.equivalent("eq", NOISE, ZERO, margin=margin, claim="same", what="a minus b").verdict == claims.UNRESOLVED
    )  # exploratory: cites its pilots
    monkeypatch.setattr(led, "_check_records", lambda result: None)  # new ids below, no pilots of their own
    assert (
        led.equivalent(
            "eq2", [0.001, -0.002, 0.0, 0.002, -0.001], ZERO, margin=margin, claim="same", what="a minus b"
        ).verdict
        == claims.HOLDS
    )
    assert "inside ±2.8 points" in led["eq2"].sentence
    assert led.noninferior("ni2", GAIN, ZERO, margin=margin, claim="no loss", what="x").verdict == claims.HOLDS
    assert (
        led.noninferior("ni3", ZERO, shifted(GAIN, 0.05), margin=margin, claim="no loss", what="x").verdict
        == claims.REVERSED
    )


def test_recording_refuses_looked_at_bases_and_writes_the_run(repo, monkeypatch):
    monkeypatch.setenv("AUGREG_RECORD", str(repo / "out.json"))
    monkeypatch.setenv("AUGREG_SEED", "0")
    with pytest.raises(ClaimError, match="never on base 0"):
        ledger(repo)
    monkeypatch.setenv("AUGREG_SEED", "1234")
    led = ledger(repo)
    led.superior("gain", NOISE, ZERO, claim="a beats b", what="a minus b")  # not asserted while recording
    led.finish()
    run = json.loads((repo / "out.json").read_text())
    assert run["base"] == 1234 and run["status"] == "complete"
    assert run["claims"]["gain"]["verdict"] == claims.UNRESOLVED
    assert run["claims"]["gain"]["values_a"] == NOISE
    assert run["fingerprint"] == claims.lesson_fingerprint("99-toy", repo)["fingerprint"]


def test_a_held_out_failure_is_final(repo, monkeypatch):
    record_pilots(repo, monkeypatch, gain_claim)
    monkeypatch.setenv("AUGREG_SEED", "5000")
    monkeypatch.setenv("AUGREG_RECORD", str(repo / "held.json"))
    led = ledger(repo)
    led.superior("gain", NOISE, ZERO, claim="a beats b", what="a minus b")
    led.finish()
    monkeypatch.delenv("AUGREG_SEED")
    monkeypatch.delenv("AUGREG_RECORD")
    run = json.loads((repo / "held.json").read_text())
    (repo / "records" / "heldout" / "99-toy.json").write_text(json.dumps({"runs": [run]}))
    with pytest.raises(ClaimError, match=r"held-out bases \[5000\]"):
        ledger(repo).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")
    # demoted to exploratory (another declaration), the claim is shown and no longer asserted
    assert (
        ledger(repo, primary=["other"]).superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b").family
        == claims.EXPLORATORY
    )


# -- the claims table and the record


def test_finish_returns_the_table_and_the_record(repo, monkeypatch):
    record_pilots(repo, monkeypatch, gain_claim)
    led = ledger(repo)
    led.measure("err", [0.1, 0.12, 0.11], what="baseline error")
    led.superior("gain", GAIN, ZERO, claim="a beats b", what="a minus b")
    led.compare("other", NOISE, ZERO, what="c minus d")
    table = led.finish()
    html = table._repr_html_()
    assert html.index("A beats b") < html.index("C minus d")  # primary first
    assert "primary (95 %)" in html and "exploratory" in html
    assert "| A beats b | primary |" in table._repr_markdown_()
    assert set(led.record()["claims"]) == {"err", "gain", "other"}


# -- fingerprints


def test_code_cells_drop_their_options():
    cells = claims.code_cells(TOY)
    assert cells == ["import numpy as np\nx = np.arange(5)", "y = x * 2  # a comment\nprint(y)"]
    yaml = "```{code-cell} ipython3\n---\ntags: [remove-cell]\n---\nz = 1\n```\n"
    assert claims.code_cells(yaml) == ["z = 1"]


def test_normalized_code_ignores_presentation_but_not_computation():
    base = "def f(x):\n    '''doc'''\n    return x + 1\nacc = f(2)\n"
    same = [
        base + "print(acc)\nglue('acc', acc, display=False)\n",
        base + "assert acc == 3, 'three'\n",
        base + "fig, ax = plt.subplots()\nax.plot([1, 2])\naugreg.plot_arm_bars({})\n",
        base + "ledger.superior('x', a, b, claim='c', what='w')\nr = ledger.measure('m', v, what='w')\n",
        base.replace("'''doc'''", "'''another doc'''") + "# a comment\n",
        base + "%timeit f(2)\n",
    ]
    for other in same:
        assert claims.normalized_code(other) == claims.normalized_code(base), other
    assert claims.normalized_code(base.replace("x + 1", "x + 2")) != claims.normalized_code(base)
    assert claims.normalized_code("a = b != c\n") != claims.normalized_code("a = b\n")  # `!=` is no shell escape


def test_the_fingerprint_follows_the_augreg_modules_a_lesson_uses():
    refs = claims._augreg_references(
        [
            "s = augreg.load_digits_split(10)\nf = augreg.photos.relight(x)\n"
            "augreg.plot_arm_bars({})\nfrom augreg.text import load_reviews_split"
        ]
    )
    modules = claims.module_closure(refs)
    assert "augreg.data" in modules and "augreg.photos" in modules and "augreg.text" in modules
    assert not any(m.split(".")[1] in claims.PRESENTATION_MODULES for m in modules)
    print_only = claims.module_closure(claims._augreg_references(["augreg.technique_color('x')"]))
    assert print_only == []


def test_digits_set_how_many_decimals_an_interval_shows(repo, monkeypatch):
    led = free(repo, monkeypatch)
    loss = led.compare(
        "ce", [0.012, 0.015, 0.011, 0.013, 0.014], [0.0] * 5, what="cross-entropy", unit="nats", scale=1, digits=3
    )
    assert loss.formatted_interval().startswith("+0.013 [")
    with pytest.raises(ClaimError, match="digits"):
        led.compare("ce2", GAIN, ZERO, what="x", digits=1.5)
