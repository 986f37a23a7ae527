"""Cypher fragments typed into every text input are data: they change nothing and round-trip.

Every query is a named file with `$parameters`; no user text is ever spliced into Cypher. These
tests, on both engines, feed injection attempts through the core API and the CLI (search, gap filters, audit filters,
usernames, names in imported ledgers, the actor) and check that the store is unchanged by reads,
and that stored values come back exactly as written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph import accounts, audit, explore, gaps, interchange, ledger, writes
from graph.errors import QueryError, ValidationError
from graph.store import GraphStore, open_store
from tests.fixtures import SEED, invoke

FRAGMENTS = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "') RETURN 1 UNION MATCH (n) DETACH DELETE n //",
    "$x",
    "`Village`",
    "x` {id: 'y'}) DETACH DELETE n //",
    "\\' OR ''='",
    "a\u0000b",
    "青山县' OR v.county <> '",
]
# What a ledger cell may hold: the reader refuses control characters (NUL) with a clear problem.
LEDGER_FRAGMENTS = [f for f in FRAGMENTS if "\u0000" not in f]


# argon2 at its production cost takes ~0.3-0.8 s a hash here; these tests are about other things.
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _state(store: GraphStore) -> tuple[Any, ...]:
    system = store.system_rows()
    return store.dump(), system["Account"], system["AuditEntry"]


def test_read_inputs_are_data(any_store) -> None:
    store = any_store("seed")
    accounts.add(store, "admin1", "password1234", "admin", actor="setup")
    before = _state(store)
    asof = dt.date(2025, 6, 1)
    for text in FRAGMENTS:
        assert explore.search(store, text) == []
        assert explore.node(store, text) is None
        assert gaps.gaps(store, asof, county=text) == []
        assert gaps.gaps(store, asof, township=text) == []
        assert gaps.gaps(store, asof, policy="pairing,station", county=text) == []
        assert gaps.unit_load(store, asof, county=text) == []
        assert gaps.org_setting(store, county=text, township=text) == []
        assert gaps.inactive(store, asof, county=text) == []
        assert audit.entries(store, actor=text) == [] and audit.entries(store, action=text) == []
        assert accounts.get(store, text) is None
        assert accounts.authenticate(store, text, text) is None
        assert accounts.authenticate(store, "admin1", text) is None
    assert _state(store) == before


def test_written_values_round_trip(any_store) -> None:
    store = any_store("seed")
    village = next(r["id"] for r in store.read("export/villages") if r["tier"] == "weak")
    enterprise = store.read("export/enterprises")[0]["id"]
    counts = store.counts()
    for i, text in enumerate(FRAGMENTS):
        since = dt.date(2030, 1, 1) + dt.timedelta(days=i)
        writes.create_link(store, "fusion", enterprise, village, since, joint_party_org=text, actor=text)
        if "\u0000" in text:
            with pytest.raises(QueryError, match="control characters"):
                accounts.add(store, text, "password1234", "viewer", actor=text)
        else:
            accounts.add(store, text, text + "-long-password", "planner", [text], actor=text)
            account = accounts.authenticate(store, text, text + "-long-password")
            assert account is not None and account.username == text and account.counties == (text,)
    stored = {r["since"]: r["joint_party_org"] for r in store.read("export/fused_with") if r["src"] == enterprise}
    for i, text in enumerate(FRAGMENTS):
        assert stored[dt.date(2030, 1, 1) + dt.timedelta(days=i)] == text
    for text in FRAGMENTS:
        assert [e.actor for e in audit.entries(store, actor=text, action="fusion.create")] == [text]
    assert store.counts() == {**counts, "FUSED_WITH": counts["FUSED_WITH"] + len(FRAGMENTS)}


def test_names_in_an_imported_ledger_round_trip(any_store, tmp_path: Path) -> None:
    folder = tmp_path / "ledger"
    shutil.copytree(SEED, folder)
    data = interchange.read(folder)
    villages = data.nodes["Village"]
    for row, text in zip(villages, LEDGER_FRAGMENTS, strict=False):
        row["name"] = f"{text}{row['id']}"  # names stay unique, so name references still resolve
        row["township"] = text
    interchange.write_folder(data, folder)
    store = any_store()
    ledger.load(store, folder, actor="' OR 1=1 //")
    assert store.dump() == interchange.read(folder)
    for text in LEDGER_FRAGMENTS:
        hits = explore.search(store, text)
        assert hits and all(text in h.name for h in hits)
    assert audit.entries(store)[0].actor == "' OR 1=1 //"
    # A NUL in a ledger is refused as a problem of the input, naming the cell; nothing is loaded.
    villages[0]["name"] = "a\u0000b"
    interchange.write_folder(data, folder)
    before = _state(store)
    with pytest.raises(ValidationError, match="control characters"):
        ledger.load(store, folder, replace=True)
    assert _state(store) == before


def test_cli_inputs_are_data(any_location) -> None:
    db = any_location()

    def run(*args: str, code: int = 0) -> str:
        return invoke("--db", db, *args, code=code).output

    run("load", str(SEED))
    with open_store(db) as store:
        before = _state(store)
    # Each CLI call opens the store anew: a representative few fragments keep this test quick.
    for text in FRAGMENTS[1::2]:
        assert json.loads(run("gaps", "--county", text, "--format", "json")) == []
        assert json.loads(run("gaps", "--township", text, "--format", "json")) == []
        assert json.loads(run("audit", "--actor", text, "--action", text, "--format", "json")) == []
        run("user", "remove", text, code=1)
        # `pairing query` runs named files only: Cypher given as the name is no query, and runs nothing.
        assert "no query named" in run("query", text, code=1)
    with open_store(db) as store:
        assert _state(store) == before
    names = LEDGER_FRAGMENTS[::2]
    for text in names:
        run("--user", text, "user", "add", text, "--role", "viewer", "--password", "password1234")
    listed = {r["username"] for r in json.loads(run("user", "list", "--format", "json"))}
    assert listed == set(names)
    actors = [r["actor"] for r in json.loads(run("audit", "--action", "user.add", "--format", "json"))]
    assert actors == names
