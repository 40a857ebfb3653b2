"""Dependencies: pyproject.toml declares exactly what the packages import, the lock pins it, one Python range.

* ``[project.dependencies]`` is what ``src/augreg`` imports (the runtime: what lessons, exercises and
  solutions need), and the ``authoring`` extra holds what ``src/augreg_tools`` imports besides;
* ``requirements.lock`` pins every declared package (and what they need), and ``requirements.txt``, which
  ``make`` installs, installs the lock and the package with every extra;
* the Python versions are stated once, as ``requires-python``.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FIRST_PARTY = {"augreg", "augreg_tools"}


def _name(requirement: str) -> str:
    """The normalized distribution name of a requirement such as ``keras>=3,<4``."""
    return re.sub(r"[-_.]+", "-", re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)).lower()


def _imported_distributions(package: str) -> dict[str, set[str]]:
    """{distribution: modules of ``src/<package>`` that import it} for every third-party import.

    Data read from inside a wheel (``importlib.resources.files("vaderSentiment")``) counts as an import.
    """
    modules_to_dists = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "files"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value.split(".")[0])
        for name in names - FIRST_PARTY - set(sys.stdlib_module_names):
            dists = modules_to_dists.get(name)
            assert dists, f"{path.relative_to(ROOT)} imports {name!r}, which no installed distribution provides"
            for dist in dists:
                found.setdefault(_name(dist), set()).add(str(path.relative_to(ROOT / "src")))
    return found


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {_name(name): version for name, version in re.findall(r"^([A-Za-z0-9][\w.-]*)==(\S+)", text, re.M)}


def test_the_runtime_dependencies_are_exactly_what_augreg_imports():
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    imported = _imported_distributions("augreg")
    assert not set(imported) - declared, {d: imported[d] for d in set(imported) - declared}
    assert not declared - set(imported), f"declared but imported by no module of src/augreg: {declared - set(imported)}"


def test_the_authoring_extra_covers_what_augreg_tools_imports():
    runtime = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    authoring = {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["authoring"]}
    imported = _imported_distributions("augreg_tools")
    missing = set(imported) - runtime - authoring
    assert not missing, {d: imported[d] for d in missing}
    assert "jupytext" not in runtime, "jupytext is an authoring tool, not a runtime dependency"


def test_the_lock_pins_every_declared_package():
    locked = _locked()
    declared = [
        *PYPROJECT["project"]["dependencies"],
        *(r for extra in PYPROJECT["project"]["optional-dependencies"].values() for r in extra),
    ]
    missing = sorted({_name(r) for r in declared} - set(locked))
    assert not missing, f"declared in pyproject.toml but not pinned in requirements.lock (`make lock`): {missing}"
    assert len(locked) > 100, "the lock pins the dependencies of dependencies too"


def test_requirements_txt_installs_the_lock_and_the_package_with_every_extra():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    extras = ",".join(sorted(PYPROJECT["project"]["optional-dependencies"]))
    assert lines == ["-r requirements.lock", f"-e .[{extras}]"], lines


@pytest.mark.parametrize("name", ["README.md", "book/setup.md", "Makefile", ".ci/run"])
def test_the_python_range_is_stated_once(name):
    """requires-python in pyproject.toml is the one statement; the others refer to it."""
    spec = PYPROJECT["project"]["requires-python"]
    assert re.fullmatch(r">=3\.\d+(\.\d+)?,<3\.\d+", spec), spec
    text = (ROOT / name).read_text(encoding="utf-8")
    stated = re.findall(r"\bPython 3\.\d+(?:\.\d+)?(?:\s*(?:-|to|or|and)\s*3\.\d+)?", text)
    assert not stated, f"{name} states a Python version ({stated}): point to requires-python in pyproject.toml"


def test_this_interpreter_is_in_the_range():
    spec = PYPROJECT["project"]["requires-python"]
    low, high = (tuple(int(p) for p in v.split(".")) for v in re.findall(r"[\d.]+", spec))
    assert low <= sys.version_info[: len(low)] and sys.version_info[: len(high)] < high, (spec, sys.version)
