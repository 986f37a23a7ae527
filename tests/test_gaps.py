"""The gap queries on the embedded store agree with the plain-Python reference (tools.reference).

Random small graphs (hypothesis) exercise every support kind, ended and open links, boundary
dates and the filters; a few hand-made graphs pin the definitions' edge cases by name.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import gaps
from graph.dataset import Dataset
from graph.errors import QueryError
from graph.gaps import PolicyError
from graph.model import ORG_TYPES, SUPPORT_KINDS, TIERS, UNIT_LABELS, WEAK_REASONS
from graph.store import GraphStore, LadybugStore
from tests.fixtures import StoreFactory
from tools import reference

BASE = dt.date(2026, 1, 1)
COUNTIES = ("甲县", "乙县", None)
TOWNSHIPS = ("一镇", "二镇", None)


def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


# Dates cluster in one month so that since/until/as-of coincide often (the boundaries matter);
# last activities also cluster around a year before it (the 365-day cut-off).
near = st.integers(0, 30).map(day)
maybe_until = st.one_of(st.none(), near)
last_activity = st.one_of(st.none(), st.integers(-372, -355).map(day), near)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    data = Dataset()
    n_villages = draw(st.integers(1, 7))
    for i in range(n_villages):
        data.nodes["Village"].append(
            {
                "id": f"v{i}",
                "name": f"村{i}",
                "county": draw(st.sampled_from(COUNTIES)),
                "township": draw(st.sampled_from(TOWNSHIPS)),
                "tier": draw(st.sampled_from(TIERS)),
                "weak_reasons": draw(st.lists(st.sampled_from(WEAK_REASONS), unique=True, max_size=2)),
                "party_members": draw(st.one_of(st.none(), st.sampled_from([0, 2, 3, 49, 50, 100, 101, 150]))),
                "party_org_type": draw(st.one_of(st.none(), st.sampled_from(ORG_TYPES))),
                "leadership_size": draw(st.one_of(st.none(), st.integers(0, 5))),
            }
        )
    units: list[tuple[str, str]] = []
    for label in UNIT_LABELS:
        for i in range(draw(st.integers(0, 2))):
            uid = f"{label[:3].lower()}{i}"
            units.append((uid, label))
            row: dict[str, Any] = {
                "id": uid,
                "name": f"{label}{i}",
                "county": draw(st.sampled_from(COUNTIES)),
                "capacity": draw(st.one_of(st.none(), st.integers(0, 2))),
            }
            if label == "CityCommunity":
                row["township"] = draw(st.sampled_from(TOWNSHIPS))
                row["party_members"] = draw(st.one_of(st.none(), st.sampled_from([1, 3, 50, 120])))
                row["party_org_type"] = draw(st.one_of(st.none(), st.sampled_from(ORG_TYPES)))
                row["leadership_size"] = draw(st.one_of(st.none(), st.integers(0, 4)))
            data.nodes[label].append(row)
    cadres = [f"k{i}" for i in range(draw(st.integers(0, 3)))]
    data.nodes["Cadre"] = [{"id": k, "name": f"干部{k}"} for k in cadres]
    villages = st.integers(0, n_villages - 1).map(lambda i: f"v{i}")

    def link(src: str, src_label: str, dst: str, **props: Any) -> dict[str, Any]:
        return {"src": src, "src_label": src_label, "dst": dst, "dst_label": "Village", **props}

    if units:
        for _ in range(draw(st.integers(0, 6))):
            uid, label = draw(st.sampled_from(units))
            data.links["PAIRED_WITH"].append(
                link(
                    uid,
                    label,
                    draw(villages),
                    since=draw(near),
                    until=draw(maybe_until),
                    last_activity=draw(last_activity),
                    form="assigned",
                )
            )

    def add_links(rel: str, sources: st.SearchStrategy[str], src_label: str, most: int, **props: Any) -> None:
        for _ in range(draw(st.integers(0, most))):
            data.links[rel].append(
                link(draw(sources), src_label, draw(villages), since=draw(near), until=draw(maybe_until), **props)
            )

    add_links("LEADS", villages, "Village", 4)
    enterprises = [u for u, label in units if label == "Enterprise"]
    if enterprises:  # sampled_from refuses an empty list
        add_links("FUSED_WITH", st.sampled_from(enterprises), "Enterprise", 3)
    if cadres:
        add_links("STATIONED_IN", st.sampled_from(cadres), "Cadre", 5, role="first_secretary")
    # Ends and since identify a link (graph.model's RelSpec.key): the store keeps one of duplicates.
    for rel_type, rows in data.links.items():
        unique = {(r["src"], r["dst"], r.get("since")): r for r in reversed(rows)}
        data.links[rel_type] = list(reversed(unique.values()))
    return data


policies = st.one_of(
    st.just("any"), st.lists(st.sampled_from(SUPPORT_KINDS), min_size=1, max_size=3, unique=True).map(",".join)
)


@pytest.fixture(scope="module")
def scratch_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = LadybugStore(tmp_path_factory.mktemp("gaps") / "scratch.lbug")
    yield store
    store.close()


def replace_contents(store: GraphStore, data: Dataset) -> None:
    """Swap the store's whole graph for `data` in one transaction.

    Opening a fresh Ladybug file costs ~0.5 s on the shared build machine, which 200 examples
    cannot afford; `load(replace=True)` of a small graph clears and merges in one transaction
    (~0.05 s). The hand-made tests below use fresh stores.
    """
    store.load(data, replace=True)


@pytest.mark.slow  # ~18 s: 200 random graphs, each loaded and asked every gap query
@settings(
    max_examples=int(os.environ.get("GAPS_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=datasets(),
    asof=near,
    county=st.sampled_from([None, "甲县"]),
    township=st.sampled_from([None, "一镇"]),
    policy=policies,
    horizon=st.integers(0, 20),
    by=st.sampled_from(gaps.BY_CHOICES),
)
def test_every_gap_query_equals_the_reference(
    scratch_store: GraphStore,
    data: Dataset,
    asof: dt.date,
    county: str | None,
    township: str | None,
    policy: str,
    horizon: int,
    by: str,
) -> None:
    store = scratch_store
    replace_contents(store, data)
    g = reference.build(data)
    assert gaps.unpaired(store, asof, county, township) == reference.unpaired(g, asof, county, township)
    assert gaps.support(store, asof, policy, county, township) == reference.support(g, asof, policy, county, township)
    assert gaps.gaps(store, asof, policy, county, township) == reference.gap_list(g, asof, policy, county, township)
    assert gaps.inactive(store, asof, county, township) == reference.inactive(g, asof, county, township)
    assert gaps.expiring(store, asof, horizon, county, township) == reference.expiring(
        g, asof, horizon, county, township
    )
    assert gaps.unit_load(store, asof, county) == reference.unit_load(g, asof, county)
    assert gaps.coverage(store, asof, by, county) == reference.coverage(g, asof, by, county)
    assert gaps.org_setting(store, county, township) == reference.org_setting(g, county, township)


# ---------------------------------------------------------------- hand-made cases


def village(vid: str, tier: str = "weak", **props: Any) -> dict[str, Any]:
    return {"id": vid, "name": vid, "county": "甲县", "township": "一镇", "tier": tier, "weak_reasons": [], **props}


def edge(
    src: str, src_label: str, dst: str, since: dt.date, until: dt.date | None = None, **props: Any
) -> dict[str, Any]:
    return {
        "src": src,
        "src_label": src_label,
        "dst": dst,
        "dst_label": "Village",
        "since": since,
        "until": until,
        **props,
    }


@pytest.fixture
def small() -> Dataset:
    """One weak village per situation, all on 2026-03-01."""
    d = Dataset()
    d.nodes["Village"] = [
        village("bare"),
        village("ends_today"),
        village("starts_tomorrow"),
        village("led_by_weak"),
        village("led_by_strong"),
        village("weak_leader"),
        village("strong_leader", tier="strong"),
        village("handover"),
        village("gap_after"),
        village("fused"),
    ]
    d.nodes["CityCommunity"] = [{"id": "c1", "name": "社区1", "capacity": 1}]
    d.nodes["Enterprise"] = [{"id": "e1", "name": "企业1", "capacity": 2}, {"id": "e2", "name": "企业2", "capacity": 0}]
    d.nodes["Organisation"] = [{"id": "o1", "name": "单位1", "capacity": 0}]
    d.nodes["Cadre"] = [{"id": f"k{i}", "name": f"干部{i}"} for i in range(4)]
    d.links["PAIRED_WITH"] = [
        edge(
            "c1",
            "CityCommunity",
            "ends_today",
            dt.date(2025, 1, 1),
            dt.date(2026, 3, 1),
            last_activity=dt.date(2025, 3, 1),
        ),
        edge("c1", "CityCommunity", "starts_tomorrow", dt.date(2026, 3, 2)),
        edge("o1", "Organisation", "fused", dt.date(2025, 1, 1), last_activity=dt.date(2025, 2, 28)),
    ]
    d.links["LEADS"] = [
        edge("weak_leader", "Village", "led_by_weak", dt.date(2025, 1, 1)),
        edge("strong_leader", "Village", "led_by_strong", dt.date(2025, 1, 1)),
    ]
    d.links["FUSED_WITH"] = [edge("e1", "Enterprise", "fused", dt.date(2025, 1, 1))]
    d.links["STATIONED_IN"] = [
        # A successor starts the day after: no gap.
        edge("k0", "Cadre", "handover", dt.date(2024, 3, 1), dt.date(2026, 4, 30)),
        edge("k1", "Cadre", "handover", dt.date(2026, 5, 1), dt.date(2028, 4, 30)),
        # A successor starts two days after: a gap of one day.
        edge("k2", "Cadre", "gap_after", dt.date(2024, 3, 1), dt.date(2026, 4, 30)),
        edge("k3", "Cadre", "gap_after", dt.date(2026, 5, 2), dt.date(2028, 4, 30)),
    ]
    return d


ASOF = dt.date(2026, 3, 1)


def test_definitions_on_named_cases(make_store: StoreFactory, small: Dataset) -> None:
    check_named_cases(make_store(small))


@pytest.mark.neo4j
def test_definitions_on_named_cases_on_neo4j(neo4j_store: GraphStore, small: Dataset) -> None:
    neo4j_store.load(small)
    check_named_cases(neo4j_store)


def check_named_cases(store: GraphStore) -> None:
    unpaired = [r.village_id for r in gaps.unpaired(store, ASOF)]
    # Active on the until day; not before since; a lead from a weak village does not count.
    assert unpaired == ["bare", "led_by_weak", "starts_tomorrow", "weak_leader"]
    assert [r.village_id for r in gaps.unpaired(store, dt.date(2026, 3, 2))] == [
        "bare",
        "ends_today",
        "led_by_weak",
        "weak_leader",
    ]
    (fused,) = [r for r in gaps.support(store, ASOF, "pairing,fusion") if r.village_id == "fused"]
    assert fused.has == ("pairing", "fusion") and fused.missing == ()
    (led,) = [r for r in gaps.support(store, ASOF, "station") if r.village_id == "led_by_strong"]
    assert led.has == ("lead",) and led.missing == ("station",)
    # Exactly 365 days without activity is still active; 366 is not.
    assert [(p.village_id, p.days_since_activity) for p in gaps.inactive(store, ASOF)] == [("fused", 366)]
    assert [(s.cadre_id, s.days_left) for s in gaps.expiring(store, ASOF, days=90)] == [("k2", 60)]
    assert gaps.expiring(store, ASOF, days=59) == []
    load = {u.unit_id: u.status for u in gaps.unit_load(store, ASOF)}
    assert load == {"c1": "ok", "e1": "idle", "e2": "ok", "o1": "overloaded"}
    assert {u.unit_id: u.status for u in gaps.unit_load(store, dt.date(2026, 3, 2))}["c1"] == "ok"
    (county,) = gaps.coverage(store, ASOF)
    assert (county.weak, county.covered, county.uncovered, county.lead, county.station) == (9, 5, 4, 1, 2)
    assert county.rate == pytest.approx(5 / 9)


def test_org_setting(make_store: StoreFactory) -> None:
    d = Dataset()
    d.nodes["Village"] = [
        village("big_branch", party_members=101, party_org_type="branch", leadership_size=5),
        village("right", party_members=100, party_org_type="general_branch", leadership_size=3),
        village("small_team", party_members=3, party_org_type="branch", leadership_size=2),
        village("tiny", party_members=2, party_org_type="branch", leadership_size=1),
    ]
    d.nodes["CityCommunity"] = [
        {"id": "c1", "name": "社区", "party_members": 49, "party_org_type": "general_branch", "leadership_size": 3}
    ]
    store = make_store(d)
    rows = {(r.id, r.expected_type, r.type_mismatch, r.small_leadership) for r in gaps.org_setting(store)}
    assert rows == {
        ("big_branch", "committee", True, False),
        ("small_team", "branch", False, True),
        ("c1", "branch", True, False),
    }


def test_policy_parsing() -> None:
    assert gaps.parse_policy(None) == ("any",)
    assert gaps.parse_policy("any") == ("any",)
    assert gaps.parse_policy(" station, pairing ") == ("pairing", "station")
    assert gaps.parse_policy("pairing，station") == ("pairing", "station")
    assert gaps.parse_policy(["fusion"]) == ("fusion",)
    with pytest.raises(PolicyError, match="unknown support kind 'pairs'"):
        gaps.parse_policy("pairs,station")
    with pytest.raises(PolicyError, match="cannot be combined"):
        gaps.parse_policy("any,station")
    with pytest.raises(QueryError, match="not a date"):
        gaps.as_date("2026-13-01")
    assert gaps.as_date(None) == dt.date.today()
