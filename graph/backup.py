"""Backups: a consistent copy of the whole store (graph, accounts with their hashes, audit), and an atomic restore.

The embedded store is copied as its Ladybug file: the file holds everything exactly, a copy after
CHECKPOINT under the store's lock is a consistent snapshot taken in well under a second even at city
scale, and restoring it needs no re-import; it opens only with the Ladybug version that wrote it
(pinned in pyproject). A Neo4j server cannot be copied as a file, so it is backed up through the driver
into a portable file (`graph.portable`: what `GraphStore.snapshot` reads in one read transaction),
which any engine restores in one transaction. `neo4j-admin database dump` stays the server's own tool
for the whole DBMS (docs/neo4j.md).

Automatic backups (`keep`): every `load --replace` first backs the store up into its backups folder
(`backups_dir`: 0700, files 0600, named by UTC time), with a small JSON note beside each file (why,
which ledger, who, the counts), so that `pairing backups` lists them without opening a database and
`pairing restore` puts one back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import audit, portable
from graph.errors import StoreError
from graph.model import NODES, RELS
from graph.store import GraphStore, LadybugStore, Tx
from graph.store.neo4j import is_neo4j_uri

BACKUPS_SUFFIX = ".backups"
# Where a server's automatic backups go (a folder of this machine; default `data/`): a server has no
# file of ours to keep them beside.
SERVER_BACKUPS_ENV = "PAIRING_BACKUPS"
_LADYBUG_SUFFIX = ".lbug"
_NOTE_SUFFIX = ".json"
_STAMP = "%Y%m%dT%H%M%S%fZ"


def backup(store: GraphStore, path: Path, *, portable_file: bool = False) -> Path:
    """Write a snapshot of the whole store to `path` (never half-written): its Ladybug file, or a portable file.

    A server's is always portable; `portable_file` makes the embedded store's one too (restorable into Neo4j).
    """
    path = Path(path)
    if isinstance(store, LadybugStore) and not portable_file:
        if path.resolve() == store.path.resolve():
            raise StoreError(f"{path} is the store itself; choose another file for the backup")
        store.backup(path)
        return path
    dataset, system = store.snapshot()
    portable.write(path, dataset, system, engine=store.engine, taken=dt.datetime.now(dt.UTC))
    return path


def restore(store: GraphStore, path: Path, *, actor: str | None = None) -> None:
    """Replace the whole store with the backup at `path`, atomically; the restore is audited in the restored store.

    A portable backup (`graph.portable`) restores into either engine, a Ladybug file into the embedded
    store only. The file is read and checked whole before the store is touched.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no backup file {path}")

    def record(tx: Tx) -> None:
        audit.record(tx, actor or audit.default_actor(), "restore", path.name, None, None)

    if portable.is_portable(path):
        dataset, system = portable.read(path)
        store.replace_all(dataset, system, on_tx=record)
    elif isinstance(store, LadybugStore):
        store.restore(path, on_tx=record)
    else:
        raise StoreError(f"{path} is not a backup of a Neo4j store: give a file `pairing backup` wrote from one")


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
    """Where the automatic backups of the store at `location` live.

    A Ladybug file's: `<file>.backups/` beside it. A server's: `<host>-<port>.backups/` in the folder
    PAIRING_BACKUPS names (default `data/`), the URI's scheme and any user name left out.
    """
    if isinstance(location, str) and is_neo4j_uri(location):
        server = location.split("://", 1)[1].rsplit("@", 1)[-1].strip("/")
        folder = Path(os.environ.get(SERVER_BACKUPS_ENV) or "data")
        return folder / (re.sub(r"[^\w.-]+", "-", server) + BACKUPS_SUFFIX)
    location = Path(location)
    return location.with_name(location.name + BACKUPS_SUFFIX)


def keep(store: GraphStore, reason: str, *, ledger: str = "", actor: str | None = None) -> Path:
    """Back the store up into its backups folder before a destructive change; returns the new file."""
    folder = backups_dir(store.location)
    # The folder and its files are private: a backup holds the password hashes.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    taken = dt.datetime.now(dt.UTC)
    suffix = _LADYBUG_SUFFIX if isinstance(store, LadybugStore) else portable.SUFFIX
    path = folder / f"{taken.strftime(_STAMP)}-{reason}{suffix}"
    note = {
        "taken": taken.isoformat(),
        "reason": reason,
        "ledger": ledger,
        "actor": actor or audit.default_actor(),
        "counts": store.counts(),
    }
    backup(store, path)
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
    files = [*folder.glob(f"*{_LADYBUG_SUFFIX}"), *folder.glob(f"*{portable.SUFFIX}")]
    for path in sorted(files):
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
