"""After bulk writes: a wipe empties a store bigger than one of its batches, and Neo4j plans on the loaded graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest

from graph import queries
from graph.store import GraphStore
from graph.store import neo4j as neo4j_module
from tests import fixtures
from tests.fixtures import StoreFactory


def test_wipe_empties_a_store_bigger_than_one_batch(any_store: StoreFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Neo4j wipes WIPE_BATCH nodes a transaction (a province in one would not fit a 2 GB heap): a small batch
    # makes the seed take many, so a loop that stopped early would leave nodes behind.
    monkeypatch.setattr(neo4j_module, "WIPE_BATCH", 7)
    store = any_store("seed")
    assert sum(store.counts().values()) > 7 * 3
    store.wipe()
    assert store.is_empty()
    assert store.system_rows() == {"Account": [], "AuditEntry": []}


def _estimated_rows(store: GraphStore, name: str, params: Mapping[str, object]) -> float:
    with store._driver.session() as session:  # type: ignore[attr-defined]
        plan = session.run("EXPLAIN " + queries.get(name).text, dict(params)).consume().plan
    return float(plan["args"]["EstimatedRows"])


@pytest.mark.neo4j
def test_neo4j_plans_on_the_loaded_graph_not_the_empty_one(
    neo4j_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Planned on the samples of the empty server, the unpaired list at province scale scanned every village once
    # per weak village (over ten minutes); `load` now refreshes the samples and the plan cache (load/replan).
    # A county is below the size that refreshes the statistics (REPLAN_MIN_ROWS): a city would take seconds.
    monkeypatch.setattr(neo4j_module, "REPLAN_MIN_ROWS", 100)
    params = {"asof": dt.date(2026, 11, 1), "city": None, "county": None, "township": None}
    assert _estimated_rows(neo4j_store, "gaps/unpaired", params) < 1
    neo4j_store.load(fixtures.dataset("county"))
    assert _estimated_rows(neo4j_store, "gaps/unpaired", params) >= 1
