"""book/_ext/execution_cache.py: the fingerprint, the guard that empties a stale cache, and storing
what nbval executed so that the book finds it (the same key myst-nb computes)."""

import execution_cache as ec  # the root conftest.py puts book/_ext on the path (the notebooks store into it)
import pytest


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "src" / "augreg").mkdir(parents=True)
    (tmp_path / "src" / "augreg" / "data.py").write_text("N = 1\n")
    (tmp_path / "requirements.txt").write_text("keras==3.15.1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    return tmp_path


def test_fingerprint_follows_the_package_the_requirements_and_the_seed(repo, monkeypatch):
    monkeypatch.delenv("AUGREG_SEED", raising=False)
    first = ec.inputs_fingerprint(repo)
    assert ec.inputs_fingerprint(repo) == first
    monkeypatch.setenv("AUGREG_SEED", "0")
    assert ec.inputs_fingerprint(repo) == first  # unset and 0 are the same seed
    monkeypatch.setenv("AUGREG_SEED", "1")
    assert ec.inputs_fingerprint(repo) != first
    monkeypatch.delenv("AUGREG_SEED")
    (repo / "src" / "augreg" / "data.py").write_text("N = 2\n")
    second = ec.inputs_fingerprint(repo)
    assert second != first
    (repo / "requirements.txt").write_text("keras==3.16.0\n")
    assert ec.inputs_fingerprint(repo) != second


def test_a_stale_cache_is_emptied_and_a_fresh_one_kept(tmp_path):
    cache = tmp_path / "cache"
    assert ec.ensure_fresh_cache(cache, "a") is False  # nothing to empty
    (cache / "executed").mkdir()
    assert ec.ensure_fresh_cache(cache, "a") is False and (cache / "executed").is_dir()
    assert ec.ensure_fresh_cache(cache, "b") is True
    assert not (cache / "executed").exists() and (cache / ec.STAMP).read_text().strip() == "b"


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


def test_stored_outputs_are_found_under_the_key_the_book_computes(tmp_path):
    from jupyter_cache import get_cache

    md = tmp_path / "page.md"
    md.write_text(NOTEBOOK)
    outputs = [[], [{"output_type": "stream", "name": "stdout", "text": "2\n"}]]
    assert ec.store_executed_notebook(tmp_path / "cache", md, outputs, 1.5)
    cache = get_cache(str(tmp_path / "cache"))
    record = cache.match_cache_notebook(ec.read_book_notebook(md))  # what myst-nb does on a build
    assert record.data == {"execution_seconds": 1.5}
    _, merged = cache.merge_match_into_notebook(ec.read_book_notebook(md))
    code = [cell for cell in merged.cells if cell.cell_type == "code"]
    assert code[1].outputs[0]["text"] == "2\n" and code[1].execution_count == 2
    # an edited code cell is another key: the book would execute it afresh
    md.write_text(NOTEBOOK.replace("print(x + 1)", "print(x + 2)"))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(ec.read_book_notebook(md))


def test_a_value_hidden_by_a_semicolon_stays_hidden(tmp_path):
    """nbval runs cells without history, so IPython shows the value of `plot(...);`: the store drops it."""
    from jupyter_cache import get_cache

    md = tmp_path / "page.md"
    md.write_text(NOTEBOOK.replace("print(x + 1)", "x + 1;"))
    value = {"output_type": "execute_result", "data": {"text/plain": "2"}, "metadata": {}, "execution_count": 1}
    figure = {"output_type": "display_data", "data": {"text/plain": "<Figure>"}, "metadata": {}}
    assert ec.store_executed_notebook(tmp_path / "cache", md, [[], [value, figure]], 1.0)
    _, merged = get_cache(str(tmp_path / "cache")).merge_match_into_notebook(ec.read_book_notebook(md))
    outputs = [cell.outputs for cell in merged.cells if cell.cell_type == "code"][1]
    assert [o["output_type"] for o in outputs] == ["display_data"]


def test_outputs_that_do_not_line_up_are_not_stored(tmp_path):
    md = tmp_path / "page.md"
    md.write_text(NOTEBOOK)
    assert ec.store_executed_notebook(tmp_path / "cache", md, [[]], 1.0) is False
    assert not (tmp_path / "cache").exists()
