# Pledge Tracker: `make run` (demo with everything) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
WEB_WORKERS ?= 3
WEB_THREADS ?= 1
VENV_PATH := PATH="$(CURDIR)/$(VENV)/bin:$$PATH"
# Tests use a database and a Redis db number of their own, never the ones `make run` uses.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/pledge_tracker)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/11)

.PHONY: run test serve worker beat lint format migrations-check install clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

## run: set up, load the demo data and serve site + Celery worker + beat; Ctrl-C stops all
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput -v0
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py ensure_admin
	DEBUG=$${DEBUG:-1} $(PY) -m tracker.run_all --port $(PORT)

## test: the whole suite on PostgreSQL (DATABASE_URL, else 127.0.0.1:5432) and Redis
test: $(STAMP)
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m tests.preflight
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=0 \
		SECRET_KEY=test-only-secret-key FETCH_ALLOW_NETWORKS=127.0.1.0/24,127.0.2.0/24 \
		$(PY) -m pytest $(PYTEST_ARGS)

## serve: the production web server alone (gunicorn, DEBUG off, no reload) on PORT
serve: $(STAMP)
	@test -n "$$SECRET_KEY$$SECRET_KEY_FILE" || { mkdir -p var; test -s var/secret_key || \
		$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key; }
	export SECRET_KEY_FILE=$${SECRET_KEY_FILE:-$$( [ -n "$$SECRET_KEY" ] || echo var/secret_key)}; \
	export DEBUG=0 PORT=$(PORT) WEB_WORKERS=$(WEB_WORKERS) WEB_THREADS=$(WEB_THREADS) $(VENV_PATH); \
	docker/entrypoint.sh collectstatic && exec docker/entrypoint.sh web 127.0.0.1:$(PORT)

# serve, worker and beat start through docker/entrypoint.sh, as the docker image does: one
# command line for each process, wherever it runs.
worker: $(STAMP)
	export $(VENV_PATH); exec docker/entrypoint.sh worker

beat: $(STAMP)
	export $(VENV_PATH); exec docker/entrypoint.sh beat

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
