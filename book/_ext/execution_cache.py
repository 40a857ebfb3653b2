"""Keep the book's execution cache honest, whoever fills it and however the book is built.

myst-nb's cache (``execute_notebooks: cache``) is keyed on a notebook's code
cells only. The outputs also depend on what the code imports and on how it is
run: the helper package ``src/augreg``, the pinned ``requirements.txt`` and
``pyproject.toml``, and the ``AUGREG_SEED`` the lessons read. This module
fingerprints those inputs and

* as a Sphinx extension (``local_extensions`` in ``_config.yml``), wipes the
  execution cache when the fingerprint changed since the cache was filled, and
  makes Sphinx re-read every page (the pickled pages hold the old outputs);
  so ``jupyter-book build .``, ``make book`` and ``make test`` are all safe;
* from ``conftest.py``, lets the test suite store each notebook that nbval has
  just executed in the same cache (:func:`store_executed_notebook`), so the
  book build that follows reuses those outputs instead of running every
  notebook a second time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

#: The file in the cache folder that records the fingerprint the cache was filled under.
STAMP = "augreg-inputs.sha256"
#: What the outputs depend on besides the notebooks' own code (relative to the repository root).
INPUT_FILES = ("requirements.txt", "pyproject.toml")
INPUT_FOLDERS = ("src/augreg",)


def inputs_fingerprint(root: Path) -> str:
    """SHA-256 of ``src/augreg/**/*.py``, ``requirements.txt``, ``pyproject.toml`` and ``AUGREG_SEED``."""
    root = Path(root)
    digest = hashlib.sha256()
    files = [root / name for name in INPUT_FILES]
    for folder in INPUT_FOLDERS:
        files += sorted((root / folder).rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    seed = os.environ.get("AUGREG_SEED", "").strip() or "0"
    digest.update(f"AUGREG_SEED={seed}".encode())
    return digest.hexdigest()


def ensure_fresh_cache(cache_dir: Path, fingerprint: str) -> bool:
    """Empty ``cache_dir`` if it was filled under another fingerprint; return whether it was emptied."""
    cache_dir = Path(cache_dir)
    stamp = cache_dir / STAMP
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return False
    wiped = cache_dir.exists() and any(p.name != STAMP for p in cache_dir.iterdir())
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint + "\n")
    return wiped


def read_book_notebook(md_path: Path):
    """Read a MyST notebook exactly as the book does (myst-nb's reader), so that cache keys match."""
    from myst_nb.core.read import read_myst_markdown_notebook

    md_path = Path(md_path)
    return read_myst_markdown_notebook(md_path.read_text("utf8"), add_source_map=True, path=str(md_path))


def store_executed_notebook(cache_dir: Path, md_path: Path, outputs: list[list[dict]], seconds: float) -> bool:
    """Store the outputs of an executed notebook in the book's cache, keyed as the book will look it up.

    Args:
        cache_dir: the book's jupyter-cache folder.
        md_path: the notebook's MyST source (``lessons/NN-slug.md``).
        outputs: one list of nbformat outputs per code cell, in order (from nbval).
        seconds: how long the execution took (shown in the book's execution table).

    Returns:
        True when stored; False when the code cells do not line up with the source (nothing stored).
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    notebook = read_book_notebook(md_path)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if len(code_cells) != len(outputs):
        return False
    from IPython.core.displayhook import DisplayHook

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
    cache = get_cache(str(cache_dir))
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(Path(md_path).resolve()), data={"execution_seconds": float(seconds)}),
        check_validity=False,
        overwrite=True,
    )
    return True


# --- the Sphinx extension -------------------------------------------------------------------


def _cache_dir(app) -> Path:
    configured = getattr(app.config, "nb_execution_cache_path", "") or "_build/.jupyter_cache"
    path = Path(configured)
    return path if path.is_absolute() else Path(app.srcdir) / path


def _on_config_inited(app, config):
    app.augreg_fingerprint = inputs_fingerprint(Path(app.srcdir))
    if ensure_fresh_cache(_cache_dir(app), app.augreg_fingerprint):
        from sphinx.util import logging

        logging.getLogger(__name__).info(
            "augreg, requirements or AUGREG_SEED changed: execution cache emptied, every notebook runs again"
        )


def _on_env_get_outdated(app, env, added, changed, removed):
    """Re-read every page when the fingerprint differs from the one the pickled pages were built under."""
    if getattr(env, "augreg_fingerprint", None) == app.augreg_fingerprint:
        return []
    env.augreg_fingerprint = app.augreg_fingerprint
    return sorted(env.found_docs - set(added) - set(changed) - set(removed))


def setup(app):
    app.connect("config-inited", _on_config_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
