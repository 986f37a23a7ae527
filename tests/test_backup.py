"""Backup and restore on both engines: the Ladybug file copy, and the portable file a Neo4j server is backed up to.

Each test changes what the backup holds (graph, accounts, audit) after taking it, so that a restore that
did nothing, or only part, fails; and a bad or damaged file must leave the store exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from graph import accounts, audit, backup, portable, writes
from graph.dataset import Dataset, Row
from graph.errors import StoreError
from graph.store import GraphStore
from tests.fixtures import county_programme, invoke

START = dt.date(2031, 1, 1)
# Between one planner's writes: busier than people are, and still gaps for a backup's read.
PLANNER_PAUSE = 0.05
# How many pairings the planner makes while backups are taken: Neo4j's window is a read racing a commit, so many;
# Ladybug's snapshot holds the writers' lock, which a few writes show.
PLANNER_WRITES = {"ladybug": 10, "neo4j": 30}
PASSWORD = "password1234"


def _state(store: GraphStore) -> tuple[Any, dict[str, list[Row]]]:
    return store.dump(), store.system_rows()


def _busy_store(any_store) -> GraphStore:
    """The small county programme, an account and a pairing of a planner's: every kind of thing a backup holds."""
    store: GraphStore = any_store(county_programme())
    accounts.add(store, "p", PASSWORD, "planner", ["石砚区"], actor="admin")
    writes.create_pairing(store, "C01", "V05", START, actor="alice", form="voluntary")
    return store


def _backup_name(store: GraphStore) -> str:
    return "b.lbug" if store.engine == "ladybug" else f"b{portable.SUFFIX}"


def test_backup_then_change_then_restore_gives_back_the_same_store(any_store, cheap_hashing, tmp_path: Path) -> None:
    store = _busy_store(any_store)
    graph, system = _state(store)
    path = backup.backup(store, tmp_path / _backup_name(store))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds the password hashes
    assert not list(tmp_path.glob("*.partial"))
    # Change the graph, the accounts and the audit, then restore.
    writes.delete_link(store, "pairing", "C01", "V05", START, actor="bob")
    writes.create_pairing(store, "C02", "V01", START, actor="bob")
    accounts.remove(store, "p", actor="bob")
    backup.restore(store, path, actor="carol")
    restored, restored_system = _state(store)
    assert restored == graph
    assert restored_system["Account"] == system["Account"]
    # The restored audit is the saved one plus the restore's own entry.
    assert restored_system["AuditEntry"][:-1] == system["AuditEntry"]
    assert [(e.actor, e.action, e.target) for e in audit.entries(store)][-1] == ("carol", "restore", path.name)
    assert accounts.authenticate(store, "p", PASSWORD) is not None
    # The store takes writes again.
    writes.end_link(store, "pairing", "C01", "V05", START + dt.timedelta(days=1))


def _damaged_backups(good: Path, folder: Path) -> dict[str, Path]:
    """Files a restore must refuse, made from a good portable backup: each damaged in another way."""
    data = good.read_bytes()
    document = json.loads(gzip.decompress(data))
    out: dict[str, bytes] = {
        "not a backup": b"not a database" * 100,
        "truncated": data[: len(data) // 2],
        # A flipped byte inside the compressed stream: gzip's CRC or the inflater catches it.
        "flipped byte": data[:40] + bytes([data[40] ^ 0xFF]) + data[41:],
        "another format": gzip.compress(json.dumps({**document, "format": "something-else"}).encode()),
        "a newer version": gzip.compress(json.dumps({**document, "version": portable.VERSION + 1}).encode()),
    }
    fewer = {**document, "nodes": {**document["nodes"], "Village": document["nodes"]["Village"][1:]}}
    out["a village short of its counts"] = gzip.compress(json.dumps(fewer).encode())
    # Counts that agree, but a pairing whose village is gone: only the load can tell, and it must roll back.
    gone = document["links"]["PAIRED_WITH"][0]["dst"]
    villages = [v for v in document["nodes"]["Village"] if v["id"] != gone]
    orphan = {**document, "nodes": {**document["nodes"], "Village": villages}}
    orphan["counts"] = {**document["counts"], "Village": len(villages)}
    out["a link to a missing village"] = gzip.compress(json.dumps(orphan).encode())
    paths = {}
    for i, (why, content) in enumerate(out.items()):
        paths[why] = folder / f"bad{i}{portable.SUFFIX}"
        paths[why].write_bytes(content)
    return paths


def test_restore_of_a_bad_or_damaged_file_changes_nothing(any_store, cheap_hashing, tmp_path: Path) -> None:
    store = _busy_store(any_store)
    good = backup.backup(store, tmp_path / f"good{portable.SUFFIX}", portable_file=True)
    before = _state(store)
    for why, path in _damaged_backups(good, tmp_path).items():
        with pytest.raises(StoreError):
            backup.restore(store, path, actor="mallory")
        assert _state(store) == before, why
    with pytest.raises(StoreError, match="no backup file"):
        backup.restore(store, tmp_path / "missing.lbug")
    assert _state(store) == before
    assert not list(tmp_path.glob("*.restoring*"))


def test_cli_backup_restore_and_the_automatic_backup_of_a_replace(
    any_location, cheap_hashing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(backup.SERVER_BACKUPS_ENV, str(tmp_path / "server-backups"))
    ledger_dir = tmp_path / "ledger"
    db = any_location(county_programme(), users=[("p1", PASSWORD, "viewer")])

    def run(*args: str, code: int = 0) -> str:
        return invoke("--db", db, *args, code=code).output

    saved = tmp_path / "cli-backup"
    assert "backed up" in run("backup", str(saved))
    run("user", "remove", "p1")
    assert "p1" not in run("user", "list")
    run("--user", "dora", "restore", "--yes", str(saved))
    assert "p1" in run("user", "list")
    # A replace backs the store up first, on either engine; `backups` lists it and it restores.
    run("export", str(ledger_dir))
    run("--user", "alice", "link", "add", "pairing", "--from", "C01", "--to", "V05", "--since", "2031-01-01")
    run("--user", "bob", "load", "--replace", "--overwrite-newer", str(ledger_dir))
    listed = json.loads(run("backups", "--format", "json"))
    assert [b["reason"] for b in listed] == ["replace"]
    assert stat.S_IMODE(Path(listed[0]["path"]).stat().st_mode) == 0o600
    run("--user", "carol", "restore", "--yes", listed[0]["path"])
    # Back to just before the replace: alice's pairing, then the restore; bob's import is gone with its graph.
    trail = json.loads(run("audit", "--format", "json"))
    assert [(e["actor"], e["action"]) for e in trail[-2:]] == [("alice", "pairing.create"), ("carol", "restore")]


@pytest.mark.neo4j
def test_an_embedded_backup_restores_into_the_server(
    neo4j_store: GraphStore, make_store, cheap_hashing, tmp_path: Path
) -> None:
    """And the other way: the embedded store's portable file puts the same store, accounts and audit, on the server."""
    embedded = _busy_store(make_store)
    path = backup.backup(embedded, tmp_path / f"embedded{portable.SUFFIX}", portable_file=True)
    backup.restore(neo4j_store, path, actor="carol")
    assert neo4j_store.dump() == embedded.dump()
    assert neo4j_store.system_rows()["Account"] == embedded.system_rows()["Account"]
    assert neo4j_store.system_rows()["AuditEntry"][:-1] == embedded.system_rows()["AuditEntry"]
    assert accounts.authenticate(neo4j_store, "p", PASSWORD) is not None


@pytest.mark.neo4j
def test_a_server_backup_restores_into_the_embedded_store(neo4j_store: GraphStore, make_store, tmp_path: Path) -> None:
    """The portable file is engine-neutral: a Neo4j backup puts the same store back in a Ladybug file."""
    neo4j_store.load(county_programme())
    writes.create_pairing(neo4j_store, "C01", "V05", START, actor="alice")
    path = backup.backup(neo4j_store, tmp_path / f"server{portable.SUFFIX}")
    embedded = make_store()
    backup.restore(embedded, path, actor="carol")
    assert embedded.dump() == neo4j_store.dump()
    assert embedded.system_rows()["AuditEntry"][:-1] == neo4j_store.system_rows()["AuditEntry"]


def test_a_portable_backup_is_one_moment_while_a_planner_writes(any_store, tmp_path: Path) -> None:
    """Backups taken while pairings are being made: each holds every pairing whose audit entry it holds.

    A pairing and its entry commit together, so a backup that saw one state holds both or neither;
    one read transaction alone does not (Neo4j reads at read committed), which this catches; on Ladybug
    the snapshot holds the writers' lock, which the planner's writes must wait for.
    """
    store = any_store(county_programme())
    stop, made = threading.Event(), []

    def planner() -> None:
        day = START
        while not stop.wait(PLANNER_PAUSE):
            writes.create_pairing(store, "C02", "V01", day, until=day, actor="alice")
            made.append(day)
            day += dt.timedelta(days=1)

    thread = threading.Thread(target=planner)
    thread.start()
    taken: list[tuple[Dataset, dict[str, list[Row]]]] = []
    refused = 0
    try:
        while len(made) < PLANNER_WRITES[store.engine] and thread.is_alive():
            try:
                path = backup.backup(store, tmp_path / f"b{len(taken)}{portable.SUFFIX}", portable_file=True)
            except StoreError as exc:  # the planner never paused long enough: said plainly
                assert "changed during each" in str(exc)
                refused += 1
                continue
            taken.append(portable.read(path))
    finally:
        stop.set()
        thread.join(timeout=60)
    assert len(made) >= PLANNER_WRITES[store.engine], "the planner stopped writing"
    assert taken, f"no backup could be taken while one planner wrote ({refused} refused)"
    for dataset, system in taken:
        entries = sum(1 for e in system["AuditEntry"] if e["action"] == "pairing.create")
        pairings = sum(1 for p in dataset.links["PAIRED_WITH"] if p["src"] == "C02" and p["dst"] == "V01")
        assert entries == pairings, (entries, pairings)
