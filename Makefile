# Les deux commandes du README : « make run » et « make test ».
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.DEFAULT_GOAL := aide
.PHONY: aide run test venv lint format demo worker

aide:
	@echo "make run   : installe, migre, charge la démonstration et lance le site sur http://127.0.0.1:8000"
	@echo "make test  : installe et lance toute la suite de tests (SQLite, ou PostgreSQL via DATABASE_URL)"

$(VENV)/.installe: pyproject.toml scripts/preparer_venv
	./scripts/preparer_venv

venv: $(VENV)/.installe

run: venv
	./scripts/dependances_systeme pdf
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py donnees_demo
	@echo "Site de démonstration : http://127.0.0.1:8000 (Ctrl+C pour arrêter)"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Deux processus de test (un par cœur) ; PYTEST_ARGS pour passer d'autres options.
test: venv
	./scripts/dependances_systeme pdf navigateur
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: venv
	$(PY) manage.py db_worker
