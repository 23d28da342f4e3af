# Pathways: `make run` serves the app with the default framework; `make test` runs every check.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app planner
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: graphviz run test install install-dev lint format migrate load-framework load-demo bench bench-load bench-national clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installed again only when pyproject.toml changes (a stamp file per set of dependencies).
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

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

# Debian's graphviz routes the role map's arrows around its boxes (pathways/layout.py); without
# it the map still draws, with plain curves that may cross boxes. Installed here when missing
# and this runs as root; otherwise it says how.
graphviz:
	@command -v neato >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; } || \
	  echo "make: for the clearest role map, install Debian's graphviz (apt-get install graphviz)"

run: load-demo graphviz
	@echo "Pathways is at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	PATHWAYS_INSECURE_COOKIES=1 $(FLASK) run --host $(HOST) --port $(PORT)  # plain HTTP locally

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# One worker per core (pytest-xdist); the browser tests share one worker and one Chromium.
test: lint graphviz
	$(PY) -m pytest -n auto --dist loadgroup

bench: install-dev
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_planner.py

# gunicorn under load from wrk, saturated, then behind nginx with people pausing between
# pages (Debian's wrk and nginx-light, installed here if missing): docs/performance.md
bench-load: install-dev
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx-light)
	$(PY) bench/load.py
	scripts/with-postgres sh -c 'DATABASE_URL=$$TEST_DATABASE_URL $(PY) bench/load.py'
	$(PY) bench/load.py --proxy --think-ms 1000
	scripts/with-postgres sh -c 'DATABASE_URL=$$TEST_DATABASE_URL $(PY) bench/load.py --proxy --think-ms 1000'

# L&D pages at national scale on both engines: docs/performance.md (STAFF=100000 for England)
STAFF ?= 10000
bench-national: install-dev
	$(PY) bench/national.py --staff $(STAFF) --plans $$(( $(STAFF) / 2 ))
	scripts/with-postgres sh -c 'DATABASE_URL=$$TEST_DATABASE_URL $(PY) bench/national.py --staff $(STAFF) --plans $$(( $(STAFF) / 2 )) --explain'

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
