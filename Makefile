# The two commands of the README, and the benchmark. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/foi db upgrade
	$(BIN)/foi demo-data --if-empty
	$(BIN)/foi serve --host $(HOST) --port $(PORT)

test: $(DEV_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the checks that keep the code as it is: ruff's lint rules and format, mypy over app/ (pyproject.toml)
lint: $(DEV_STAMP)
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/mypy

bench: $(DEV_STAMP)
	FOI_BENCH_POSTGRES_URL=$${FOI_BENCH_POSTGRES_URL-postgresql+asyncpg://postgres@127.0.0.1:5432/foi_bench} $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
