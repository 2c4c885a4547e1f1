# The two ways in:  `make` builds the 2022-23 leaflet; `make test` runs every test.
# Each target does whatever set-up is still missing (venv, packages, fonts).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
FONTS  := .cache/fonts/.verified
EDITION ?= 2022-23

.PHONY: all build test fonts clean bench
all: build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(FONTS): $(STAMP) fonts/fonts.yaml
	$(PY) -m highlight fonts

fonts: $(FONTS)

build: $(FONTS)
	$(PY) -m highlight build content/$(EDITION)

test: $(FONTS)
	$(PY) -m pytest

clean:
	rm -rf out .cache

bench: $(FONTS)
	$(PY) bench/bench.py
