# The two commands in the README: `make run` and `make test`. Both create or reuse .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := src

.PHONY: run test build clean

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

clean:
	rm -rf $(VENV) data/dashboard.duckdb data/dashboard.duckdb.wal
