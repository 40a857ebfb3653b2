"""The execution cache shared by nbval and the book: each notebook runs once, and no output outlives its inputs.

myst-nb's cache (``execute_notebooks: cache``, a jupyter-cache folder) matches a notebook by its code
cells alone. What a notebook prints also depends on what it imports and reads, so every cached record
is stamped with its notebook's *fingerprint*, and a record whose fingerprint no longer holds is removed
before anyone reads the cache. A notebook's fingerprint covers:

* the runtime package: every module of ``src/augreg`` except the exercise checks (``checks/``);
* for a lesson, the claims records the ledger reads while it runs
  (``records/pilots/<slug>.json``, ``records/heldout/<slug>.json``);
* for an exercise or solution set NN, the shared check modules and ``checks/lessonNN.py`` (so editing a
  check re-runs its own set and never a lesson);
* the Python version, every installed distribution and its version, and ``AUGREG_SEED``.

Who fills the cache:

* the test suite (the root ``conftest.py``): a notebook that passed under nbval is stored with its
  outputs (:func:`store_executed_notebook`), marked as nbval's, only when the code cells nbval ran are the
  ``.md``'s, cell by cell; while that record's fingerprint holds, nbval does not run the notebook again
  (:func:`nbval_record`). ``make book`` runs nbval first, so either order of ``make book`` and
  ``make test`` executes each notebook once;
* the book build (myst-nb), for a notebook nobody has stored: this module is also a Sphinx extension
  (``local_extensions`` in ``_config.yml``) that removes stale records when the build starts, stamps the
  records the build made when it ends, and has Sphinx re-read the pages whose fingerprint changed.

The cache folder is ``execute.cache`` in ``_config.yml``, the one setting for its path
(:func:`cache_dir`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from pathlib import Path

#: The file in the cache folder that maps each record (its hashkey) to the fingerprint it was made under.
STAMPS = "augreg-fingerprints.json"
#: The folders of notebooks, and what a notebook's fingerprint covers besides the runtime package.
LESSONS, EXERCISES, SOLUTIONS = "lessons", "exercises", "solutions"
RUNTIME = "src/augreg"
CHECKS = "src/augreg/checks"
#: What ``data["executed_by"]`` says of a record stored from a notebook that passed under nbval.
NBVAL = "nbval"


def cache_dir(root: Path) -> Path:
    """The cache folder: ``execute.cache`` in ``<root>/_config.yml`` (the one setting), absolute."""
    import yaml

    config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    path = Path(config["execute"]["cache"])
    return path if path.is_absolute() else Path(root) / path


def is_notebook(md_path: Path) -> bool:
    """Whether a Markdown file is a MyST notebook (a jupytext header with a kernel)."""
    head = Path(md_path).read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "kernelspec:" in head.split("\n---", 1)[0]


@functools.lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """SHA-256 of the Python version and of every installed distribution with its version."""
    from importlib.metadata import distributions

    installed = sorted({f"{d.metadata['Name']}=={d.version}".lower() for d in distributions() if d.metadata["Name"]})
    return hashlib.sha256("\n".join([sys.version, *installed]).encode()).hexdigest()


def notebook_inputs(root: Path, md_path: Path) -> list[Path]:
    """The files besides its own code that a notebook's outputs depend on (see the module docstring)."""
    root, md_path = Path(root), Path(md_path)
    checks = root / CHECKS
    files = sorted(p for p in (root / RUNTIME).rglob("*.py") if checks not in p.parents)
    folder, slug = md_path.parent.name, md_path.stem
    if folder == LESSONS:
        files += [root / "records" / kind / f"{slug}.json" for kind in ("pilots", "heldout")]
    elif folder in (EXERCISES, SOLUTIONS):
        number = slug[:2]
        files += sorted(
            p for p in checks.rglob("*.py") if not re.fullmatch(r"lesson\d\d", p.stem) or p.stem == f"lesson{number}"
        )
    return files


def notebook_fingerprint(root: Path, md_path: Path) -> str:
    """SHA-256 of what a notebook's outputs depend on besides its code (see the module docstring)."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in notebook_inputs(root, md_path):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    seed = os.environ.get("AUGREG_SEED", "").strip() or "0"
    digest.update(f"AUGREG_SEED={seed}\0{environment_fingerprint()}".encode())
    return digest.hexdigest()


def read_book_notebook(md_path: Path):
    """Read a MyST notebook exactly as the book does (myst-nb's reader), so that cache keys match."""
    from myst_nb.core.read import read_myst_markdown_notebook

    md_path = Path(md_path)
    return read_myst_markdown_notebook(md_path.read_text("utf8"), add_source_map=True, path=str(md_path))


def code_sources(notebook) -> list[str]:
    """The source of each code cell of a notebook, stripped of surrounding blank space."""
    return [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code"]


def _stamps(cache) -> dict[str, str]:
    path = Path(cache.path) / STAMPS
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _save_stamps(cache, stamps: dict[str, str]) -> None:
    (Path(cache.path) / STAMPS).write_text(json.dumps(stamps, indent=0, sort_keys=True), encoding="utf-8")


def _fingerprint_of_record(root: Path, record, memo: dict) -> str | None:
    md_path = Path(record.uri)
    if md_path.suffix != ".md" or not md_path.is_file():
        return None
    if md_path not in memo:
        memo[md_path] = notebook_fingerprint(root, md_path)
    return memo[md_path]


def remove_stale_records(root: Path, directory: Path | None = None) -> list[str]:
    """Remove every record whose notebook's fingerprint differs from the one it was stamped with.

    A record with no stamp (the build that made it stopped before stamping it) and a record of a
    notebook that no longer exists are removed too. Returns the URIs of the removed records.
    """
    from jupyter_cache import get_cache

    directory = cache_dir(root) if directory is None else Path(directory)
    if not directory.exists():
        return []
    cache = get_cache(str(directory))
    stamps, memo, removed = _stamps(cache), {}, []
    for record in cache.list_cache_records():
        current = _fingerprint_of_record(Path(root), record, memo)
        if current is None or stamps.get(record.hashkey) != current:
            cache.remove_cache(record.pk)
            stamps.pop(record.hashkey, None)
            removed.append(record.uri)
    _save_stamps(
        cache, {key: value for key, value in stamps.items() if key in {r.hashkey for r in cache.list_cache_records()}}
    )
    return removed


def stamp_new_records(root: Path, directory: Path | None = None) -> int:
    """Stamp each record that has no stamp yet with its notebook's current fingerprint; return how many."""
    from jupyter_cache import get_cache

    directory = cache_dir(root) if directory is None else Path(directory)
    if not directory.exists():
        return 0
    cache = get_cache(str(directory))
    stamps, memo, count = _stamps(cache), {}, 0
    for record in cache.list_cache_records():
        if record.hashkey not in stamps:
            current = _fingerprint_of_record(Path(root), record, memo)
            if current is not None:
                stamps[record.hashkey] = current
                count += 1
    _save_stamps(cache, stamps)
    return count


def store_executed_notebook(
    root: Path, md_path: Path, executed, outputs: list[list[dict]], seconds: float, directory: Path | None = None
) -> bool:
    """Store what nbval executed in the cache, keyed as the book will look it up, stamped and marked nbval's.

    Args:
        root: the repository root.
        md_path: the notebook's MyST source (``lessons/NN-slug.md``).
        executed: the notebook nbval ran (its ``.ipynb``), to compare with the source.
        outputs: one list of nbformat outputs per code cell, in order (from nbval).
        seconds: how long the execution took (shown in the book's execution table).
        directory: the cache folder (by default :func:`cache_dir`).

    Returns:
        True when stored; False when the code cells nbval ran are not the ``.md``'s, cell by cell (a pair
        out of sync), or not one output list per code cell: then nothing is stored.
    """
    import nbformat
    from IPython.core.displayhook import DisplayHook
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    root, md_path = Path(root), Path(md_path).resolve()
    notebook = read_book_notebook(md_path)
    if code_sources(notebook) != code_sources(executed) or len(outputs) != len(code_sources(notebook)):
        return False
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for count, (cell, cell_outputs) in enumerate(zip(code_cells, outputs), start=1):
        cell.outputs = [nbformat.from_dict(dict(output)) for output in cell_outputs]
        if DisplayHook.semicolon_at_end_of_expression(cell.source):
            # nbval runs cells with store_history=False, so IPython cannot see the ';' that hides a
            # cell's value (it reads the cell from the history); drop that value as a normal run would
            cell.outputs = [output for output in cell.outputs if output.get("output_type") != "execute_result"]
        cell.execution_count = count
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = count
    directory = cache_dir(root) if directory is None else Path(directory)
    remove_stale_records(root, directory)
    cache = get_cache(str(directory))
    fingerprint = notebook_fingerprint(root, md_path)
    record = cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(md_path), data={"execution_seconds": float(seconds), "executed_by": NBVAL}),
        check_validity=False,
        overwrite=True,
    )
    stamps = _stamps(cache)
    stamps[record.hashkey] = fingerprint
    _save_stamps(cache, stamps)
    return True


def nbval_record(root: Path, md_path: Path, executed=None, directory: Path | None = None):
    """The cache record of a notebook that passed under nbval with today's code and fingerprint, or None.

    ``executed``, the notebook nbval would run (its ``.ipynb``), must have the ``.md``'s code cells.
    """
    from jupyter_cache import get_cache

    root, md_path = Path(root), Path(md_path).resolve()
    directory = cache_dir(root) if directory is None else Path(directory)
    if not directory.exists() or not md_path.is_file():
        return None
    notebook = read_book_notebook(md_path)
    if executed is not None and code_sources(notebook) != code_sources(executed):
        return None
    cache = get_cache(str(directory))
    try:
        record = cache.match_cache_notebook(notebook)
    except KeyError:
        return None
    if (record.data or {}).get("executed_by") != NBVAL:
        return None
    if _stamps(cache).get(record.hashkey) != notebook_fingerprint(root, md_path):
        return None
    return record


# --- the Sphinx extension -------------------------------------------------------------------


def _notebook_docs(app, docnames) -> dict[str, Path]:
    paths = {}
    for docname in docnames:
        path = Path(app.env.doc2path(docname))
        if path.suffix == ".md" and path.is_file() and is_notebook(path):
            paths[docname] = path
    return paths


def _on_config_inited(app, config):
    removed = remove_stale_records(Path(app.srcdir), _cache_dir(app))
    if removed:
        from sphinx.util import logging

        logging.getLogger(__name__).info(
            f"execution cache: {len(removed)} record(s) whose inputs changed were removed; their notebooks run again"
        )


def _on_env_get_outdated(app, env, added, changed, removed):
    """Re-read the pages whose fingerprint differs from the one they were last read under."""
    seen = getattr(env, "augreg_fingerprints", {})
    outdated = []
    for docname, path in _notebook_docs(app, env.found_docs - set(added) - set(changed) - set(removed)).items():
        if seen.get(docname) != notebook_fingerprint(Path(app.srcdir), path):
            outdated.append(docname)
    return sorted(outdated)


def _on_env_updated(app, env):
    env.augreg_fingerprints = {
        docname: notebook_fingerprint(Path(app.srcdir), path)
        for docname, path in _notebook_docs(app, env.found_docs).items()
    }


def _on_build_finished(app, exception):
    stamp_new_records(Path(app.srcdir), _cache_dir(app))


def _cache_dir(app) -> Path:
    path = Path(app.config.nb_execution_cache_path)
    return path if path.is_absolute() else Path(app.srcdir) / path


def setup(app):
    app.connect("config-inited", _on_config_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-updated", _on_env_updated)
    app.connect("build-finished", _on_build_finished)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
