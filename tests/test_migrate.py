"""Migration between stores in batches, on both engines: a Ladybug file into a target on each engine (another
file, or the Neo4j server), and Ladybug → Neo4j → Ladybug through `pairing migrate`, which must give back an
identical export and the same accounts and audit entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph import accounts, audit, migrate
from graph.dataset import Dataset
from graph.errors import StoreError
from graph.model import NODE_BY_LABEL, NODES, REL_BY_TYPE, RELS, PType
from graph.store import GraphStore, LadybugStore, Neo4jStore
from tests.fixtures import (
    PASSWORD,
    StoreFactory,
    assert_same_graph,
    invoke,
    lists_programme,
    seed_dataset,
    store_file,
)


def assert_migrated(source: GraphStore, target: GraphStore) -> None:
    assert target.counts() == source.counts()
    assert_same_graph(target.dump(), source.dump())
    assert target.system_rows() == source.system_rows()


# Rows a batch: labels split into several on either engine; fewer on Neo4j, where each batch is a round trip.
BATCH = {"ladybug": 97, "neo4j": 250}


def test_copies_everything_in_batches(make_store: StoreFactory, any_store: StoreFactory) -> None:
    source = make_store("county")
    target = any_store()
    size = BATCH[target.engine]
    seen: dict[str, int] = {}
    calls: list[int] = []

    def progress(label: str, count: int) -> None:
        seen[label] = seen.get(label, 0) + count
        calls.append(count)

    report = migrate.migrate(source, target, batch_size=size, progress=progress)
    assert report.complete and report.target == report.source
    assert_migrated(source, target)
    # Every batch reported, none larger than asked; labels and types arrive whole.
    assert max(calls) <= size and len(calls) > len([v for v in report.source.values() if v])
    assert {k: v for k, v in seen.items() if k in report.source} == {k: v for k, v in report.source.items() if v}
    assert report.batches >= sum(-(-v // size) for v in report.source.values())
    # The gap lists read the same from the copy.
    from graph import gaps, synth

    day = synth.REFERENCE_DATE
    assert gaps.unpaired(target, day) == gaps.unpaired(source, day)
    assert gaps.coverage(target, day, "township") == gaps.coverage(source, day, "township")


def test_refuses_a_non_empty_target_unless_resuming(make_store: StoreFactory, any_store: StoreFactory) -> None:
    source = make_store("county")
    target = any_store()
    # A migration that stopped after the villages: re-running with resume completes it.
    villages = source.read("export/villages")
    with target.transaction() as tx:
        tx.run("load/villages", {"rows": villages})
    with pytest.raises(StoreError, match="already holds data"):
        migrate.migrate(source, target)
    report = migrate.migrate(source, target, batch_size=1_000, resume=True)
    assert report.complete
    assert_migrated(source, target)


def test_batch_size_must_be_positive(make_store: StoreFactory) -> None:
    with pytest.raises(ValueError):
        migrate.migrate(make_store(), make_store(), batch_size=0)


def test_empty_source(make_store: StoreFactory, any_store: StoreFactory) -> None:
    report = migrate.migrate(make_store(), any_store())
    assert report.complete and not any(report.target.values())


def test_cli_migrate(tmp_path: Path, any_location: Callable[..., str]) -> None:
    ledger, a, b = tmp_path / "ledger", str(tmp_path / "a.lbug"), any_location()
    invoke("synth", "--scale", "county", "-o", str(ledger))
    invoke("--db", a, "load", str(ledger))
    result = invoke("--db", a, "migrate", "--to", b, "--batch-size", "250")
    assert "counts match" in result.stdout
    assert "migrate: Village +250" in result.stderr
    again = invoke("--db", a, "migrate", "--to", b, code=1)
    assert "already holds data" in again.stderr
    invoke("--db", a, "migrate", "--to", b, "--resume")
    invoke("--db", a, "migrate", "--to", a, code=2)


# ---------------------------------------------------------------- Ladybug → Neo4j → Ladybug


def every_kind() -> Dataset:
    """`lists_programme` (every label and type of the model) with the values a copy could bend added: a float
    that binary cannot hold exactly, integers past 2**53, dates far apart, an empty string, quotes and newlines,
    a list of one and one of many, and nulls everywhere a property may be empty."""
    data = lists_programme()
    odd = {
        "id": "V99",
        "name": "边界村 'quote' \"double\"\n第二行",
        "county": "",
        "township": "太塘镇",
        "tier": "weak",
        "weak_reasons": ["economy"],
        "population": 2**53 + 1,
        "party_members": 0,
        "collective_income": 0.1 + 0.2,
        "lat": -33.865143,
        "lon": 1e-300,
        "industries": ["茶叶", "", "emoji 🍵"],
        "needs": [],
        "leadership_size": None,
    }
    data.nodes["Village"].append({**{p.name: None for p in NODE_BY_LABEL["Village"].stored}, **odd})
    data.nodes["Enterprise"].append(
        {**{p.name: None for p in NODE_BY_LABEL["Enterprise"].stored}, "id": "E99", "name": "未填企业", "resources": []}
    )
    data.links["LEADS"].append(
        {"src": "V04", "src_label": "Village", "dst": "V99", "dst_label": "Village",
         "since": dt.date(1900, 1, 1), "until": dt.date(2999, 12, 31), "mode": None}
    )  # fmt: skip
    return data


def _kinds(data: Dataset) -> set[tuple[PType, str]]:
    """Which property types `data` holds a value of, and which it holds empty (null, or [] for a list)."""
    out = set()
    for label, rows in data.nodes.items():
        for prop in NODE_BY_LABEL[label].stored:
            out |= {(prop.type, "empty" if row.get(prop.name) in (None, []) else "value") for row in rows}
    for rtype, rows in data.links.items():
        for prop in REL_BY_TYPE[rtype].props:
            out |= {(prop.type, "empty" if row.get(prop.name) is None else "value") for row in rows}
    return out


def test_every_kind_holds_every_label_type_and_property_kind() -> None:
    data = every_kind()
    assert {label for label, rows in data.nodes.items() if rows} == {n.label for n in NODES}
    assert {rtype for rtype, rows in data.links.items() if rows} == {r.type for r in RELS}
    assert _kinds(data) == {(t, state) for t in PType for state in ("value", "empty")}


def _files(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def _with_accounts_and_audit(path: Path, data: Dataset) -> str:
    """A Ladybug file of `data` with accounts of each role and audit entries holding dates, floats and nulls."""
    db = store_file(path, data, [("admin1", PASSWORD, accounts.ADMIN), ("viewer1", PASSWORD, accounts.VIEWER)])
    with LadybugStore(db) as store:
        accounts.add(store, "planner1", PASSWORD, accounts.PLANNER, ["石砚区", "青岚县"], actor="admin1")
        # Every field of an account set: a new session version, failures and a lock.
        accounts.set_password(store, "planner1", PASSWORD + "!", actor="admin1")
        store.write(
            "accounts/sign_in", {"username": "viewer1", "failures": 10, "locked_at": "2026-03-01T08:00:00+00:00"}
        )
        with store.transaction() as tx:
            audit.record(tx, "规划员甲", "pairing.update", "C01->V02", {"funds": 5.5, "until": None},
                         {"funds": 0.1 + 0.2, "until": dt.date(2026, 1, 4)})  # fmt: skip
    return db


@pytest.mark.neo4j
@pytest.mark.parametrize("source", ["seed", "every kind"])
def test_ladybug_to_neo4j_to_ladybug_gives_an_identical_export(
    neo4j_store: GraphStore, tmp_path: Path, cheap_hashing: None, source: str
) -> None:
    """The issue's must-show: `pairing migrate` there and back; `pairing export` of the three stores is the same
    bytes, and the graph, the accounts (with their hashes) and the audit entries are the same rows."""
    data = seed_dataset() if source == "seed" else every_kind()
    first = _with_accounts_and_audit(tmp_path / "first.lbug", data)
    server = neo4j_store.location
    back = str(tmp_path / "back.lbug")
    assert "counts match" in invoke("--db", first, "migrate", "--to", server).stdout
    # Back in batches smaller than a label of the small graph: a Neo4j source read and written batch by batch.
    batch = "1000" if source == "seed" else "4"
    assert "counts match" in invoke("--db", server, "migrate", "--to", back, "--batch-size", batch).stdout
    exports = {}
    for name, db in (("first", first), ("server", server), ("back", back)):
        invoke("--db", db, "export", str(tmp_path / f"export-{name}"))
        exports[name] = _files(tmp_path / f"export-{name}")
    assert exports["first"] and exports["server"] == exports["first"]
    assert exports["back"] == exports["first"]
    with LadybugStore(first) as a, Neo4jStore(server) as n, LadybugStore(back) as b:
        # The first store holds the data as given, so an export that lost something on all three fails here.
        assert_same_graph(a.dump(), data)
        for copy in (n, b):
            assert_same_graph(copy.dump(), a.dump())
            assert copy.dump() == a.dump()  # every row in the same order too
            assert copy.system_rows() == a.system_rows()
        system: dict[str, Any] = a.system_rows()
        assert [r["username"] for r in system["Account"]] == ["admin1", "planner1", "viewer1"]
        assert [e["action"] for e in system["AuditEntry"]] == ["user.add"] * 3 + ["user.set-password", "pairing.update"]
        locked = next(r for r in system["Account"] if r["username"] == "viewer1")
        assert (locked["failures"], locked["locked_at"]) == (10, "2026-03-01T08:00:00+00:00")
        assert next(r for r in system["Account"] if r["username"] == "planner1")["session_version"] > 0
