# Frontdesk developer commands; README.md says what each one does.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The interpreter the virtualenv is made from. Debian's own python3.11, where there is one, is
# built with profile-guided and link-time optimization; a default pyenv build is not, and runs
# every page with 13-15% more instructions, and served 15-30% fewer requests per second under load
# (docs/architecture.md, "The interpreter").
# PYTHON=python3 make ... chooses otherwise; any Python 3.11 or newer works.
PYTHON ?= $(or $(wildcard /usr/bin/python3.11),python3)
VENV := .venv
BIN := $(VENV)/bin
LOCALE_DIR := frontdesk/locale
LANGUAGES := tr pl nl fa
WORKER := $(BIN)/python manage.py db_worker --queue-name '*' --interval 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The stamps are named after a hash of pyproject.toml and constraints.txt: an edit to either
# reinstalls on the next run, anything else finds the stamp and skips pip entirely.
DEPS_HASH := $(shell cat pyproject.toml constraints.txt 2>/dev/null | sha256sum | cut -c1-16)
RUN_STAMP := $(VENV)/.installed-run-$(DEPS_HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(DEPS_HASH)

# .mo files are build artifacts (git-ignored), compiled from whatever .po files exist.
PO_FILES := $(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/django.po)
COMPILE_MESSAGES := $(if $(PO_FILES),$(BIN)/pybabel -q compile -d $(LOCALE_DIR) -D django,true)

BABEL_KEYWORDS := _ gettext gettext_lazy gettext_noop ngettext:1,2 ngettext_lazy:1,2 \
	pgettext:1c,2 pgettext_lazy:1c,2 npgettext:1c,2,3 npgettext_lazy:1c,2,3

.PHONY: help run serve test messages lock var-dir bench

help:
	@echo "make run       development server on http://127.0.0.1:8000 with the background worker"
	@echo "make test      ruff, mypy, then the tests on SQLite and on a throwaway PostgreSQL"
	@echo "make serve     production shape: gunicorn + worker, DEBUG off (needs SECRET_KEY)"
	@echo "make messages  extract translatable strings and update the .po files"
	@echo "make lock      re-pin every package in constraints.txt from a fresh virtualenv"
	@echo "make bench     the benchmark against django-helpdesk (N=1000000 for a million requests)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); python3 -m venv $(VENV); } || { rm -rf $(VENV); \
		echo "Could not create $(VENV); on Debian: apt-get install -y python3-venv" >&2; exit 1; }

$(RUN_STAMP): | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .
	rm -f $(VENV)/.installed-run-* && touch $@

$(DEV_STAMP): | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-dev-* && touch $@

var-dir:
	@mkdir -p "$${FRONTDESK_VAR_DIR:-var}"

run: export DEBUG ?= true
# E-mails of the development server are printed by the worker (with their links), not sent.
run: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
run: $(RUN_STAMP) var-dir
	$(COMPILE_MESSAGES)
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py seed_demo
	scripts/run.sh "$(BIN)/python manage.py runserver 127.0.0.1:8000" "$(WORKER)"

serve: export DEBUG := false
serve: $(RUN_STAMP) var-dir
	$(COMPILE_MESSAGES)
	@# Importing the WSGI module fails fast, before anything is changed, on the public dev key.
	$(BIN)/python -W 'ignore:No directory at' -c 'import frontdesk.wsgi'
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py migrate
	scripts/run.sh "$(BIN)/gunicorn frontdesk.wsgi:application --workers 2 --bind 127.0.0.1:8000" \
		"$(WORKER)"

test: $(DEV_STAMP)
	$(COMPILE_MESSAGES)
	scripts/test.sh

messages: $(RUN_STAMP)
	mkdir -p $(LOCALE_DIR)
	$(BIN)/pybabel -q extract -F babel.cfg -o $(LOCALE_DIR)/django.pot --project=Frontdesk \
		--add-comments=Translators: $(addprefix -k ,$(BABEL_KEYWORDS)) .
	for lang in $(LANGUAGES); do \
		if [ -f $(LOCALE_DIR)/$$lang/LC_MESSAGES/django.po ]; then \
			$(BIN)/pybabel update -D django -i $(LOCALE_DIR)/django.pot -d $(LOCALE_DIR) \
				-l $$lang --ignore-pot-creation-date || exit 1; \
		else \
			$(BIN)/pybabel init -D django -i $(LOCALE_DIR)/django.pot -d $(LOCALE_DIR) \
				-l $$lang || exit 1; \
		fi; \
	done

# Pins what a fresh install of the project with its dev extras resolves to today.
lock:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp" && \
	"$$tmp/bin/pip" install -q -e '.[dev]' && \
	{ echo "# Every installed package, pinned. Regenerate with: make lock"; \
	  "$$tmp/bin/pip" freeze --exclude-editable; } > constraints.txt.new && \
	mv constraints.txt.new constraints.txt

# The benchmark (bench/README.md): not part of `make test`. N requests, default 100,000.
N ?= 100000
bench: $(RUN_STAMP)
	N=$(N) bench/run.sh
