# housingmix: two commands on a fresh machine.
#   make run   - set everything up and serve http://127.0.0.1:8000 (HOST, PORT; SQLite, tasks in-process)
#   make test  - set everything up and run the whole suite on SQLite, then on PostgreSQL
# What the machine needs (system packages, PostgreSQL, Redis) is checked by scripts/check_system.py,
# which installs it when run as root with apt-get and otherwise names the one command to run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
CHECK := $(PYTHON) scripts/check_system.py
PG_URL_BASE ?= postgres://postgres@127.0.0.1:5432
REDIS_URL ?= redis://127.0.0.1:6379
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links point at: a wildcard HOST is reached through the loopback address.
LINK_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(if $(filter [::],$(HOST)),[::1],$(HOST)))
# Links in the e-mails `make run` prints follow HOST and PORT, unless SITE_URL is set (environment,
# command line or .env).
RUN_ENV = $(if $(SITE_URL)$(shell grep -Es '^[[:space:]]*(export[[:space:]]+)?SITE_URL=' .env),,SITE_URL=http://$(LINK_HOST):$(PORT))

.PHONY: run test mutation setup system-deps browser-deps services venv messages messages-update static lint audit test-sqlite test-postgres coverage-report bench clean worker beat

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
	@$(CHECK) system --install

## Browser tests use Debian's Chromium (Playwright cannot download its own here).
browser-deps:
	@$(CHECK) browser --install

## PostgreSQL and Redis for `make test` (PG_URL_BASE, REDIS_URL): installed and started as root
## on this machine's default ports (Debian's postgresql and redis-server, the test user trusted
## from loopback only); otherwise a one-line message names what to run.
services:
	@$(CHECK) services --install --pg-url '$(PG_URL_BASE)' --redis-url '$(REDIS_URL)'

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
	$(RUN_ENV) $(MANAGE) site_sync -v 0
	$(RUN_ENV) $(MANAGE) seed_demo
	$(RUN_ENV) $(MANAGE) testfed_setup
	@echo "Serving the portal on http://$(LINK_HOST):$(PORT)/ (Ctrl+C to stop)"
	$(RUN_ENV) $(MANAGE) testfed_serve & trap 'kill $$! 2>/dev/null' EXIT; $(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/bandit -q -r housingmix applications properties projects beneficiaries --severity-level medium
	@$(MAKE) --no-print-directory audit ALLOW_UNAUDITED=$(or $(ALLOW_UNAUDITED),1)

## Known vulnerabilities in the pinned dependencies, as installed in .venv (transitive ones too),
## looked up in PyPI's vulnerability data (AUDIT_SERVICE=osv for OSV). When that cannot be
## reached, or does not know the pinned versions, nothing is checked and the step fails saying
## so; ALLOW_UNAUDITED=1 turns only that case into a warning.
AUDIT_SERVICE ?= pypi
AUDIT_LOG := test-artifacts/pip-audit.txt
audit: venv
	@mkdir -p test-artifacts
	@status=0; $(VENV)/bin/pip-audit --strict --progress-spinner off --desc off -s $(AUDIT_SERVICE) >$(AUDIT_LOG) 2>&1 || status=$$?; \
	cat $(AUDIT_LOG); \
	if [ $$status -eq 0 ]; then echo "pip-audit: no known vulnerabilities in the pinned dependencies."; exit 0; fi; \
	if grep -qE "could not be audited|ConnectionError|Failed to resolve|Max retries|timed out" $(AUDIT_LOG) \
	   && ! grep -qE "^[A-Za-z0-9_.-]+ +[0-9][^ ]* +(PYSEC|GHSA|CVE)-" $(AUDIT_LOG); then \
	  echo "pip-audit: NOTHING WAS CHECKED: the vulnerability database ($(AUDIT_SERVICE)) cannot be reached from this machine or does not know the pinned versions (see $(AUDIT_LOG))."; \
	  if [ "$(ALLOW_UNAUDITED)" = 1 ]; then echo "pip-audit: ALLOW_UNAUDITED=1: going on without the audit."; exit 0; fi; \
	else \
	  echo "pip-audit: known vulnerabilities in the pinned dependencies (listed above): update the pins."; \
	fi; \
	exit 1

## The two legs run side by side (one per core; each its own database, Redis database, media
## folder and coverage file), their output kept in test-artifacts/test-<leg>.log and printed
## in full when both are done; PARALLEL_LEGS=0 runs them one after the other, live.
## Each leg measures branch coverage of the app code (pyproject.toml [tool.coverage.*]); when both
## are done the two measurements are combined and reported, and the floor (fail_under) fails
## `make test`. Each leg runs the tests in a random order (pytest-randomly prints the seed
## at the top: PYTEST_ARGS=-p=randomly\ --randomly-seed=N replays an order, -p no:randomly turns it off).
PARALLEL_LEGS ?= 1
PYTEST_ARGS ?=
PYTEST_COV = --cov --cov-report= --cov-fail-under=0
# The slowest tests of each leg, printed at its end: where the suite spends its time.
PYTEST_SLOWEST = --durations=15
# Worker processes per leg (pytest-xdist): a test waits on the database server, the browser or a
# worker process much of its time, so four processes keep two cores busy. Tests are dealt one by
# one in the order pytest-django sorts them (transactional tests, which empty the tables the data
# migrations filled, after the others in each worker). PYTEST_WORKERS=0: one process per leg.
# Each worker has its own test database and Redis database (REDIS_TEST_DBS).
PYTEST_WORKERS ?= 2
PYTEST_XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist load)
COVERAGE = COVERAGE_FILE=test-artifacts/.coverage $(VENV)/bin/coverage
test: system-deps browser-deps services venv messages static lint
	$(MANAGE) makemigrations --check --dry-run -v 1
ifeq ($(PARALLEL_LEGS),1)
	@mkdir -p test-artifacts; status=0; \
	echo "== SQLite and PostgreSQL legs side by side (logs: test-artifacts/test-sqlite.log, test-postgres.log) =="; \
	$(MAKE) --no-print-directory test-sqlite >test-artifacts/test-sqlite.log 2>&1 & sqlite=$$!; \
	$(MAKE) --no-print-directory test-postgres >test-artifacts/test-postgres.log 2>&1 || status=$$?; \
	wait $$sqlite || status=$$?; \
	cat test-artifacts/test-sqlite.log test-artifacts/test-postgres.log; \
	[ $$status = 0 ] || exit $$status
else
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
endif
	@$(MAKE) --no-print-directory coverage-report

## Coverage of both legs together (each test runs on both, or once on SQLite if it never touches
## the database): the report, and the floor.
coverage-report:
	@echo "== Coverage of the app code, both legs combined =="
	@$(COVERAGE) combine --keep test-artifacts/.coverage.sqlite test-artifacts/.coverage.postgres >/dev/null
	$(COVERAGE) report
	@$(COVERAGE) json -q -o test-artifacts/coverage.json
	@$(PY) scripts/coverage_floor.py test-artifacts/coverage.json

test-sqlite:
	@echo "== Test suite on SQLite =="
	@mkdir -p test-artifacts
	env -u DATABASE_URL TEST_LEG=sqlite REDIS_TEST_URL=$(REDIS_URL)/15 REDIS_TEST_DBS=15,11 COVERAGE_FILE=test-artifacts/.coverage.sqlite $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_XDIST) $(PYTEST_COV) $(PYTEST_SLOWEST) $(PYTEST_ARGS)

## A fresh PostgreSQL database per run (pytest-django creates test_<name> and drops it).
test-postgres:
	@echo "== Test suite on PostgreSQL =="
	@mkdir -p test-artifacts
	TEST_LEG=postgres DATABASE_URL=$(PG_URL_BASE)/housingmix_ci_$$$$ REDIS_TEST_URL=$(REDIS_URL)/10 REDIS_TEST_DBS=10,9 COVERAGE_FILE=test-artifacts/.coverage.postgres $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_XDIST) $(PYTEST_COV) $(PYTEST_SLOWEST) $(PYTEST_ARGS)

## Mutation testing of the critical modules (pyproject.toml [tool.mutmut] and
## [tool.housingmix.mutation]; not part of `make test`): SQLite, one mutant at a time on a reused
## test database, stopped after MUTATION_MINUTES; then docs/quality.md gets the score per module
## and the surviving mutants. MUTATION_REDIS_DB: the Redis database of its tests.
MUTATION_MINUTES ?= 40
MUTATION_REDIS_DB ?= 8
mutation: venv messages static
	rm -rf mutants test-artifacts/mutation-db.sqlite3
	@mkdir -p test-artifacts
	env -u DATABASE_URL REDIS_TEST_URL=$(REDIS_URL)/$(MUTATION_REDIS_DB) DJANGO_SQLITE_TEST_NAME=$(CURDIR)/test-artifacts/mutation-db.sqlite3 \
	  $(PY) scripts/mutation_run.py --minutes $(MUTATION_MINUTES)
	$(PY) scripts/mutation_report.py

worker: setup
	$(VENV)/bin/celery -A housingmix worker -l INFO

beat: setup
	$(VENV)/bin/celery -A housingmix beat -l INFO

bench: setup
	$(PY) bench/run.py

## The bounded load run alone (50 clients, at most 2 minutes; also the last stage of `make bench`).
.PHONY: bench-load
bench-load: setup
	$(PY) -m bench.load

clean:
	rm -rf $(VENV) staticfiles test-artifacts db.sqlite3
