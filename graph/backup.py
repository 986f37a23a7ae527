"""Backups of the embedded store: a consistent copy of the whole Ladybug file, and an atomic restore.

Why a file copy rather than an export: the file holds everything (graph, accounts with their
hashes, audit trail, schema) exactly, a copy after CHECKPOINT under the store's lock is a
consistent snapshot taken in well under a second even at city scale, and restoring it needs no
re-import. The price: a backup opens only with the Ladybug version that wrote it (pinned in
pyproject); for a portable copy of the graph use `pairing export`. A Neo4j server is backed up with
its own tools (`neo4j-admin database dump`/`backup`), not from here.
"""

from __future__ import annotations

from pathlib import Path

from graph import audit
from graph.errors import StoreError
from graph.store import GraphStore, LadybugStore, Tx


def _ladybug(store: GraphStore) -> LadybugStore:
    if not isinstance(store, LadybugStore):
        raise StoreError(
            f"backup and restore work on the embedded store only; back up the Neo4j server at {store.location} "
            "with `neo4j-admin database dump` (or `backup`)"
        )
    return store


def backup(store: GraphStore, path: Path) -> Path:
    """Write a snapshot of the whole store to `path` (never a half-written file)."""
    path = Path(path)
    target = _ladybug(store)
    if path.resolve() == target.path.resolve():
        raise StoreError(f"{path} is the store itself; choose another file for the backup")
    target.backup(path)
    return path


def restore(store: GraphStore, path: Path, *, actor: str | None = None) -> None:
    """Replace the whole store with the backup at `path`, atomically; the restore is audited in the restored file."""
    target = _ladybug(store)

    def record(tx: Tx) -> None:
        audit.record(tx, actor or audit.default_actor(), "restore", Path(path).name, None, None)

    target.restore(Path(path), on_tx=record)
