"""The gap queries on each engine agree with the plain-Python reference (tools.reference).

Random small graphs (hypothesis) exercise every support kind, ended and open links, boundary
dates and the filters; a few hand-made graphs pin the definitions' edge cases by name.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import activities, gaps
from graph.dataset import Dataset
from graph.errors import QueryError
from graph.gaps import PolicyError
from graph.model import ORG_TYPES, REL_BY_TYPE, SUPPORT_KINDS, TIERS, UNIT_LABELS, WEAK_REASONS
from graph.store import GraphStore
from tests.fixtures import StoreFactory, engine_examples
from tools import reference

BASE = dt.date(2026, 1, 1)
# Cities drawn apart from counties: a county in two cities (a ledger's slip) still filters on each level alone.
CITIES = ("东市", "西市", None)
COUNTIES = ("甲县", "乙县", None)
TOWNSHIPS = ("一镇", "二镇", None)


def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


# Dates cluster in one month so that since/until/as-of coincide often (the boundaries matter);
# last activities also cluster around a year before it (the 365-day cut-off).
near = st.integers(0, 30).map(day)
maybe_until = st.one_of(st.none(), near)
year_ago = st.integers(-372, -355).map(day)
last_activity = st.one_of(st.none(), year_ago, near)
# Pairings younger and older than a year on the as-of dates, some about exactly a year old.
pairing_since = st.one_of(near, year_ago, st.integers(-800, -380).map(day))
# Activities before a pairing, about a year before the as-of date, near it and after it.
activity_date = st.one_of(near, year_ago, st.integers(-800, -380).map(day), st.integers(31, 60).map(day))
# Every status, blank included (a ledger of what was done may have no status column).
activity_status = st.sampled_from([None, "planned", "ongoing", "done"])


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    data = Dataset()
    n_villages = draw(st.integers(1, 7))
    for i in range(n_villages):
        data.nodes["Village"].append(
            {
                "id": f"v{i}",
                "name": f"村{i}",
                "city": draw(st.sampled_from(CITIES)),
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
                "city": draw(st.sampled_from(CITIES)),
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
                    since=draw(pairing_since),
                    until=draw(maybe_until),
                    last_activity=draw(last_activity),
                    projects=draw(st.one_of(st.none(), st.integers(0, 3))),
                    form="assigned",
                )
            )
        # Mostly of a pairing's unit and village, some of the same unit with another village.
        paired: list[tuple[str, str, str]] = [(r["src"], r["src_label"], r["dst"]) for r in data.links["PAIRED_WITH"]]
        for _ in range(draw(st.integers(0, 8))):
            uid, label, vid = (*draw(st.sampled_from(units)), draw(villages))
            if draw(st.booleans()) and paired:
                uid, label, vid = draw(st.sampled_from(paired))
            data.links["ACTIVITY"].append(
                {
                    "src": uid,
                    "src_label": label,
                    "dst": vid,
                    "dst_label": "Village",
                    "date": draw(activity_date),
                    "title": draw(st.sampled_from(["修路", "培训", "义诊"])),
                    "status": draw(activity_status),
                    "funds": draw(st.one_of(st.none(), st.sampled_from([0.0, 2.5]))),
                }
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
    # Ends and the key identify a link (graph.model's RelSpec.key): the store keeps one of duplicates.
    for rel_type, rows in data.links.items():
        key = REL_BY_TYPE[rel_type].key
        unique = {(r["src"], r["dst"], *(r.get(k) for k in key)): r for r in reversed(rows)}
        data.links[rel_type] = list(reversed(unique.values()))
    return data


policies = st.one_of(
    st.just("any"), st.lists(st.sampled_from(SUPPORT_KINDS), min_size=1, max_size=3, unique=True).map(",".join)
)


@pytest.mark.slow  # ~18 s on Ladybug: 200 random graphs, each loaded and asked every gap query; ~5-15 s on Neo4j
def test_every_gap_query_equals_the_reference(engine: str, any_store: StoreFactory) -> None:
    # One store for every example: `load(replace=True)` of a small graph clears and merges in one
    # transaction (~0.05 s on Ladybug), where a fresh Ladybug file costs ~0.5 s. Neo4j runs far fewer
    # examples (engine_examples): each is a load and a dozen queries over bolt.
    store = any_store()
    examples = engine_examples(
        engine, int(os.environ.get("GAPS_EXAMPLES", "200")), int(os.environ.get("GAPS_NEO4J_EXAMPLES", "12"))
    )

    @settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    @given(
        data=datasets(),
        asof=near,
        city=st.sampled_from([None, "东市"]),
        county=st.sampled_from([None, "甲县"]),
        township=st.sampled_from([None, "一镇"]),
        policy=policies,
        horizon=st.integers(0, 20),
        by=st.sampled_from(gaps.BY_CHOICES),
        inactive_days=st.sampled_from([gaps.INACTIVE_AFTER_DAYS, 10]),
    )
    def every_query(
        data: Dataset,
        asof: dt.date,
        city: str | None,
        county: str | None,
        township: str | None,
        policy: str,
        horizon: int,
        by: str,
        inactive_days: int,
    ) -> None:
        store.load(data, replace=True)
        check_every_query(store, data, asof, county, township, policy, horizon, by, inactive_days, city)

    every_query()


def check_every_query(
    store: GraphStore,
    data: Dataset,
    asof: dt.date,
    county: str | None,
    township: str | None,
    policy: str,
    horizon: int,
    by: str,
    inactive_days: int,
    city: str | None = None,
) -> None:
    g = reference.build(data)
    assert gaps.unpaired(store, asof, county, township, city=city) == reference.unpaired(
        g, asof, county, township, city=city
    )
    assert gaps.support(store, asof, policy, county, township, city=city) == reference.support(
        g, asof, policy, county, township, city=city
    )
    assert gaps.gaps(store, asof, policy, county, township, city=city) == reference.gap_list(
        g, asof, policy, county, township, city=city
    )
    assert gaps.inactive(store, asof, county, township, city=city) == reference.inactive(
        g, asof, county, township, city=city
    )
    assert gaps.inactive(store, asof, county, township, inactive_days, city=city) == reference.inactive(
        g, asof, county, township, inactive_days, city=city
    )
    assert gaps.first_year(store, asof, county, township, inactive_days, city=city) == reference.first_year(
        g, asof, county, township, inactive_days, city=city
    )
    for p in data.links["PAIRED_WITH"]:
        found = activities.effective(store, p["src"], p["dst"], p["since"], asof)
        assert found == reference.effective(g, p["src"], p["dst"], p["since"], asof)
    assert gaps.expiring(store, asof, horizon, county, township, city=city) == reference.expiring(
        g, asof, horizon, county, township, city=city
    )
    assert gaps.unit_load(store, asof, county, city=city) == reference.unit_load(g, asof, county, city=city)
    assert gaps.coverage(store, asof, by, county, city=city) == reference.coverage(g, asof, by, county, city=city)
    assert gaps.org_setting(store, county, township, city=city) == reference.org_setting(g, county, township, city=city)


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


def test_definitions_on_named_cases(any_store: StoreFactory, small: Dataset) -> None:
    store = any_store(small)
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


def test_org_setting(any_store: StoreFactory) -> None:
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
    store = any_store(d)
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


# ---------------------------------------------------------------- the yearly rule (seed 003) by name


def activity(src: str, src_label: str, dst: str, date: dt.date, status: str | None = "done") -> dict[str, Any]:
    return {
        "src": src,
        "src_label": src_label,
        "dst": dst,
        "dst_label": "Village",
        "date": date,
        "title": f"{dst}-{date}",
        "status": status,
    }


OLD = dt.date(2024, 1, 1)


@pytest.fixture
def yearly() -> Dataset:
    return yearly_data()


def yearly_data() -> Dataset:
    """One pairing per boundary of the yearly rule on 2026-03-01 (cut-off 2025-03-01)."""
    d = Dataset()
    names = [
        "old_none",
        "exactly_year",
        "young",
        "today",
        "act_on_cutoff",
        "act_before_cutoff",
        "planned_only",
        "blank_status",
        "column_recent",
        "after_d",
        "other_a",
        "other_b",
        "young_before_since",
        "young_planned",
        "young_done",
    ]
    d.nodes["Village"] = [village(n) for n in names]
    d.nodes["CityCommunity"] = [{"id": "c1", "name": "社区1"}]
    d.nodes["Organisation"] = [{"id": "o1", "name": "单位1"}]
    since = {"exactly_year": dt.date(2025, 3, 1), "young": dt.date(2025, 3, 2), "today": ASOF}
    since |= dict.fromkeys(("young_before_since", "young_done"), dt.date(2026, 1, 1))
    since["young_planned"] = dt.date(2026, 2, 1)
    d.links["PAIRED_WITH"] = [
        edge("c1", "CityCommunity", n, since.get(n, OLD)) for n in names if n not in ("other_a", "other_b")
    ]
    d.links["PAIRED_WITH"][names.index("column_recent")]["last_activity"] = dt.date(2025, 6, 1)
    d.links["PAIRED_WITH"] += [edge("o1", "Organisation", "other_a", OLD), edge("o1", "Organisation", "other_b", OLD)]
    d.links["ACTIVITY"] = [
        activity("c1", "CityCommunity", "act_on_cutoff", dt.date(2025, 3, 1)),
        activity("c1", "CityCommunity", "act_before_cutoff", dt.date(2025, 2, 28)),
        activity("c1", "CityCommunity", "planned_only", dt.date(2026, 2, 1), "planned"),
        activity("c1", "CityCommunity", "planned_only", dt.date(2026, 2, 2), "ongoing"),
        activity("c1", "CityCommunity", "blank_status", dt.date(2026, 1, 10), None),
        activity("c1", "CityCommunity", "after_d", dt.date(2026, 3, 2)),
        # The unit's activity with its other village does not count for this one.
        activity("o1", "Organisation", "other_b", dt.date(2026, 1, 1)),
        # Done before the pairing began (an earlier pairing's): not this pairing's.
        activity("c1", "CityCommunity", "young_before_since", dt.date(2025, 12, 20)),
        activity("c1", "CityCommunity", "young_planned", dt.date(2026, 2, 10), "planned"),
        activity("c1", "CityCommunity", "young_done", dt.date(2026, 2, 1)),
    ]
    return d


def test_yearly_rule_boundaries(any_store: StoreFactory, yearly: Dataset) -> None:
    store, data = any_store(yearly), yearly
    paper = [(p.village_id, p.last_activity, p.days_since_activity) for p in gaps.inactive(store, ASOF)]
    # Begun exactly 365 days before is old enough; an activity exactly on the cut-off still counts;
    # planned and ongoing ones do not, nor those with another village or after the day.
    assert paper == [
        ("after_d", None, None),
        ("exactly_year", None, None),
        ("old_none", None, None),
        ("other_a", None, None),
        ("planned_only", None, None),
        ("act_before_cutoff", dt.date(2025, 2, 28), 366),
    ]
    first = [(p.village_id, p.days_paired) for p in gaps.first_year(store, ASOF)]
    assert first == [("young", 364), ("young_before_since", 59), ("young_planned", 28), ("today", 0)]
    # The next day the activity after D counts; the day before, the year-old pairing is in its first year.
    assert "after_d" not in {p.village_id for p in gaps.inactive(store, dt.date(2026, 3, 2))}
    day_before = dt.date(2026, 2, 28)
    assert "exactly_year" not in {p.village_id for p in gaps.inactive(store, day_before)}
    assert "exactly_year" in {p.village_id for p in gaps.first_year(store, day_before)}
    # The `days` filter replaces the year in both places.
    assert [p.village_id for p in gaps.first_year(store, ASOF, days=30)] == ["young_planned", "today"]
    assert "young_before_since" in {p.village_id for p in gaps.inactive(store, ASOF, days=30)}
    for day_ in (day_before, ASOF, dt.date(2026, 3, 2)):
        for days in (30, 365):
            assert gaps.inactive(store, day_, days=days) == reference.inactive(data, day_, days=days)
            assert gaps.first_year(store, day_, days=days) == reference.first_year(data, day_, days=days)
