"""The pytest fixtures the test files share; the functions behind them are in tests/fixtures.py (import from there)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from graph.dataset import Dataset
from graph.store import GraphStore, LadybugStore, Neo4jStore
from tests import fixtures
from tests.fixtures import Source, StoreFactory


@pytest.fixture(scope="session")
def seed_data() -> Dataset:
    return fixtures.seed_dataset()


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[StoreFactory]:
    """`make_store()`: an empty store; `make_store("seed")`, `make_store("county")`, `make_store(dataset)`: loaded.

    A scale is generated with the fixed seed (`fixtures.synth_dataset`). Each call gives a new Ladybug
    file under the test's tmp_path; all are closed at the end.
    """
    opened: list[GraphStore] = []

    def factory(source: Source | None = None, name: str | None = None) -> GraphStore:
        store = LadybugStore(tmp_path / f"{name or f'store{len(opened)}'}.lbug")
        opened.append(store)
        if source is not None:
            store.load(fixtures.dataset(source))
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """One store loaded from seed/, shared read-only by the tests that only read."""
    store = LadybugStore(tmp_path_factory.mktemp("seed") / "seed.lbug")
    store.load(fixtures.seed_dataset())
    yield store
    store.close()


@pytest.fixture
def neo4j_store() -> Iterator[GraphStore]:
    """The test server's one database, emptied before and after (accounts and audit entries too)."""
    store = fixtures.open_engine("neo4j", Path(), fresh=True)
    yield store
    store.wipe()
    store.close()


@pytest.fixture(params=[pytest.param(e, marks=pytest.mark.neo4j) if e == "neo4j" else e for e in fixtures.ENGINES])
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: the test runs once on the embedded store and once on the Neo4j test server."""
    return str(request.param)


@pytest.fixture
def any_store(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreFactory]:
    """`any_store(source=None)`: a store on `engine`, empty or loaded from `source` (as `make_store`).

    Ladybug: a new file under tmp_path per call. Neo4j: the test server's one database (Community has
    one), wiped, accounts and audit too; so one call per test on Neo4j (a second store: `make_store`).
    """
    opened: list[GraphStore] = []
    fixtures.server_backups_in(tmp_path, monkeypatch)

    def factory(source: Source | None = None) -> GraphStore:
        # Named apart from make_store's files: a test may take both (a Ladybug source, a target on each engine).
        store = fixtures.open_engine(engine, tmp_path / f"any_store{len(opened)}.lbug", fresh=True)
        if engine == "neo4j" and opened:
            raise AssertionError("one Neo4j store per test: the server has one database")
        opened.append(store)
        if source is not None:
            store.load(fixtures.dataset(source))
        return store

    yield factory
    for store in opened:
        if store.engine == "neo4j":
            store.wipe()
        store.close()


@pytest.fixture
def any_location(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """`any_location(source=None, users=())`: where a store on `engine` is (a file path or the server's URI),
    loaded and closed again, for the code that opens it itself (the CLI, the app). As `fixtures.store_file`."""
    used: list[str] = []
    fixtures.server_backups_in(tmp_path, monkeypatch)

    def factory(source: Source | None = None, users: Iterable[tuple[str, str, str]] = ()) -> str:
        if engine == "neo4j" and used:
            raise AssertionError("one Neo4j store per test: the server has one database")
        location = fixtures.engine_location(engine, tmp_path / f"located{len(used)}.lbug", source, users)
        used.append(location)
        return location

    yield factory
    if engine == "neo4j" and used:
        with Neo4jStore(used[0]) as store:
            store.wipe()


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 for the tests that make many accounts but test other things (see fixtures.cheap_hashing)."""
    fixtures.cheap_hashing(monkeypatch)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on the Neo4j server: CI must show them passing, not skipped for want of a server."""
    outcomes: Counter[str] = Counter()
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "neo4j" in getattr(report, "keywords", {}) and (report.when == "call" or outcome != "passed"):
                outcomes[outcome] += 1
    terminalreporter.write_line(
        "Neo4j server tests: " + ", ".join(f"{outcomes[o]} {o}" for o in ("passed", "failed", "error", "skipped"))
    )


@pytest.fixture(autouse=True)
def _close_app_stores() -> Iterator[None]:
    """Close the stores an AppTest's app opened (`graph.ui.state` caches one per file for the process)."""
    yield
    state = sys.modules.get("graph.ui.state")
    if state is not None:
        state.close_stores()
