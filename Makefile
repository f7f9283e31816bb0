# The README's two commands: `make run` and `make test`. Everything runs inside .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := QTP_ENV=$${QTP_ENV:-development} $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

# `make serve` is the production shape on this machine's loopback (tools/serve.py, deploy/README.md).
.PHONY: run test serve smoke install audit lint i18n-extract i18n-update i18n-compile db-upgrade demo content-check bench load screenshots clean

run: $(STAMP) i18n-compile
	$(FLASK) db upgrade
	$(FLASK) qtp content sync
	$(FLASK) qtp demo --quiet
	$(FLASK) qtp demo --logins-only
	@# The bundles (a minute or two on a first run) build beside the server, which serves at once: a licensee sees
	@# "not built yet" until the build reports 100%. Ctrl+C stops both.
	$(FLASK) qtp bundles build --background & build=$$!; trap 'kill $$build 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The suite runs on every core, at most 4 processes (pytest-xdist; each has its own database, Redis database and
# browser; a file's tests stay together). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: $(TEST_STAMP) i18n-compile
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

# nginx (https://127.0.0.1:8443) -> gunicorn + one RQ worker, PostgreSQL and Redis, QTP_ENV=production.
# DEMO=1 loads the demo data. Ctrl+C stops all three.
serve: $(STAMP) i18n-compile
	$(BIN)/python tools/serve.py $(if $(filter 1,$(DEMO)),--demo)

# The whole stack on other ports, checked end to end through nginx (tests/stack; about half a minute).
smoke: $(TEST_STAMP) i18n-compile
	QTP_TEST_STACK=1 $(BIN)/python -m pytest -p no:cacheprovider tests/stack $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP) $@

install: $(STAMP)

# Known vulnerabilities of the locked dependencies (pip-audit in .venv-audit; tools/audit_deps.py).
audit:
	$(PYTHON) tools/audit_deps.py $(AUDIT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check qtp tests bench tools wsgi.py

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-by-file -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o translations/messages.pot --project QTP --copyright-holder "QTP" .

i18n-update: i18n-extract
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

i18n-compile: $(MO_FILES)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

content-check: $(STAMP)
	$(FLASK) qtp content check

db-upgrade: $(STAMP)
	$(FLASK) db upgrade

demo: $(STAMP)
	$(FLASK) qtp demo

screenshots: $(TEST_STAMP) i18n-compile
	$(BIN)/python tools/screenshots.py

bench: $(STAMP) i18n-compile
	$(BIN)/python bench/page_cost.py
	$(BIN)/python bench/content_sync.py
	$(BIN)/python bench/cohort_dashboard.py
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/manual.py
	$(BIN)/python bench/downloads.py

# A mixed load through nginx on a stack of its own (needs what `make serve` needs): make load LOAD="--soak 600"
load: $(STAMP) i18n-compile
	$(BIN)/python bench/load.py $(LOAD)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
