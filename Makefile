# The two commands a newcomer needs: `make run` and `make test` (see README.md).
# Both install what they need on a bare Debian machine: Debian packages through apt when run as
# root, then a virtualenv in .venv with the pinned requirements.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# `make run` / `make setup` always use the embedded SQLite database and eager Celery tasks.
DEV_ENV := env -u DATABASE_URL -u REDIS_URL DJANGO_DEBUG=1

SYSTEM_PACKAGES := libpq-dev gcc libharfbuzz-subset0 gettext
TEST_SYSTEM_PACKAGES := chromium poppler-utils
# The load run of `make bench` (a second process against gunicorn).
BENCH_SYSTEM_PACKAGES := wrk

.PHONY: run setup test serve lint format messages compilemessages system-deps test-system-deps bench-system-deps install bench faults dast backup restore clean vendor-jquery-ui

run: setup
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

setup: install compilemessages
	@test -f .env || { echo "DJANGO_DEBUG=1" > .env; echo "Wrote .env (DJANGO_DEBUG=1) so manage.py runs in development mode."; }
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_reference_data
	$(DEV_ENV) $(MANAGE) load_demo
	$(DEV_ENV) $(MANAGE) import_plan fixtures/source/plan-2018.md --year 2018 --if-missing
	$(DEV_ENV) $(MANAGE) demo_progress 2018
	$(DEV_ENV) $(MANAGE) load_protocol fixtures/source/protocol-2010-12-21.json
	$(DEV_ENV) $(MANAGE) demo_decisions
	$(DEV_ENV) $(MANAGE) demo_visits

test: install test-system-deps compilemessages
	$(BIN)/pytest $(PYTEST_ARGS)

# Production-like on one machine: gunicorn, a Celery worker and beat, against DATABASE_URL and REDIS_URL.
serve: install compilemessages
	./scripts/serve

install: system-deps $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Debian packages: installed with apt when run as root, otherwise listed for the user to install.
system-deps:
	@./scripts/apt-ensure $(SYSTEM_PACKAGES)

test-system-deps:
	@./scripts/apt-ensure $(TEST_SYSTEM_PACKAGES)

bench-system-deps:
	@./scripts/apt-ensure $(BENCH_SYSTEM_PACKAGES)

messages: install
	$(DEV_ENV) $(MANAGE) makemessages -l he --no-location --ignore=.venv --ignore=tests --ignore=bench

# jQuery UI for the admin's language tabs (modeltranslation), vendored from the npm registry: no CDN.
JQUERY_UI_VERSION ?= 1.14.2
vendor-jquery-ui:
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent jquery-ui@$(JQUERY_UI_VERSION) >/dev/null && tar xzf jquery-ui-*.tgz) \
	  && cp $$tmp/package/dist/jquery-ui.min.js $$tmp/package/LICENSE.txt static/vendor/jquery-ui/ \
	  && sha256sum static/vendor/jquery-ui/jquery-ui.min.js && rm -rf $$tmp

compilemessages: install
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run
	$(BIN)/bandit -q -r movement plans meetings visits departments bench scripts -x '*/migrations/*' --severity-level medium

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Query counts and p50/p95 per page at 1x and 10x beside the floor, and a wrk load run (needs DATABASE_URL on PostgreSQL).
bench: install bench-system-deps compilemessages
	$(BIN)/python bench/run.py

# Redis killed mid-round, a worker killed mid-task: own Redis on another port (needs DATABASE_URL);
# PostgreSQL restarted during a load run and under a plan import: a throwaway cluster (initdb) on port 5439.
faults: install compilemessages
	$(BIN)/python bench/faults.py

# A bounded DAST scan with Debian's wapiti (apt-get install wapiti) against 127.0.0.1 (needs DATABASE_URL).
dast: install compilemessages
	$(BIN)/python bench/dast.py

# Back up / restore PostgreSQL (DATABASE_URL) and the generated files (DJANGO_MEDIA_ROOT); see README.md.
backup:
	./scripts/backup $(BACKUP_DIR)

restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<YYYYmmdd-HHMMSS> [FORCE=1]" >&2; exit 2; }
	./scripts/restore $(if $(FORCE),--force) $(BACKUP)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media tests/artifacts
