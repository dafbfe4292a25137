# The two commands of the README, and the benchmark. Everything installs into .venv, from the lock
# files (exact versions with their hashes): `make lock` rewrites them after pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint audit bench install install-dev lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --require-hashes: a package whose bytes differ from the ones locked is refused, whatever the index
# serves; --no-deps and --no-build-isolation: nothing is fetched that the lock does not list
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(DEV_STAMP): $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
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

# known vulnerabilities in every locked package, from the package index's advisory data (PyPI)
audit: $(DEV_STAMP)
	$(BIN)/python .ci/audit.py $(DEV_LOCK)

# rewrite the lock files from pyproject.toml, keeping the versions already locked where they still fit;
# `make lock UPGRADE=1` moves every package to its newest release (then run `make test`)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet 'pip-tools>=7.4'
	$(call compile,$(LOCK),)
	$(call compile,$(DEV_LOCK),--extra dev)

# SCALE: the requests loaded (100,000 by default; 1000000 for the aims of docs/performance.md)
SCALE ?= 100000
bench: $(DEV_STAMP)
	FOI_BENCH_POSTGRES_URL=$${FOI_BENCH_POSTGRES_URL-postgresql+asyncpg://postgres@127.0.0.1:5432/foi_bench} $(BIN)/python -m bench --scale $(SCALE)

clean:
	rm -rf $(VENV) var .pytest_cache

# PyPI only (this machine's extra local indexes are not where a fresh install looks), and no index
# address in the file: the hashes are what is checked
define compile
	PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --build-deps-for editable $(if $(UPGRADE),--upgrade) $(2) -o $(1) pyproject.toml
endef
