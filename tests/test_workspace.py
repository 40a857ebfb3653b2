"""augreg_tools.lab: working copies of the exercises, JupyterLab settings and command line (no browser)."""

import json
import os
import shutil

import pytest

from augreg_tools.lab import LAB_OVERRIDES, lab_command, main, prepare_workspace, write_lab_settings
from tests.conftest import ROOT


def _exercises(tmp_path):
    folder = tmp_path / "exercises"
    folder.mkdir()
    for name in ("01-a.ipynb", "01-a.md", "02-b.ipynb", "02-b.md"):
        (folder / name).write_text(f"original {name}")
    (folder / "README.txt").write_text("not an exercise")
    return folder


def test_workspace_copies_each_exercise_once_and_never_overwrites_answers(tmp_path):
    exercises, work = _exercises(tmp_path), tmp_path / "work"
    copied = prepare_workspace(exercises, work)
    assert sorted(p.name for p in copied) == ["01-a.ipynb", "02-b.ipynb"]  # no .md twins
    assert sorted(p.name for p in work.iterdir() if not p.name.startswith(".")) == ["01-a.ipynb", "02-b.ipynb"]
    (work / "01-a.ipynb").write_text("the learner's answers")
    (work / "02-b.ipynb").unlink()  # deleting a copy starts that exercise afresh
    again = prepare_workspace(exercises, work)
    assert [p.name for p in again] == ["02-b.ipynb"]
    assert (work / "01-a.ipynb").read_text() == "the learner's answers"
    assert not (work / "README.txt").exists()


def test_saving_in_the_workspace_writes_no_paired_markdown(tmp_path):
    """The repository pairs every notebook with a .md (jupytext.toml); JupyterLab's jupytext contents
    manager, rooted in work/, does not see that file and saves the notebook alone."""
    import nbformat
    from jupytext import TextFileContentsManager

    exercises = tmp_path / "exercises"
    exercises.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = ...")]), exercises / "01-a.ipynb")
    work = ROOT / "_build" / "workspace-test"  # inside the repository, under its jupytext.toml
    shutil.rmtree(work, ignore_errors=True)
    prepare_workspace(exercises, work)
    manager = TextFileContentsManager(root_dir=str(work))
    model = manager.get("01-a.ipynb")
    model["content"].cells[0].source = "x = 42"
    manager.save(model, "01-a.ipynb")
    assert sorted(p.name for p in work.iterdir() if not p.name.startswith(".")) == ["01-a.ipynb"]
    assert "x = 42" in (work / "01-a.ipynb").read_text()
    shutil.rmtree(work)


def test_workspace_rejects_bad_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="no exercise notebooks"):
        prepare_workspace(tmp_path, tmp_path / "work")
    exercises = _exercises(tmp_path)
    with pytest.raises(ValueError, match="must not be the exercises folder"):
        prepare_workspace(exercises, exercises)


def test_lab_settings_open_markdown_as_notebooks_and_stay_offline(tmp_path):
    target = write_lab_settings(tmp_path)
    assert target == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(target.read_text())
    assert settings == LAB_OVERRIDES
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_lab_command_allows_root_only_for_root(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    as_root = lab_command(tmp_path, ip="127.0.0.1", port=8888, token="t", open_browser=False)
    assert "--allow-root" in as_root
    assert {
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=8888",
        "--IdentityProvider.token=t",
        "--no-browser",
        f"--ServerApp.root_dir={tmp_path}",
    } <= set(as_root)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    as_user = lab_command(tmp_path)
    assert "--allow-root" not in as_user and "--no-browser" not in as_user
    assert as_user[1] == "lab" and as_user[0].endswith("jupyter")


def test_prepare_only_from_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("augreg_tools.lab.write_lab_settings", lambda: tmp_path / "overrides.json")
    exercises, work = _exercises(tmp_path), tmp_path / "work"
    assert main(["--exercises", str(exercises), "--work", str(work), "--prepare-only"]) == 0
    assert "2 exercise notebooks copied" in capsys.readouterr().out
    assert (work / "02-b.ipynb").read_text() == "original 02-b.ipynb"


def test_a_read_only_environment_only_costs_the_markdown_viewer(tmp_path, monkeypatch, capsys):
    def read_only():
        raise PermissionError(13, "Permission denied", "overrides.json")

    monkeypatch.setattr("augreg_tools.lab.write_lab_settings", read_only)
    exercises, work = _exercises(tmp_path), tmp_path / "work"
    assert main(["--exercises", str(exercises), "--work", str(work), "--prepare-only"]) == 0
    said = capsys.readouterr().out
    assert "could not write JupyterLab settings" in said
    assert (work / "01-a.ipynb").is_file()
