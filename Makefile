# The two commands: `make run` (web + worker + beat with demo data, as in production) and `make test`.
# `make dev` is the auto-reloading debug server instead; `make backup` / `make restore FROM=…`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export DJANGO_SETTINGS_MODULE := crm_project.settings

.PHONY: run dev test test-at smoke install services migrate seed lint messages vendor bench backup restore clean

# The address the web process really serves on, from the settings (HOST, PORT, SITE_URL). It is
# handed to every process: honcho gives the worker and beat PORT+100 and PORT+200.
SITE_URL_FROM_SETTINGS = $(PY) -c 'from crm_project.settings import SITE_URL; print(SITE_URL)'
HONCHO = PATH=$(CURDIR)/$(BIN):$$PATH SITE_URL="$$($(SITE_URL_FROM_SETTINGS))" $(BIN)/honcho

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

services: install
	@$(PY) scripts/check_services.py

migrate: services
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# As in production: DEBUG off, gunicorn, hashed and compressed static files, the app's error pages.
run: export DEBUG ?= false
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Web on $$($(SITE_URL_FROM_SETTINGS)) (log in as rep1 / demo1234; admin / demo1234)."
	$(HONCHO) start -f Procfile --port $${PORT:-8000}

# The debug server: DEBUG on, reloads on every change, static files straight from static/.
dev: export DEBUG ?= true
dev: seed
	@echo "Debug server on $$($(SITE_URL_FROM_SETTINGS)) (log in as rep1 / demo1234; admin / demo1234)."
	$(HONCHO) start -f Procfile.dev --port $${PORT:-8000}

# A dated folder under BACKUP_DIR (default backups/): database.dump, media.tar.gz, manifest.json.
backup: services
	$(PY) manage.py backup

# Into DATABASE_URL and MEDIA_ROOT; refuses a database or media folder with data unless FORCE=1.
restore: services
	@test -n "$(FROM)" || { echo "Usage: make restore FROM=backups/<folder> [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FROM)" $(if $(filter 1 yes true,$(FORCE)),--force)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: services lint
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# nginx in front of two gunicorn instances, two workers and two beats on 127.0.0.1, through a morning
# of reminders while one of each is killed (scripts/cluster_smoke.py); installs nginx if missing.
smoke: services
	scripts/cluster_smoke.sh

# The suite with the machine's clock at another moment, e.g. make test-at WHEN='2027-02-06 10:00'
# (libfaketime: apt-get install faketime). The wall clock ticks on from WHEN; the database's does
# not. The monotonic clock is faked too: with FAKETIME_DONT_FAKE_MONOTONIC, time.sleep fails with
# EINVAL and Chromium stops loading pages. CI=true makes a missing Chromium a failure, not a skip.
WHEN ?= 2027-01-04 09:30:00
test-at: services
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
	CI=true TZ=Asia/Shanghai faketime '$(WHEN)' $(BIN)/pytest -q

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# Each benchmark loads its own database and prints its figures (bench/README.md for the options).
bench: services
	$(PY) bench/customers.py
	$(PY) bench/statements.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
