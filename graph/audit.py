"""The audit trail: who changed what, when, with the state before and after.

An entry is an `AuditEntry` node written by `record` inside the transaction of the change it
describes, so a change and its entry are committed, or lost, together: there is no change
without an entry and no entry for a change that was rolled back. Entries are system nodes
(`graph.model.SYSTEM_NODES`): never exported with the ledger, carried over by bulk reloads and
kept in backups.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import uuid
from dataclasses import dataclass
from typing import Any

from graph.dataset import Row
from graph.model import SUPPORT_KINDS
from graph.store import GraphStore, Tx

# Actions recorded by the package; `entries(action=…)` filters on these names.
ACTIONS = (
    "import",
    # The writes of every kind of support link (graph.writes).
    *(f"{kind}.{verb}" for kind in SUPPORT_KINDS for verb in ("create", "end", "update", "delete")),
    "activity.add",
    "activity.update",
    "activity.delete",
    "match.apply",
    "need.add",
    "need.withdraw",
    "resource.add",
    "claim",
    "claim.choose",
    "project.set",
    "user.add",
    "user.remove",
    "user.set-role",
    "user.set-password",
    "user.lock",
    "user.unlock",
    "restore",
)


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: dt.datetime  # UTC, timezone-aware
    actor: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def default_actor() -> str:
    """The OS user: the actor of a change made from the command line without `--user`."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json(value: dict[str, Any] | None) -> str | None:
    # default=str: dates and other plain values become their ISO/text form rather than failing the change.
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def new_row(actor: str, action: str, target: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> Row:
    """The stored properties of a new entry (also used to write entries into a freshly built file)."""
    at = now()
    # Time first so that ids sort like entries; the random tail keeps ids unique within a microsecond.
    return {
        "id": f"{at.strftime('%Y%m%dT%H%M%S%fZ')}-{uuid.uuid4().hex[:12]}",
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": target,
        "before": _json(before),
        "after": _json(after),
    }


def record(
    tx: Tx,
    actor: str,
    action: str,
    target: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Write one entry in `tx`, the transaction of the change itself."""
    tx.run("audit/record", new_row(actor, action, target, before, after))


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=dt.datetime.fromisoformat(row["at"]),
        actor=row["actor"],
        action=row["action"],
        target=row["target"] or "",
        before=json.loads(row["before"]) if row["before"] is not None else None,
        after=json.loads(row["after"]) if row["after"] is not None else None,
    )


def rows(store: GraphStore) -> list[Row]:
    """Every entry as stored (JSON text), for carrying entries into a new file and for backups."""
    return store.read("audit/entries", {"since": "", "actor": "", "action": ""})


def entries(
    store: GraphStore, since: dt.date | None = None, actor: str | None = None, action: str | None = None
) -> list[AuditEntry]:
    """Entries from the start of `since` (UTC), by `actor` and `action` when given, oldest first."""
    params = {"since": since.isoformat() if since is not None else "", "actor": actor or "", "action": action or ""}
    return [_entry(r) for r in store.read("audit/entries", params)]


def as_row(entry: AuditEntry) -> dict[str, Any]:
    """An entry as a flat row for tables, CSV and JSON output."""
    return {
        "at": entry.at.isoformat(timespec="seconds"),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "before": _json(entry.before) or "",
        "after": _json(entry.after) or "",
    }
