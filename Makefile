# Aimak: `make demo` runs the platform, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell scripts/find-python)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test lint bench bench-interviews bench-results bench-reports bench-dashboard bench-legal bench-plans bench-inclusion bench-portal bench-load messages clean

$(VENV)/bin/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Aimak needs Python 3.12 or newer and none was found. Install python3.12 (apt, pyenv or python.org) or run: make PYTHON=/path/to/python3.12 ..."; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

demo: $(VENV)/.runtime
	$(PY) manage.py compiletranslations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_territories
	$(PY) manage.py load_services
	$(PY) manage.py load_legal_acts
	$(PY) manage.py demo_seed
	@echo "Aimak is at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	CHROMIUM_PATH="$$(scripts/ensure-chromium)" $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy aimak
	$(VENV)/bin/lint-imports

bench: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	$(PY) bench/run.py
	$(PY) bench/interviews.py
	$(PY) bench/results_engine.py
	$(PY) bench/reports.py
	$(PY) bench/dashboard.py
	$(PY) bench/portal.py
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/action_plans.py
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/inclusion_indicators.py
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/legal_search.py
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/portal_load.py

bench-interviews: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	$(PY) bench/interviews.py $(BENCH_ARGS)

bench-results: $(VENV)/.dev
	$(PY) bench/results_engine.py $(BENCH_ARGS)

bench-reports: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	$(PY) bench/reports.py $(BENCH_ARGS)

bench-dashboard: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	$(PY) bench/dashboard.py $(BENCH_ARGS)

bench-legal: $(VENV)/.dev
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/legal_search.py

bench-plans: $(VENV)/.dev
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/action_plans.py $(BENCH_ARGS)

bench-inclusion: $(VENV)/.dev
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/inclusion_indicators.py $(BENCH_ARGS)

bench-portal: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	$(PY) bench/portal.py $(BENCH_ARGS)

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l ky -l ru -l en --no-obsolete --no-location -i ".venv/*" -i "tests/*" -i "bench/*" -i "var/*" -i "*/tests/*"

clean:
	rm -rf $(VENV) var

bench-load: $(VENV)/.dev
	$(PY) manage.py compiletranslations
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" $(PY) bench/portal_load.py $(BENCH_ARGS)
