# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make serve   build the site and decks for every language, serve them, rebuild on change
#   make test    install what the tests need, lint, type-check and run the whole suite
# Libraries are installed at the exact versions of constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# Reproducible output: dates come from the last commit, never from "now".
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: serve site check test test-fast lint bench system-deps constraints clean

serve: $(STAMP)
	$(BIN)/teachforward serve

site: $(STAMP)
	$(BIN)/teachforward build

check: $(STAMP)
	$(BIN)/teachforward check

# Everything, with every system tool: a missing one fails (scripts/install-system-deps.sh names
# it), and so does any skip not marked @pytest.mark.skip_allowed (tests/conftest.py).
test: $(STAMP) system-deps lint
	TEACHFORWARD_NO_SKIPS=1 $(BIN)/python -m pytest

# Without the real course's builds, the browser and the system tools (a missing tool skips).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# ruff (pyflakes, pycodestyle, bugbear, isort, pyupgrade) and mypy (strict for content/): pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy

# Build benchmark on a synthetic course (scripts/bench.py --help): writes bench-results.json
bench: $(STAMP) system-deps
	$(BIN)/python scripts/bench.py

system-deps:
	@bash scripts/install-system-deps.sh

# constraints.txt from what is installed now (after a change to pyproject.toml's dependencies)
constraints: $(STAMP)
	@{ sed -n '/^#/p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable --all | grep -iv '^\(pip\|setuptools\|wheel\)=='; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

clean:
	rm -rf site build bench-results.json
