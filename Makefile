# Two commands do all the set-up on a fresh clone:
#   make serve   preview the site at http://127.0.0.1:8000 (reloads on every edit)
#   make test    run the whole test suite, browser tests included
# Each installs what it needs: a virtualenv in .venv, Debian's chromium for the browser tests, and
# axe-core from npm for the accessibility tests.

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTHON  ?= python3
AXE     := node_modules/axe-core/axe.min.js

.PHONY: serve build test validate bench browser

serve: $(STAMP)
	$(BIN)/properdocs serve -f mkdocs.yml

build: $(STAMP)
	$(BIN)/properdocs build --strict -f mkdocs.yml

validate: $(STAMP)
	$(BIN)/patterns validate

test: $(STAMP) browser $(AXE)
	$(BIN)/pytest

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Catalogues of 10, 100 and 1,000 patterns made from the real ones, each beside a plain-Markdown baseline
# built by ProperDocs and Material alone; prints the table and writes docs/performance.md and
# docs/en/performance.md. Takes about seven minutes on two cores.
bench: $(STAMP) browser
	$(BIN)/python -m tests.bench.bench --write-docs

# axe-core for the accessibility tests, pinned in package-lock.json; it never ships with the site.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

# Playwright cannot download browsers here; the tests drive Debian's chromium instead.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
