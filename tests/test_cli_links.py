"""`pairing link` in-process on the demo data: each command's effect on the store, its audit entry, its refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from graph import accounts, audit, gaps, writes
from graph.dataset import Dataset
from graph.store import GraphStore, open_store
from tests.fixtures import PASSWORD, invoke, seed_dataset

USER = "cli-planner"
Opener = Callable[[], GraphStore]


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return seed_dataset()


@pytest.fixture
def db(any_location: Callable[..., str], seed: Dataset) -> str:
    return any_location(seed)


@pytest.fixture
def store(db: str) -> Iterator[Opener]:
    """The store as the CLI left it, opened after the commands ran (the CLI opens and closes the file itself)."""
    opened: list[GraphStore] = []

    def _open() -> GraphStore:
        opened.append(open_store(db))
        return opened[-1]

    yield _open
    for s in opened:
        s.close()


def sole_pairing(seed: Dataset, county: str | None = None) -> tuple[str, str, dt.date]:
    """(village, unit, since) of an open pairing whose weak village has no other support link."""
    villages = {v["id"]: v for v in seed.nodes["Village"]}
    support: dict[str, int] = {}
    for rel in ("PAIRED_WITH", "LEADS", "FUSED_WITH", "STATIONED_IN"):
        for r in seed.links[rel]:
            support[r["dst"]] = support.get(r["dst"], 0) + 1
    return next(
        (r["dst"], r["src"], dt.date.fromisoformat(str(r["since"])))
        for r in seed.links["PAIRED_WITH"]
        if r["until"] is None
        and support[r["dst"]] == 1
        and villages[r["dst"]]["tier"] == "weak"
        and county in (None, villages[r["dst"]]["county"])
    )


def unsupported(seed: Dataset) -> str:
    """A weak village with no support link at all."""
    linked = {r["dst"] for rel in ("PAIRED_WITH", "LEADS", "FUSED_WITH", "STATIONED_IN") for r in seed.links[rel]}
    return str(next(v["id"] for v in seed.nodes["Village"] if v["tier"] == "weak" and v["id"] not in linked))


def free_unit(seed: Dataset, county: str) -> str:
    """A community of `county` with room for another pairing."""
    active: dict[str, int] = {}
    for r in seed.links["PAIRED_WITH"]:
        if r["until"] is None:
            active[r["src"]] = active.get(r["src"], 0) + 1
    return str(
        next(
            c["id"]
            for c in seed.nodes["CityCommunity"]
            if c["county"] == county and (c["capacity"] is None or active.get(c["id"], 0) < c["capacity"])
        )
    )


def county_of(seed: Dataset, village: str) -> str:
    return str(next(v["county"] for v in seed.nodes["Village"] if v["id"] == village))


def unpaired(store: GraphStore, day: dt.date) -> set[str]:
    return {g.village_id for g in gaps.unpaired(store, day)}


def test_ending_takes_the_village_onto_the_gap_list_from_the_next_day(db: str, store: Opener, seed: Dataset) -> None:
    village, unit, since = sole_pairing(seed)
    day = since + dt.timedelta(days=40)
    result = invoke(
        "--db",
        db,
        "--user",
        "alice",
        "link",
        "end",
        "pairing",
        "--from",
        unit,
        "--to",
        village,
        "--on",
        day.isoformat(),
    )
    assert f"ended 1 pairing link(s) {unit} -> {village} on {day}" in result.output
    s = store()
    assert village not in unpaired(s, day)
    assert village in unpaired(s, day + dt.timedelta(days=1))
    (entry,) = audit.entries(s, action="pairing.end")
    assert entry.after is not None
    assert (entry.actor, entry.target, entry.after["until"]) == ("alice", f"{unit}->{village}", day.isoformat())


def test_add_a_pairing_then_edit_and_delete_it(db: str, store: Opener, seed: Dataset) -> None:
    village = unsupported(seed)
    unit = free_unit(seed, county_of(seed, village))
    since = dt.date(2026, 11, 2)
    invoke(
        "--db",
        db,
        "--user",
        "alice",
        "link",
        "add",
        "pairing",
        "--from",
        unit,
        "--to",
        village,
        "--since",
        since.isoformat(),
        "--set",
        "form=voluntary",
        "--set",
        "funds=3.5",
    )
    s = store()
    assert village not in unpaired(s, since)
    (link,) = writes.find_links(s, "pairing", unit, village)
    assert (link["since"], link["until"], link["form"], link["funds"]) == (since, None, "voluntary", 3.5)
    (created,) = audit.entries(s, action="pairing.create")
    assert created.actor == "alice" and created.before is None and created.after is not None
    assert (created.after["form"], created.after["funds"], created.after["since"]) == ("voluntary", 3.5, "2026-11-02")
    s.close()
    # Edit: funds by the model's type (a number), form by its choices; `key=` clears.
    out = invoke(
        "--db",
        db,
        "--user",
        "bob",
        "link",
        "set",
        "pairing",
        "--from",
        unit,
        "--to",
        village,
        "--set",
        "funds=7",
        "--set",
        "form=",
        "--set",
        "until=2027-10-31",
    ).output
    assert out.strip() == "form = ; funds = 7.0; until = 2027-10-31"
    s = store()
    (link,) = writes.find_links(s, "pairing", unit, village)
    assert (link["form"], link["funds"], link["until"]) == (None, 7.0, dt.date(2027, 10, 31))
    (updated,) = audit.entries(s, action="pairing.update")
    assert updated.before == {"since": "2026-11-02", "form": "voluntary", "funds": 3.5, "until": None}
    assert updated.after == {"since": "2026-11-02", "form": None, "funds": 7.0, "until": "2027-10-31"}
    s.close()
    # Delete: without --yes it only says what it would delete.
    args = ("--db", db, "link", "delete", "pairing", "--from", unit, "--to", village, "--since", since.isoformat())
    dry = invoke(*args).output
    assert dry.startswith(f"would delete the pairing link {unit} -> {village} (since=2026-11-02, until=2027-10-31")
    s = store()
    assert len(writes.find_links(s, "pairing", unit, village)) == 1
    s.close()
    assert "deleted the pairing link" in invoke(*args, "--yes").output
    s = store()
    assert writes.find_links(s, "pairing", unit, village) == []
    (deleted,) = audit.entries(s, action="pairing.delete")
    assert deleted.before is not None and deleted.before["funds"] == 7.0 and deleted.after is None


def test_lead_fusion_and_station_with_hostile_text(db: str, store: Opener, seed: Dataset) -> None:
    village = unsupported(seed)
    strong = next(v["id"] for v in seed.nodes["Village"] if v["tier"] == "strong")
    enterprise = seed.nodes["Enterprise"][0]["id"]
    cadre = seed.nodes["Cadre"][0]["id"]
    hostile = "<script>x</script> =1+1 '}) DETACH DELETE n //"
    base = ("--db", db, "link", "add")
    invoke(*base, "lead", "--from", strong, "--to", village, "--since", "2026-10-01", "--set", f"mode={hostile}")
    invoke(
        *base,
        "fusion",
        "--from",
        enterprise,
        "--to",
        village,
        "--since",
        "2026-10-01",
        "--set",
        f"joint_party_org={hostile}",
    )
    invoke(
        *base,
        "station",
        "--from",
        cadre,
        "--to",
        village,
        "--since",
        "2026-10-01",
        "--until",
        "2028-09-30",
        "--set",
        "role=first_secretary",
    )
    s = store()
    assert writes.find_links(s, "lead", strong, village)[0]["mode"] == hostile
    assert writes.find_links(s, "fusion", enterprise, village)[0]["joint_party_org"] == hostile
    station = writes.find_links(s, "station", cadre, village)[0]
    assert (station["role"], station["until"]) == ("first_secretary", dt.date(2028, 9, 30))
    assert s.counts()["Village"] == len(seed.nodes["Village"])


def test_refusals_change_nothing(db: str, store: Opener, seed: Dataset) -> None:
    village, unit, since = sole_pairing(seed)
    county = county_of(seed, village)
    other = next(c for c in sorted({v["county"] for v in seed.nodes["Village"]}) if c != county)
    s = store()
    accounts.add(s, USER, PASSWORD, accounts.PLANNER, [other], actor="test")
    accounts.add(s, "cli-viewer", PASSWORD, accounts.VIEWER, actor="test")
    full = next(
        c["id"]
        for c in seed.nodes["CityCommunity"]
        if c["capacity"] == sum(1 for r in seed.links["PAIRED_WITH"] if r["src"] == c["id"] and r["until"] is None)
        and c["capacity"]
    )
    before, entries = s.dump(), len(audit.entries(s))
    s.close()
    base = ("--db", db, "link")
    cases = [
        (("add", "pairing", "--from", "NOPE", "--to", village, "--since", "2026-11-01"), "no pairing unit"),
        (("add", "pairing", "--from", unit, "--to", village, "--since", since.isoformat()), "already exists"),
        (("add", "pairing", "--from", full, "--to", unsupported(seed), "--since", "2026-11-01"), "is full"),
        (
            ("add", "pairing", "--from", unit, "--to", village, "--since", "2026-11-01", "--set", "form=paper"),
            "form 'paper'",
        ),
        (("add", "lead", "--from", unit, "--to", village, "--since", "2026-11-01", "--set", "role=x"), "has no role"),
        (
            ("end", "pairing", "--from", unit, "--to", village, "--on", "2026-11-01", "--account", USER),
            f"not county '{county}'",
        ),
        (
            ("set", "pairing", "--from", unit, "--to", village, "--set", "funds=1", "--account", "cli-viewer"),
            "is a viewer",
        ),
        (("set", "pairing", "--from", unit, "--to", village, "--set", "funds=lots"), "is not a number"),
        (("set", "pairing", "--from", unit, "--to", village, "--set", "since=2020-01-01"), "identity"),
        (
            (
                "delete",
                "pairing",
                "--from",
                unit,
                "--to",
                village,
                "--since",
                since.isoformat(),
                "--yes",
                "--account",
                USER,
            ),
            "only an admin",
        ),
        (
            ("end", "pairing", "--from", unit, "--to", village, "--on", "2026-11-01", "--account", "ghost"),
            "no account named 'ghost'",
        ),
    ]
    for args, message in cases:
        result = invoke(*base, *args, code=1)
        assert message in result.output, (args, result.output)
    assert invoke(*base, "set", "pairing", "--from", unit, "--to", village, "--set", "novalue", code=2)
    add = (*base, "add", "pairing", "--from", unit, "--to", village, "--since", "2026-11-01")
    assert "--since, not --set" in invoke(*add, "--set", "since=2026-12-01", code=2).output
    assert (
        "--until or --set until=" in invoke(*add, "--until", "2027-01-01", "--set", "until=2027-02-01", code=2).output
    )
    assert "before since" in invoke(*add, "--set", "until=2026-10-01", code=1).output
    s = store()
    assert s.dump() == before and len(audit.entries(s)) == entries


def test_a_planner_of_the_county_may_end_with_the_account(db: str, store: Opener, seed: Dataset) -> None:
    village, unit, since = sole_pairing(seed)
    s = store()
    accounts.add(s, USER, PASSWORD, accounts.PLANNER, [county_of(seed, village)], actor="test")
    s.close()
    invoke(
        "--db",
        db,
        "link",
        "end",
        "pairing",
        "--from",
        unit,
        "--to",
        village,
        "--since",
        since.isoformat(),
        "--on",
        "2026-11-01",
        "--account",
        USER,
    )
    s = store()
    assert [e.actor for e in audit.entries(s, action="pairing.end")] == [USER]
