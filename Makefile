# AuraStream: two commands do everything.
#   make run   set up, migrate, create the demo creator, serve on http://127.0.0.1:8000
#   make test  set up and run the whole test suite (lint, types, tests)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint typecheck pytest css migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

migrate: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py create_demo_creator
	$(BIN)/python manage.py serve --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.dev
	$(BIN)/mypy .

pytest: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Rebuild the committed CSS and htmx bundle (needs Node 20+ and npm).
css:
	npm ci
	npm run build

clean:
	rm -rf $(VENV) var staticfiles node_modules
