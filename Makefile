# The README's Quick start: `make kit` (set up, build the default kit) and
# `make test` (set up, install system packages, run every check and test).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
# Debian packages the tests use: PDF to text/PNG, a real CUPS with the cups-pdf backend,
# a real browser with its driver for the facilitator screen, zbar for QR codes, Ghostscript
# for the print shop's PDF, and LibreOffice to open the Word files.
SYSTEM_PACKAGES = poppler-utils cups-daemon cups-client printer-driver-cups-pdf \
	chromium chromium-driver zbar-tools ghostscript libreoffice-writer
# The axe-core accessibility engine (npm), run inside that browser by the tests.
AXE_VERSION = 4.14.1
AXE = $(VENV)/node/node_modules/axe-core/axe.min.js

.PHONY: setup test-setup system kit test lint bench clean

# `make kit` installs the package alone; the test tools come with `make test`.
$(BIN)/kit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-tools: $(BIN)/kit
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

$(AXE):
	command -v npm >/dev/null || scripts/install-system-packages npm
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@$(AXE_VERSION)

setup: $(BIN)/kit

test-setup: $(VENV)/.test-tools $(AXE)

system:
	scripts/install-system-packages $(SYSTEM_PACKAGES)

kit: setup
	$(BIN)/kit build

lint: test-setup
	$(BIN)/ruff check src tests examples bench
	$(BIN)/ruff format --check src tests examples bench
	$(BIN)/mypy

test: test-setup system lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) kit dist build .pytest_cache .ruff_cache .mypy_cache
