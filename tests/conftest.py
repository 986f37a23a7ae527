"""The pytest fixtures the test files share; the functions behind them are in tests/fixtures.py (import from there)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
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
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI is not set: no Neo4j server to test against (see docs/neo4j.md)")
    store = Neo4jStore(uri)
    store.write("load/clear")
    yield store
    store.write("load/clear")
    store.close()


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 for the tests that make many accounts but test other things (see fixtures.cheap_hashing)."""
    fixtures.cheap_hashing(monkeypatch)


@pytest.fixture(autouse=True)
def _close_app_stores() -> Iterator[None]:
    """Close the stores an AppTest's app opened (`graph.ui.state` caches one per file for the process)."""
    yield
    state = sys.modules.get("graph.ui.state")
    if state is not None:
        state.close_stores()
