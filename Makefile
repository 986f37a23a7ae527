# Two commands for a new user: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/pairing.lbug
PORT ?= 8501
# The app listens on this machine only. To serve planners on the network, say so: `make run HOST=0.0.0.0`
# (or one address of the machine), behind HTTPS and a firewall (docs/security.md, "Serving on a network").
HOST ?= 127.0.0.1

.PHONY: setup fonts browser run test test-fast fuzz screenshots lint bench clean neo4j neo4j-stop

# A real Neo4j (Community, from Maven Central) on 127.0.0.1 for the tests and for trying the server path:
# `make neo4j` builds the launcher once, starts it, waits until it answers and writes $(NEO4J_DIR).env.
NEO4J_DIR ?= data/neo4j
NEO4J_PORT ?= 7687
NEO4J_LAUNCHER = tools/neo4j/target/.built
# Maven keeps what it downloads in ~/.m2/repository; MAVEN_REPO=DIR puts it where a CI machine keeps its cache.
MAVEN_REPO ?=

$(NEO4J_LAUNCHER): tools/neo4j/pom.xml tools/neo4j/src/main/java/pairing/neo4j/Launcher.java
	mvn -q -B $(if $(MAVEN_REPO),-Dmaven.repo.local=$(MAVEN_REPO)) -f tools/neo4j/pom.xml package
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed fonts

# The 通报's PDF embeds a CJK font with TrueType outlines (graph/bulletin.py): Debian's fonts-wqy-zenhei,
# installed here when this user may (PAIRING_CJK_FONT names another file). Without it everything else works and a
# PDF report fails naming the package, so the app still starts where this user cannot install it.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
fonts:
	@test -n "$$PAIRING_CJK_FONT" || test -f $(CJK_FONT) || bash .ci/install-font.sh \
		|| echo "warning: no CJK font for the PDF report; everything else works" >&2

# Debian's chromium for the browser test (installed once; nothing is downloaded by Playwright).
browser: $(VENV)/.installed
	PYTHON=$(BIN)/python bash .ci/browser-deps.sh

# The first run also creates the demo account `admin` and prints its password once (sign in with it).
run: setup
	$(BIN)/pairing --db $(DB) load seed/ --if-empty
	$(BIN)/pairing --db $(DB) stats
	$(BIN)/pairing --db $(DB) user demo-admin
	PAIRING_DB=$(DB) $(BIN)/streamlit run serve.py --server.headless true --server.address $(HOST) --server.port $(PORT) \
		--browser.gatherUsageStats false

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict graph
	$(BIN)/mypy app.py serve.py bench tests tools

# Everything: lint, the browser's dependencies, then every test (slow ones too), the engine-facing ones on both
# engines: a Neo4j of the run's own is started and stopped around pytest (tools/neo4j/with-neo4j.sh), and there
# a test that finds no server fails (PAIRING_NEO4J_REQUIRED). Fails if the run changed the working tree
# (.ci/tree-unchanged prints what): screenshots go to test-artifacts/, which git ignores.
# TEST_WORKERS pytest-xdist workers share the run, each with a Neo4j of its own (Community has one database).
TEST_WORKERS ?= 2
test: lint browser $(NEO4J_LAUNCHER)
	PAIRING_NEO4J_REQUIRED=1 NEO4J_SERVERS=$(TEST_WORKERS) bash tools/neo4j/with-neo4j.sh \
		bash .ci/tree-unchanged $(BIN)/pytest -n $(TEST_WORKERS)

# The inner loop: every test but those marked slow (crash kills, the big hypothesis runs, the browser), without
# the lint and browser setup steps: about 100 s on 2 shared cores (measured), against about 5 minutes for `make test`.
test-fast: $(VENV)/.installed node_modules/.installed
	bash .ci/tree-unchanged $(BIN)/pytest -n $(TEST_WORKERS) -m "not slow"

# The import fuzz at nightly size: 1,000 hostile ledgers (as a folder and as a ZIP upload) imported into a real
# store, each whole or refused with a clear error (`make test` runs 120). About 90 s on 2 shared cores; prints
# hypothesis' statistics. `make fuzz FUZZ_EXAMPLES=N` for another size.
FUZZ_EXAMPLES ?= 1000
fuzz: $(VENV)/.installed
	PAIRING_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_import_fuzz.py -q --hypothesis-show-statistics

# Refresh the README's pictures: the browser test, with its screenshots written to docs/screenshots/.
screenshots: setup browser
	PAIRING_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/test_browser.py

neo4j: $(NEO4J_LAUNCHER)
	bash tools/neo4j/start.sh $(NEO4J_DIR) $(NEO4J_PORT)

neo4j-stop:
	bash tools/neo4j/stop.sh $(NEO4J_DIR)

# Every benchmark (load, gap queries, matching, app) at county, city and province scale, with the
# networkx and greedy comparisons, and Ladybug and Neo4j side by side, into bench/results.md.
# The side by side runs on the server of NEO4J_URI if set (a scratch one: the bench empties it), else on a
# Neo4j of the run's own (tools/neo4j/with-neo4j.sh) with a heap of BENCH_NEO4J_HEAP: 6 GB, since on the
# launcher's 2 GB a province does not load in one transaction (measured; the bench then loads it in batches).
# `make bench ARGS=--nation` adds the nation scale (500k villages: about 10 more minutes, ~8 GB; not side by side).
# `make bench ARGS=--side-by-side-only` runs only the side by side and rewrites only its section.
BENCH_NEO4J_HEAP ?= 6g
bench: setup $(NEO4J_LAUNCHER)
	$(if $(NEO4J_URI),,NEO4J_JAVA_OPTS=-Xmx$(BENCH_NEO4J_HEAP) bash tools/neo4j/with-neo4j.sh) \
		$(BIN)/python bench/run_all.py $(ARGS)

clean:
	rm -rf $(VENV) node_modules data .mypy_cache .ruff_cache .pytest_cache .hypothesis test-artifacts
