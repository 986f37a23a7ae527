"""Every write query round-trips: a created link closes the gap, ending it reopens the gap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import audit, gaps, writes
from graph.accounts import Account
from graph.dataset import Dataset
from graph.errors import ConflictError, PairingError, PermissionDenied, QueryError
from graph.reasons_zh import reason_text
from graph.store import GraphStore
from tests.fixtures import StoreFactory

ASOF = dt.date(2026, 11, 1)
START = dt.date(2026, 1, 1)


def small() -> Dataset:
    d = Dataset()
    d.nodes["Village"] = [
        {
            "id": "w1",
            "name": "后进村",
            "county": "甲县",
            "township": "一镇",
            "tier": "weak",
            "weak_reasons": ["economy"],
        },
        {"id": "w2", "name": "薄弱村", "county": "甲县", "township": "一镇", "tier": "weak", "weak_reasons": []},
        {"id": "s1", "name": "强村", "county": "甲县", "township": "一镇", "tier": "strong", "weak_reasons": []},
    ]
    d.nodes["CityCommunity"] = [{"id": "c1", "name": "社区", "capacity": 2}]
    d.nodes["Enterprise"] = [{"id": "e1", "name": "企业", "capacity": 2}]
    d.nodes["Organisation"] = [{"id": "o1", "name": "单位", "capacity": 2}]
    d.nodes["Cadre"] = [{"id": "k1", "name": "干部"}]
    return d


@pytest.fixture
def store(any_store: StoreFactory) -> GraphStore:
    return any_store(small())


def unpaired_ids(store: GraphStore, day: dt.date = ASOF) -> list[str]:
    return [r.village_id for r in gaps.unpaired(store, day)]


# Each case: the support kind and the start node, one per start label.
CASES: dict[str, tuple[str, str]] = {
    "pairing_citycommunity": ("pairing", "c1"),
    "pairing_enterprise": ("pairing", "e1"),
    "pairing_organisation": ("pairing", "o1"),
    "lead": ("lead", "s1"),
    "fusion": ("fusion", "e1"),
    "station": ("station", "k1"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_create_closes_the_gap_and_end_reopens_it(store: GraphStore, case: str) -> None:
    kind, src = CASES[case]
    assert unpaired_ids(store) == ["w1", "w2"]
    writes.create_link(store, kind, src, "w1", START)
    assert unpaired_ids(store) == ["w2"]
    with pytest.raises(ConflictError, match="already exists"):
        writes.create_link(store, kind, src, "w1", START)
    assert writes.end_link(store, kind, src, "w1", ASOF - dt.timedelta(days=1)) == 1
    assert unpaired_ids(store) == ["w1", "w2"]
    # Still covered on the last day of the link.
    assert unpaired_ids(store, ASOF - dt.timedelta(days=1)) == ["w2"]
    with pytest.raises(QueryError, match="open on"):
        writes.end_link(store, kind, src, "w1", ASOF)


def test_create_refuses_missing_or_wrong_nodes(store: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"no pairing unit .* 'nope'"):
        writes.create_pairing(store, "nope", "w1", START)
    with pytest.raises(QueryError, match=r"'k1' is a .*Cadre.*not a pairing unit"):
        writes.create_pairing(store, "k1", "w1", START)
    with pytest.raises(QueryError, match=r"no village with id 'nope'"):
        writes.create_pairing(store, "c1", "nope", START)
    with pytest.raises(QueryError, match=r"no village with id 'c1'|'c1' is a"):
        writes.create_link(store, "station", "k1", "c1", START)
    with pytest.raises(QueryError, match=r"'s1' is a .*not a"):
        writes.create_link(store, "fusion", "s1", "w1", START)
    with pytest.raises(QueryError, match="before since"):
        writes.create_link(store, "lead", "s1", "w1", START, until=START - dt.timedelta(days=1))
    with pytest.raises(QueryError, match="form"):
        writes.create_pairing(store, "c1", "w1", START, form="paper")
    with pytest.raises(QueryError, match="role"):
        writes.create_link(store, "station", "k1", "w1", START, role="boss")
    with pytest.raises(QueryError, match="cannot lead itself"):
        writes.create_link(store, "lead", "w1", "w1", START)
    # Properties are checked against the model: names, numbers and kinds.
    with pytest.raises(QueryError, match="has no role"):
        writes.create_link(store, "lead", "s1", "w1", START, role="team_member")
    with pytest.raises(QueryError, match="funds 'lots' is not a number"):
        writes.create_pairing(store, "c1", "w1", START, funds="lots")
    with pytest.raises(QueryError, match="kind 'visit'"):
        writes.create_link(store, "visit", "c1", "w1", START)
    assert unpaired_ids(store) == ["w1", "w2"]


def test_pairing_update_and_inactivity(store: GraphStore) -> None:
    writes.create_pairing(store, "c1", "w1", "2025-01-01", form="assigned", funds=5, projects=1)
    (paper,) = gaps.inactive(store, ASOF)
    assert (paper.unit_id, paper.village_id, paper.last_activity) == ("c1", "w1", None)
    writes.update_link(store, "pairing", "c1", "w1", dt.date(2025, 1, 1), last_activity=dt.date(2026, 6, 1), projects=2)
    assert gaps.inactive(store, ASOF) == []
    rows = store.read("export/paired_with")
    assert [(r["form"], r["funds"], r["projects"], r["last_activity"]) for r in rows] == [
        ("assigned", 5.0, 2, dt.date(2026, 6, 1))
    ]
    # The older call: a None leaves a value as it is.
    assert writes.update_pairing(store, "c1", "w1", "2025-01-01", funds=6, form=None) == {"funds": 6.0}
    assert writes.update_pairing(store, "c1", "w1", "2025-01-01", form=None) == {}
    assert store.read("export/paired_with")[0]["form"] == "assigned"
    with pytest.raises(QueryError, match="no PAIRED_WITH link from 'c1' to 'w2' starting 2025-01-01"):
        writes.update_link(store, "pairing", "c1", "w2", dt.date(2025, 1, 1), projects=3)


def test_end_picks_the_link_by_since(store: GraphStore) -> None:
    # A renewed pairing: the old term ended, a new one runs; ending by since touches only that one.
    writes.create_pairing(store, "o1", "w1", "2024-01-01", until="2024-12-31")
    writes.create_pairing(store, "o1", "w1", "2025-01-01")
    with pytest.raises(QueryError, match="starting 2024-01-01 open on"):
        writes.end_link(store, "pairing", "o1", "w1", "2026-10-01", since="2024-01-01")
    assert writes.end_link(store, "pairing", "o1", "w1", "2026-10-01", since="2025-01-01") == 1
    assert unpaired_ids(store) == ["w1", "w2"]
    load = {u.unit_id: (u.active, u.status) for u in gaps.unit_load(store, dt.date(2026, 9, 1))}
    assert load["o1"] == (1, "ok")


# ---------------------------------------------------------------- editing and deleting links by hand

# Each kind with a property of each type it has: (start, property, stored value, changed value).
EDITS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "pairing": ("c1", {"form": "assigned", "funds": 5.0}, {"form": "chosen", "funds": 12.5}),
    "lead": ("s1", {"mode": "支部联建"}, {"mode": "产业联建"}),
    "fusion": ("e1", {"joint_party_org": "联合党委"}, {"joint_party_org": "联合党支部"}),
    "station": ("k1", {"role": "team_member"}, {"role": "first_secretary"}),
}


def _links(store: GraphStore, kind: str, src: str) -> list[dict[str, object]]:
    return writes.find_links(store, kind, src, "w1")


@pytest.mark.parametrize("kind", list(EDITS))
def test_update_link_changes_any_property_and_audits_before_and_after(store: GraphStore, kind: str) -> None:
    src, first, second = EDITS[kind]
    writes.create_link(store, kind, src, "w1", START, actor="alice", **first)
    until = dt.date(2026, 12, 31)
    changed = writes.update_link(store, kind, src, "w1", START, actor="bob", until=until, **second)
    assert changed == {"until": until, **second}
    (link,) = _links(store, kind, src)
    assert {k: link[k] for k in (*second, "since", "until")} == {**second, "since": START, "until": until}
    (entry,) = audit.entries(store, action=f"{kind}.update")
    assert (entry.actor, entry.target) == ("bob", f"{src}->w1")
    assert entry.before == {"since": "2026-01-01", "until": None, **first}
    assert entry.after == {"since": "2026-01-01", "until": "2026-12-31", **second}
    # A None clears a value (reopens the link); an edit that changes nothing writes no entry.
    assert writes.update_link(store, kind, src, "w1", None, until=None) == {"until": None}
    assert _links(store, kind, src)[0]["until"] is None
    assert writes.update_link(store, kind, src, "w1", START, **second) == {}
    assert len(audit.entries(store, action=f"{kind}.update")) == 2


def _in_chinese(message: str) -> bool:
    said = reason_text(message, "zh")
    return said != message and any("\u4e00" <= ch <= "\u9fff" for ch in said.replace("'甲县'", ""))


def test_update_link_refusals_change_nothing(store: GraphStore) -> None:
    writes.create_pairing(store, "o1", "w1", "2024-01-01", until="2024-12-31")
    writes.create_pairing(store, "o1", "w1", "2025-01-01")
    before = store.dump()
    entries = len(audit.entries(store))
    with pytest.raises(QueryError, match=r"2 PAIRED_WITH link from 'o1' to 'w1' \(since 2024-01-01, 2025-01-01\)"):
        writes.update_link(store, "pairing", "o1", "w1", None, funds=1)
    with pytest.raises(QueryError, match="since is part of a link's identity"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01", since="2025-02-01")
    with pytest.raises(QueryError, match="before since"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01", until="2024-06-01")
    with pytest.raises(QueryError, match="form 'paper'"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01", form="paper")
    with pytest.raises(QueryError, match="funds -1 is less than 0"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01", funds=-1)
    with pytest.raises(QueryError, match="has no mode"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01", mode="x")
    with pytest.raises(QueryError, match="nothing to change"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01")
    with pytest.raises(QueryError, match="no STATIONED_IN link from 'k1' to 'w1'"):
        writes.update_link(store, "station", "k1", "w1", None, role="team_leader")
    with pytest.raises(PermissionDenied, match="viewer"):
        writes.update_link(store, "pairing", "o1", "w1", "2025-01-01", funds=1, account=Account("v", "viewer"))
    with pytest.raises(PermissionDenied, match="not county '甲县'"):
        writes.update_link(
            store, "pairing", "o1", "w1", "2025-01-01", funds=1, account=Account("p", "planner", ("乙县",))
        )
    assert store.dump() == before and len(audit.entries(store)) == entries


def test_every_refusal_of_a_write_reads_in_chinese(store: GraphStore) -> None:
    writes.create_pairing_checked(store, "c1", "w1", START)
    writes.create_pairing_checked(store, "c1", "w2", START)
    refusals: list[Callable[[], object]] = [
        lambda: writes.create_pairing(store, "nope", "w1", START),
        lambda: writes.create_pairing(store, "k1", "w1", START),
        lambda: writes.create_pairing(store, "o1", "nope", START),
        lambda: writes.create_pairing_checked(store, "c1", "w1", START),
        lambda: writes.create_pairing_checked(store, "c1", "s1", START),
        lambda: writes.create_link(store, "lead", "w1", "w1", START),
        lambda: writes.create_link(store, "lead", "s1", "w1", START, role="x"),
        lambda: writes.create_link(store, "visit", "s1", "w1", START),
        lambda: writes.create_pairing(store, "o1", "w1", START, until="2025-01-01"),
        lambda: writes.create_pairing(store, "o1", "w1", START, form="<script>"),
        lambda: writes.create_pairing(store, "o1", "w1", START, funds="=1+1"),
        lambda: writes.create_pairing(store, "o1", "w1", START, funds=-3),
        lambda: writes.create_pairing(store, "o1", "w1", "2026-13-01"),
        lambda: writes.end_link(store, "lead", "s1", "w1", ASOF),
        lambda: writes.end_link(store, "pairing", "c1", "w1", ASOF, since="2020-01-01"),
        lambda: writes.update_link(store, "pairing", "c1", "w1", None, since=ASOF),
        lambda: writes.update_link(store, "pairing", "c1", "w1", None),
        lambda: writes.update_link(store, "lead", "s1", "w1", None, mode="x"),
        lambda: writes.delete_link(store, "pairing", "c1", "w1", "2020-01-01"),
        lambda: writes.end_link(store, "pairing", "c1", "w1", ASOF, account=Account("v", "viewer")),
        lambda: writes.end_link(store, "pairing", "c1", "w1", ASOF, account=Account("p", "planner", ("乙县",))),
        lambda: writes.delete_link(store, "pairing", "c1", "w1", START, account=Account("p", "planner", ("甲县",))),
    ]
    before = store.dump()
    for refuse in refusals:
        with pytest.raises(PairingError) as caught:
            refuse()
        assert _in_chinese(str(caught.value)), str(caught.value)
    assert store.dump() == before
    # Two pairings of c1 with w1 would need the since to tell them apart.
    writes.create_pairing(store, "c1", "w1", "2020-01-01", until="2020-12-31")
    with pytest.raises(QueryError) as several:
        writes.update_link(store, "pairing", "c1", "w1", None, funds=1)
    assert reason_text(str(several.value), "zh").endswith("请指明开始日期")


def test_reopening_a_pairing_is_checked_against_capacity(store: GraphStore) -> None:
    # c1 has a capacity of 2: two pairings now, and one that ended; reopening that one would make three.
    writes.create_pairing(store, "c1", "w1", "2025-01-01", until="2025-12-31")
    writes.create_pairing_checked(store, "c1", "w2", "2026-01-01")
    writes.create_pairing_checked(store, "c1", "s1", "2026-01-01")
    with pytest.raises(ConflictError, match="'c1' is full: 2 pairing"):
        writes.update_link(store, "pairing", "c1", "w1", "2025-01-01", until=None)
    assert _links(store, "pairing", "c1")[0]["until"] == dt.date(2025, 12, 31)
    # Shortening it, or editing anything else, is no claim on the unit.
    writes.update_link(store, "pairing", "c1", "w1", "2025-01-01", until="2025-06-30", funds=2)
    with pytest.raises(ConflictError, match="is full"):
        writes.create_pairing_checked(store, "c1", "w1", "2026-03-01")


def test_delete_link_is_for_admins_and_audits_the_whole_link(store: GraphStore) -> None:
    writes.create_link(store, "fusion", "e1", "w1", START, joint_party_org="联合党委")
    before = store.dump()
    for account in (Account("v", "viewer"), Account("p", "planner", ("甲县",))):
        with pytest.raises(PermissionDenied):
            writes.delete_link(store, "fusion", "e1", "w1", START, account=account)
    with pytest.raises(QueryError, match="no FUSED_WITH link from 'e1' to 'w1' starting 2026-02-01"):
        writes.delete_link(store, "fusion", "e1", "w1", "2026-02-01", account=Account("a", "admin"))
    assert store.dump() == before
    gone = writes.delete_link(store, "fusion", "e1", "w1", START, account=Account("a", "admin"))
    assert gone == {"enterprise": "e1", "village": "w1", "since": START, "until": None, "joint_party_org": "联合党委"}
    assert _links(store, "fusion", "e1") == []
    assert unpaired_ids(store) == ["w1", "w2"]
    (entry,) = audit.entries(store, action="fusion.delete")
    assert (entry.actor, entry.target, entry.after) == ("a", "e1->w1", None)
    assert entry.before == {**gone, "since": "2026-01-01"}


def test_hostile_text_is_stored_as_text(store: GraphStore) -> None:
    hostile = "<script>alert(1)</script> =1+1 '}) DETACH DELETE n //"
    writes.create_link(store, "lead", "s1", "w1", START, mode=hostile)
    writes.create_link(store, "fusion", "e1", "w1", START, joint_party_org=hostile)
    writes.update_link(store, "lead", "s1", "w1", START, mode=hostile + "!")
    assert _links(store, "lead", "s1")[0]["mode"] == hostile + "!"
    assert _links(store, "fusion", "e1")[0]["joint_party_org"] == hostile
    assert store.counts()["Village"] == 3


# ---------------------------------------------------------------- random edits against a plain-Python model

# The links of w1 the model follows: (kind, start) → {since: {property: value}}. c1's capacity is 2.
STARTS = {"pairing": "c1", "lead": "s1", "fusion": "e1", "station": "k1"}
CAPACITY = 2
day_strategy = st.integers(0, 40).map(lambda n: START + dt.timedelta(days=10 * n))
operations = st.lists(
    st.tuples(
        st.sampled_from(["create", "end", "update", "delete"]),
        st.sampled_from(list(STARTS)),
        day_strategy,
        st.one_of(st.none(), day_strategy),
    ),
    max_size=12,
)


class Model:
    """What the writes should do, in plain Python: the refusals and the links they leave."""

    def __init__(self) -> None:
        self.links: dict[str, dict[dt.date, dt.date | None]] = {kind: {} for kind in STARTS}

    def overlapping(self, since: dt.date, until: dt.date | None) -> int:
        end = until or dt.date.max
        return sum(1 for s, u in self.links["pairing"].items() if s <= end and (u is None or u >= since))

    def create(self, kind: str, since: dt.date, until: dt.date | None) -> bool:
        if since in self.links[kind] or (until is not None and until < since):
            return False
        if kind == "pairing" and self.overlapping(since, until) >= CAPACITY:
            return False
        self.links[kind][since] = until
        return True

    def end(self, kind: str, since: dt.date, day: dt.date) -> bool:
        until = self.links[kind].get(since, dt.date.min)
        if since not in self.links[kind] or since > day or (until is not None and until <= day):
            return False
        self.links[kind][since] = day
        return True

    def update(self, kind: str, since: dt.date, until: dt.date | None) -> bool:
        if since not in self.links[kind] or (until is not None and until < since):
            return False
        old = self.links[kind][since]
        grows = (until is None and old is not None) or (old is not None and until is not None and until > old)
        if kind == "pairing" and grows and self.overlapping(since, until) - 1 >= CAPACITY:
            return False
        self.links[kind][since] = until
        return True

    def delete(self, kind: str, since: dt.date) -> bool:
        return self.links[kind].pop(since, "gone") != "gone"

    def covered(self, day: dt.date) -> bool:
        return any(s <= day and (u is None or u >= day) for links in self.links.values() for s, u in links.items())


def _apply(store: GraphStore, op: str, kind: str, since: dt.date, other: dt.date | None) -> None:
    """One write on w1: create (until `other`), end (on `other`), update (until to `other`) or delete."""
    src = STARTS[kind]
    if op == "create":
        writes.create_link(store, kind, src, "w1", since, until=other, check_capacity=True)
    elif op == "end":
        assert other is not None
        writes.end_link(store, kind, src, "w1", other, since=since)
    elif op == "update":
        writes.update_link(store, kind, src, "w1", since, until=other)
    else:
        writes.delete_link(store, kind, src, "w1", since)


# Examples by engine: each reloads the store and makes up to 12 writes, each a round trip to the server on Neo4j.
EXAMPLES = {"ladybug": 40, "neo4j": 6}


def test_random_edits_agree_with_a_plain_model(store: GraphStore) -> None:
    @settings(max_examples=EXAMPLES[store.engine], deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations, asof=day_strategy)
    def check(ops: list[tuple[str, str, dt.date, dt.date | None]], asof: dt.date) -> None:
        random_edits_agree(store, ops, asof)

    check()


def random_edits_agree(store: GraphStore, ops: list[tuple[str, str, dt.date, dt.date | None]], asof: dt.date) -> None:
    store.load(small(), replace=True)
    model = Model()
    for op, kind, day, other in ops:
        known = sorted(model.links[kind])
        # end, update and delete pick an existing link's start when there is one (else a day, refused).
        since = known[day.toordinal() % len(known)] if known and op != "create" else day
        if op == "create":
            expected = model.create(kind, day, other)
        elif op == "end":
            expected = model.end(kind, since, other or day)
        elif op == "update":
            expected = model.update(kind, since, other)
        else:
            expected = model.delete(kind, since)
        try:
            _apply(store, op, kind, since if op != "create" else day, other or day if op == "end" else other)
        except PairingError:
            assert not expected, (op, kind, since, other)
        else:
            assert expected, (op, kind, since, other)
    for kind, src in STARTS.items():
        stored = {row["since"]: row["until"] for row in writes.find_links(store, kind, src, "w1")}
        assert stored == model.links[kind]
    assert ("w1" not in unpaired_ids(store, asof)) == model.covered(asof)
