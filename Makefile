# The course's commands. `make book` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
BOOK_FLAGS := -W -n --keep-going

.PHONY: help venv book test check chromium lab exercises sync pilots seeds clean

help:
	@echo "make book       build the HTML book into _build/html (creates .venv on first use)"
	@echo "make test       the whole suite (what CI runs): unit tests, every notebook under nbval,"
	@echo "                the book build, the browser tests of the book and of JupyterLab"
	@echo "make check      the quick tier: unit and consistency tests, no notebook kernels (< 1 min)"
	@echo "make lab        copy the exercises into work/ (first time only) and open JupyterLab there"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make sync       re-pair every .md notebook with its .ipynb (jupytext --sync)"
	@echo "make pilots     run lessons on pilot bases (100+) and record what each claim measured"
	@echo "                (records/pilots/; LESSON=05 BASES='100 101 102' to choose)"
	@echo "make seeds      run lessons on fresh held-out bases nobody has used and record whether"
	@echo "                each claim held (records/heldout/; LESSON=05 N=2 to choose)"
	@echo "make clean      remove _build (the execution cache included)"

# The environment is rebuilt only when requirements.txt or pyproject.toml change.
# In a git checkout it also installs the authors' guard: a git filter (nbstripout)
# that strips outputs from every .ipynb that is staged, so none reaches a commit.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  $(BIN)/nbstripout --install && \
	  git config filter.nbstripout.clean "'$(CURDIR)/$(BIN)/python' -m nbstripout --keep-id"; fi
	@touch $(STAMP)

venv: $(STAMP)

# The execution cache is kept honest by book/_ext/execution_cache.py: a change to
# src/augreg, requirements.txt, pyproject.toml or AUGREG_SEED empties it, however
# the book is built. `make test` fills it with what nbval executed (conftest.py),
# so no notebook runs twice.
book: $(STAMP)
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo
	@echo "The book is ready: open file://$(CURDIR)/_build/html/index.html"

test: $(STAMP) chromium
	$(BIN)/python -m pytest --durations=25

check: $(STAMP)
	$(BIN)/python -m pytest tests -m "not book and not lab" -q

# The browser tests drive Debian's Chromium (Playwright cannot download its own
# browser offline). Installed with apt-get when missing; elsewhere they skip
# locally with a message, and fail under CI.
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

# JupyterLab on working copies of the exercises (work/, git-ignored): saving never
# touches a tracked file. --allow-root is added only when you are root.
lab: $(STAMP)
	$(BIN)/python -m augreg.lab --exercises exercises --work work

exercises: $(STAMP)
	$(BIN)/python -m augreg.exercises

sync: $(STAMP)
	$(BIN)/jupytext --sync lessons/*.md solutions/*.md
	$(BIN)/python -m augreg.exercises

# Claims as data (CONTRIBUTING.md, section 6): pilots choose bounds, held-out bases test them.
# Both run the lesson notebooks and write what every claim measured to records/.
pilots: $(STAMP)
	$(BIN)/python -m augreg_tools.records pilots $(if $(LESSON),--lessons $(LESSON)) $(if $(BASES),--bases $(BASES))

seeds: $(STAMP)
	$(BIN)/python -m augreg_tools.records seeds $(if $(LESSON),--lessons $(LESSON)) $(if $(N),--n $(N))

clean:
	rm -rf _build
