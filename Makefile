# The two commands: `make run` (web + worker + beat with demo data) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export DJANGO_SETTINGS_MODULE := crm_project.settings

.PHONY: run test test-at install services migrate seed lint messages vendor bench clean

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

run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Web on http://127.0.0.1:8000 (log in as rep1 / demo1234; admin / demo1234)."
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho start -f Procfile --port $${PORT:-8000}

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: services lint
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The suite with the machine's clock at another moment, e.g. make test-at WHEN='2027-02-06 10:00'
# (libfaketime: apt-get install faketime). The clock ticks on from WHEN; the database's does not.
WHEN ?= 2027-01-04 09:30:00
test-at: services
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
	TZ=Asia/Shanghai faketime '$(WHEN)' $(BIN)/pytest -q

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

bench: services
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
