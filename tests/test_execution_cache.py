"""book/_ext/execution_cache.py: per-notebook fingerprints, stamped records, nbval's results reused.

A small repository is laid out in a temporary folder: its runtime package, its check modules, its
records, a lesson and two exercise sets, and a ``_config.yml`` that names the cache folder.
"""

import jupytext
import pytest

import execution_cache as ec  # the root conftest.py puts book/_ext on the path (the notebooks store into it)

NOTEBOOK = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---

# A page

```{code-cell} ipython3
:tags: [remove-cell]

x = 1
```

Some text.

```{code-cell} ipython3
print(x + 1)
```
"""
OUTPUTS = [[], [{"output_type": "stream", "name": "stdout", "text": "2\n"}]]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.delenv("AUGREG_SEED", raising=False)
    files = {
        "_config.yml": "execute:\n  cache: _build/.jupyter_cache\n",
        "src/augreg/data.py": "N = 1\n",
        "src/augreg/checks/__init__.py": "SHARED = 1\n",
        "src/augreg/checks/lesson04.py": "A = 4\n",
        "src/augreg/checks/lesson05.py": "A = 5\n",
        "records/pilots/05-x.json": '{"runs": []}\n',
        "lessons/05-x.md": NOTEBOOK,
        "exercises/05-x.md": NOTEBOOK,
        "exercises/04-y.md": NOTEBOOK,
        "book/about.md": "# Not a notebook\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def _fingerprints(repo):
    return {
        name: ec.notebook_fingerprint(repo, repo / name)
        for name in ("lessons/05-x.md", "exercises/05-x.md", "exercises/04-y.md")
    }


def _executed(repo, name):
    """The notebook nbval would run: the .md's pair, as jupytext writes it."""
    return jupytext.read(repo / name)


def test_the_cache_folder_is_the_one_setting_of_config_yml(repo):
    assert ec.cache_dir(repo) == repo / "_build" / ".jupyter_cache"
    assert ec.is_notebook(repo / "lessons/05-x.md") and not ec.is_notebook(repo / "book/about.md")


def test_fingerprints_follow_the_runtime_package_the_records_the_checks_and_the_seed(repo, monkeypatch):
    first = _fingerprints(repo)
    assert _fingerprints(repo) == first
    (repo / "src/augreg/data.py").write_text("N = 2\n")  # the runtime package: every notebook
    second = _fingerprints(repo)
    assert all(second[name] != first[name] for name in first)
    (repo / "src/augreg/checks/lesson05.py").write_text("A = 55\n")  # a check: its own set, never a lesson
    third = _fingerprints(repo)
    assert third["exercises/05-x.md"] != second["exercises/05-x.md"]
    assert third["lessons/05-x.md"] == second["lessons/05-x.md"]
    assert third["exercises/04-y.md"] == second["exercises/04-y.md"]
    (repo / "src/augreg/checks/__init__.py").write_text("SHARED = 2\n")  # shared checks: every set
    fourth = _fingerprints(repo)
    assert fourth["lessons/05-x.md"] == third["lessons/05-x.md"]
    assert fourth["exercises/04-y.md"] != third["exercises/04-y.md"]
    (repo / "records/pilots/05-x.json").write_text('{"runs": [1]}\n')  # what the ledger reads: the lesson
    fifth = _fingerprints(repo)
    assert fifth["lessons/05-x.md"] != fourth["lessons/05-x.md"]
    assert fifth["exercises/05-x.md"] == fourth["exercises/05-x.md"]
    monkeypatch.setenv("AUGREG_SEED", "0")
    assert _fingerprints(repo) == fifth  # unset and 0 are the same seed
    monkeypatch.setenv("AUGREG_SEED", "1")
    assert all(value != fifth[name] for name, value in _fingerprints(repo).items())


def test_fingerprints_follow_the_installed_packages_and_python(repo, monkeypatch):
    assert len(ec.environment_fingerprint()) == 64  # a SHA-256 of sys.version and every distribution
    first = ec.notebook_fingerprint(repo, repo / "lessons/05-x.md")
    monkeypatch.setattr(ec, "environment_fingerprint", lambda: "another keras")
    assert ec.notebook_fingerprint(repo, repo / "lessons/05-x.md") != first


def test_stored_outputs_are_found_under_the_key_the_book_computes(repo):
    from jupyter_cache import get_cache

    md = repo / "lessons/05-x.md"
    assert ec.store_executed_notebook(repo, md, _executed(repo, "lessons/05-x.md"), OUTPUTS, 1.5)
    cache = get_cache(str(ec.cache_dir(repo)))
    record = cache.match_cache_notebook(ec.read_book_notebook(md))  # what myst-nb does on a build
    assert record.data == {"execution_seconds": 1.5, "executed_by": "nbval"}
    _, merged = cache.merge_match_into_notebook(ec.read_book_notebook(md))
    code = [cell for cell in merged.cells if cell.cell_type == "code"]
    assert code[1].outputs[0]["text"] == "2\n" and code[1].execution_count == 2
    assert ec.nbval_record(repo, md, _executed(repo, "lessons/05-x.md")).pk == record.pk
    # an edited code cell is another key: the book would execute it afresh, and nbval too
    md.write_text(NOTEBOOK.replace("print(x + 1)", "print(x + 2)"))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(ec.read_book_notebook(md))
    assert ec.nbval_record(repo, md) is None


def test_a_mismatched_pair_cannot_fill_the_cache(repo):
    """nbval ran an .ipynb whose code differs from the .md's (same number of cells): nothing is stored."""
    md = repo / "lessons/05-x.md"
    stale_pair = jupytext.reads(NOTEBOOK.replace("print(x + 1)", "print(x - 1)"), fmt="md:myst")
    assert ec.store_executed_notebook(repo, md, stale_pair, OUTPUTS, 1.0) is False
    assert not ec.cache_dir(repo).exists() or not list(ec.cache_dir(repo).rglob("*.ipynb"))
    assert ec.nbval_record(repo, md) is None
    assert ec.store_executed_notebook(repo, md, _executed(repo, "lessons/05-x.md"), [[]], 1.0) is False  # too few


def test_a_stored_result_is_reused_only_while_its_fingerprint_holds(repo):
    lesson, exercise = repo / "lessons/05-x.md", repo / "exercises/05-x.md"
    for md in (lesson, exercise):
        # the two notebooks have the same code: the record of the later one replaces the earlier's
        assert ec.store_executed_notebook(repo, md, _executed(repo, str(md.relative_to(repo))), OUTPUTS, 1.0)
    assert ec.nbval_record(repo, exercise) is not None
    (repo / "src/augreg/checks/lesson05.py").write_text("A = 55\n")
    assert ec.nbval_record(repo, exercise) is None  # the check changed: set 05 runs again
    assert ec.remove_stale_records(repo) == [str(exercise.resolve())]
    assert ec.remove_stale_records(repo) == []


def test_checks_never_rerun_a_lesson(repo):
    lesson = repo / "lessons/05-x.md"
    assert ec.store_executed_notebook(repo, lesson, _executed(repo, "lessons/05-x.md"), OUTPUTS, 1.0)
    (repo / "src/augreg/checks/lesson05.py").write_text("A = 55\n")
    (repo / "src/augreg/checks/__init__.py").write_text("SHARED = 2\n")
    assert ec.remove_stale_records(repo) == [] and ec.nbval_record(repo, lesson) is not None
    (repo / "src/augreg/data.py").write_text("N = 3\n")
    assert ec.remove_stale_records(repo) == [str(lesson.resolve())]


def test_records_the_book_made_are_stamped_and_unstamped_ones_removed(repo):
    """myst-nb stores what it executed itself: the build's end stamps those records; a record nobody
    stamped (a build that stopped half-way) is removed at the next start; neither counts as nbval's."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    md = repo / "lessons/05-x.md"
    ec.cache_dir(repo).mkdir(parents=True)
    cache = get_cache(str(ec.cache_dir(repo)))
    bundle = CacheBundleIn(ec.read_book_notebook(md), str(md), data={"execution_seconds": 2.0})
    cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    assert ec.stamp_new_records(repo) == 1 and ec.stamp_new_records(repo) == 0
    assert ec.remove_stale_records(repo) == []
    assert ec.nbval_record(repo, md) is None  # executed by the book, not by nbval
    (ec.cache_dir(repo) / ec.STAMPS).write_text("{}")
    assert ec.remove_stale_records(repo) == [str(md)]


def test_a_value_hidden_by_a_semicolon_stays_hidden(repo):
    """nbval runs cells without history, so IPython shows the value of `plot(...);`: the store drops it."""
    from jupyter_cache import get_cache

    md = repo / "lessons/05-x.md"
    md.write_text(NOTEBOOK.replace("print(x + 1)", "x + 1;"))
    value = {"output_type": "execute_result", "data": {"text/plain": "2"}, "metadata": {}, "execution_count": 1}
    figure = {"output_type": "display_data", "data": {"text/plain": "<Figure>"}, "metadata": {}}
    assert ec.store_executed_notebook(repo, md, _executed(repo, "lessons/05-x.md"), [[], [value, figure]], 1.0)
    _, merged = get_cache(str(ec.cache_dir(repo))).merge_match_into_notebook(ec.read_book_notebook(md))
    outputs = [cell.outputs for cell in merged.cells if cell.cell_type == "code"][1]
    assert [o["output_type"] for o in outputs] == ["display_data"]
