# hipback: `make run` starts the web app with synthetic demo data; `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/lock.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

run: $(STAMP) ## migrate the embedded SQLite database, load synthetic demo data, serve on http://127.0.0.1:8000
	HIPBACK_DEMO=true $(BIN)/hipback db upgrade
	HIPBACK_DEMO=true $(BIN)/hipback demo
	HIPBACK_DEMO=true $(BIN)/hipback serve --host $(HOST) --port $(PORT)

lint: $(STAMP) ## ruff, mypy and the import-layer contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

BROWSER_DIR := tests/web/browser

browser-deps: ## Debian chromium (apt, never a downloaded browser) and axe-core (npm) for browser tests
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  echo "installing Debian chromium and poppler-utils (pdftoppm) for the browser and report tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will say why they skip"; }
	@test -d $(BROWSER_DIR)/node_modules/axe-core || { \
	  (cd $(BROWSER_DIR) && npm ci --silent --no-audit --no-fund) \
	  || echo "warning: npm ci failed; browser tests will say why they skip"; }

test: lint browser-deps ## lint, then the whole test suite (PostgreSQL and browser tests required in CI)
	$(BIN)/pytest -q $(ARGS)

FAST := not pg and not slow and not browser

test-fast: $(STAMP) ## the inner loop: every test on SQLite, without PostgreSQL, soak or browser (ARGS="-x …")
	$(BIN)/pytest -q -m "$(FAST)" $(ARGS)

fmt: $(STAMP) ## format and autofix
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

docs: $(STAMP) ## regenerate docs/measures.md and docs/protocol.md from the data files
	$(BIN)/python -m hipback.measures.docs > docs/measures.md
	$(BIN)/python -m hipback.protocol.docs > docs/protocol.md

bench: $(STAMP) ## speed benchmarks (ratios against peers measured in the same run)
	$(BIN)/python bench/measures.py

lock: ## re-resolve requirements/lock.txt from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/lock.txt

.PHONY: help install run lint browser-deps test test-fast fmt docs bench lock
