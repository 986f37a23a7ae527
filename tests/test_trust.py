"""Audit trail, accounts and roles, the consistency check, backup and restore (issue 6)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from graph import accounts, audit, backup, check, interchange, ledger, writes
from graph.accounts import Account
from graph.errors import ConflictError, PermissionDenied, QueryError, StoreError
from graph.model import NODES, RELS, SYSTEM_NODES
from graph.store import GraphStore, open_store
from tests.fixtures import SEED, county_programme, invoke, synth_dataset

START = dt.date(2025, 3, 1)


# argon2 at its production cost takes ~0.3-0.8 s a hash here; these tests are about other things.
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _weak_village(store: GraphStore, county: str | None = None) -> tuple[str, str]:
    rows = store.read("export/villages")
    row = next(r for r in rows if r["tier"] == "weak" and (county is None or r["county"] == county))
    return row["id"], row["county"]


def _unit(store: GraphStore) -> str:
    return str(store.read("export/communities")[0]["id"])


# ---------------------------------------------------------------- audit


def test_record_and_read_back_with_filters(any_store) -> None:
    store = any_store()
    with store.transaction() as tx:
        audit.record(tx, "alice", "pairing.create", "c1->v1", None, {"since": dt.date(2025, 1, 1), "funds": 2.5})
        audit.record(tx, "bob", "pairing.end", "c1->v1", {"until": None}, {"until": "2025-12-31"})
    found = audit.entries(store)
    assert [(e.actor, e.action) for e in found] == [("alice", "pairing.create"), ("bob", "pairing.end")]
    first = found[0]
    assert first.after == {"since": "2025-01-01", "funds": 2.5} and first.before is None
    assert first.at.tzinfo is not None and abs(first.at - audit.now()) < dt.timedelta(minutes=1)
    assert [e.actor for e in audit.entries(store, actor="bob")] == ["bob"]
    assert [e.action for e in audit.entries(store, action="pairing.create")] == ["pairing.create"]
    assert audit.entries(store, since=dt.date.today() + dt.timedelta(days=2)) == []
    assert len(audit.entries(store, since=dt.date(2000, 1, 1))) == 2


def test_audit_entry_rolls_back_with_its_change(any_store) -> None:
    store = any_store()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        audit.record(tx, "alice", "x", "t", None, None)
        raise RuntimeError("the change failed")
    assert audit.entries(store) == []


def test_system_nodes_stay_out_of_counts_export_and_dump(any_store, tmp_path: Path) -> None:
    store = any_store("seed")
    accounts.add(store, "planner1", "password1234", "planner", ["青山县"], actor="t")
    counts = store.counts()
    assert set(counts) == {n.label for n in NODES} | {r.type for r in RELS}
    assert not {n.label for n in SYSTEM_NODES} & set(store.dump().nodes)
    out = ledger.export(store, tmp_path / "out")
    assert "planner1" not in "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert interchange.read(out).counts() == store.dump().counts()


def test_every_write_records_itself(any_store) -> None:
    store = any_store("seed")
    village, _county = _weak_village(store)
    unit = _unit(store)
    writes.create_pairing(store, unit, village, START, funds=3, actor="alice")
    writes.update_link(store, "pairing", unit, village, START, projects=2, actor="alice")
    writes.end_link(store, "pairing", unit, village, START + dt.timedelta(days=30), actor="bob")
    cadre = store.read("export/cadres")[0]["id"]
    writes.create_link(store, "station", cadre, village, START, role="team_member", actor="carol")
    writes.end_link(store, "station", cadre, village, START + dt.timedelta(days=5), actor="carol")
    found = audit.entries(store)
    assert [(e.actor, e.action, e.target) for e in found] == [
        ("alice", "pairing.create", f"{unit}->{village}"),
        ("alice", "pairing.update", f"{unit}->{village}"),
        ("bob", "pairing.end", f"{unit}->{village}"),
        ("carol", "station.create", f"{cadre}->{village}"),
        ("carol", "station.end", f"{cadre}->{village}"),
    ]
    assert found[0].after is not None and found[0].after["funds"] == 3.0
    assert found[1].before == {"since": START.isoformat(), "projects": None}
    assert found[1].after == {"since": START.isoformat(), "projects": 2}
    # A refused write leaves no entry.
    with pytest.raises(ConflictError):
        writes.create_pairing(store, unit, village, START, actor="alice")
    assert len(audit.entries(store)) == 5


def test_import_is_audited_and_replace_keeps_accounts_and_audit(any_store, tmp_path: Path) -> None:
    """The MERGE path in one transaction, on both engines."""
    imported_twice_keeping_accounts_and_audit(any_store(), SEED)


def test_a_bulky_replace_keeps_accounts_and_audit(make_store, tmp_path: Path) -> None:
    """The embedded store's own path for a bulky ledger (city): a fresh file swapped in. A server has none."""
    path = tmp_path / "city"
    interchange.write_folder(synth_dataset("city"), path)
    imported_twice_keeping_accounts_and_audit(make_store(), path)


def imported_twice_keeping_accounts_and_audit(store: GraphStore, path: Path) -> None:
    accounts.add(store, "admin1", "password1234", "admin", actor="setup")
    ledger.load(store, path, actor="alice")
    ledger.load(store, path, replace=True, actor="bob")
    entries = audit.entries(store)
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("setup", "user.add", "admin1"),
        ("alice", "import", path.name),
        ("bob", "import", path.name),
    ]
    assert entries[1].after is not None
    assert entries[1].after["rows"] == {k: v for k, v in interchange.read(path).counts().items()}
    assert accounts.authenticate(store, "admin1", "password1234") is not None


def test_a_failed_import_records_nothing(any_store, tmp_path: Path) -> None:
    store = any_store("seed")
    bad = tmp_path / "bad"
    interchange.write_folder(store.dump(), bad)
    (bad / "pairings.csv").write_text("unit,village,since\nnope,nope,2025-01-01\n", encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017  (a ValidationError or a StoreError, both refuse the whole file)
        ledger.load(store, bad, actor="alice")
    assert audit.entries(store) == []


# ---------------------------------------------------------------- accounts


def test_accounts_add_authenticate_change_remove(any_store) -> None:
    store = any_store()
    accounts.add(store, "p", "correct horse", "planner", ["青山县", "云溪县"], actor="admin")
    account = accounts.authenticate(store, "p", "correct horse")
    assert account is not None and account.counties == ("云溪县", "青山县") and account.role == "planner"
    assert accounts.authenticate(store, "p", "wrong password") is None
    assert accounts.authenticate(store, "nobody", "correct horse") is None
    assert "argon2" not in repr(account) and account.password_hash.startswith("$argon2id$")
    with pytest.raises(ConflictError):
        accounts.add(store, "p", "another one!", "viewer")
    with pytest.raises(QueryError, match="county"):
        accounts.add(store, "q", "password1234", "planner")
    with pytest.raises(QueryError, match="role"):
        accounts.add(store, "q", "password1234", "superuser")
    with pytest.raises(QueryError, match="12"):
        accounts.add(store, "q", "short", "viewer")
    accounts.set_password(store, "p", "battery staple", actor="admin")
    assert accounts.authenticate(store, "p", "correct horse") is None
    assert accounts.authenticate(store, "p", "battery staple") is not None
    accounts.set_role(store, "p", "admin", actor="admin")
    assert accounts.get(store, "p") == Account("p", "admin", ("云溪县", "青山县"), account.created)
    accounts.remove(store, "p", actor="admin")
    assert accounts.get(store, "p") is None
    actions = [e.action for e in audit.entries(store)]
    assert actions == ["user.add", "user.set-password", "user.set-role", "user.remove"]
    assert all("argon2" not in json.dumps(e.after) for e in audit.entries(store))


def test_demo_admin_is_created_once(any_store) -> None:
    store = any_store()
    created = accounts.ensure_demo_admin(store)
    assert created is not None
    name, password = created
    assert accounts.authenticate(store, name, password) is not None
    assert accounts.ensure_demo_admin(store) is None


def test_authorise_by_role_and_county() -> None:
    viewer = Account("v", "viewer")
    planner = Account("p", "planner", ("青山县",))
    admin = Account("a", "admin")
    for account in (viewer, planner, admin):
        accounts.authorise(account, accounts.READ, "云溪县")
    accounts.authorise(planner, "pairing.create", "青山县")
    accounts.authorise(admin, "pairing.create", "云溪县")
    accounts.authorise(admin, "user.add")
    with pytest.raises(PermissionDenied, match="viewer"):
        accounts.authorise(viewer, "pairing.create", "青山县")
    with pytest.raises(PermissionDenied, match="青山县 only, not county '云溪县'"):
        accounts.authorise(planner, "pairing.create", "云溪县")
    with pytest.raises(PermissionDenied, match="only an admin"):
        accounts.authorise(planner, "import")
    with pytest.raises(PermissionDenied, match="unknown role"):
        accounts.authorise(Account("x", "root"), accounts.READ)
    with pytest.raises(PermissionDenied, match="sign in"):
        accounts.authorise(None, accounts.READ)


def test_writes_check_the_account_inside_the_transaction(any_store) -> None:
    store = any_store("seed")
    village, county = _weak_village(store)
    unit = _unit(store)
    other = Account("p2", "planner", ("某个别的县",))
    before = store.dump()
    with pytest.raises(PermissionDenied):
        writes.create_pairing(store, unit, village, START, account=other)
    with pytest.raises(PermissionDenied):
        writes.create_pairing(store, unit, village, START, account=Account("v", "viewer"))
    assert store.dump() == before and audit.entries(store) == []
    writes.create_pairing(store, unit, village, START, account=Account("p1", "planner", (county,)))
    assert [e.actor for e in audit.entries(store)] == ["p1"]


# ---------------------------------------------------------------- check


def test_check_finds_nothing_in_good_stores(any_store) -> None:
    store = any_store("seed")
    assert check.run(store) == []
    # It counts the links of every type the model has, each once.
    assert [r["type"] for r in store.read("check/link_ends")] == [r.type for r in RELS]


@pytest.mark.neo4j
def test_check_finds_misplaced_links_of_every_type_on_neo4j(neo4j_store: GraphStore) -> None:
    """A link between labels the model does not allow, of each type. Only a server can hold one: Ladybug's
    relationship tables are typed by their ends, so there a misplaced link cannot be written at all."""
    import neo4j

    store = neo4j_store
    store.load(county_programme())
    with neo4j.GraphDatabase.driver(
        store.location, auth=(os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"])
    ) as driver:
        for rel in RELS:
            # From a cadre to a cadre: no type of the model joins two cadres.
            driver.execute_query(
                f"MATCH (a:Cadre {{id: 'K01'}}), (b:Cadre {{id: 'K02'}}) CREATE (a)-[:{rel.type}]->(b)"
            )
    issues = check.run(store)
    assert [(i.kind, i.target) for i in issues] == [("dangling_link", r.type) for r in RELS]
    assert all(i.detail.startswith("1 of ") for i in issues), issues


def test_check_finds_reversed_dates_duplicates_and_bad_accounts(any_store) -> None:
    data = synth_dataset("county")
    pairing = data.links["PAIRED_WITH"][0]
    pairing["until"] = pairing["since"] - dt.timedelta(days=1)
    twin = dict(data.nodes["Enterprise"][0], id=data.nodes["Village"][0]["id"])
    data.nodes["Enterprise"].append(twin)
    store = any_store(data)
    with store.transaction() as tx:
        tx.run(
            "accounts/load",
            {"rows": [{"username": "x", "password_hash": "h", "role": "root", "counties": [], "created": ""}]},
        )
    issues = check.run(store)
    kinds = sorted(i.kind for i in issues)
    assert kinds == ["bad_account", "duplicate_id", "reversed_dates"], issues
    assert any(pairing["src"] in i.target for i in issues if i.kind == "reversed_dates")


# ---------------------------------------------------------------- backup


def _state(store: GraphStore) -> tuple[object, object, object]:
    return store.dump(), store.system_rows()["Account"], store.system_rows()["AuditEntry"]


# The Ladybug file copy; tests/test_backup.py runs backup and restore on both engines (the portable file).


def test_backup_then_restore_gives_back_the_same_store(make_store, tmp_path: Path) -> None:
    store = make_store("seed")
    accounts.add(store, "p", "password1234", "planner", ["青山县"], actor="admin")
    village, _ = _weak_village(store)
    writes.create_pairing(store, _unit(store), village, START, actor="alice")
    saved = _state(store)
    backup.backup(store, tmp_path / "b.lbug")
    # Change everything the backup holds, then restore.
    ledger.load(store, SEED, replace=True, actor="bob", overwrite_newer=True)  # it removes alice's pairing
    accounts.remove(store, "p", actor="bob")
    backup.restore(store, tmp_path / "b.lbug", actor="carol")
    graph, accounts_rows, audit_rows = _state(store)
    assert graph == saved[0] and accounts_rows == saved[1]
    # The restored audit is the saved one plus the restore's own entry.
    assert audit_rows[:-1] == saved[2]  # type: ignore[index]
    assert [(e.actor, e.action) for e in audit.entries(store)][-1] == ("carol", "restore")
    assert accounts.authenticate(store, "p", "password1234") is not None
    # The store stays usable after the swap.
    writes.end_link(store, "pairing", _unit(store), village, START + dt.timedelta(days=1))


def test_restore_of_a_bad_file_changes_nothing(make_store, tmp_path: Path) -> None:
    store = make_store("seed")
    before = _state(store)
    junk = tmp_path / "junk.lbug"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError):
        backup.restore(store, junk)
    with pytest.raises(StoreError):
        backup.restore(store, tmp_path / "missing.lbug")
    assert _state(store) == before
    assert not list(tmp_path.glob("*.restoring*"))


# ---------------------------------------------------------------- CLI


def test_cli_user_audit_check_backup_restore(any_location, tmp_path: Path) -> None:
    db = any_location()

    def run(*args: str, code: int = 0) -> str:
        return invoke("--db", db, *args, code=code).output

    run("--user", "alice", "load", str(SEED))
    run(
        "--user",
        "alice",
        "user",
        "add",
        "p1",
        "--role",
        "planner",
        "--county",
        "青山县",
        "--password",
        "s3cret-password",
    )
    listing = run("user", "list", "--format", "json")
    assert "p1" in listing and "s3cret" not in listing and "argon2" not in listing
    run("--user", "alice", "user", "set-role", "p1", "viewer")
    # A prompted password is hidden and confirmed.
    result = invoke("--db", db, "user", "add", "p2", "--role", "viewer", input="pw-1234567890\npw-1234567890\n")
    assert "pw-1234567890" not in result.output
    rows = json.loads(run("audit", "--actor", "alice", "--format", "json"))
    assert [r["action"] for r in rows] == ["import", "user.add", "user.set-role"]
    assert json.loads(run("audit", "--action", "import", "--format", "json"))[0]["target"] == "seed"
    assert "consistent" in run("check")
    run("backup", str(tmp_path / "b.lbug"))
    run("user", "remove", "p1")
    run("--user", "dora", "restore", "--yes", str(tmp_path / "b.lbug"))
    assert "p1" in run("user", "list")
    assert "no demo admin" in run("user", "demo-admin")
    run("user", "remove", "nobody", code=1)
    with open_store(db) as store, store.transaction() as tx:
        tx.run(
            "accounts/load",
            {"rows": [{"username": "z", "password_hash": "h", "role": "boss", "counties": [], "created": ""}]},
        )
    assert "bad_account" in run("check", code=1)


def test_accounts_audit_check_and_a_refused_then_forced_replace(
    any_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replace that would remove a planner's newer pairing is refused, then taken as asked, backed up first."""
    store = any_store()
    ledger.load(store, SEED, actor="alice")
    accounts.add(store, "p1", "password1234", "planner", ["青山县"], actor="alice")
    assert accounts.authenticate(store, "p1", "password1234") is not None
    assert [e.action for e in audit.entries(store, actor="alice")] == ["import", "user.add"]
    assert check.run(store) == []
    village, _ = _weak_village(store)
    writes.create_pairing_checked(store, _unit(store), village, START, actor="alice")
    # It would remove the pairing alice made after the ledger's date: said, then taken as asked.
    with pytest.raises(ledger.NewerEditsRefused, match="alice"):
        ledger.load(store, SEED, replace=True, keep_backup=False, actor="bob")
    # The replace keeps a backup first: beside a Ladybug file, or in the folder PAIRING_BACKUPS names for a server.
    monkeypatch.setenv(backup.SERVER_BACKUPS_ENV, str(tmp_path))
    report = ledger.load(store, SEED, replace=True, overwrite_newer=True, actor="bob")
    assert report.backup is not None and report.backup.parent == backup.backups_dir(store.location)
    assert [b.path for b in backup.list_backups(store.location)] == [report.backup]
    assert accounts.get(store, "p1") is not None
