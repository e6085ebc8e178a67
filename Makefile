# The two commands in the README: `make run` and `make test`. Both create or reuse .venv, install the locked
# packages (requirements-dev.txt) and this package, editable, so `.venv/bin/dashboard` runs the checkout's code.
# `make test-fast` runs the unit and AppTest tiers only; `make lint` runs ruff; `make lock` re-resolves the locks.
# `make bench` (minutes) and `make bench-quick` (under two) run the benchmarks in bench/, never part of `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MIN_PYTHON := 3.11
# One line on an older Python (as requires-python in pyproject.toml), not pip's page of resolver errors. Checked
# when the recipe below is expanded, so only when .venv is (re)made; `make clean` works on any Python.
PYTHON_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHON_OK = $(shell $(PYTHON) -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null)
LOCK := $(PY) -m uv pip compile pyproject.toml --universal --python-version $(MIN_PYTHON) --generate-hashes \
	--custom-compile-command "make lock" --quiet

.PHONY: run test test-fast lint lock build clean bench bench-quick

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	$(if $(filter True,$(PYTHON_OK)),,$(error The dashboard needs Python $(MIN_PYTHON) or newer; $(PYTHON) is \
		$(or $(PYTHON_VERSION),missing). Try: make PYTHON=python3.12 $(MAKECMDGOALS)))
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

build: $(STAMP)
	$(VENV)/bin/dashboard build --if-stale

run: build
	$(VENV)/bin/dashboard serve

test: $(STAMP)
	$(PY) -m pytest

# Unit and AppTest tests only, for day-to-day work: no real browser, no nginx, nothing marked slow (pytest.ini).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not proxy and not slow"

lint: $(STAMP)
	$(PY) -m ruff check .

lock: $(STAMP)
	$(LOCK) -o requirements.txt
	$(LOCK) --extra dev -o requirements-dev.txt

bench: $(STAMP)
	$(PY) -m bench.run

bench-quick: $(STAMP)
	BENCH_QUICK=1 $(PY) -m bench.run

clean:
	rm -rf $(VENV) data/dashboard.duckdb data/dashboard.duckdb.wal
