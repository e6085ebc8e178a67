# The two commands in the README: `make run` and `make test`. Both create or reuse .venv and install what they need.
# `make bench` (minutes) and `make bench-quick` (under two) run the benchmarks in bench/, never part of `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := src

.PHONY: run test build clean bench bench-quick

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

build: $(STAMP)
	$(PY) -m dashboard build --if-stale

run: build
	$(PY) -m streamlit run app.py

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench.run

bench-quick: $(STAMP)
	BENCH_QUICK=1 $(PY) -m bench.run

clean:
	rm -rf $(VENV) data/dashboard.duckdb data/dashboard.duckdb.wal
