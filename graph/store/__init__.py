"""Open the store a user names: a Ladybug file path (default) or a Neo4j URI."""

from __future__ import annotations

import os
from pathlib import Path

from graph.store.base import GraphStore, Tx
from graph.store.ladybug import LadybugStore
from graph.store.neo4j import Neo4jStore, is_neo4j_uri

DEFAULT_DB = "data/pairing.lbug"

__all__ = ["GraphStore", "LadybugStore", "Neo4jStore", "Tx", "open_store", "resolve_location"]


def resolve_location(db: str | None = None) -> str:
    return db or os.environ.get("PAIRING_DB") or DEFAULT_DB


def open_store(db: str | None = None, read_only: bool = False) -> GraphStore:
    location = resolve_location(db)
    if is_neo4j_uri(location):
        return Neo4jStore(location)
    return LadybugStore(Path(location), read_only=read_only)
