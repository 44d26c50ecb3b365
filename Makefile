# Prevent Hub: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# Gunicorn's access log, without query strings (%(U)s is the path alone, where the default
# %(r)s is the whole request line) and without the Referer: a school's audit link carries its
# secret in the query string, and other pages carry search filters. See docs/security.md.
ACCESS_LOG_FORMAT := %(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"

.PHONY: install demo serve test test-deps lint bench clean

$(VENV)/.installed: pyproject.toml package.json package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) manage.py frontend_assets
	@# WeasyPrint draws the Board report PDFs with Pango, a system library.
	@if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0'; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else \
	    echo "Pango is missing: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' for PDF reports"; \
	  fi; \
	fi
	touch $@

## install: the virtual environment, Python and npm dependencies, front-end assets
install: $(VENV)/.installed

## demo: install, migrate the SQLite database, load the demo partnership, serve on 127.0.0.1:8000
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(MAKE) --no-print-directory serve

serve: install
	@echo "Serving Prevent Hub on http://$(HOST):$(PORT)/ with a task worker (Ctrl+C to stop)"
	@# The task worker runs background imports; it stops when the server does.
	$(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn preventhub.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)' --log-level warning

## test-deps: Debian's Chromium for the browser tests (installed when missing and running as root)
test-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' (the browser tests need it)"; exit 1; \
	  fi; \
	fi

## lint: ruff, then the import contract in pyproject.toml (docs/development.md)
lint: install
	$(VENV)/bin/ruff check src tests bench
	PYTHONPATH=src $(VENV)/bin/lint-imports

## test: every test on SQLite and, at the same time, on PostgreSQL ($(TEST_DATABASE_URL))
test: install test-deps lint
	@# Both databases at once: each run keeps about one core busy, and the machine has two. Each
	@# run's output goes to its own file, shown whole when both have finished. The tests marked
	@# "markup" (axe-core over every page each role reaches, reflow at 320 pixels) check the HTML
	@# and CSS the browser is given, which no database changes: they run once, on SQLite, and the
	@# PostgreSQL run keeps the journeys and every other browser test.
	@echo "Running every test on SQLite and on PostgreSQL at the same time (a few minutes)"
	@mkdir -p var
	@$(VENV)/bin/pytest -p no:cacheprovider > var/test-sqlite.log 2>&1 & sqlite=$$!; \
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest -p no:cacheprovider -m "not markup" > var/test-postgresql.log 2>&1; \
	postgresql=$$?; wait $$sqlite; sqlite=$$?; \
	echo "===== SQLite"; cat var/test-sqlite.log; \
	echo "===== PostgreSQL ($(TEST_DATABASE_URL))"; cat var/test-postgresql.log; \
	test $$sqlite -eq 0 && test $$postgresql -eq 0

## bench: the benchmarks in bench/ (speed is measured there, never asserted in tests)
bench: install
	cd bench && ../$(PY) run.py

clean:
	rm -rf $(VENV) node_modules src/preventhub/core/static/vendor staticfiles .pytest_cache
