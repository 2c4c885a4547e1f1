# The two ways in:  `make` builds the 2022-23 leaflet; `make test` runs every test.
# Each target does whatever set-up is still missing (venv, packages, fonts). No step needs apt, dpkg, a
# Debian package or a compiler: the print profile ships with the package (`make profile-verify` rebuilds it).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
FONTS  := .cache/.setup-done
EDITION ?= 2022-23

.PHONY: all build test lint fonts clean bench browser expected profile-verify
all: build

# Each set-up step says what it does and, when done, how long it took (a first `make` takes minutes).
$(STAMP): pyproject.toml
	@echo "make: [1/3] creating $(VENV) and installing highlight with its pinned packages …"
	@start=$$(date +%s); \
	  $(PYTHON) -m venv $(VENV) && \
	  $(PY) -m pip install --quiet --upgrade pip && \
	  $(PY) -m pip install --quiet -e '.[test]' && \
	  touch $(STAMP) && \
	  echo "make: [1/3] packages installed ($$(( $$(date +%s) - start )) s)"

# Fonts from the npm registry, pinned by sha256, into the checkout's own .cache/fonts (a project without one
# fetches them on first use into the user's cache); the shipped FOGRA39 profile checked against its sha256.
$(FONTS): $(STAMP) fonts/fonts.yaml profiles/profiles.yaml
	@echo "make: [2/3] fonts and the print profile (highlight setup) …"
	$(PY) -m highlight setup
	touch $(FONTS)

fonts: $(FONTS)

build: $(FONTS)
	@echo "make: [3/3] building content/$(EDITION)"
	$(PY) -m highlight build content/$(EDITION)

# The test of `highlight serve` drives Debian's chromium (no browser download: Playwright only steers it).
# As root (CI, a fresh machine) it is installed here; for anyone else that test skips, saying how to install it.
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# The linter, the type checker and the layers' contracts (all configured in pyproject.toml) run before the
# tests: seconds, not minutes, their own output when they fail, and `make lint` alone while working. CI runs
# `make test`, so all three. lint-imports: no module imports one of a higher layer (CONTRIBUTING.md, "The layers").
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy highlight
	$(VENV)/bin/lint-imports --no-logo --no-cache

# Every test, the slow ones too (marked `slow`: `.venv/bin/python -m pytest -m "not slow"` skips them while working).
test: lint $(FONTS) browser
	$(PY) -m pytest

# The expected page models (tests/expected/*.txt) written afresh after a layout change that is meant: review the
# diff (`git diff tests/expected`) and commit it with the change; tests/test_expected.py compares them.
expected: $(FONTS)
	$(PY) tools/expected.py

# The reproducibility check of the shipped profile (Linux x86_64): Argyll's colprof from the pinned Debian
# package makes it again from FOGRA39L.ti3; the sha256 must be the manifest's and the bytes the shipped ones.
profile-verify: $(STAMP)
	$(PY) tools/profile_verify.py

clean:
	rm -rf out .cache

# The bench also runs the peer (Typst, the `bench` extra) in the same run and prints the ratio.
$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@

bench: $(FONTS) $(VENV)/.bench-installed
	$(PY) bench/bench.py
