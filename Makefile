# Frontline developer tasks. `make check` is exactly what CI (.ci/run) runs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Interpreter used to create the virtualenv: python3.11 when present, else python3.
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
# The test fixtures create (and drop) their own throwaway databases through this server URL.
FRONTLINE_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
# mypy refuses an empty directory, so bench/ is checked only once it holds scripts.
BENCH_SCRIPTS := $(sort $(wildcard bench/*.py))
MYPY_PATHS := src tests $(if $(BENCH_SCRIPTS),bench)
VENDOR_DIR := src/frontline/web/static/vendor

.PHONY: help install demo lint test bench check vendor clean

# help: list the targets.
help:
	@echo "make install | demo | lint | test | bench | check | vendor | clean"

# install: create .venv and install frontline[dev] with the pinned versions (only when inputs change).
install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -c constraints.txt -e '.[dev]'
	touch $@

# demo: run the demo (seeded data, local server).
demo: install
	$(BIN)/frontline demo

# lint: ruff lint, ruff formatting check and mypy --strict (configured in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(MYPY_PATHS)

# test: lint, then the whole pytest suite (SQLite, PostgreSQL and browser tests in one run).
test: install lint
	FRONTLINE_TEST_POSTGRES_URL='$(FRONTLINE_TEST_POSTGRES_URL)' $(BIN)/python -m pytest

# bench: run every bench/*.py in turn.
bench: install
	@for script in $(BENCH_SCRIPTS); do echo "== $$script"; $(BIN)/python "$$script"; done

# check: what CI runs.
check: test

# vendor: install the pinned front-end packages with npm and copy them into the package's static files.
vendor:
	if [ -f package-lock.json ]; then npm ci; else npm install; fi
	mkdir -p $(VENDOR_DIR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR_DIR)/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR_DIR)/pico.min.css
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR_DIR)/chart.umd.min.js

# clean: remove the virtualenv, local data (var/), node_modules and caches.
clean:
	rm -rf $(VENV) var node_modules .mypy_cache .ruff_cache .pytest_cache .hypothesis test-results
	rm -rf src/*.egg-info
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
