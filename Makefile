# filiere — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DEMO_DIR ?= demo

.PHONY: all demo test lint env browser web-assets bench clean

all: test

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

env: $(STAMP)

# Debian chromium for the browser tests and screenshots (playwright cannot download its own build here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian chromium (needed by the browser tests)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; }

# Front-end packages come from npm at set-up time (never a CDN, never copied into the repo).
web-assets:
	@if [ -f filiere/web/package.json ]; then \
	  command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }; \
	  cd filiere/web && npm install --silent --no-audit --no-fund >/dev/null; \
	fi

lint: env
	$(VENV)/bin/ruff check filiere tests bench

test: env browser web-assets
	$(VENV)/bin/ruff check filiere tests bench
	$(VENV)/bin/pytest -q

demo: env browser web-assets
	$(VENV)/bin/filiere demo $(DEMO_DIR) --fresh $(DEMO_ARGS)

bench: env
	@echo "each bench/*.py script prints its figures and the command that produced them; see docs/benchmarks.md"

clean:
	rm -rf $(VENV) demo .pytest_cache .ruff_cache
