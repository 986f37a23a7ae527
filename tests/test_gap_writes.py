"""Every write query round-trips: a created link closes the gap, ending it reopens the gap."""

from __future__ import annotations

import datetime as dt

import pytest

from graph import gaps, writes
from graph.dataset import Dataset
from graph.errors import ConflictError, QueryError
from graph.store import GraphStore
from tests.fixtures import StoreFactory

ASOF = dt.date(2026, 11, 1)
START = dt.date(2026, 1, 1)


@pytest.fixture
def store(make_store: StoreFactory) -> GraphStore:
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
    return make_store(d)


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
    writes.update_pairing(store, "c1", "w1", dt.date(2025, 1, 1), last_activity=dt.date(2026, 6, 1), projects=2)
    assert gaps.inactive(store, ASOF) == []
    rows = store.read("export/paired_with")
    assert [(r["form"], r["funds"], r["projects"], r["last_activity"]) for r in rows] == [
        ("assigned", 5.0, 2, dt.date(2026, 6, 1))
    ]
    with pytest.raises(QueryError, match="no pairing of 'c1' with 'w2'"):
        writes.update_pairing(store, "c1", "w2", dt.date(2025, 1, 1), projects=3)


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
