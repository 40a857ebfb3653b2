# The course's commands. `make book` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
BOOK_FLAGS := -W -n --keep-going

.PHONY: help venv book test chromium lab exercises sync seeds clean

help:
	@echo "make book       build the HTML book into _build/html (creates .venv on first use)"
	@echo "make test       run the whole test suite: unit tests, every notebook (nbval), the book build"
	@echo "make lab        open the notebooks in JupyterLab"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make sync       re-pair every .md notebook with its .ipynb (jupytext --sync)"
	@echo "make seeds      rerun the lessons' hidden checks with seeds 1 and 2"
	@echo "make clean      remove _build (the execution cache included)"

# The environment is rebuilt only when requirements.txt or pyproject.toml change.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

# The execution cache is keyed on the notebooks' code only: when the helper
# package changes, executed outputs may be stale, so the cache (and the parsed
# pages that hold its outputs) is dropped and every notebook runs again.
AUGREG_SOURCES := $(shell find src/augreg -name '*.py' 2>/dev/null)
CACHE_STAMP := _build/.augreg-sources
$(CACHE_STAMP): $(AUGREG_SOURCES)
	rm -rf _build/.jupyter_cache _build/.doctrees
	@mkdir -p _build && touch $@

book: $(STAMP) $(CACHE_STAMP)
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo
	@echo "The book is ready: open file://$(CURDIR)/_build/html/index.html"

test: $(STAMP) $(CACHE_STAMP) chromium
	$(BIN)/python -m pytest --durations=15

# The browser test drives Debian's Chromium (Playwright cannot download its own
# browser offline). Installed with apt-get when missing; elsewhere the test skips
# locally with a message, and fails under CI.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium for the browser test"; \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium not found and apt-get unavailable: the browser test will be skipped"; \
	  fi; }

# JupyterLab from .venv; a double-click on a MyST .md opens it as a notebook (jupytext).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
lab: $(STAMP)
	@mkdir -p $(LAB_SETTINGS)
	@echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}}}' > $(LAB_SETTINGS)/overrides.json
	$(BIN)/jupyter lab --notebook-dir=.

exercises: $(STAMP)
	$(BIN)/python -m augreg.exercises

sync: $(STAMP)
	$(BIN)/jupytext --sync lessons/*.md solutions/*.md
	$(BIN)/python -m augreg.exercises

seeds: $(STAMP)
	AUGREG_SEED=1 $(BIN)/python -m pytest lessons -q
	AUGREG_SEED=2 $(BIN)/python -m pytest lessons -q

clean:
	rm -rf _build
