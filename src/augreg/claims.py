"""The claims ledger: every claim a lesson makes, declared once, judged by its rule, glued, asserted, recorded.

A lesson opens one :class:`Ledger` with its **primary claims named in advance**, then declares each claim
in the hidden cell after its experiment, with the per-seed values it rests on::

    ledger = augreg.Ledger("05-side-by-side", primary=["aug_beats_none", "aug_robust"])
    ...
    ledger.superior("aug_beats_none", acc["augmentation"], acc["none"],
                    claim="shift augmentation beats no technique on clean test digits",
                    what="augmentation minus no technique, clean test digits")

From that one declaration come

* the **verdict**, by the claim's rule (:data:`RULES`) on the claim's interval: for a primary claim a
  Bonferroni-corrected interval (level ``1 - 0.05 / k`` for the lesson's ``k`` primary claims), for every
  other claim a plain 95 % interval, and then the claim is *exploratory*;
* the **glued wording**: ``{glue:text}`aug_beats_none``` is the sentence for the verdict that came out
  (without a final period: the prose supplies it).
  An unresolved result can only be worded as unresolved, because the ledger writes that sentence itself;
  ``aug_beats_none.interval``, ``.verdict`` and ``.mean`` are glued too;
* the **hidden assert**: a primary claim that does not hold, or a fact that fails, raises
  :class:`ClaimFailed` in the cell that declares it (exploratory claims are never asserted);
* the claim's **row** in the lesson's claims table (:meth:`Ledger.finish`) and on the book's Claims page.

Bounds are data. A primary claim, and any claim with a bound (``by=``, ``bound=``) or an equivalence
margin, must be supported by **pilot runs** recorded by ``make pilots`` (base seeds 100-999) on the
current code: at least :data:`MIN_PILOTS` runs whose fingerprint (:func:`lesson_fingerprint`) matches,
each of which the claim, as declared now, holds on. Equivalence and non-inferiority margins are never
typed: :meth:`Ledger.margin` derives them from one policy, a smallest effect of interest of
:data:`SESOI_FRACTION` of a baseline's error measured on the pilots.

Two modes, chosen by the environment:

* the **suite** (``AUGREG_RECORD`` unset): judge, glue, assert, and refuse claims the pilots do not
  support;
* **recording** (``AUGREG_RECORD=<file>``, set by ``make pilots`` and ``make seeds``): judge and glue
  without asserting, and write every claim's values and verdict to the file at :meth:`Ledger.finish`.
  Only pilot bases (100-999) and held-out bases (1000 and up) can be recorded.
"""

from __future__ import annotations

import ast
import datetime as _dt
import hashlib
import html
import importlib
import importlib.util
import json
import math
import os
import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .seeds import FIRST_PILOT_SEED, base_seed
from .stats import CONFIDENCE, Interval

#: The environment variable that switches the ledger to recording (its value: the file to write).
RECORD_VARIABLE = "AUGREG_RECORD"
#: Pilot bases are ``FIRST_PILOT_SEED`` (100) up to this (exclusive); held-out bases start here.
FIRST_HELD_OUT_BASE = 1000
#: Bases that have been looked at: the suite's 0, and 1-3 and 7, which earlier versions of the course ran.
LOOKED_AT_BASES = frozenset({0, 1, 2, 3, 7})
#: Pilot runs a bound or a primary claim needs, on the current code.
MIN_PILOTS = 3
#: Comparisons over seeds need at least this many seeds (the protocol).
MIN_SEEDS = 5
#: The smallest effect of interest, as a fraction of a baseline's error measured on the pilots: a change
#: smaller than a quarter of what the baseline gets wrong is too small to matter for this course's tasks,
#: and a difference inside it counts as "about the same" (:meth:`Ledger.margin`).
SESOI_FRACTION = 0.25
#: The numeric libraries whose versions are part of a lesson's fingerprint.
NUMERIC_PACKAGES = ("tensorflow", "keras", "numpy", "scipy", "scikit-learn", "scikit-image", "vaderSentiment")
#: ``augreg`` modules that draw, style or judge but compute no measured number: left out of fingerprints.
PRESENTATION_MODULES = ("plotting", "claims", "checks")

# Verdicts.
HOLDS = "holds"
UNRESOLVED = "not resolved"
REVERSED = "reversed"
FAILS = "fails"
MEASURED = "measured"

# Families.
PRIMARY, EXPLORATORY, FACT, MEASURE = "primary", "exploratory", "fact", "measure"

#: The rules a claim can follow, with what "holds" means (``d = a - b`` per seed; ``[low, high]`` its interval).
RULES = {
    "superior": "the interval of a - b lies above `by` (default 0)",
    "inferior": "the interval of a - b lies below -`by` (default 0)",
    "equivalent": "the interval of a - b lies inside (-margin, +margin); the margin comes from the policy",
    "noninferior": "the lower end of a - b lies above -margin; the margin comes from the policy",
    "mean_above": "the interval of the mean lies above `bound`",
    "mean_below": "the interval of the mean lies below `bound`",
    "compare": "no rule: a difference shown as exploratory, with where its interval lies",
    "measure": "no rule: a quantity over seeds, with its interval",
    "at_least": "a deterministic value is at least `bound` (a fact)",
    "at_most": "a deterministic value is at most `bound` (a fact)",
    "close": "two arrays agree to a stated numerical tolerance (a fact)",
    "fact": "a deterministic statement is true (a fact)",
}
_INTERVAL_RULES = {"superior", "inferior", "equivalent", "noninferior", "mean_above", "mean_below"}
_FACT_RULES = {"at_least", "at_most", "close", "fact"}
_ID = re.compile(r"[a-z][a-z0-9_]*")
#: What a measured number looks like in text: a percentage, a signed difference, an interval.
#: Claims' wording and the lessons' prose (tests/test_typed_numbers.py) must not contain one typed in.
MEASURED_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s?%"  # 95 %, 3.5%
    r"|(?<![\w.\]\)])[+\u2212\u00b1](?:\s?)\d"  # +3, −2.5, ±2 (not a+3 or x[1]+2)
    r"|(?<=[\s(])-\d+\.\d"  # -2.5 written with a hyphen
    # an interval such as [1.2, +3.4], but not a range such as [0, 1]
    r"|\[\s*(?=[^\]]*[.+\u2212-]\d)[+\u2212-]?\d+(?:\.\d+)?\s*,\s*[+\u2212-]?\d+(?:\.\d+)?\s*\]"
)


class ClaimFailed(AssertionError):
    """A primary claim did not hold, or a fact failed, in the suite."""


class ClaimError(ValueError):
    """A claim was declared in a way the protocol does not allow (the message says what to do)."""


# --------------------------------------------------------------------------------------------- helpers


def interval(values, confidence: float = CONFIDENCE, *, scale: float = 100.0) -> Interval:
    """The mean of per-seed ``values`` with its two-sided Student-t interval at ``confidence``."""
    from scipy.stats import t

    array = np.array(values, dtype="float64").ravel()
    if array.size < 2 or not np.all(np.isfinite(array)):
        raise ClaimError(f"an interval needs at least 2 finite values, got {array.tolist()}")
    if not 0 < confidence < 1:
        raise ClaimError(f"confidence must lie between 0 and 1, got {confidence!r}")
    array.setflags(write=False)
    n = array.size
    mean = float(array.mean())
    half = float(t.ppf(0.5 + confidence / 2, df=n - 1)) * float(array.std(ddof=1)) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n, array, float(scale))


def bonferroni_level(k: int) -> float:
    """The confidence level of each of ``k`` intervals whose family keeps a 95 % level (Bonferroni)."""
    if not isinstance(k, int) or k < 1:
        raise ClaimError(f"a family has at least one claim, got {k!r}")
    return 1 - (1 - CONFIDENCE) / k


def format_level(level: float) -> str:
    """``0.99`` -> ``"99 %"``, ``0.98333`` -> ``"98.3 %"``."""
    text = f"{100 * level:.1f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _number(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ClaimError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ClaimError(f"{name} must be finite, got {value!r}")
    return float(value)


def _seeds(name, values, minimum=MIN_SEEDS) -> np.ndarray:
    try:
        array = np.array(values, dtype="float64")
    except (TypeError, ValueError):
        raise ClaimError(f"{name} must be numbers, one per seed, got {values!r}") from None
    if array.ndim != 1:
        raise ClaimError(f"{name} must hold one value per seed (1-D), got shape {array.shape}")
    if array.size < minimum:
        raise ClaimError(f"{name}: the protocol asks for at least {minimum} seeds, got {array.size}")
    if not np.all(np.isfinite(array)):
        raise ClaimError(f"{name} must be finite, got {array.tolist()}")
    return array


def _digits(digits) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 6:
        raise ClaimError(f"digits (decimals shown) must be an integer from 0 to 6, got {digits!r}")
    return digits


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# ---------------------------------------------------------------------------------------- the margin


@dataclass(frozen=True)
class Margin:
    """An equivalence margin from the policy: :data:`SESOI_FRACTION` of a baseline's pilot error.

    Made by :meth:`Ledger.margin` only; claims refuse a plain number as a margin.
    """

    value: float
    measure: str
    baseline: float
    provisional: bool = False

    def format(self, scale: float = 100.0, digits: int = 1) -> str:
        return f"{scale * self.value:.{max(digits, 1)}f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------- a result


@dataclass
class Result:
    """One judged claim: what was declared, what was measured, the verdict and its sentence."""

    id: str
    rule: str
    family: str
    claim: str
    what: str
    unit: str
    scale: float
    verdict: str = ""
    sentence: str = ""
    level: float = CONFIDENCE
    interval: Interval | None = None
    interval95: Interval | None = None
    values_a: list | None = None
    values_b: list | None = None
    value: float | None = None
    bound: float | None = None
    margin: Margin | None = None
    tol: float | None = None
    fmt: str = "{:.4g}"
    digits: int = 1
    pilots: dict = field(default_factory=dict)

    @property
    def asserted(self) -> bool:
        """Whether the suite asserts this claim (primary claims and facts)."""
        return self.family in (PRIMARY, FACT)

    def declaration(self) -> str:
        """A hash of the claim's rule, family, bound, margin policy and tolerance (not of its wording)."""
        parts = [
            self.rule,
            self.family,
            repr(self.bound),
            repr(self.tol),
            f"{self.level:.6f}",
            self.margin.measure if self.margin else "",
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    def formatted_interval(self) -> str:
        if self.interval is None:
            return ""
        return self.interval.format(self.digits, signed=self.rule not in ("measure", "mean_above", "mean_below"))

    def to_record(self) -> dict:
        """The claim as a JSON-able dict (what records and the Claims page store)."""
        out = {
            "rule": self.rule,
            "family": self.family,
            "claim": self.claim,
            "what": self.what,
            "unit": self.unit,
            "scale": self.scale,
            "verdict": self.verdict,
            "sentence": self.sentence,
            "level": self.level,
            "declaration": self.declaration(),
        }
        if self.interval is not None:
            out.update(
                mean=self.interval.mean,
                low=self.interval.low,
                high=self.interval.high,
                n=self.interval.n,
                formatted=self.formatted_interval(),
            )
        if self.interval95 is not None:
            out.update(low95=self.interval95.low, high95=self.interval95.high)
        for name in ("values_a", "values_b", "value", "bound", "tol"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.margin is not None:
            out["margin"] = self.margin.value
            out["margin_measure"] = self.margin.measure
            out["margin_provisional"] = self.margin.provisional
        if self.pilots:
            out["pilots"] = self.pilots
        return out


def judge(result: Result) -> str:
    """The verdict of an interval rule on ``result.interval`` (the rule, the bound, the margin)."""
    iv, rule = result.interval, result.rule
    if rule in ("superior", "inferior"):
        by = result.bound or 0.0
        sign = 1 if rule == "superior" else -1
        low, high = sorted((sign * iv.low, sign * iv.high))
        if low > by:
            return HOLDS
        if high < 0:
            return REVERSED
        return UNRESOLVED
    if rule == "equivalent":
        m = result.margin.value
        if -m < iv.low and iv.high < m:
            return HOLDS
        if iv.low >= m or iv.high <= -m:
            return REVERSED
        return UNRESOLVED
    if rule == "noninferior":
        m = result.margin.value
        if iv.low > -m:
            return HOLDS
        if iv.high < -m:
            return REVERSED
        return UNRESOLVED
    if rule == "mean_above":
        return HOLDS if iv.low > result.bound else REVERSED if iv.high < result.bound else UNRESOLVED
    if rule == "mean_below":
        return HOLDS if iv.high < result.bound else REVERSED if iv.low > result.bound else UNRESOLVED
    if rule == "compare":
        return "above zero" if iv.above_zero else "below zero" if iv.below_zero else UNRESOLVED
    raise ClaimError(f"no interval rule {rule!r}")


def _word(result: Result) -> str:
    """Short verdict words for prose (glued as ``<id>.verdict``)."""
    v = result.verdict
    if result.family == FACT:
        return "holds" if v == HOLDS else "fails"
    if result.rule == "measure":
        return f"measured over {result.interval.n} seeds"
    if v == UNRESOLVED:
        return f"not resolved with {result.interval.n} seeds"
    if result.rule == "compare":
        return f"{v} (exploratory)"
    return {HOLDS: "resolved", REVERSED: "resolved the other way"}.get(v, v)


def _write_sentence(result: Result) -> str:
    """The sentence for the verdict that came out, without a final period (the prose adds its own)."""
    return _full_sentence(result).rstrip(".")


def _full_sentence(result: Result) -> str:
    """The sentence for the verdict that came out; unresolved results are worded as unresolved."""
    iv, unit = result.formatted_interval(), result.unit
    n = result.interval.n if result.interval is not None else 0
    scale = result.scale
    suffix = ""
    if result.family == PRIMARY:
        suffix = f" (primary claim, {format_level(result.level)} interval)"
    elif result.family == EXPLORATORY:
        suffix = " (exploratory)"
    claim, what = _capital(result.claim), _capital(result.what)
    m = result.margin.format(scale, result.digits) if result.margin is not None else ""
    v, rule = result.verdict, result.rule
    if rule == "measure":
        return f"{what}: {iv} {unit} over {n} seeds."
    if rule == "compare":
        where = {"above zero": "the interval lies above zero", "below zero": "the interval lies below zero"}.get(
            v, f"not resolved with {n} seeds"
        )
        return f"{what}: {iv} {unit}, {where}{suffix}."
    if result.family == FACT:
        shown = "" if result.value is None else f" ({result.fmt.format(result.value)})"
        if v == HOLDS:
            return f"{claim}{shown}."
        return f"{claim}: this failed{shown}."
    if v == HOLDS:
        if rule == "equivalent":
            return f"{claim}: {iv} {unit}, inside ±{m} {unit}{suffix}."
        if rule == "noninferior":
            return f"{claim}: {iv} {unit}, no loss larger than {m} {unit}{suffix}."
        return f"{claim}: {iv} {unit}{suffix}."
    if v == UNRESOLVED:
        if rule == "equivalent":
            return f"{what}: {iv} {unit}; whether they are within ±{m} {unit} is not resolved with {n} seeds{suffix}."
        if rule == "noninferior":
            return (
                f"{what}: {iv} {unit}; a loss larger than {m} {unit} is not "
                f"ruled out: not resolved with {n} seeds{suffix}."
            )
        if rule in ("superior", "inferior") and result.bound:
            edge = scale * result.bound
            return f"{what}: {iv} {unit}, not resolved beyond {edge:g} {unit} with {n} seeds{suffix}."
        return f"{what}: {iv} {unit}, not resolved with {n} seeds{suffix}."
    # REVERSED
    if rule == "equivalent":
        return f"{what}: {iv} {unit}, a difference larger than ±{m} {unit}{suffix}."
    if rule == "noninferior":
        return f"{what}: {iv} {unit}, a loss larger than {m} {unit}{suffix}."
    return f"{what}: {iv} {unit}, resolved in the opposite direction to the claim{suffix}."


# ------------------------------------------------------------------------------------- fingerprints


def repository_root() -> Path:
    """The course repository that this ``augreg`` was installed from (editable install)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "lessons").is_dir():
        raise ClaimError(f"the claims ledger needs the course repository; {root} has no lessons/ folder")
    return root


def code_cells(markdown: str) -> list[str]:
    """The sources of the ``{code-cell}`` blocks of a MyST notebook, without their options."""
    cells, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        if lines[i].startswith("```{code-cell}"):
            j, body = i + 1, []
            while j < len(lines) and lines[j].rstrip() != "```":
                body.append(lines[j])
                j += 1
            if body and body[0].strip() == "---":  # YAML options block
                end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), 0)
                body = body[end + 1 :]
            while body and body[0].startswith(":"):  # :tags: [...] option lines
                body = body[1:]
            cells.append("\n".join(body).strip("\n"))
            i = j
        i += 1
    return cells


_MAGIC = re.compile(r"\s*(%|!(?!=))")  # IPython magics and shell escapes (not `!=`)
_DROPPED_CALLS = {"glue", "print", "display"}
_DROPPED_OWNERS = {"ledger", "plt", "ax", "axes", "fig", "figure"}


def _is_presentation_call(node) -> bool:
    """A call that prints, glues, plots or declares a claim: it cannot change a measured number."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in _DROPPED_CALLS or func.id.startswith("plot_")
    names = []
    while isinstance(func, ast.Attribute):
        names.append(func.attr)
        func = func.value
    if isinstance(func, ast.Call):  # e.g. plt.gca().set(...)
        return _is_presentation_call(func)
    if not isinstance(func, ast.Name):
        return False
    names.append(func.id)
    return (
        names[-1] in _DROPPED_OWNERS
        or names[0].startswith("plot_")
        or re.fullmatch(r"ax(es)?\d*", names[-1]) is not None
    )


class _Normalizer(ast.NodeTransformer):
    """Drop docstrings, asserts, and statements that only print, glue, plot or declare claims."""

    def _clean(self, body):
        out = []
        for index, stmt in enumerate(body):
            if isinstance(stmt, ast.Assert):
                continue
            if isinstance(stmt, ast.Expr):
                value = stmt.value
                if index == 0 and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    continue  # a docstring
                if _is_presentation_call(value):
                    continue
            if isinstance(stmt, ast.Assign) and _is_presentation_call(stmt.value):
                continue
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and func.attr == "Ledger":
                    continue  # the primary list is a declaration, not an experiment
            out.append(self.visit(stmt))
        return out or [ast.Pass()]

    def generic_visit(self, node):
        for name in ("body", "orelse", "finalbody"):
            if (
                isinstance(getattr(node, name, None), list)
                and getattr(node, name)
                and isinstance(getattr(node, name)[0], ast.stmt)
            ):
                setattr(node, name, self._clean(getattr(node, name)))
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                handler.body = self._clean(handler.body)
        return super().generic_visit(node)


def normalized_code(source: str) -> str:
    """The AST of ``source`` without comments, formatting, docstrings, asserts and presentation calls."""
    source = "\n".join(line for line in source.splitlines() if not _MAGIC.match(line))
    tree = ast.parse(source)
    tree.body = _Normalizer()._clean(tree.body)
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


def _augreg_references(sources: list[str]) -> set[str]:
    """Names the code takes from ``augreg``: ``augreg.x``, ``augreg.x.y``, ``from augreg(.x) import y``."""
    refs = set()
    for source in sources:
        source = "\n".join(line for line in source.splitlines() if not _MAGIC.match(line))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute):
                chain = []
                while isinstance(node, ast.Attribute):
                    chain.append(node.attr)
                    node = node.value
                if isinstance(node, ast.Name) and node.id == "augreg":
                    chain.reverse()
                    refs.add(".".join(chain[:2]))
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "augreg":
                for alias in node.names:
                    refs.add(".".join(node.module.split(".")[1:] + [alias.name]).lstrip("."))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("augreg."):
                        refs.add(alias.name.split(".", 1)[1])
    return refs


def _is_presentation(module_name: str) -> bool:
    parts = module_name.split(".")
    return len(parts) > 1 and parts[1] in PRESENTATION_MODULES


def _module_for(reference: str) -> str | None:
    import augreg

    obj = augreg
    for part in reference.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
            except (ImportError, AttributeError):
                return None
    if hasattr(obj, "__file__") and hasattr(obj, "__name__") and type(obj).__name__ == "module":
        return obj.__name__
    module = getattr(obj, "__module__", None)
    return module if isinstance(module, str) and module.startswith("augreg") else None


def _module_imports(name: str) -> set[str]:
    module = importlib.import_module(name)
    tree = ast.parse(Path(module.__file__).read_text("utf8"))
    package = name if Path(module.__file__).name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("augreg"):
                continue
            if node.module is None or node.level and not node.module:
                for alias in node.names:
                    found.add(f"{target}.{alias.name}")
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("augreg."))
    return {m for m in found if importlib.util.find_spec(m) is not None}


def module_closure(references) -> list[str]:
    """The ``augreg`` modules that computing with ``references`` can run (presentation modules left out)."""
    todo = {m for m in (_module_for(r) for r in references) if m and not _is_presentation(m)}
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen or _is_presentation(name) or name == "augreg":
            continue
        seen.add(name)
        todo |= _module_imports(name) - seen
    return sorted(seen)


def _module_source_hash(name: str) -> str:
    module = importlib.import_module(name)
    return hashlib.sha256(normalized_code(Path(module.__file__).read_text("utf8")).encode()).hexdigest()


def library_versions() -> dict[str, str]:
    """Python's ``major.minor`` and the versions of :data:`NUMERIC_PACKAGES` installed here."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": ".".join(platform.python_version_tuple()[:2])}
    for package in NUMERIC_PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "absent"
    return versions


def lesson_fingerprint(slug: str, root: Path | None = None) -> dict:
    """What a lesson's measured numbers depend on, hashed: its experiment code, modules and libraries.

    The experiment code is every code cell of ``lessons/<slug>.md``, as an AST, without comments,
    formatting, docstrings, asserts, and statements that only print, glue, plot or declare claims.
    The modules are the ``augreg`` modules the code uses, and what they import, without the
    presentation modules (:data:`PRESENTATION_MODULES`). The libraries: :func:`library_versions`.

    Returns:
        ``{"fingerprint": <16 hex digits>, "code": ..., "modules": {name: hash}, "versions": {...}}``.
    """
    root = repository_root() if root is None else Path(root)
    path = root / "lessons" / f"{slug}.md"
    if not path.is_file():
        raise ClaimError(f"no lesson {path}")
    cells = code_cells(path.read_text("utf8"))
    code = hashlib.sha256("\n".join(normalized_code(c) for c in cells).encode()).hexdigest()
    modules = {name: _module_source_hash(name)[:16] for name in module_closure(_augreg_references(cells))}
    versions = library_versions()
    digest = hashlib.sha256(json.dumps([code, modules, versions], sort_keys=True).encode()).hexdigest()
    return {"fingerprint": digest[:16], "code": code[:16], "modules": modules, "versions": versions}


# ------------------------------------------------------------------------------------------ records


def records_path(kind: str, slug: str, root: Path | None = None) -> Path:
    """``records/pilots/<slug>.json`` or ``records/heldout/<slug>.json``."""
    if kind not in ("pilots", "heldout"):
        raise ClaimError(f"kind must be 'pilots' or 'heldout', got {kind!r}")
    root = repository_root() if root is None else Path(root)
    return root / "records" / kind / f"{slug}.json"


def read_records(kind: str, slug: str, root: Path | None = None) -> dict:
    """The committed record of a lesson (``{"lesson": slug, "runs": [...]}``; empty runs if none)."""
    path = records_path(kind, slug, root)
    if not path.is_file():
        return {"lesson": slug, "kind": kind, "runs": []}
    return json.loads(path.read_text("utf8"))


def rejudge(declared: Result, recorded: dict, margin: Margin | None = None) -> str:
    """The verdict the claim *as declared now* gives on the values a past run recorded."""
    rule = declared.rule
    if rule in _FACT_RULES:
        if rule == "at_least":
            return HOLDS if recorded.get("value", -math.inf) >= declared.bound else FAILS
        if rule == "at_most":
            return HOLDS if recorded.get("value", math.inf) <= declared.bound else FAILS
        if rule == "close":
            return HOLDS if recorded.get("value", math.inf) <= declared.tol else FAILS
        return HOLDS if recorded.get("verdict") == HOLDS else FAILS
    if "values_a" not in recorded:
        return UNRESOLVED
    a = np.array(recorded["values_a"])
    values = a - np.array(recorded["values_b"]) if "values_b" in recorded else a
    probe = Result(
        declared.id,
        rule,
        declared.family,
        declared.claim,
        declared.what,
        declared.unit,
        declared.scale,
        level=declared.level,
        bound=declared.bound,
        margin=margin if margin is not None else declared.margin,
    )
    probe.interval = interval(values, declared.level, scale=declared.scale)
    return judge(probe)


# ------------------------------------------------------------------------------------------- ledger


class Ledger:
    """The claims of one lesson: primary family named in advance, every claim judged, glued, recorded.

    Args:
        slug: the lesson's file name without extension (``"05-side-by-side"``).
        primary: the ids of the lesson's primary claims, named before anything runs; each must be
            declared later with an interval rule (``superior``, ``inferior``, ``equivalent``,
            ``noninferior``, ``mean_above``, ``mean_below``). Their intervals are Bonferroni-corrected
            for their number.
        glue: glue the wording (default True; tests pass False).
        root: the course repository (default: the one ``augreg`` is installed from).
    """

    def __init__(self, slug: str, primary=(), *, glue: bool = True, root: Path | None = None):
        if not isinstance(slug, str) or not re.fullmatch(r"\d\d-[a-z0-9-]+", slug):
            raise ClaimError(f"slug must be a lesson's NN-slug, got {slug!r}")
        primary = list(primary)
        bad = [p for p in primary if not isinstance(p, str) or not _ID.fullmatch(p)]
        if bad:
            raise ClaimError(f"claim ids are lower_case_with_underscores, got {bad}")
        if len(set(primary)) != len(primary):
            raise ClaimError(f"primary names a claim twice: {primary}")
        if not primary:
            raise ClaimError("name the lesson's primary claims in advance: primary=[...] (at least one)")
        self.slug, self.primary = slug, tuple(primary)
        self.level = bonferroni_level(len(primary))
        self.results: dict[str, Result] = {}
        self.root = repository_root() if root is None else Path(root)
        self._glue = glue
        self.base = base_seed()
        self.record_to = os.environ.get(RECORD_VARIABLE, "").strip() or None
        if self.record_to and self.base < FIRST_PILOT_SEED:
            raise ClaimError(
                f"records are made on pilot bases ({FIRST_PILOT_SEED}-{FIRST_HELD_OUT_BASE - 1}) or held-out "
                f"bases ({FIRST_HELD_OUT_BASE} and up), never on base {self.base}, which has been looked at"
            )
        self.fingerprint = lesson_fingerprint(slug, self.root)
        self._pilot_runs = [
            run
            for run in read_records("pilots", slug, self.root)["runs"]
            if run.get("fingerprint") == self.fingerprint["fingerprint"] and run.get("status") == "complete"
        ]
        self._held_out_runs = [
            run
            for run in read_records("heldout", slug, self.root)["runs"]
            if run.get("fingerprint") == self.fingerprint["fingerprint"]
        ]
        self._finished = False
        self._put("claims_correction", self.correction_sentence())
        self._put("claims_primary_count", str(len(primary)))
        self._put("claims_level", format_level(self.level))

    # -- modes and wording

    @property
    def recording(self) -> bool:
        """Whether this run records (``make pilots`` / ``make seeds``) instead of asserting."""
        return self.record_to is not None

    def correction_sentence(self) -> str:
        """One sentence on the lesson's multiplicity control, for the text (glued as ``claims_correction``)."""
        k = len(self.primary)
        if k == 1:
            return (
                "This lesson names one primary claim in advance, judged on a 95 % interval; every other "
                "interval is exploratory: shown, never counted as a finding."
            )
        return (
            f"This lesson names {k} primary claims in advance. Each is judged on a "
            f"{format_level(self.level)} interval, so that the {k} together keep a 95 % level "
            f"(Bonferroni); every other interval is a plain 95 % interval and exploratory: shown, "
            f"never counted as a finding."
        )

    def _put(self, key: str, text: str) -> None:
        if self._glue:
            from myst_nb import glue

            glue(key, text, display=False)

    # -- declaring claims

    def _new(self, id, rule, claim, what, unit, scale, **extra) -> Result:
        if self._finished:
            raise ClaimError("the ledger is finished: declare every claim before ledger.finish()")
        if not isinstance(id, str) or not _ID.fullmatch(id):
            raise ClaimError(f"claim ids are lower_case_with_underscores, got {id!r}")
        if id in self.results:
            raise ClaimError(f"claim {id!r} is declared twice: a claim is declared once")
        if id.startswith("claims_"):
            raise ClaimError(f"{id!r}: ids starting with 'claims_' are the ledger's own")
        for name, text in (("claim", claim), ("what", what)):
            if not isinstance(text, str):
                raise ClaimError(f"{id}: {name} must be a sentence (str), got {type(text).__name__}")
        for name, text in (("claim", claim), ("what", what)):
            typed = MEASURED_NUMBER.search(text or "")
            if typed:
                raise ClaimError(
                    f"{id}: {name} has a typed result {typed.group(0)!r}; measured numbers come from "
                    f"the run (bounds through `by=`/`bound=` and a {{bound}} placeholder)"
                )
        if id in self.primary:
            if rule not in _INTERVAL_RULES:
                raise ClaimError(
                    f"{id} is named primary, but a {rule!r} claim has no interval rule; "
                    f"primary claims are {sorted(_INTERVAL_RULES)}"
                )
            family, level = PRIMARY, self.level
        elif rule in _FACT_RULES:
            family, level = FACT, CONFIDENCE
        elif rule == "measure":
            family, level = MEASURE, CONFIDENCE
        else:
            family, level = EXPLORATORY, CONFIDENCE
        return Result(id, rule, family, claim, what, str(unit), float(scale), level=level, **extra)

    def _fill_claim_text(self, result: Result) -> None:
        fields = {}
        if result.bound is not None:
            fields["bound"] = (
                result.fmt.format(result.bound) if result.family == FACT else f"{result.scale * result.bound:g}"
            )
            fields["by"] = fields["bound"]
        if result.margin is not None:
            fields["margin"] = result.margin.format(result.scale, result.digits)
        if result.tol is not None:
            fields["tol"] = f"{result.tol:g}"
        try:
            result.claim = result.claim.format(**fields)
        except (KeyError, IndexError, ValueError) as exc:
            raise ClaimError(f"{result.id}: the claim names a placeholder it does not have: {exc}") from None

    def _paired(self, id, a, b, rule, *, claim, what, unit, scale, bound=None, margin=None, digits=1) -> Result:
        a, b = _seeds(f"{id}: a", a), _seeds(f"{id}: b", b)
        if a.shape != b.shape:
            raise ClaimError(f"{id}: a and b need one value per seed each, got {a.size} and {b.size}")
        result = self._new(
            id,
            rule,
            claim,
            what,
            unit,
            scale,
            bound=bound,
            margin=margin,
            values_a=a.tolist(),
            values_b=b.tolist(),
            digits=_digits(digits),
        )
        self._fill_claim_text(result)
        result.interval = interval(a - b, result.level, scale=scale)
        result.interval95 = interval(a - b, CONFIDENCE, scale=scale)
        return self._conclude(result)

    def superior(
        self,
        id,
        a,
        b,
        *,
        claim: str,
        what: str,
        by: float = 0.0,
        unit: str = "points",
        scale: float = 100.0,
        digits: int = 1,
    ) -> Result:
        """``a`` beats ``b`` (paired by seed): the interval of ``a - b`` lies above ``by`` (default 0).

        Args:
            id: the claim's id (``lower_case``), unique in the lesson; the glue key of its sentence.
            a, b: one value per seed each (at least 5), paired: ``a[i]`` and ``b[i]`` share seed ``i``.
            claim: the claim as a sentence fragment, worded for when it holds ("augmentation beats
                no technique on clean digits"); ``{by}`` is replaced by the bound.
            what: the difference, neutrally ("augmentation minus no technique, clean digits"): the
                sentence of an unresolved or reversed result starts with it. No numbers.
            by: a minimum difference (in the values' units: 0.2 is 20 points with ``scale=100``);
                a non-zero ``by`` is a bound and needs pilots.
            unit, scale: how the interval is shown (fractions as points by default).
        """
        by = _number("by", by)
        return self._paired(
            id, a, b, "superior", claim=claim, what=what, unit=unit, scale=scale, digits=digits, bound=by or None
        )

    def inferior(
        self,
        id,
        a,
        b,
        *,
        claim: str,
        what: str,
        by: float = 0.0,
        unit: str = "points",
        scale: float = 100.0,
        digits: int = 1,
    ) -> Result:
        """``a`` is worse than ``b``: the interval of ``a - b`` lies below ``-by`` (see :meth:`superior`)."""
        by = _number("by", by)
        return self._paired(
            id, a, b, "inferior", claim=claim, what=what, unit=unit, scale=scale, digits=digits, bound=by or None
        )

    def equivalent(
        self,
        id,
        a,
        b,
        *,
        margin: Margin,
        claim: str,
        what: str,
        unit: str = "points",
        scale: float = 100.0,
        digits: int = 1,
    ) -> Result:
        """``a`` and ``b`` are about the same: the interval of ``a - b`` lies inside ``±margin``.

        ``margin`` must come from :meth:`margin` (the course's one margin policy), never a number.
        ``{margin}`` in ``claim`` is replaced by it.
        """
        if not isinstance(margin, Margin):
            raise ClaimError(
                f"{id}: the margin must come from ledger.margin(<baseline measure>), the "
                f"course's one margin policy, not {margin!r}"
            )
        return self._paired(
            id, a, b, "equivalent", claim=claim, what=what, unit=unit, scale=scale, digits=digits, margin=margin
        )

    def noninferior(
        self,
        id,
        a,
        b,
        *,
        margin: Margin,
        claim: str,
        what: str,
        unit: str = "points",
        scale: float = 100.0,
        digits: int = 1,
    ) -> Result:
        """``a`` loses no more than ``margin`` to ``b``: the lower end of ``a - b`` lies above ``-margin``."""
        if not isinstance(margin, Margin):
            raise ClaimError(
                f"{id}: the margin must come from ledger.margin(<baseline measure>), the "
                f"course's one margin policy, not {margin!r}"
            )
        return self._paired(
            id, a, b, "noninferior", claim=claim, what=what, unit=unit, scale=scale, digits=digits, margin=margin
        )

    def _single(self, id, values, rule, *, claim, what, unit, scale, bound=None, digits=1) -> Result:
        values = _seeds(f"{id}: values", values)
        result = self._new(
            id, rule, claim, what, unit, scale, bound=bound, values_a=values.tolist(), digits=_digits(digits)
        )
        self._fill_claim_text(result)
        result.interval = interval(values, result.level, scale=scale)
        result.interval95 = interval(values, CONFIDENCE, scale=scale)
        return self._conclude(result)

    def mean_above(
        self, id, values, bound: float, *, claim: str, what: str, unit: str = "%", scale: float = 100.0, digits: int = 1
    ) -> Result:
        """The mean over seeds is above ``bound``: its interval lies above it. A bound: needs pilots."""
        return self._single(
            id,
            values,
            "mean_above",
            claim=claim,
            what=what,
            unit=unit,
            scale=scale,
            digits=digits,
            bound=_number("bound", bound),
        )

    def mean_below(
        self, id, values, bound: float, *, claim: str, what: str, unit: str = "%", scale: float = 100.0, digits: int = 1
    ) -> Result:
        """The mean over seeds is below ``bound``: its interval lies below it. A bound: needs pilots."""
        return self._single(
            id,
            values,
            "mean_below",
            claim=claim,
            what=what,
            unit=unit,
            scale=scale,
            digits=digits,
            bound=_number("bound", bound),
        )

    def compare(self, id, a, b, *, what: str, unit: str = "points", scale: float = 100.0, digits: int = 1) -> Result:
        """An exploratory paired difference with no claim attached: shown, never a finding."""
        if id in self.primary:
            raise ClaimError(f"{id} is named primary: declare it with a rule (superior, equivalent, ...)")
        return self._paired(id, a, b, "compare", claim="", what=what, unit=unit, scale=scale, digits=digits)

    def measure(self, id, values, *, what: str, unit: str = "%", scale: float = 100.0, digits: int = 1) -> Result:
        """A quantity over seeds with its 95 % interval (a baseline's error, a rate): recorded, no claim."""
        if id in self.primary:
            raise ClaimError(f"{id} is named primary: declare it with a rule (mean_above, ...)")
        values = _seeds(f"{id}: values", values, minimum=2)
        result = self._new(id, "measure", "", what, unit, scale, values_a=values.tolist(), digits=_digits(digits))
        result.interval = result.interval95 = interval(values, CONFIDENCE, scale=scale)
        return self._conclude(result)

    def at_least(self, id, value, bound: float, *, claim: str, fmt: str = "{:.4g}") -> Result:
        """A fact: a deterministic value (a minimum over seeds, a count) is at least ``bound``.

        The bound needs pilots. ``{bound}`` in ``claim`` is replaced by ``fmt.format(bound)``.
        """
        return self._fact(id, "at_least", _number("value", value), claim, fmt, bound=_number("bound", bound))

    def at_most(self, id, value, bound: float, *, claim: str, fmt: str = "{:.4g}") -> Result:
        """A fact: a deterministic value is at most ``bound`` (see :meth:`at_least`)."""
        return self._fact(id, "at_most", _number("value", value), claim, fmt, bound=_number("bound", bound))

    def close(self, id, a, b, tol: float, *, claim: str) -> Result:
        """A fact: two arrays agree to ``tol`` (largest absolute difference), e.g. an exact equivalence.

        ``tol`` is a numerical tolerance (float32 round-off), stated in the claim as ``{tol}``; the
        largest difference is recorded and shown.
        """
        a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
        if a.shape != b.shape:
            raise ClaimError(f"{id}: the arrays differ in shape, {a.shape} and {b.shape}")
        gap = float(np.max(np.abs(a - b))) if a.size else 0.0
        return self._fact(id, "close", gap, claim, "{:.2g}", tol=_number("tol", tol))

    def fact(self, id, ok: bool, *, claim: str) -> Result:
        """A fact: a deterministic statement (shapes, an identity, "no invented border") is true."""
        if not isinstance(ok, (bool, np.bool_)):
            raise ClaimError(f"{id}: a fact is True or False, got {type(ok).__name__}")
        return self._fact(id, "fact", None, claim, "{}", ok=bool(ok))

    def _fact(self, id, rule, value, claim, fmt, bound=None, tol=None, ok=None) -> Result:
        result = self._new(id, rule, claim, "", "", 1.0, value=value, bound=bound, tol=tol, fmt=fmt)
        self._fill_claim_text(result)
        if rule == "at_least":
            ok = value >= bound
        elif rule == "at_most":
            ok = value <= bound
        elif rule == "close":
            ok = value <= tol
        result.verdict = HOLDS if ok else FAILS
        return self._conclude(result, judged=True)

    # -- the margin policy

    def margin(self, measure: str) -> Margin:
        """The equivalence margin: :data:`SESOI_FRACTION` of a baseline's error on the pilots.

        ``measure`` is the id of a :meth:`measure` of this lesson that holds a baseline's error (one
        minus its test accuracy, its ECE, its loss). In the suite the margin is computed from the
        recorded pilots on the current code; while recording it falls back on this run's value when no
        pilot has been recorded yet (marked provisional, and never used to assert).
        """
        values = [
            run["claims"][measure]["mean"]
            for run in self._pilot_runs
            if measure in run.get("claims", {}) and run["claims"][measure].get("rule") == "measure"
        ]
        if len(values) >= MIN_PILOTS:
            baseline = float(np.mean(values))
            return Margin(math.ceil(SESOI_FRACTION * baseline * 1000) / 1000, measure, baseline)
        if self.recording and measure in self.results:
            baseline = self.results[measure].interval.mean
            return Margin(math.ceil(SESOI_FRACTION * baseline * 1000) / 1000, measure, baseline, True)
        raise ClaimError(
            f"the margin policy needs the baseline measure {measure!r} on at least {MIN_PILOTS} pilot runs of "
            f"the current code ({len(values)} found): declare it with ledger.measure({measure!r}, ...) and run "
            f"`make pilots LESSON={self.slug[:2]}`"
        )

    # -- judging

    def _needs_pilots(self, result: Result) -> bool:
        if result.family == PRIMARY:
            return True
        if result.rule in ("at_least", "at_most", "equivalent", "noninferior", "mean_above", "mean_below"):
            return True
        return result.rule in ("superior", "inferior") and bool(result.bound)

    def _check_records(self, result: Result) -> None:
        """In the suite: pilots must support the claim as declared, and no held-out base may have failed it.

        A primary claim, or a claim with a bound or margin, needs :data:`MIN_PILOTS` pilot runs of the
        current code and must hold on each of them as declared now; an asserted claim (primary or fact)
        must not have failed, as declared now, on a held-out base of the current code.
        """
        with_claim = [run for run in self._pilot_runs if result.id in run.get("claims", {})]
        result.pilots = {"runs": len(with_claim), "bases": [run["base"] for run in with_claim]}
        if self.recording:
            return
        if self._needs_pilots(result):
            if len(with_claim) < MIN_PILOTS:
                raise ClaimError(
                    f"claim {result.id!r} of lesson {self.slug} is {result.family} or has a bound, and needs at "
                    f"least {MIN_PILOTS} pilot runs on the current code; {len(with_claim)} found (fingerprint "
                    f"{self.fingerprint['fingerprint']}). Run `make pilots LESSON={self.slug[:2]}`."
                )
            failed = [run["base"] for run in with_claim if rejudge(result, run["claims"][result.id]) != HOLDS]
            if failed and result.asserted:  # an exploratory bound only has to cite its pilots
                raise ClaimError(
                    f"claim {result.id!r} of lesson {self.slug} does not hold, as declared, on pilot bases "
                    f"{failed}: the pilots do not support it. Change the claim or the experiment (make it "
                    f"exploratory, or measure more), never a bound to fit."
                )
        if result.asserted:
            runs = [
                run
                for run in self._held_out_runs
                if run.get("claims", {}).get(result.id, {}).get("declaration") == result.declaration()
            ]
            broken = [run["base"] for run in runs if run["claims"][result.id]["verdict"] != HOLDS]
            if broken:
                raise ClaimError(
                    f"claim {result.id!r} of lesson {self.slug}, as declared, failed on held-out bases {broken} "
                    f"(records/heldout/{self.slug}.json). A held-out failure is final: change the claim or the "
                    f"experiment, never its bound."
                )

    def _conclude(self, result: Result, judged: bool = False) -> Result:
        if not judged:
            result.verdict = MEASURED if result.rule == "measure" else judge(result)
        result.sentence = _write_sentence(result)
        self._check_records(result)
        self.results[result.id] = result
        self._put(result.id, result.sentence)
        if result.interval is not None:
            self._put(f"{result.id}.interval", result.formatted_interval())
            self._put(
                f"{result.id}.mean",
                f"{result.interval.scale * result.interval.mean:+.{result.digits}f}"
                if result.rule not in ("measure", "mean_above", "mean_below")
                else f"{result.interval.scale * result.interval.mean:.{result.digits}f}",
            )
        if result.value is not None:
            self._put(f"{result.id}.value", result.fmt.format(result.value))
        self._put(f"{result.id}.verdict", _word(result))
        if result.asserted and result.verdict != HOLDS and not self.recording:
            raise ClaimFailed(f"lesson {self.slug}, claim {result.id!r}: {result.sentence}")
        return result

    # -- reading results

    def __getitem__(self, id: str) -> Result:
        try:
            return self.results[id]
        except KeyError:
            raise KeyError(f"no claim {id!r} declared yet in lesson {self.slug}") from None

    def __contains__(self, id) -> bool:
        return id in self.results

    def forest(
        self, ids, *, title: str, xlabel: str = "paired difference (points)", labels=None, techniques=None, ax=None
    ):
        """A forest plot of some of the lesson's paired claims, each on the interval it was judged on.

        Args:
            ids: claim ids (paired claims: superior, inferior, equivalent, noninferior, compare).
            title, xlabel: the figure's labels.
            labels: ``{id: row label}``; by default each claim's ``what``.
            techniques: colours by row label, as in :func:`augreg.plot_paired_differences`.
        """
        from .plotting import plot_paired_differences

        labels = labels or {}
        rows = {}
        for id in ids:
            result = self[id]
            if result.values_b is None:
                raise ClaimError(f"{id} is not a paired difference")
            label = labels.get(id, result.what)
            if result.family == PRIMARY:
                label += " *"
            rows[label] = result.interval
        return plot_paired_differences(rows, xlabel=xlabel, title=title, techniques=techniques, ax=ax)

    # -- the end of the lesson

    def finish(self) -> ClaimsTable:
        """Check that every primary claim was judged, glue the record, write it when recording.

        Returns the lesson's claims table (display it as a cell's last expression).
        """
        missing = [p for p in self.primary if p not in self.results]
        self._finished = True
        record = self.record(missing)
        if self._glue:
            from myst_nb import glue

            glue("claims_record", _JSON(record), display=False)
        if self.recording:
            Path(self.record_to).write_text(json.dumps(record, indent=1) + "\n", encoding="utf8")
        elif missing:
            raise ClaimFailed(f"lesson {self.slug} named primary claims it never judged: {missing}")
        return ClaimsTable(self.slug, list(self.results.values()), self.level, len(self.primary))

    def record(self, missing=()) -> dict:
        """This run as a record: base, fingerprint, versions and every claim's values and verdict."""
        return {
            "lesson": self.slug,
            "base": self.base,
            "date": _dt.date.today().isoformat(),
            "fingerprint": self.fingerprint["fingerprint"],
            "code": self.fingerprint["code"],
            "modules": self.fingerprint["modules"],
            "versions": self.fingerprint["versions"],
            "primary": list(self.primary),
            "status": "complete" if not missing else f"primary claims never judged: {list(missing)}",
            "claims": {id: result.to_record() for id, result in self.results.items()},
        }


class _JSON:
    """Glue payload: the record as JSON in ``text/plain`` (the Claims page reads it back with json.loads).

    (A dict under ``application/json`` does not survive: glue stores it under a prefixed MIME type that
    nbformat's schema requires to be a string.)
    """

    def __init__(self, data):
        self.data = data

    def __repr__(self):
        return json.dumps(self.data, sort_keys=True)


_VERDICT_STYLE = {
    HOLDS: "#1a7f37",
    UNRESOLVED: "#6e7781",
    REVERSED: "#b35900",
    FAILS: "#cf222e",
    MEASURED: "#6e7781",
    "above zero": "#6e7781",
    "below zero": "#6e7781",
}


def verdict_label(result: dict | Result) -> str:
    """What the claims tables print in the verdict column."""
    get = result.get if isinstance(result, dict) else lambda k, d=None: getattr(result, k, d)
    verdict, family, rule = get("verdict"), get("family"), get("rule")
    if rule == "measure":
        return "measured"
    if rule == "compare":
        return {"above zero": "above zero", "below zero": "below zero"}.get(verdict, "not resolved")
    if family == FACT:
        return "holds" if verdict == HOLDS else "fails"
    return {HOLDS: "holds", UNRESOLVED: "not resolved", REVERSED: "reversed"}.get(verdict, verdict)


def claims_rows(results) -> list[dict]:
    """Rows for a claims table, primary claims first, then facts, exploratory claims and measures."""
    order = {PRIMARY: 0, FACT: 1, EXPLORATORY: 2, MEASURE: 3}
    rows = []
    for r in results:
        d = r.to_record() if isinstance(r, Result) else dict(r)
        d.setdefault("id", r.id if isinstance(r, Result) else d.get("id"))
        rows.append(d)
    return sorted(rows, key=lambda d: order.get(d["family"], 9))


def html_table(rows: list[dict], extra_columns=()) -> str:
    """An HTML table of claims rows (the lesson's table and the Claims page share it)."""
    head = ["claim", "family", "rule", "result (suite's seeds)", "verdict", *[c[0] for c in extra_columns]]
    out = [
        '<table class="claims-table">',
        "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for d in rows:
        text = d.get("claim") or d.get("what") or d["id"]
        if d["family"] == PRIMARY:
            family = f"primary ({format_level(d['level'])})"
        else:
            family = d["family"]
        result = d.get("formatted", "")
        if result:
            result += f" {d.get('unit', '')}"
        elif d.get("value") is not None:
            result = str(d["value"]) if d["rule"] != "close" else f"largest difference {d['value']:.2g}"
        label = verdict_label(d)
        color = _VERDICT_STYLE.get(d.get("verdict"), "#6e7781")
        cells = [
            f"{html.escape(_capital(text))} <code>{html.escape(d['id'])}</code>",
            html.escape(family),
            html.escape(d["rule"]),
            html.escape(result.strip()),
            f'<span style="color: {color}; font-weight: 600;">{html.escape(label)}</span>',
        ]
        cells += [column[1](d) for column in extra_columns]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


class ClaimsTable:
    """The table :meth:`Ledger.finish` returns: every claim of the lesson with its verdict."""

    def __init__(self, slug, results, level, k):
        self.slug, self.results, self.level, self.k = slug, results, level, k

    def _repr_html_(self) -> str:
        return html_table(claims_rows(self.results))

    def _repr_markdown_(self) -> str:
        lines = ["| claim | family | result | verdict |", "|---|---|---|---|"]
        for d in claims_rows(self.results):
            text = (d.get("claim") or d.get("what") or d["id"]).replace("|", "\\|")
            lines.append(
                f"| {_capital(text)} | {d['family']} | {d.get('formatted', '')} {d.get('unit', '')} "
                f"| {verdict_label(d)} |"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = {}
        for r in self.results:
            counts[r.family] = counts.get(r.family, 0) + 1
        return f"<claims of lesson {self.slug}: {counts}>"


__all__ = [
    "ClaimError",
    "ClaimFailed",
    "ClaimsTable",
    "Ledger",
    "Margin",
    "Result",
    "RULES",
    "SESOI_FRACTION",
    "bonferroni_level",
    "format_level",
    "interval",
    "lesson_fingerprint",
    "read_records",
]
