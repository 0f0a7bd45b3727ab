# One task runner. `make run` and `make test` are the two commands of the README: each installs
# what it needs into .venv first (a fresh machine needs only python3, make and, for tests,
# the PostgreSQL server described in the README).

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3
PYTEST_WORKERS ?= 2

.PHONY: help install run test lint typecheck plain-install mutate format messages messages-extract db-upgrade db-check bench bench-feedback clean

help: ## List the tasks
	@awk -F ':.*## ' '/^[a-z-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) pdf-libraries ## Create .venv and install the service with its development tools

run: $(STAMP) pdf-libraries ## Start the service at http://127.0.0.1:8000 with demo data (SQLite)
	$(BIN)/ehoks demo run

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The competence summary PDF (WeasyPrint) needs pango, HarfBuzz's subsetter and a font from
# Debian. Without them the service still runs; only the PDF route answers that it cannot.
PDF_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
.PHONY: pdf-libraries
pdf-libraries:
	@missing=$$(for package in $(PDF_LIBRARIES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; \
	done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Lint, type-check and the plain-install check run side by side (two at a time), then the suite.
test: $(STAMP) $(CHROMIUM) pdf-libraries ## Lint, type-check, check a plain install, and run the whole test suite on SQLite and PostgreSQL
	$(MAKE) --no-print-directory -j2 --output-sync=target lint typecheck plain-install
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy

plain-install: ## Install without extras into a separate venv, import every module, start `ehoks serve`
	bash .ci/plain-install

# Mutation testing of the access rules, the audit log, the HOKS rules and the instructor window
# (docs/mutation-testing.md). Slow (hours on two cores) and not part of CI; it runs at the lowest
# priority, stops and resumes where it left off; `$(BIN)/mutmut results` lists the survivors.
MUTATE_CHILDREN ?= 1
mutate: $(STAMP) ## Mutation testing with mutmut (slow; not in CI), see docs/mutation-testing.md
	$(BIN)/pip install --quiet -e '.[dev,mutate]'
	nice -n 19 $(BIN)/mutmut run --max-children $(MUTATE_CHILDREN)
	$(BIN)/mutmut results

format: $(STAMP) ## Format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The texts people read: extracted from the code and the templates into the template catalogue,
# then merged into the Finnish and Swedish catalogues, whose new entries translators fill in.
# English is the source language. `error_text(code, text)` marks an error text with its code as
# the entry's context. tests/kit/test_catalogues.py runs the extraction too and fails when the
# catalogues are behind the code.
LOCALE := src/ehoks/locale
EXTRACT_ARGS := -F babel.cfg -k error_text:1c,2 --sort-output --add-location=file --no-wrap \
	--omit-header --project=eHOKS
# No header in the .po files either: it holds only dates that would change on every run (and
# so conflict between branches); the language and its plural rule come from the file's path.
UPDATE_ARGS := --ignore-obsolete --no-wrap --omit-header
POT ?= $(LOCALE)/messages.pot
messages: $(STAMP) ## Extract the texts into src/ehoks/locale and update the fi and sv catalogues
	$(MAKE) --no-print-directory messages-extract
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages -l fi \
		$(UPDATE_ARGS)
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages -l sv \
		$(UPDATE_ARGS)

messages-extract: # only the extraction, into $(POT) (the catalogue test runs it too)
	$(BIN)/pybabel extract $(EXTRACT_ARGS) -o $(POT) src/ehoks

db-upgrade: $(STAMP) ## Apply migrations to EHOKS_DATABASE_URL
	$(BIN)/ehoks db upgrade

db-check: $(STAMP) ## Fail if the models have changes without a migration
	$(BIN)/ehoks db check

bench: $(STAMP) ## National-scale benchmark (see bench/README.md); ARGS="--scale national"
	$(BIN)/python bench/run.py $(ARGS)

bench-feedback: $(STAMP) ## Feedback benchmark: catch-up and worker rates (bench/feedback.py); ARGS="--plans N"
	$(BIN)/python bench/feedback.py $(ARGS)

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
