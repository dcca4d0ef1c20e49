# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make serve   build the site and decks for every language, serve them, rebuild on change
#   make test    install what the tests need and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# Reproducible output: dates come from the last commit, never from "now".
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site check test test-fast bench system-deps clean

serve: $(STAMP)
	$(BIN)/teachforward serve

site: $(STAMP)
	$(BIN)/teachforward build

check: $(STAMP)
	$(BIN)/teachforward check

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# Build benchmark on a synthetic course (scripts/bench.py --help): writes bench-results.json
bench: $(STAMP) system-deps
	$(BIN)/python scripts/bench.py

system-deps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

clean:
	rm -rf site build
