"""Shared fixtures: a factory that builds a real store from `seed/`, a synthetic scale or a Dataset."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.dataset import Dataset
from graph.store import GraphStore, LadybugStore, Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"

StoreFactory = Callable[..., GraphStore]


def seed_dataset() -> Dataset:
    from graph import interchange

    return interchange.read(SEED)


def synth_dataset(scale: str = "county", seed: int = 42) -> Dataset:
    from graph import synth

    return synth.generate(scale, seed)


@pytest.fixture(scope="session")
def seed_data() -> Dataset:
    return seed_dataset()


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[StoreFactory]:
    """`make_store()`: an empty store; `make_store("seed")`, `make_store("county")`, `make_store(dataset)`: loaded.

    Each call gives a new Ladybug file under the test's tmp_path; all are closed at the end.
    """
    opened: list[GraphStore] = []

    def factory(source: str | Dataset | None = None, name: str | None = None) -> GraphStore:
        store = LadybugStore(tmp_path / f"{name or f'store{len(opened)}'}.lbug")
        opened.append(store)
        if source is None:
            return store
        if isinstance(source, Dataset):
            store.load(source)
        elif source == "seed":
            store.load(seed_dataset())
        else:
            store.load(synth_dataset(source))
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """One store loaded from seed/, shared read-only by the tests that only read."""
    store = LadybugStore(tmp_path_factory.mktemp("seed") / "seed.lbug")
    store.load(seed_dataset())
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
