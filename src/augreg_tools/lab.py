"""Open the exercises in JupyterLab on working copies, so that saving never touches tracked files.

``make lab`` runs ``python -m augreg_tools.lab``, which

1. copies every exercise notebook (``exercises/NN-slug.ipynb``) into the git-ignored folder ``work/``,
   the first time only: a copy that exists already holds the learner's answers and is never overwritten
   (delete it to start an exercise afresh). Only the ``.ipynb`` is copied, so the folder shows each
   exercise once; saving writes no ``.md`` twin (JupyterLab's jupytext contents manager looks for a
   ``jupytext.toml`` only inside its root, ``work/``, so the repository's pairing does not apply there);
2. starts JupyterLab in ``work/``, with ``--allow-root`` only when the user is root (every container,
   many cloud notebooks), offline (no news, no extension listing), each notebook's own kernel started
   without a dialog.

``git status`` stays clean whatever the learner saves.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

#: JupyterLab settings override. News fetching is off: the course runs offline. Every cell stays in the
#: page (no windowing), so a long notebook scrolls like a document; the notebook's own kernel (Python 3
#: from .venv) starts without a "Select Kernel" dialog.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
}


def prepare_workspace(exercises: Path, work: Path) -> list[Path]:
    """Copy the exercise notebooks (``.ipynb``) into ``work``, keeping copies that exist.

    Args:
        exercises: the folder of generated exercise notebooks.
        work: the learner's working folder (created if missing).

    Returns:
        The notebooks copied this time (empty when every copy existed already).
    """
    exercises, work = Path(exercises), Path(work)
    sources = sorted(exercises.glob("[0-9][0-9]-*.ipynb"))
    if not sources:
        raise FileNotFoundError(f"no exercise notebooks in {exercises}")
    if work.resolve() == exercises.resolve():
        raise ValueError("the working folder must not be the exercises folder itself")
    work.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sources:
        target = work / source.name
        if not target.exists():
            shutil.copy2(source, target)
            copied.append(target)
    return copied


def write_lab_settings(prefix: Path = Path(sys.prefix)) -> Path:
    """Write :data:`LAB_OVERRIDES` to ``<prefix>/share/jupyter/lab/settings/overrides.json``."""
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(LAB_OVERRIDES, indent=2) + "\n", encoding="utf-8")
    return target


def lab_command(
    work: Path, *, ip: str | None = None, port: int | None = None, token: str | None = None, open_browser: bool = True
) -> list[str]:
    """The ``jupyter lab`` command line for ``work``: ``--allow-root`` only when running as root."""
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        f"--ServerApp.root_dir={Path(work)}",
        "--LabApp.extension_manager=readonly",
    ]  # offline: no extension listing from PyPI
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if ip is not None:
        command.append(f"--ServerApp.ip={ip}")
    if port is not None:
        command.append(f"--ServerApp.port={int(port)}")
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        command.append("--no-browser")
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", type=Path, default=Path("exercises"))
    parser.add_argument("--work", type=Path, default=Path("work"))
    parser.add_argument("--prepare-only", action="store_true", help="copy the notebooks, do not start JupyterLab")
    args = parser.parse_args(argv)
    copied = prepare_workspace(args.exercises, args.work)
    try:
        write_lab_settings()
    except OSError as exc:  # e.g. a shared, read-only environment: JupyterLab still works
        print(
            f"note: could not write JupyterLab settings ({exc}); JupyterLab may ask which kernel to start "
            "and show its news panel"
        )
    print(f"{len(copied)} exercise notebooks copied into {args.work}/ (existing copies kept: they hold your answers)")
    if args.prepare_only:
        return 0
    command = lab_command(args.work)
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    raise SystemExit(main())
