# housingmix: two commands on a fresh machine.
#   make run   - set everything up and serve http://127.0.0.1:8000 (SQLite, tasks in-process)
#   make test  - set everything up and run the whole suite on SQLite, then on PostgreSQL
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PG_URL_BASE ?= postgres://postgres@127.0.0.1:5432
REDIS_URL ?= redis://127.0.0.1:6379
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup system-deps browser-deps venv messages messages-update static lint test-sqlite test-postgres bench clean worker beat

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-nodeps.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "housingmix needs Python >= 3.11 (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	$(PIP) install --quiet --no-deps -r requirements-nodeps.txt
	@touch $@

venv: $(VENV)/.installed

## System packages: WeasyPrint needs Pango; translations need GNU gettext.
system-deps:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing. Install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

## Browser tests use Debian's Chromium (Playwright cannot download its own here).
browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium chromium-driver)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null; \
	  else \
	    echo "Chromium is missing: install it with: sudo apt-get install chromium chromium-driver"; exit 1; \
	  fi; \
	fi

messages: venv system-deps
	$(MANAGE) compilemessages --ignore=.venv -v 0

## Refresh locale/en from the sources (Italian msgids), then translate the new entries.
messages-update: venv system-deps
	$(MANAGE) makemessages -l en --no-obsolete -i '.venv/*' -i 'staticfiles/*' -i 'bench/*' -i 'tests/*' -i 'test-artifacts/*' -i 'media/*'

static: venv
	$(MANAGE) collectstatic --noinput -v 0

setup: system-deps venv messages static
	$(MANAGE) migrate --noinput -v 0

## make run also serves the local SPID/CIE test federation (trust anchor and SPID provider on
## 127.0.0.1:8010, CIE provider on 127.0.0.1:8011) with demo identities and fresh keys.
run: export SPID_CIE_TEST_FEDERATION = true
run: setup
	$(MANAGE) seed_demo
	$(MANAGE) testfed_setup
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(MANAGE) testfed_serve & trap 'kill $$! 2>/dev/null' EXIT; $(MANAGE) runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: system-deps browser-deps venv messages static lint
	$(MANAGE) makemigrations --check --dry-run -v 1
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL REDIS_TEST_URL=$(REDIS_URL)/15 $(VENV)/bin/pytest -p no:cacheprovider

## A fresh PostgreSQL database per run (pytest-django creates test_<name> and drops it).
test-postgres:
	@echo "== Test suite on PostgreSQL =="
	DATABASE_URL=$(PG_URL_BASE)/housingmix_ci_$$$$ REDIS_TEST_URL=$(REDIS_URL)/14 $(VENV)/bin/pytest -p no:cacheprovider

worker: setup
	$(VENV)/bin/celery -A housingmix worker -l INFO

beat: setup
	$(VENV)/bin/celery -A housingmix beat -l INFO

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles test-artifacts db.sqlite3
