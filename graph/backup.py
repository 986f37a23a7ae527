"""Backups of the embedded store: a consistent copy of the whole Ladybug file, and an atomic restore.

Why a file copy rather than an export: the file holds everything (graph, accounts with their
hashes, audit trail, schema) exactly, a copy after CHECKPOINT under the store's lock is a
consistent snapshot taken in well under a second even at city scale, and restoring it needs no
re-import. The price: a backup opens only with the Ladybug version that wrote it (pinned in
pyproject); for a portable copy of the graph use `pairing export`. A Neo4j server is backed up with
its own tools (`neo4j-admin database dump`/`backup`), not from here.

Automatic backups (`keep`): every `load --replace` first copies the store into `<store>.backups/`
(a folder 0700, files 0600, named by UTC time), with a small JSON note beside each file (why, which
ledger, who, the counts), so that `pairing backups` lists them without opening a database and
`pairing restore` puts one back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import audit
from graph.errors import StoreError
from graph.model import NODES, RELS
from graph.store import GraphStore, LadybugStore, Tx

BACKUPS_SUFFIX = ".backups"
_NOTE_SUFFIX = ".json"
_STAMP = "%Y%m%dT%H%M%S%fZ"


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


@dataclass(frozen=True)
class BackupInfo:
    """One automatic backup as listed: the file, when it was taken, its size and its note (if readable)."""

    path: Path
    taken: dt.datetime
    size: int
    reason: str
    ledger: str
    actor: str
    counts: dict[str, int]

    def row(self) -> dict[str, Any]:
        return {
            "name": self.path.name,
            "taken": self.taken.isoformat(timespec="seconds"),
            "size": self.size,
            "reason": self.reason,
            "ledger": self.ledger,
            "actor": self.actor,
            "villages": self.counts.get("Village"),
            "nodes": sum(self.counts.get(n.label, 0) for n in NODES) if self.counts else None,
            "links": sum(self.counts.get(r.type, 0) for r in RELS) if self.counts else None,
            "path": str(self.path),
        }


def backups_dir(location: str | Path) -> Path:
    """Where the automatic backups of the Ladybug file at `location` live: `<file>.backups/` beside it."""
    location = Path(location)
    return location.with_name(location.name + BACKUPS_SUFFIX)


def can_keep(store: GraphStore) -> bool:
    """Whether `keep` can back this store up (the embedded file; not a Neo4j server)."""
    return isinstance(store, LadybugStore)


def keep(store: GraphStore, reason: str, *, ledger: str = "", actor: str | None = None) -> Path:
    """Back the store up into its backups folder before a destructive change; returns the new file.

    Neo4j is refused (a server cannot be copied as a file): the caller says what to do instead.
    """
    target = _ladybug(store)
    folder = backups_dir(target.path)
    # The folder and its files are private: a backup holds the password hashes.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    taken = dt.datetime.now(dt.UTC)
    path = folder / f"{taken.strftime(_STAMP)}-{reason}.lbug"
    note = {
        "taken": taken.isoformat(),
        "reason": reason,
        "ledger": ledger,
        "actor": actor or audit.default_actor(),
        "counts": target.counts(),
    }
    backup(target, path)
    note_path = path.with_name(path.name + _NOTE_SUFFIX)
    fd = os.open(note_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(note, out, ensure_ascii=False)
    return path


def list_backups(location: str | Path) -> list[BackupInfo]:
    """The automatic backups of the store at `location`, oldest first; a missing or unreadable note is tolerated."""
    folder = backups_dir(location)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.lbug")):
        note = _note(path)
        stat = path.stat()
        taken = _parse_time(note.get("taken")) or dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
        counts = note.get("counts")
        out.append(
            BackupInfo(
                path=path,
                taken=taken,
                size=stat.st_size,
                reason=str(note.get("reason", "")),
                ledger=str(note.get("ledger", "")),
                actor=str(note.get("actor", "")),
                counts={str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else {},
            )
        )
    return sorted(out, key=lambda b: b.taken)


def _note(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.with_name(path.name + _NOTE_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None
