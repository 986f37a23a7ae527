# Two commands for a new user: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/pairing.lbug
PORT ?= 8501

.PHONY: setup browser run test lint bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Debian's chromium for the browser test (installed once; nothing is downloaded by Playwright).
browser: $(VENV)/.installed
	PYTHON=$(BIN)/python bash .ci/browser-deps.sh

# The first run also creates the demo account `admin` and prints its password once (sign in with it).
run: setup
	$(BIN)/pairing --db $(DB) load seed/ --if-empty
	$(BIN)/pairing --db $(DB) stats
	$(BIN)/pairing --db $(DB) user demo-admin
	PAIRING_DB=$(DB) $(BIN)/streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graph app.py bench tests tools

test: lint browser
	$(BIN)/pytest

# Every benchmark (load, gap queries, matching, app) at county, city and province scale, with the
# networkx and greedy comparisons, into bench/results.md (about 5 minutes on 2 cores).
# `make bench ARGS=--nation` adds the nation scale (500k villages: about 10 more minutes, ~8 GB).
bench: setup
	$(BIN)/python bench/run_all.py $(ARGS)

clean:
	rm -rf $(VENV) node_modules data .mypy_cache .ruff_cache .pytest_cache
