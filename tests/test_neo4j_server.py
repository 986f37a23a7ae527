"""The test server itself: what `make test` starts, and how the store talks to it."""

from __future__ import annotations

import logging

import pytest

from graph.store import Neo4jStore

pytestmark = pytest.mark.neo4j


def test_labels_the_graph_lacks_raise_no_warnings(neo4j_store: Neo4jStore, caplog: pytest.LogCaptureFixture) -> None:
    """A fresh server (or a county without cadres) lacks some of the model's labels and types: the driver must not
    print the server's "does not exist" warning for each of them on every command."""
    with caplog.at_level(logging.INFO, logger="neo4j"):
        # A type no test ever creates: the server keeps the names it once saw, so the model's own would not warn.
        neo4j_store._driver.execute_query("MATCH ()-[:NEVER_MADE_BY_ANY_TEST]->() RETURN count(*) AS n")
    assert [r.getMessage() for r in caplog.records if "does not exist" in r.getMessage()] == []


def test_a_wrong_password_is_a_clear_store_error(neo4j_store: Neo4jStore) -> None:
    from graph.errors import StoreError

    with pytest.raises(StoreError, match="cannot connect to Neo4j at bolt://"):
        Neo4jStore(neo4j_store.location, user="neo4j", password="not the password")
