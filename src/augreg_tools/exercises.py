"""Generate the exercise notebooks from the solution notebooks.

Solutions are written once, in ``solutions/``. Learner code lies between
``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines; cells tagged ``solution``
(worked explanations, the hidden "all checks passed" guard) appear in the
solutions only. The generator replaces the marked code with a runnable stub:

* ``name = <expression>`` becomes ``name = ...``;
* ``def f(args): <body>`` keeps its signature and docstring, and its body
  becomes ``return ...``;
* every other statement (loops, calls) is dropped;

and a ``# YOUR CODE HERE`` line marks the place (inside the function, for a
function stub). The title's "Solutions" becomes "Exercises". Run
``python -m augreg_tools.exercises`` (or ``make exercises``) after editing a
solution; ``--check`` only reports what is out of date.
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


def stub_code(code: str) -> str:
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
            if ast.get_docstring(node, clean=False) is not None:
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
    out, block, indent = [], None, ""
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if block is not None:
                raise ValueError(f"line {number}: nested {BEGIN}")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if block is None:
                raise ValueError(f"line {number}: {END} without {BEGIN}")
            out += [indent + stub_line if stub_line else "" for stub_line in stub_code("\n".join(block)).splitlines()]
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(out)


def make_exercise_notebook(solution):
    """Return the exercise notebook made from a solution notebook (a copy; the input is unchanged)."""
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

    config = load_jupytext_config(str(Path(solution_md).resolve().parent))  # the repository's jupytext.toml
    solution = jupytext.read(solution_md, config=config)
    if not any(cell.cell_type == "code" for cell in solution.cells):
        raise ValueError(f"{solution_md} has no code cells: is its jupytext (MyST) header missing?")
    exercise = make_exercise_notebook(solution)
    ipynb = jupytext.writes(exercise, fmt="ipynb") + "\n"  # as `jupytext --sync` writes it
    # (written first: writing the .md adds jupytext's metadata filters to the notebook in place)
    return {".md": jupytext.writes(exercise, fmt="md:myst", config=config), ".ipynb": ipynb}


def generate(solutions_dir: Path, exercises_dir: Path, *, check: bool = False) -> list[Path]:
    """Write (or with ``check=True`` only compare) ``exercises/`` from ``solutions/``.

    Returns the paths that were written (or that are out of date).
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    sources = sorted(solutions_dir.glob("[0-9][0-9]-*.md"))
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


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m augreg_tools.exercises [--check] [--solutions DIR] [--exercises DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=Path, default=Path("solutions"))
    parser.add_argument("--exercises", type=Path, default=Path("exercises"))
    parser.add_argument("--check", action="store_true", help="only report exercise files that are out of date")
    args = parser.parse_args(argv)
    changed = generate(args.solutions, args.exercises, check=args.check)
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path}")
    if not changed:
        print("exercises/ is up to date with solutions/")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
