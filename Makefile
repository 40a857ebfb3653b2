# The course's commands. `make book` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
BOOK_FLAGS := -W -n --keep-going
NOTEBOOKS := lessons exercises solutions

.PHONY: help python venv book notebooks test check lint chromium lab exercises sync lock pilots seeds clean

help:
	@echo "make book       run every notebook under nbval that has no stored result yet, then build the"
	@echo "                HTML book into _build/html from those results (creates .venv on first use)"
	@echo "make test       the whole suite (what CI runs): unit tests, every notebook under nbval (reusing"
	@echo "                the results make book stored), the book build, the browser tests"
	@echo "make check      the quick tier: ruff, unit and consistency tests, no notebook kernels"
	@echo "make lab        copy the exercises into work/ (first time only) and open JupyterLab there"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make sync       re-pair every .md notebook with its .ipynb (jupytext --sync)"
	@echo "make lock       refresh requirements.lock from pyproject.toml (UPGRADE=1: newest versions)"
	@echo "make pilots     run lessons on pilot bases (100+) and record what each claim measured"
	@echo "                (records/pilots/; LESSON=05 BASES='100 101 102' to choose)"
	@echo "make seeds      run lessons on fresh held-out bases nobody has used and record whether"
	@echo "                each claim held (records/heldout/; LESSON=05 N=2 to choose)"
	@echo "make clean      remove _build (the execution cache included)"

# The Python versions the course runs on are stated once, as requires-python in pyproject.toml.
define CHECK_PYTHON
import re, sys
spec = re.search(r'^requires-python = "([^"]+)"', open("pyproject.toml").read(), re.M).group(1)
compare = {">=": tuple.__ge__, "<=": tuple.__le__, ">": tuple.__gt__, "<": tuple.__lt__, "==": tuple.__eq__}
for clause in spec.split(","):
    op, version = re.fullmatch(r"\s*(>=|<=|==|>|<)\s*([\d.]+)\s*", clause).groups()
    want = tuple(int(part) for part in version.split("."))
    if not compare[op](tuple(sys.version_info[: len(want)]), want):
        sys.exit(f"Python {sys.version.split()[0]} ({sys.executable}) is not in requires-python {spec!r} "
                 "of pyproject.toml: run `make PYTHON=/path/to/python3.11 ...` (and `rm -rf .venv` if .venv "
                 "was made with it)")
endef
export CHECK_PYTHON

python:
	@$(PYTHON) -c "$$CHECK_PYTHON"

# The environment is rebuilt only when the lock, requirements.txt or pyproject.toml change.
# requirements.txt installs requirements.lock (every version pinned) and this package with its extras.
# In a git checkout it also sets up the authors' guard: .gitattributes sends every staged .ipynb through
# nbstripout (a git filter, run from the repository root), so no output reaches a commit.
$(STAMP): requirements.txt requirements.lock pyproject.toml
	@$(PYTHON) -c "$$CHECK_PYTHON"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c "$$CHECK_PYTHON"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean "$(BIN)/python -m nbstripout --keep-id" && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required true && \
	  git config diff.ipynb.textconv "$(BIN)/python -m nbstripout -t"; fi
	@touch $(STAMP)

venv: $(STAMP)

# Each notebook is executed once, under nbval (the course's test contract): the root conftest.py stores
# what passed in the book's execution cache with its fingerprint, and skips a notebook whose stored
# result still holds. So `make book` then `make test`, or the other way round, runs each notebook once.
# The budget items (<notebook>::budget) are left to `make test`: a slow machine still gets its book.
notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NOTEBOOKS) -q -k "not budget"

book: notebooks
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo
	@echo "The book is ready: open file://$(CURDIR)/_build/html/index.html"

test: $(STAMP) chromium
	$(BIN)/python -m pytest --durations=25

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint
	$(BIN)/python -m pytest tests -m "not book and not lab and not slow" -q

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
	$(BIN)/python -m augreg_tools.lab --exercises exercises --work work

exercises: $(STAMP)
	$(BIN)/python -m augreg_tools.exercises

sync: $(STAMP)
	$(BIN)/jupytext --sync lessons/*.md solutions/*.md
	$(BIN)/python -m augreg_tools.exercises

# requirements.lock pins every package (uv pip compile of pyproject.toml and its extras, for the Python
# in .venv). It keeps the pinned versions and only adds or drops what pyproject.toml changed; UPGRADE=1
# moves everything to the newest versions, which may move the course's numbers: rerun `make test`
# and `make pilots` after it.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra authoring --extra book --extra test \
	  --python $(BIN)/python --custom-compile-command "make lock" --quiet \
	  $(if $(UPGRADE),--upgrade) -o requirements.lock

# Claims as data (CONTRIBUTING.md, section 6): pilots choose bounds, held-out bases test them.
# Both run the lesson notebooks and write what every claim measured to records/.
pilots: $(STAMP)
	$(BIN)/python -m augreg_tools.records pilots $(if $(LESSON),--lessons $(LESSON)) $(if $(BASES),--bases $(BASES))

seeds: $(STAMP)
	$(BIN)/python -m augreg_tools.records seeds $(if $(LESSON),--lessons $(LESSON)) $(if $(N),--n $(N))

clean:
	rm -rf _build
