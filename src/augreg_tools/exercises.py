"""Generate the exercise notebooks from the solution notebooks, find answers that leak, run pilots.

Solutions are written once, in ``solutions/``. Learner code lies between
``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines; cells tagged ``solution``
(worked explanations, the hidden "all checks passed" guard) appear in the
solutions only. The generator replaces the marked code with a runnable stub:

* ``name = <expression>`` becomes ``name = ...``;
* ``def f(args): <body>`` keeps its signature, and its body becomes
  ``return ...``; its docstring is dropped (it tends to say how), unless the
  block starts with ``# BEGIN SOLUTION keep-docstring``;
* every other statement (loops, calls) is dropped;

and a ``# YOUR CODE HERE`` line marks the place (inside the function, for a
function stub). The title's "Solutions" becomes "Exercises", and MyST roles in
the text become plain text JupyterLab can show (``{ref}`sec-gap``` becomes
"Lesson 01, section *The generalization gap*"; see :mod:`augreg.checks.myst`).

:func:`find_leaks` lists what of a solution block still shows in its exercise
(``tests/test_exercise_leaks.py`` runs it on every set).

Commands (``make exercises`` runs the first):

* ``python -m augreg_tools.exercises [--check]`` -- write ``exercises/``
  (``--check`` only reports what is out of date);
* ``python -m augreg_tools.exercises pilot NN --bases 100 101 102`` -- run the
  solution notebook NN on pilot base seeds and print what its checks measured
  (``augreg.checks.evidence.record_pilot``): the numbers an open task's bound
  is chosen from, on seeds the suite never runs.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import re
import sys
import textwrap
from pathlib import Path

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
#: A block that starts with this line keeps the docstrings of the functions it stubs.
KEEP_DOCSTRING = BEGIN + " keep-docstring"

#: The level each exercise states under its heading, and what it means.
LEVELS = {
    "warm-up": "a first step whose answer is not printed above it (at most two per set)",
    "core": "what the lesson taught, applied",
    "open": "a decision the lesson did not make, chosen on validation, graded by the check on sealed data",
}
#: The budget class each exercise states beside its level: the work it does, never measured seconds
#: (the whole notebook's time is measured and budgeted in one place, by the test suite).
BUDGETS = {
    "instant": "no training: NumPy, one layer on a batch, or a rule applied to given numbers",
    "short": "one or a few small networks trained",
    "long": "many small networks trained (a sweep, several seeds)",
}
#: The line under every ``## Exercise N: title`` heading.
FORMAT_LINE = re.compile(
    r"^\*\*Level:\*\* (?P<level>" + "|".join(LEVELS) + r") · \*\*Budget:\*\* (?P<budget>" + "|".join(BUDGETS) + r")$"
)
#: The sentence every set's opening contains (instead of a hand-measured time).
BUDGET_SENTENCE = "The whole notebook runs within the exercise budget"
SOLUTION_TAG = "solution"
PLACEHOLDER = "# YOUR CODE HERE"


def stub_code(code: str, *, keep_docstrings: bool = False) -> str:
    """Return the stub for a block of solution code (see the module docstring)."""
    code = textwrap.dedent(code)
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise ValueError(f"the solution code does not parse: {exc}") from None
    source, lines = code.splitlines(), []
    if not any(isinstance(node, ast.FunctionDef) for node in tree.body):
        lines.append(PLACEHOLDER)  # a function stub carries its own marker
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    lines.append(f"{target.id} = ...")
                elif isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
                    names = ", ".join(e.id for e in target.elts)
                    lines.append(f"{names} = {', '.join('...' for _ in target.elts)}")
        elif isinstance(node, ast.FunctionDef):
            first = node.body[0]
            start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
            header = source[start : first.lineno - 1]
            indent = " " * first.col_offset
            if keep_docstrings and ast.get_docstring(node, clean=False) is not None:
                header += source[first.lineno - 1 : first.end_lineno]
            lines += header + [f"{indent}{PLACEHOLDER}", f"{indent}return ..."]
    stubbed, result = set(), []
    for line in lines:  # a name assigned twice (built up, then converted) is stubbed once
        is_stub_line = line.endswith("= ...") or ("=" in line and line.endswith(", ..."))
        if is_stub_line and not line.startswith(" "):
            if line in stubbed:
                continue
            stubbed.add(line)
        result.append(line)
    return "\n".join(result)


def stub_cell_source(source: str) -> str:
    """Replace every ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` block in a cell's source."""
    out, block, indent, keep = [], None, "", False
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped in (BEGIN, KEEP_DOCSTRING):
            if block is not None:
                raise ValueError(f"line {number}: nested {BEGIN}")
            block, indent, keep = [], line[: len(line) - len(line.lstrip())], stripped == KEEP_DOCSTRING
        elif stripped == END:
            if block is None:
                raise ValueError(f"line {number}: {END} without {BEGIN}")
            stub = stub_code("\n".join(block), keep_docstrings=keep)
            out += [indent + stub_line if stub_line else "" for stub_line in stub.splitlines()]
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(out)


def make_exercise_notebook(solution, titles: dict[str, str] | None = None):
    """Return the exercise notebook made from a solution notebook (a copy; the input is unchanged).

    ``titles`` maps section labels to readable names (:func:`augreg.checks.myst.section_titles` of the
    repository's lessons by default).
    """
    from augreg.checks.myst import plain_text, section_titles

    titles = section_titles() if titles is None else titles
    notebook = copy.deepcopy(solution)
    cells, retitled = [], False
    for cell in notebook.cells:
        tags = list(cell.metadata.get("tags", []))
        if SOLUTION_TAG in tags:
            if cell.cell_type == "markdown" and re.search(r"^#{1,6} ", cell.source, re.MULTILINE):
                heading = re.search(r"^#{1,6} .*$", cell.source, re.MULTILINE).group(0)
                raise ValueError(
                    f"the solution-only text cell that contains the heading {heading!r} would drop "
                    "that heading from the exercises: put a '+++' line before the heading"
                )
            continue  # worked explanations and solution-only checks
        if cell.cell_type == "code" and BEGIN in cell.source:
            cell.source = stub_cell_source(cell.source)
        if cell.cell_type == "markdown" and not retitled and cell.source.lstrip().startswith("# "):
            cell.source = cell.source.replace("Solutions", "Exercises", 1)
            retitled = True
        if cell.cell_type == "markdown":
            cell.source = plain_text(cell.source, titles)
        cells.append(cell)
    for index, cell in enumerate(cells):  # stable ids: regenerating changes nothing
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        cell["id"] = f"c{index:02d}-{digest}"
    notebook.cells = cells
    return notebook


def exercise_texts(solution_md: Path) -> dict[str, str]:
    """Return ``{".md": text, ".ipynb": text}`` of the exercise pair for one solution file."""
    import jupytext
    from jupytext.config import load_jupytext_config

    from augreg.checks.myst import section_titles

    config = load_jupytext_config(str(Path(solution_md).resolve().parent))  # the repository's jupytext.toml
    solution = jupytext.read(solution_md, config=config)
    if not any(cell.cell_type == "code" for cell in solution.cells):
        raise ValueError(f"{solution_md} has no code cells: is its jupytext (MyST) header missing?")
    exercise = make_exercise_notebook(solution, section_titles(Path(solution_md).resolve().parents[1] / "lessons"))
    ipynb = jupytext.writes(exercise, fmt="ipynb") + "\n"  # as `jupytext --sync` writes it
    # (written first: writing the .md adds jupytext's metadata filters to the notebook in place)
    return {".md": jupytext.writes(exercise, fmt="md:myst", config=config), ".ipynb": ipynb}


def generate(solutions_dir: Path, exercises_dir: Path, *, check: bool = False, only=None) -> list[Path]:
    """Write (or with ``check=True`` only compare) ``exercises/`` from ``solutions/``.

    ``only``: set numbers (``["11"]``) to regenerate; every set by default.
    Returns the paths that were written (or that are out of date).
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    sources = sorted(solutions_dir.glob("[0-9][0-9]-*.md"))
    if only:
        sources = [path for path in sources if path.name[:2] in set(only)]
    if not sources:
        raise FileNotFoundError(f"no solution notebooks (NN-slug.md) in {solutions_dir}")
    changed = []
    for solution_md in sources:
        for suffix, text in exercise_texts(solution_md).items():
            target = exercises_dir / solution_md.with_suffix(suffix).name
            if target.exists() and target.read_text(encoding="utf-8") == text:
                continue
            changed.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return changed


#: Constants too common to give anything away when they survive in an exercise.
TRIVIAL_CONSTANTS = {0, 1, -1, 2, None, ""}


def _solution_blocks(source: str) -> list[tuple[str, bool]]:
    """The code of each solution block in a cell's source, with whether it keeps docstrings."""
    blocks, block, keep = [], None, False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped in (BEGIN, KEEP_DOCSTRING):
            block, keep = [], stripped == KEEP_DOCSTRING
        elif stripped == END and block is not None:
            blocks.append((textwrap.dedent("\n".join(block)), keep))
            block = None
        elif block is not None:
            block.append(line)
    return blocks


def _tokens(code: str) -> tuple[set[str], set]:
    """(identifiers, constants) of Python code; IPython magics and shell lines are skipped."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set(re.findall(r"[A-Za-z_]\w*", code)), set()
    names, constants = set(), set()
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(getattr(node.body[0], "value", None), ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            if isinstance(node.value, str) and len(node.value) < 2:
                continue
            if node.value not in TRIVIAL_CONSTANTS or isinstance(node.value, str):
                constants.add(node.value)
    return names, constants


def _bound_names(code: str) -> set[str]:
    """Names a block binds at its top level (what is still defined after it runs; locals of its functions
    and comprehensions are not)."""
    bound = set()

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(code))
    return bound - {"_"}


def _stub_names(stub: str) -> set[str]:
    """The names a stub keeps: assigned names, function names and their parameters."""
    names = set()
    for node in ast.walk(ast.parse(stub)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def _surviving_loop_variables(code: str) -> set[str]:
    """Targets of top-level ``for`` loops that are still bound after the cell (not deleted)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    alive = set()
    for node in tree.body:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            alive |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name) and n.id != "_"}
        elif isinstance(node, ast.Delete):
            alive -= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return alive


def _without_blocks(source: str) -> str:
    """A cell's source without its solution blocks (what the exercise shows of it, stubs aside)."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() in (BEGIN, KEEP_DOCSTRING):
            inside = True
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def find_leaks(solution, exercise=None) -> list[str]:
    """What of the solution still shows in the exercise notebook made from it; empty when nothing leaks.

    For every ``# BEGIN SOLUTION`` block of ``solution`` (a notebook):

    * a name the block binds, other than the stub's own names, that any exercise code cell uses (it would
      be a NameError, or it is set by a visible cell and gives the answer away);
    * a constant of the block (a number other than 0, 1, -1, 2; a string) that survives in the stub;
    * an identifier the block's body uses that survives in the stub's text (a stub name or docstring that
      says how: ``synonyms_at`` when the body calls ``synonyms``), unless the exercise's text names it;
    * a kept docstring counts as text the author chose to show (``# BEGIN SOLUTION keep-docstring``).

    and, in every code cell the exercise shows, a top-level loop variable that outlives its loop (the last
    value of a loop over the arms or answers is a live variable a learner can print): ``del`` it.
    """
    exercise = make_exercise_notebook(solution) if exercise is None else exercise
    code_cells = [cell.source for cell in exercise.cells if cell.cell_type == "code"]
    used_in_exercise = set().union(*(_tokens(code)[0] for code in code_cells)) if code_cells else set()
    visible = [cell.source for cell in exercise.cells if cell.cell_type == "markdown"]
    visible += [
        _without_blocks(cell.source)
        for cell in solution.cells
        if cell.cell_type == "code" and SOLUTION_TAG not in cell.metadata.get("tags", [])
    ]
    prose_words = {word.lower() for word in re.findall(r"[A-Za-z]+", " ".join(visible).replace("_", " "))}
    problems = []
    for cell in solution.cells:
        if cell.cell_type != "code" or SOLUTION_TAG in cell.metadata.get("tags", []):
            continue
        for block, keep in _solution_blocks(cell.source):
            stub = stub_code(block, keep_docstrings=keep)
            keep_names = _stub_names(stub)
            first_line = block.strip().splitlines()[0] if block.strip() else ""
            where = f"the solution block starting {first_line[:50]!r}"
            for name in sorted(_bound_names(block) - keep_names):
                if name in used_in_exercise:
                    problems.append(f"{where}: `{name}` is bound inside it and used by the exercise's code")
            names, constants = _tokens(block)
            stub_names, stub_constants = _tokens(stub)
            for constant in sorted(map(repr, constants & stub_constants)):
                problems.append(f"{where}: the constant {constant} survives in the stub")
            body_words = {w.lower() for n in names - keep_names for w in n.split("_") if len(w) >= 4}
            stub_words = {w.lower() for w in re.findall(r"[A-Za-z]+", " ".join(sorted(keep_names)).replace("_", " "))}
            if not keep:
                for word in sorted((stub_words & body_words) - prose_words):
                    problems.append(
                        f"{where}: the stub's names contain {word!r}, which its body uses: name the stub neutrally"
                    )
    for code in code_cells:
        for name in sorted(_surviving_loop_variables(code)):
            problems.append(f"a loop variable `{name}` outlives its loop in a cell the exercise shows: `del` it")
    return problems


def pilot(number: str, bases: list[int], solutions_dir: Path = Path("solutions"), *, timeout: int = 600) -> list[dict]:
    """Run solution notebook ``number`` once per pilot base seed; return what its checks recorded.

    Each run executes the notebook in a fresh kernel with ``AUGREG_SEED=<base>`` and
    ``AUGREG_PILOT_LOG`` set, so every :func:`augreg.checks.evidence.record_pilot` call of its checks
    appends a row ``{"exercise", "seed", <numbers>}``.
    """
    import json
    import os
    import tempfile

    import jupytext
    from nbclient import NotebookClient

    from augreg.seeds import FIRST_PILOT_SEED

    matches = sorted(Path(solutions_dir).glob(f"{number}-*.md"))
    if len(matches) != 1:
        raise FileNotFoundError(f"no single solution notebook {number}-*.md in {solutions_dir}")
    if any(base < FIRST_PILOT_SEED for base in bases):
        raise ValueError(f"pilot bases start at {FIRST_PILOT_SEED}: lower bases are the suite's")
    rows = []
    saved = {key: os.environ.get(key) for key in ("AUGREG_SEED", "AUGREG_PILOT_LOG")}
    try:
        for base in bases:
            with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as log:
                os.environ.update(AUGREG_SEED=str(base), AUGREG_PILOT_LOG=log.name)
                notebook = jupytext.read(matches[0])
                NotebookClient(
                    notebook,
                    timeout=timeout,
                    kernel_name="python3",
                    resources={"metadata": {"path": str(matches[0].parent)}},
                ).execute()
                rows += [json.loads(line) for line in log.read().splitlines() if line.strip()]
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m augreg_tools.exercises [--check] [--only NN ...] [--solutions DIR] [--exercises DIR]``,
    or ``python -m augreg_tools.exercises pilot NN --bases 100 101 ...``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["pilot"]:
        parser = argparse.ArgumentParser(
            prog="python -m augreg_tools.exercises pilot", description="run a solution notebook on pilot base seeds"
        )
        parser.add_argument("number", help="the set's two digits, e.g. 01")
        parser.add_argument("--bases", type=int, nargs="+", default=[100, 101, 102, 103])
        parser.add_argument("--solutions", type=Path, default=Path("solutions"))
        args = parser.parse_args(argv[1:])
        for row in pilot(args.number, args.bases, args.solutions):
            numbers = ", ".join(f"{k} {v:.3f}" for k, v in row.items() if k not in ("exercise", "seed"))
            print(f"exercise {row['exercise']}, seed {row['seed']}: {numbers}")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=Path, default=Path("solutions"))
    parser.add_argument("--exercises", type=Path, default=Path("exercises"))
    parser.add_argument("--check", action="store_true", help="only report exercise files that are out of date")
    parser.add_argument("--only", nargs="+", metavar="NN", help="only these sets (e.g. --only 05 11)")
    args = parser.parse_args(argv)
    changed = generate(args.solutions, args.exercises, check=args.check, only=args.only)
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path}")
    if not changed:
        print("exercises/ is up to date with solutions/")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
