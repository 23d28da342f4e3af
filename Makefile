# Pathways: `make run` serves the app with the default framework; `make test` runs every check.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app planner
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev lint format migrate load-framework load-demo bench clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -e .

install-dev: $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'

# A random session-signing key for this checkout (the app refuses to start without one).
instance/secret_key:
	mkdir -p instance
	$(PY) -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key

migrate: install instance/secret_key
	$(FLASK) db upgrade

load-framework: migrate
	$(FLASK) load-framework

load-demo: load-framework
	$(FLASK) load-demo

run: load-demo
	@echo "Pathways is at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	PATHWAYS_INSECURE_COOKIES=1 $(FLASK) run --host $(HOST) --port $(PORT)  # plain HTTP locally

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) -m pytest

bench: install-dev
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_planner.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
