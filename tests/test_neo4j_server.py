"""The test server itself: what `make test` starts, and how the store talks to it."""

from __future__ import annotations

import logging
import re
import shlex
from pathlib import Path

import pytest

from graph import interchange
from graph.store import Neo4jStore
from tests import fixtures

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


def test_the_restore_command_a_replace_prints_puts_that_server_back(
    neo4j_store: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`load --replace` saves the server first and prints how to undo it: run as printed, the command must restore
    that server (without its --db it would restore into the default embedded file instead)."""
    monkeypatch.setenv("PAIRING_BACKUPS", str(tmp_path / "backups"))
    neo4j_store.load(fixtures.seed_dataset())
    before = neo4j_store.dump()
    ledger = tmp_path / "ledger"
    interchange.write_folder(fixtures.county_programme(), ledger)
    out = fixtures.invoke("--db", neo4j_store.location, "load", "--replace", "--yes-shrink", str(ledger)).output
    (undo,) = re.findall(r"restore with `([^`]+)`", out)
    assert neo4j_store.dump() != before
    fixtures.invoke(*shlex.split(undo)[1:])
    fixtures.assert_same_graph(neo4j_store.dump(), before)
