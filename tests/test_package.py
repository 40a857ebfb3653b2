"""The shape of src/: each module says what it owns, no private name crosses a module, few tiny modules."""

import ast

import pytest

from tests.conftest import ROOT

SOURCES = sorted(p for package in ("augreg", "augreg_tools") for p in (ROOT / "src" / package).rglob("*.py"))
#: Top-level augreg modules allowed to stay under MIN_LINES, with the reason.
SMALL_MODULES = {"seeds": "imported by name by the claims ledger and the records runner"}
MIN_LINES = 60


def _ids(paths):
    return [str(p.relative_to(ROOT / "src")) for p in paths]


@pytest.mark.parametrize("path", SOURCES, ids=_ids(SOURCES))
def test_each_module_says_what_it_owns_in_its_first_line(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and doc.splitlines()[0].strip(), f"{path.name}: the first docstring line says what the module owns"


@pytest.mark.parametrize("path", SOURCES, ids=_ids(SOURCES))
def test_no_private_name_is_imported_across_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("augreg")):
            private = [alias.name for alias in node.names if alias.name.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {node.module}: make it public or move it"


def test_few_modules_are_tiny():
    """A module of a few lines is a job that belongs in a neighbour (the house stays easy to see)."""
    small = {
        p.stem: n
        for p in (ROOT / "src" / "augreg").glob("*.py")
        if p.name != "__init__.py" and (n := len(p.read_text(encoding="utf-8").splitlines())) < MIN_LINES
    }
    assert set(small) <= set(SMALL_MODULES), f"modules under {MIN_LINES} lines: {small}"
