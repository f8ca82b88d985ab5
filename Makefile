# HOPEful: one command per workflow. `make demo` and `make test` set everything up first.
ifndef PYTHON
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-wide lint types imports pytest e2e bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "HOPEful needs Python 3.11 or newer (python3 --version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## demo: set up, load demo data into ./var/hopeful.sqlite3 and serve on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/hopeful demo

## test: lint, format check, types, import contracts, then the whole test suite
test: lint types imports pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-wide: the property tests with a long random search (not deterministic: a separate job)
test-wide: $(STAMP)
	HYPOTHESIS_PROFILE=wide $(BIN)/python -m pytest -q tests/stats tests/framework tests/web/insights tests/web/network tests/web/surveys
	HYPOTHESIS_PROFILE=wide HOPEFUL_API_FUZZ_EXAMPLES=300 $(BIN)/python -m pytest -q tests/web/api/test_schemathesis.py

## e2e: only the browser tests (Debian's chromium)
e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e

## bench: the scoring benchmark (not a test); --write-readme records the numbers
bench: $(STAMP)
	$(BIN)/python bench/score_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
