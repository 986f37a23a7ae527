"""The store boundary logs every named query at debug level: name, rows and time."""

from __future__ import annotations

import logging

import pytest

from graph.errors import StoreError
from graph.store import GraphStore


def test_reads_and_writes_are_logged_with_name_and_rows(
    seed_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="graph.store"):
        rows = seed_store.read("stats/node_names")
    messages = [r.getMessage() for r in caplog.records if r.name == "graph.store"]
    assert len(messages) == 1
    assert messages[0].startswith(f"ladybug read stats/node_names: {len(rows)} rows in ")
    assert messages[0].endswith(" ms")


def test_nothing_is_logged_above_debug(seed_store: GraphStore, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="graph.store"):
        seed_store.read("stats/counts")
    assert not [r for r in caplog.records if r.name == "graph.store"]


def test_an_engine_error_names_the_query(seed_store: GraphStore) -> None:
    with pytest.raises(StoreError, match=r"query gaps/unpaired failed: .*date"):
        # Text where the query compares dates: the engine refuses it.
        seed_store.read("gaps/unpaired", {"asof": "not a day", "city": None, "county": None, "township": None})
