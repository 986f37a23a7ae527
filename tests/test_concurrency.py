"""Threads sharing one LadybugStore, and processes sharing one Ladybug file.

Threads: racing planners never take a unit beyond its capacity.

`graph.writes.create_pairing_checked` reads the unit's capacity and overlapping pairings under
the unit's lock in the transaction that creates the link, so of writers racing for the last
places exactly as many succeed as there are places, and the others get a ConflictError.

Processes (`graph.store.locks`): while a child process (tests/_share_worker.py) uses the store as the app
does, reading and writing in a loop, the CLI's commands on the same file succeed, and a backup taken
meanwhile is the store as it was at one moment; a writer that cannot get the store within the wait gets
StoreBusy naming the holder. The app server itself, with the CLI beside it: tests/test_store_sharing_app.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from graph import audit, check, writes
from graph.accounts import Account
from graph.dataset import Dataset, Row
from graph.errors import ConflictError, StoreBusy
from graph.reasons_zh import reason_text
from graph.store import GraphStore, LadybugStore
from tests._crash_worker import START as WORKER_START
from tests._crash_worker import plan
from tests.fixtures import PASSWORD, ROOT, SEED, assert_same_graph, invoke, seed_dataset, store_file

START = dt.date(2040, 1, 1)
ROUNDS = 4


def _store_with_free_places(make_store, places: int, units: int) -> tuple[GraphStore, list[str], list[str]]:
    """A seed store where each of `units` communities has exactly `places` free places from START."""
    data: Dataset = seed_dataset()
    chosen = data.nodes["CityCommunity"][:units]
    for unit in chosen:
        taken = sum(
            1
            for p in data.links["PAIRED_WITH"]
            if p["src"] == unit["id"] and (p["until"] is None or p["until"] >= START)
        )
        unit["capacity"] = taken + places
    villages = [v["id"] for v in data.nodes["Village"] if v["tier"] == "weak"]
    return make_store(data), [u["id"] for u in chosen], villages


def _race(workers: list[Callable[[], None]]) -> list[BaseException | None]:
    barrier = threading.Barrier(len(workers))
    results: list[BaseException | None] = [None] * len(workers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            workers[i]()
        except BaseException as exc:  # collected and judged by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _planner(name: str, store: GraphStore) -> Account:
    counties = tuple(sorted({v["county"] for v in store.read("export/villages") if v["county"]}))
    return Account(name, "planner", counties)


def _overloaded(store: GraphStore, units: list[str]) -> list[str]:
    """Which of `units` hold more pairings than their capacity on START (the seed has overloaded units of its own)."""
    rows = store.read("gaps/unit_load", {"asof": START, "county": None, "city": None})
    return [r["unit_id"] for r in rows if r["status"] == "overloaded" and r["unit_id"] in units]


def _creator(store: GraphStore, unit: str, village: str, account: Account) -> Callable[[], None]:
    return lambda: writes.create_pairing_checked(store, unit, village, START, account=account)


def test_two_planners_race_for_the_last_place(make_store) -> None:
    store, units, villages = _store_with_free_places(make_store, places=1, units=ROUNDS)
    alice, bob = _planner("alice", store), _planner("bob", store)
    for round_, unit in enumerate(units):
        v1, v2 = villages[2 * round_], villages[2 * round_ + 1]
        results = _race([_creator(store, unit, v1, alice), _creator(store, unit, v2, bob)])
        failures = [r for r in results if r is not None]
        assert len(failures) == 1, results
        assert isinstance(failures[0], ConflictError) and "is full" in str(failures[0])
    assert _overloaded(store, units) == []
    # One audit entry per pairing made, none for the refused ones.
    assert len(audit.entries(store, action="pairing.create")) == ROUNDS
    assert check.run(store) == []


def test_many_writers_and_readers_share_one_store(make_store) -> None:
    store, units, villages = _store_with_free_places(make_store, places=2, units=1)
    unit = units[0]
    planner = _planner("p", store)

    def reader() -> None:
        for _ in range(20):
            assert store.counts()["Village"] > 0
            store.read("gaps/unit_load", {"asof": START, "county": None, "city": None})

    results = _race([_creator(store, unit, v, planner) for v in villages[:6]] + [reader, reader])
    outcome = Counter(type(r).__name__ for r in results)
    assert outcome == Counter({"NoneType": 4, "ConflictError": 4}), results
    assert _overloaded(store, units) == []


def test_a_bounded_span_frees_its_place(make_store) -> None:
    store, units, villages = _store_with_free_places(make_store, places=1, units=1)
    unit = units[0]
    writes.create_pairing_checked(store, unit, villages[0], START, until=START + dt.timedelta(days=30))
    with pytest.raises(ConflictError):
        writes.create_pairing_checked(store, unit, villages[1], START + dt.timedelta(days=10))
    # After the first pairing ends, the place is free again.
    before = store.counts()["PAIRED_WITH"]
    writes.create_pairing_checked(store, unit, villages[1], START + dt.timedelta(days=31))
    assert store.counts()["PAIRED_WITH"] == before + 1


# --- many processes, one file ---------------------------------------------------------------------------

SHARING_TIMEOUT = "0.5"


def _worker(*args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests._share_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "started"
    return child


def _stop(child: subprocess.Popen[str]) -> None:
    child.kill()
    child.wait(timeout=60)


def _system(store: GraphStore) -> dict[str, list[Row]]:
    """Accounts and audit entries, without the entry a restore writes into the file it restores."""
    rows = store.system_rows()
    return {**rows, "AuditEntry": [e for e in rows["AuditEntry"] if e["action"] != "restore"]}


def _restored(backup_file: Path, tmp_path: Path) -> LadybugStore:
    """A new store that `pairing restore` filled from `backup_file`."""
    target = tmp_path / f"restored-{backup_file.stem}.lbug"
    invoke("--db", str(target), "restore", "--yes", str(backup_file))
    return LadybugStore(target)


def _worker_pairings(data: Dataset) -> set[tuple[str, str, dt.date]]:
    return {(p["src"], p["dst"], p["since"]) for p in data.links["PAIRED_WITH"] if p["since"] >= WORKER_START}


@pytest.mark.slow
def test_cli_commands_succeed_while_another_process_reads_and_writes(tmp_path: Path) -> None:
    db = store_file(tmp_path / "shared.lbug", "seed", [("boss", PASSWORD, "admin")])
    stop = tmp_path / "stop"
    child = _worker("serve", db, str(stop))
    try:
        counted = {r["name"]: r["count"] for r in json.loads(invoke("--db", db, "stats", "--format", "json").output)}
        assert counted["Village"] > 0
        listed = json.loads(invoke("--db", db, "gaps", "--format", "json").output)
        assert isinstance(listed, list) and listed
        invoke("--db", db, "backup", str(tmp_path / "during.lbug"))
        with LadybugStore(Path(db)) as probe:
            strong = next(v["id"] for v in probe.read("export/villages") if v["tier"] == "strong")
        # A lead, not a pairing: the worker fills the communities' places.
        invoke("--db", db, "--user", "cli", "link", "add", "lead", "--from", strong, "--to", listed[0]["village_id"],
               "--since", "2039-06-01")  # fmt: skip
        invoke("--db", db, "load", str(SEED))
        invoke("--db", db, "load", "--replace", "--yes-shrink", "--overwrite-newer", str(SEED))
        invoke("--db", db, "check")
        stop.touch()
        out, _ = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            _stop(child)
    assert child.returncode == 0, out
    assert int(out.split()[-1]) > 0, "the worker wrote nothing meanwhile"

    with _restored(tmp_path / "during.lbug", tmp_path) as during, LadybugStore(Path(db)) as source:
        # The source as it was at the backup: the seed, the pairings the worker had made by then (a prefix
        # of its plan, each with its audit entry), and the audit trail up to then.
        made = audit.entries(during, actor="share-worker", action="pairing.create")
        planned = {(u, v, s) for u, v, s in plan(during)[: len(made)]}
        graph = during.dump()
        assert _worker_pairings(graph) == planned
        graph.links["PAIRED_WITH"] = [p for p in graph.links["PAIRED_WITH"] if p["since"] < WORKER_START]
        assert_same_graph(graph, seed_dataset())
        then, now = _system(during), _system(source)
        assert then["Account"] == now["Account"]
        assert then["AuditEntry"] == now["AuditEntry"][: len(then["AuditEntry"])]
        # Afterwards: the replace left the seed, the CLI's link is gone with it, the worker went on.
        assert len(audit.entries(source, actor="cli")) == 1
        assert check.run(source) == []


def test_a_quiet_store_backs_up_identical_and_two_objects_see_each_others_writes(tmp_path: Path) -> None:
    db = store_file(tmp_path / "quiet.lbug", "seed", [("boss", PASSWORD, "admin")])
    with LadybugStore(Path(db)) as one, LadybugStore(Path(db)) as two:
        before = two.counts()["PAIRED_WITH"]
        unit = sorted(r["id"] for r in one.read("export/communities"))[0]
        village = next(v["id"] for v in one.read("export/villages") if v["tier"] == "weak")
        writes.create_pairing(one, unit, village, START, actor="one")
        # `two` read before the write; its read-only Database is reopened because the generation moved.
        assert two.counts()["PAIRED_WITH"] == before + 1
        invoke("--db", db, "backup", str(tmp_path / "b.lbug"))
        with _restored(tmp_path / "b.lbug", tmp_path) as restored:
            assert_same_graph(restored.dump(), two.dump())
            assert _system(restored) == _system(two)


@pytest.mark.slow
def test_a_write_waits_a_bounded_time_then_names_who_holds_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_file(tmp_path / "held.lbug", "seed")
    monkeypatch.setenv("PAIRING_LOCK_TIMEOUT", SHARING_TIMEOUT)
    with LadybugStore(Path(db)) as store:
        unit = sorted(r["id"] for r in store.read("export/communities"))[0]
        village = next(v["id"] for v in store.read("export/villages") if v["tier"] == "weak")
        # A long load holds the writers' lock: other writers wait and give up, readers go on.
        child = _worker("hold", db, "exclusive")
        try:
            with pytest.raises(StoreBusy) as busy:
                writes.create_pairing(store, unit, village, START, actor="t")
            assert store.counts()["Village"] > 0
            # Opening the store (its schema is current) and listing gaps take no write lock either.
            assert json.loads(invoke("--db", db, "gaps", "--format", "json").output)
            result = invoke("--db", db, "backup", str(tmp_path / "b.lbug"), code=1)
        finally:
            _stop(child)
        message = str(busy.value)
        assert message.startswith(f"the store {db} is busy: process {child.pid} (")
        assert "_share_worker" in message and "this write waited 0.5 s" in message
        assert f"process {child.pid}" in result.output and not (tmp_path / "b.lbug").exists()
        assert reason_text(message, "zh").startswith(f"数据库 {db} 正忙：进程 {child.pid}（")
        # A write transaction holds the file itself: then reads wait too, and give up alike.
        child = _worker("hold", db, "transaction")
        try:
            with pytest.raises(StoreBusy, match=r"this read waited"):
                store.counts()
        finally:
            _stop(child)
        # Once the holder is gone (killed: the kernel drops its locks), both work again.
        writes.create_pairing(store, unit, village, START, actor="t")
        assert check.run(store) == []


# A process that opens the file read-write without our locks (an older version of the package).
_FOREIGN_WRITER = """
import sys, time, ladybug
db = ladybug.Database(sys.argv[1])
print("started", flush=True)
time.sleep(60)
"""


def test_a_write_waits_for_ladybugs_own_lock_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = store_file(tmp_path / "foreign.lbug", "seed")
    monkeypatch.setenv("PAIRING_LOCK_TIMEOUT", SHARING_TIMEOUT)
    with LadybugStore(Path(db)) as store:
        child = subprocess.Popen([sys.executable, "-c", _FOREIGN_WRITER, db], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "started"
            with pytest.raises(StoreBusy) as busy, store.transaction() as tx:
                audit.record(tx, "t", "probe", "x", None, None)
        finally:
            _stop(child)
        assert str(busy.value).startswith(f"the store {db} is busy: process {child.pid} is writing it")
        with store.transaction() as tx:
            audit.record(tx, "t", "probe", "x", None, None)
        assert [e.action for e in audit.entries(store, actor="t")] == ["probe"]
