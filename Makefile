# Everything a fresh machine needs comes from here: Python 3.11 + pip are the only prerequisites.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
APT_CHROMIUM := DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

.PHONY: demo test check lint typecheck pytest chromium bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, then run the terminal app on the seeded demo store (simulated scanner)
demo: $(STAMP)
	$(BIN)/wms demo

## test: set up, then lint, type-check, check the layer contracts and run every test
test: check pytest

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench migrations
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) chromium
	$(BIN)/pytest -n auto -q

# The served console is tested in a real browser: Debian's chromium, driven by Playwright (whose
# own browser download is never used). Installed when missing, by root only; anyone else is told
# how. A fresh machine may have no package lists yet: they are fetched only if the install fails.
chromium:
	@test -x $(CHROMIUM) || [ "$$(id -u)" = 0 ] || { \
		echo "The tests need Debian's chromium at $(CHROMIUM): sudo $(APT_CHROMIUM)" >&2; exit 1; }
	test -x $(CHROMIUM) || $(APT_CHROMIUM) || { apt-get update && $(APT_CHROMIUM); }

## bench: run every benchmark; each prints JSON lines
bench: $(STAMP)
	@for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
