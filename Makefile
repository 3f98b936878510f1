# The two commands of the README: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development mode for the embedded defaults (SQLite under var/, Celery inline, console e-mail).
DEV := DJANGO_DEBUG=1

.PHONY: run test migrate demo lint format check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

var:
	mkdir -p var

migrate: $(VENV)/.installed-run | var
	$(DEV) $(BIN)/python manage.py migrate --no-input

demo: migrate
	$(DEV) $(BIN)/python manage.py load_plan
	$(DEV) $(BIN)/python manage.py load_demo

run: demo
	@echo "Cổng thi đua: http://$(HOST):$(PORT)/  (tài khoản mẫu: xem README.md)"
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# One xdist worker per core (at most four); each test file runs on one worker, where its shared data is built once,
# and the browser tests together on one worker (tests/conftest.py, BROWSER_GROUP).
test: $(VENV)/.installed-dev | var
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV) $(BIN)/pytest -n auto --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The production check of the README: no development defaults, a real secret.
check-deploy: $(VENV)/.installed-run
	env -u DJANGO_DEBUG DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		DJANGO_ALLOWED_HOSTS=thidua.skhcn.quangngai.gov.vn $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/staticfiles
