"""The notebooks' budgets: one table in pyproject.toml, and a budget for every notebook."""

import importlib.util

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)

NOTEBOOKS = sorted(p for folder in ("lessons", "exercises", "solutions") for p in (ROOT / folder).glob("*.ipynb"))


@pytest.mark.parametrize(
    "notebook, seconds",
    [
        ("lessons/01-overfitting.ipynb", 60),
        ("lessons/04-dropout.ipynb", 60),
        ("lessons/05-side-by-side.ipynb", 150),
        ("lessons/06-photos.ipynb", 120),
        ("lessons/07-text.ipynb", 60),
        ("lessons/08-modern-augmentation.ipynb", 90),
        ("lessons/09-regularization-toolbox.ipynb", 90),
        ("lessons/10-decay-batchnorm-ensembles.ipynb", 90),
        ("lessons/11-where-they-meet.ipynb", 60),
        ("exercises/01-overfitting.ipynb", 45),
        ("exercises/05-side-by-side.ipynb", 60),
        ("solutions/05-side-by-side.ipynb", 60),
        ("solutions/09-regularization-toolbox.ipynb", 45),
    ],
)
def test_the_table_gives_each_notebook_its_budget(notebook, seconds):
    assert root_conftest.budget_for(notebook) == seconds


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_every_notebook_has_a_budget(notebook):
    assert root_conftest.budget_for(notebook) > 0


def test_the_factor_is_stated_and_moderate():
    assert 1 < root_conftest.BUDGET_FACTOR <= 2
