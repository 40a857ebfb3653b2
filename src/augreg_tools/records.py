"""``make pilots`` and ``make seeds``: run lessons on pilot or held-out bases and record every claim.

Usage::

    python -m augreg_tools.records pilots [--lessons 05 06] [--bases 100 101 102]
    python -m augreg_tools.records seeds  [--lessons 05]    [--n 2]
    python -m augreg_tools.records status [--lessons 05]

``pilots`` runs each lesson on pilot bases (default 100, 101, 102; any of 100-999) and replaces the
lesson's pilot runs in ``records/pilots/<slug>.json``: pilot runs on code that has since changed are
dropped, because bounds must come from pilots of the code that runs now.

``seeds`` draws ``--n`` base seeds that nobody has used (never the suite's 0, the bases earlier versions
of the course looked at, or any base in any record), runs every lesson on each, and *appends* the runs
to ``records/heldout/<slug>.json``: a held-out base is spent once, and its record is kept, failures
included. It exits with status 1 if a primary claim or a fact failed, or a run broke.

``status`` prints, per lesson, whether its records match its current code.

Each run executes the lesson's MyST source with nbclient (``AUGREG_SEED=<base>``,
``AUGREG_RECORD=<file>``), so that :class:`augreg.claims.Ledger` records instead of asserting.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from augreg.claims import (
    FACT,
    FIRST_HELD_OUT_BASE,
    HOLDS,
    LOOKED_AT_BASES,
    MIN_PILOTS,
    PRIMARY,
    lesson_fingerprint,
    read_records,
    records_path,
    repository_root,
)
from augreg.seeds import FIRST_PILOT_SEED, SEED_VARIABLE

#: The pilot bases ``make pilots`` runs by default.
DEFAULT_PILOT_BASES = (100, 101, 102)
#: Held-out bases are drawn from this range (seeds are ``base * 1000 + i``, so they stay below 2**31).
HELD_OUT_RANGE = (FIRST_HELD_OUT_BASE, 2_000_000)
#: Seconds a lesson may run before the runner gives up on it.
TIMEOUT = 1800


def lesson_slugs(root: Path, wanted=None) -> list[str]:
    """The lessons (``NN-slug``) that declare a claims ledger, or those named in ``wanted`` (``"05"``)."""
    slugs = sorted(p.stem for p in (root / "lessons").glob("[0-9][0-9]-*.md"))
    if wanted:
        chosen = []
        for name in wanted:
            match = [s for s in slugs if s == name or s.startswith(f"{name}-")]
            if len(match) != 1:
                raise SystemExit(f"no single lesson named {name!r} (lessons: {', '.join(slugs)})")
            chosen += match
        return chosen
    return [s for s in slugs if "augreg.Ledger(" in (root / "lessons" / f"{s}.md").read_text("utf8")]


def used_bases(root: Path) -> set[int]:
    """Every base seed that has been looked at or recorded, for any lesson."""
    used = set(LOOKED_AT_BASES)
    for kind in ("pilots", "heldout"):
        for path in (root / "records" / kind).glob("*.json"):
            used.update(run["base"] for run in json.loads(path.read_text("utf8")).get("runs", []))
    return used


def draw_fresh_bases(root: Path, n: int, rng=None) -> list[int]:
    """``n`` held-out bases nobody has used (drawn at random, so nobody can aim for them)."""
    rng = rng or random.SystemRandom()
    used, fresh = used_bases(root), []
    while len(fresh) < n:
        base = rng.randrange(*HELD_OUT_RANGE)
        if base not in used and base not in fresh:
            fresh.append(base)
    return fresh


def run_lesson(root: Path, slug: str, base: int, timeout: int = TIMEOUT) -> dict:
    """Execute a lesson on ``base`` in recording mode; return its run record (or an error record)."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    md = root / "lessons" / f"{slug}.md"
    before = lesson_fingerprint(slug, root)["fingerprint"]
    notebook = jupytext.read(md)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "record.json"
        saved = {k: os.environ.get(k) for k in (SEED_VARIABLE, "AUGREG_RECORD")}
        os.environ[SEED_VARIABLE], os.environ["AUGREG_RECORD"] = str(base), str(out)
        started = time.perf_counter()
        error = None
        try:
            NotebookClient(
                notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(md.parent)}}
            ).execute()
        except (CellExecutionError, CellTimeoutError) as exc:
            error = str(exc).strip().splitlines()[-1][:500] if str(exc).strip() else type(exc).__name__
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        seconds = time.perf_counter() - started
        record = json.loads(out.read_text("utf8")) if out.is_file() else None
    after = lesson_fingerprint(slug, root)["fingerprint"]
    if before != after:
        raise SystemExit(f"{slug} changed while it ran on base {base}: run it again")
    if record is None:
        record = {
            "lesson": slug,
            "base": base,
            "fingerprint": before,
            "claims": {},
            "status": f"error: {error or 'the ledger never finished'}",
        }
    elif error:
        record["status"] = f"error after the ledger finished: {error}"
    record["seconds"] = round(seconds, 1)
    return record


def failures(record: dict) -> list[str]:
    """The primary claims and facts of a run that did not hold (and a broken run)."""
    out = [] if record.get("status") == "complete" else [record.get("status", "no status")]
    for id, claim in record.get("claims", {}).items():
        if claim["family"] in (PRIMARY, FACT) and claim["verdict"] != HOLDS:
            out.append(f"{id}: {claim['sentence']}")
    return out


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf8")


def record_pilots(root: Path, slugs, bases) -> int:
    bad = [b for b in bases if not FIRST_PILOT_SEED <= b < FIRST_HELD_OUT_BASE]
    if bad:
        raise SystemExit(f"pilot bases lie in {FIRST_PILOT_SEED}-{FIRST_HELD_OUT_BASE - 1}, got {bad}")
    for slug in slugs:
        current = lesson_fingerprint(slug, root)["fingerprint"]
        data = read_records("pilots", slug, root)
        stale = [run["base"] for run in data["runs"] if run.get("fingerprint") != current]
        runs = [run for run in data["runs"] if run.get("fingerprint") == current and run["base"] not in bases]
        if stale:
            print(f"{slug}: dropping {len(stale)} pilot runs on older code (bases {sorted(set(stale))})")
        for base in bases:
            record = run_lesson(root, slug, base)
            runs.append(record)
            problems = failures(record)
            print(
                f"{slug} pilot base {base}: {record['status']}, {record.get('seconds')} s"
                + ("".join(f"\n    does not hold: {p}" for p in problems) if problems else "")
            )
            data["runs"] = sorted(runs, key=lambda r: r["base"])
            _write(records_path("pilots", slug, root), data)
    return 0


def record_held_out(root: Path, slugs, n: int, bases=None) -> int:
    if bases:
        used = used_bases(root)
        bad = [b for b in bases if b in used or b < FIRST_HELD_OUT_BASE]
        if bad:
            raise SystemExit(f"held-out bases must be {FIRST_HELD_OUT_BASE} or more and never used before: {bad}")
    else:
        bases = draw_fresh_bases(root, n)
    print(f"held-out bases, spent once: {bases}")
    status = 0
    for base in bases:
        for slug in slugs:
            record = run_lesson(root, slug, base)
            data = read_records("heldout", slug, root)
            data["runs"].append(record)
            _write(records_path("heldout", slug, root), data)
            problems = failures(record)
            held = sum(1 for c in record.get("claims", {}).values() if c["family"] == PRIMARY and c["verdict"] == HOLDS)
            total = sum(1 for c in record.get("claims", {}).values() if c["family"] == PRIMARY)
            print(
                f"{slug} held-out base {base}: {held} of {total} primary claims held, "
                f"{record['status']}, {record.get('seconds')} s"
                + ("".join(f"\n    FAILED: {p}" for p in problems) if problems else "")
            )
            status = status or bool(problems)
    return int(status)


def status(root: Path, slugs) -> int:
    stale = 0
    for slug in slugs:
        current = lesson_fingerprint(slug, root)["fingerprint"]
        pilots = [r for r in read_records("pilots", slug, root)["runs"] if r.get("fingerprint") == current]
        held = [r for r in read_records("heldout", slug, root)["runs"] if r.get("fingerprint") == current]
        ok = len(pilots) >= MIN_PILOTS and held and not failures(held[-1])
        stale += not ok
        print(
            f"{slug}: code {current}; {len(pilots)} pilot runs and {len(held)} held-out runs on it"
            + ("" if ok else "  <- needs `make pilots` / `make seeds`")
        )
    return int(bool(stale))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m augreg_tools.records", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    pilots = sub.add_parser("pilots", help="run lessons on pilot bases and record every claim")
    pilots.add_argument("--lessons", nargs="+")
    pilots.add_argument("--bases", nargs="+", type=int, default=list(DEFAULT_PILOT_BASES))
    seeds = sub.add_parser("seeds", help="run lessons on fresh held-out bases and record every claim")
    seeds.add_argument("--lessons", nargs="+")
    seeds.add_argument("--n", type=int, default=2, help="how many fresh bases (default 2)")
    seeds.add_argument("--bases", nargs="+", type=int, help="fresh bases to use instead of drawing them")
    st = sub.add_parser("status", help="which lessons' records match their code")
    st.add_argument("--lessons", nargs="+")
    args = parser.parse_args(argv)
    root = repository_root()
    slugs = lesson_slugs(root, args.lessons)
    if not slugs:
        print("no lesson declares a claims ledger yet")
        return 0
    if args.command == "pilots":
        return record_pilots(root, slugs, args.bases)
    if args.command == "seeds":
        return record_held_out(root, slugs, args.n, args.bases)
    return status(root, slugs)


if __name__ == "__main__":
    sys.exit(main())
