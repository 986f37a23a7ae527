"""三张清单 on a real store: the named boundary cases of every list, every write with its audit entry, refusals.

`tests.fixtures.lists_programme` names each case (its docstring); the day is LISTS_ASOF (D).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from graph import audit, claims, lists, writes
from graph.accounts import Account
from graph.errors import ConflictError, PermissionDenied, QueryError
from graph.lists import IdleClaimer, OverdueProject, RateRow, StaleNeed
from graph.reasons_zh import reason_text
from graph.store import GraphStore
from tests.fixtures import LISTS_ASOF, StoreFactory, lists_programme

D = LISTS_ASOF
SHI, QING = "石砚区", "青岚县"
PLANNER = Account("planner", "planner", (SHI,))
ADMIN = Account("boss", "admin")
VIEWER = Account("reader", "viewer")
HOSTILE = '<img src=x onerror=alert(1)> =HYPERLINK("x") \') RETURN 1 //'


@pytest.fixture
def store(make_store: StoreFactory) -> GraphStore:
    """The programme in a Ladybug file, for the lists (`test_the_lists_on_neo4j_equal_ladybugs` compares Neo4j's)."""
    return make_store(lists_programme())


@pytest.fixture
def any_programme(any_store: StoreFactory) -> GraphStore:
    """The programme on each engine, for the writes."""
    return any_store(lists_programme())


def entries(store: GraphStore, action: str) -> list[tuple[str, str, Any, Any]]:
    return [(e.actor, e.target, e.before, e.after) for e in audit.entries(store, action=action)]


def snapshot(store: GraphStore) -> Any:
    """Everything a refused write must leave as it was: the graph and the audit trail."""
    return store.dump(), len(audit.entries(store))


# ---------------------------------------------------------------- the lists on named cases


def test_stale_needs_boundary_is_exactly_90_days(store: GraphStore) -> None:
    n01 = StaleNeed("N01", "冷链仓储", "industry", "V01", "幸福村", SHI, "太塘镇", dt.date(2025, 12, 31), 90)
    assert lists.stale_needs(store, D) == [n01]  # N02, a day younger, is not; N10 has no posted date
    assert lists.stale_needs(store, D + dt.timedelta(days=1)) == [
        StaleNeed(**{**n01.__dict__, "days_open": 91}),
        StaleNeed("N02", "村道硬化", "infrastructure", "V01", "幸福村", SHI, "太塘镇", dt.date(2026, 1, 1), 90),
    ]
    assert lists.stale_needs(store, D, county=QING) == []
    assert lists.stale_needs(store, D, days=400) == []


def test_overdue_projects_due_on_the_day_is_not_overdue(store: GraphStore) -> None:
    e01 = OverdueProject(
        "E01", "石砚惠农机械制造有限公司", "Enterprise", "N04", "义诊", "V05", "鹿山村", SHI, "太塘镇",
        dt.date(2025, 6, 1), "ongoing", dt.date(2026, 3, 30), 1,
    )  # fmt: skip
    assert lists.overdue_projects(store, D) == [e01]  # C01's claim of N03 is due on D itself
    c01 = OverdueProject(
        "C01", "幸福社区", "CityCommunity", "N03", "助学", "V02", "幸福村", SHI, "五花镇",
        dt.date(2025, 7, 1), "claimed", D, 1,
    )  # fmt: skip
    assert lists.overdue_projects(store, D + dt.timedelta(days=1)) == [
        OverdueProject(**{**e01.__dict__, "days_overdue": 2}),
        c01,
    ]
    assert lists.overdue_projects(store, D, township="五花镇") == []


def test_idle_claimers(store: GraphStore) -> None:
    c01 = IdleClaimer("C01", "幸福社区", "CityCommunity", SHI, 1, ("N03",), ("助学",), dt.date(2025, 7, 1))
    o04 = IdleClaimer(
        "O04", "太塘镇中心学校", "Organisation", SHI, 1, ("N07",), ("=SUM(A1:A9)",), dt.date(2025, 12, 31)
    )
    # O04's claim of N07 is exactly 90 days old; O01 did something for V01 after its claim; E01's is under way.
    assert lists.idle_claimers(store, D) == [c01, o04]
    assert lists.idle_claimers(store, D - dt.timedelta(days=1)) == [c01]
    assert lists.idle_claimers(store, D, county=QING) == []


def test_rates_per_county_and_township(store: GraphStore) -> None:
    # 石砚区: 6 needs counted (N01 N02 N03 N04 N07 N08), 4 claimed, none done; 青岚县: N05 N09 N10 (N06 is
    # withdrawn), N05 claimed and done, N09 claimed by its ledger's status alone.
    assert lists.rates(store) == [
        RateRow(SHI, None, 6, 4, 0, 4 / 6, 0.0),
        RateRow(QING, None, 3, 2, 1, 2 / 3, 0.5),
    ]
    assert lists.rates(store, "township", county=SHI) == [
        RateRow(SHI, "五花镇", 2, 2, 0, 1.0, 0.0),
        RateRow(SHI, "太塘镇", 4, 2, 0, 0.5, 0.0),
    ]
    with pytest.raises(QueryError, match="choose one of county, township"):
        lists.rates(store, "village")


def test_an_empty_denominator_is_no_rate(make_store: StoreFactory) -> None:
    data = lists_programme()
    data.nodes["Need"] = [n for n in data.nodes["Need"] if n["id"] in ("N01", "N06")]
    data.links["NEED_OF"] = [r for r in data.links["NEED_OF"] if r["src"] in ("N01", "N06")]
    data.links["CLAIMED"] = []
    store = make_store(data)
    # 石砚区 has one open need: 0% claimed, no completion rate; 青岚县 only a withdrawn one: no row.
    assert lists.rates(store) == [RateRow(SHI, None, 1, 0, 0, 0.0, None)]
    assert lists.rates(make_store()) == []


def test_needs_list_shows_the_state_and_the_claims(store: GraphStore) -> None:
    rows = {n.need_id: n for n in lists.needs(store)}
    assert [n.need_id for n in lists.needs(store)] == [
        "N03",
        "N07",
        "N01",
        "N02",
        "N08",
        "N04",
        "N09",
        "N05",
        "N06",
        "N10",
    ]
    assert rows["N04"].units == ("E01", "O04") and rows["N04"].claim_statuses == ("ongoing", "not_chosen")
    assert {k: n.status for k, n in rows.items()} == {
        "N01": "open", "N02": "open", "N03": "claimed", "N04": "claimed", "N05": "done", "N06": "withdrawn",
        "N07": "claimed", "N08": "claimed", "N09": "claimed", "N10": "open",
    }  # fmt: skip
    assert [n.need_id for n in lists.needs(store, county=SHI, status="open")] == ["N01", "N02"]
    assert [n.need_id for n in lists.needs(store, county=QING, township="杨塘镇", status="withdrawn")] == ["N06"]
    with pytest.raises(QueryError, match="need status 'gone'"):
        lists.needs(store, status="gone")
    assert [(r.resource_id, r.unit_id, r.serves) for r in lists.resources(store)] == [
        ("R01", "E01", 3), ("R02", "O05", 2), ("R03", "C02", None),
    ]  # fmt: skip
    assert [(p.unit_id, p.need_id, p.status) for p in lists.projects(store, status="done")] == [("C02", "N05", "done")]


# ---------------------------------------------------------------- writes, audited


def test_post_need_and_resource_with_hostile_text(any_programme: GraphStore) -> None:
    store = any_programme
    need = claims.post_need(store, "V05", f"  {HOSTILE}  ", kind="医疗", posted="2026-03-01", actor="test")
    assert need == claims.derived_id("N", "V05", HOSTILE, dt.date(2026, 3, 1))
    (row,) = [n for n in lists.needs(store) if n.need_id == need]
    assert (row.need, row.kind, row.posted, row.status, row.village_id) == (
        HOSTILE, "health", dt.date(2026, 3, 1), "open", "V05",
    )  # fmt: skip
    after = {"id": need, "name": HOSTILE, "kind": "health", "posted": "2026-03-01", "village": "V05", "status": "open"}
    assert entries(store, "need.add") == [("test", need, None, after)]
    # The same item on the same day is the same need.
    with pytest.raises(ConflictError, match="exists already"):
        claims.post_need(store, "V05", HOSTILE, kind="health", posted="2026-03-01")
    resource = claims.offer_resource(store, "O02", HOSTILE, kind="education", serves=2, id="R9", actor="test")
    assert resource == "R9"
    assert [(r.resource, r.unit_id, r.serves) for r in lists.resources(store, unit="O02")] == [(HOSTILE, "O02", 2)]
    assert entries(store, "resource.add") == [
        ("test", "R9", None, {"id": "R9", "name": HOSTILE, "kind": "education", "serves": 2, "unit": "O02"})
    ]


# Each refused write: what it is asked, the error and the words of its message.
REFUSALS: list[tuple[Any, type[Exception], str]] = [
    (lambda s: claims.post_need(s, "V99", "路灯"), QueryError, "no village with id 'V99'"),
    (lambda s: claims.post_need(s, "V01", "   "), QueryError, "need's item is empty"),
    (lambda s: claims.post_need(s, "V01", "路" * 201), QueryError, "longer than 200 characters"),
    (lambda s: claims.post_need(s, "V01", "路灯", kind="天气"), QueryError, "kind '天气'"),
    (lambda s: claims.post_need(s, "V01", "路灯", id="N01"), ConflictError, "'N01' exists already"),
    (lambda s: claims.offer_resource(s, "X1", "技术"), QueryError, "no pairing unit"),
    (lambda s: claims.offer_resource(s, "O02", "技术", serves=-1), QueryError, "serves -1"),
    (lambda s: claims.claim(s, "C01", "N99"), QueryError, "no need with id 'N99'"),
    (lambda s: claims.claim(s, "X1", "N01"), QueryError, "no pairing unit"),
    (lambda s: claims.claim(s, "C01", "N03"), ConflictError, "has claimed need 'N03' already"),
    (lambda s: claims.claim(s, "C01", "N05"), ConflictError, "is done and cannot be claimed"),
    (lambda s: claims.claim(s, "C01", "N06"), ConflictError, "is withdrawn and cannot be claimed"),
    (lambda s: claims.claim(s, "C01", "N01", claimed="2026-03-01", due="2026-02-01"), QueryError, "before"),
    (lambda s: claims.choose(s, "N04", "O04"), QueryError, "no live claim"),
    (lambda s: claims.set_project(s, "O04", "N04", status="ongoing"), ConflictError, "was not chosen"),
    (lambda s: claims.set_project(s, "C02", "N05", status="ongoing"), ConflictError, "is done already"),
    (lambda s: claims.set_project(s, "C01", "N03", status="not_chosen"), QueryError, "project status"),
    (lambda s: claims.set_project(s, "C01", "N03"), QueryError, "nothing to set"),
    (lambda s: claims.set_project(s, "C01", "N03", done="2025-01-01"), QueryError, "before the claim"),
    (lambda s: claims.withdraw_need(s, "N05"), ConflictError, "is done and cannot be withdrawn"),
    (lambda s: claims.withdraw_need(s, "N06"), ConflictError, "is withdrawn and cannot be withdrawn"),
]


def test_refused_writes_change_nothing(any_programme: GraphStore) -> None:
    # One store for every refusal (each leaves it as it was), not a load per case: loads are the cost on Neo4j.
    store = any_programme
    before = snapshot(store)
    for call, error, message in REFUSALS:
        with pytest.raises(error, match=message) as caught:
            call(store)
        assert snapshot(store) == before, message
        # The app shows it in Chinese: every English word is gone but the values (quoted ids, dates, codes).
        said = reason_text(str(caught.value), "zh")
        left = re.sub(r"'[^']*'|\d{4}-\d{2}-\d{2}|[a-z_]+（[^）]*）", "", said)
        assert re.search(r"[\u4e00-\u9fff]", said) and not re.search(r"[A-Za-z]{3,}", left), said


def test_claim_choose_and_complete_a_project(any_programme: GraphStore) -> None:
    store = any_programme
    claims.claim(store, "O02", "N01", claimed="2026-03-31", due="2026-06-30", actor="test")
    claims.claim(store, "O05", "N01", claimed="2026-03-31", actor="test")
    assert entries(store, "claim") == [
        ("test", "O02->N01", {"need_status": "open", "claim": None},
         {"need_status": "claimed", "claim": {"claimed": "2026-03-31", "status": "claimed", "due": "2026-06-30"}}),
        ("test", "O05->N01", {"need_status": "claimed", "claim": None},
         {"need_status": "claimed", "claim": {"claimed": "2026-03-31", "status": "claimed", "due": None}}),
    ]  # fmt: skip
    assert claims.choose(store, "N01", "O05", on="2026-04-01", actor="test") is True
    (need,) = lists.needs(store, status="claimed", township="太塘镇", county=SHI)[:1]
    assert (need.need_id, need.units, need.claim_statuses) == ("N01", ("O02", "O05"), ("not_chosen", "claimed"))
    pairing = writes.find_links(store, "pairing", "O05", "V01", dt.date(2026, 4, 1))
    assert pairing == [
        {"src": "O05", "since": dt.date(2026, 4, 1), "until": None, "form": "chosen", "funds": None, "projects": None,
         "last_activity": None}
    ]  # fmt: skip
    choose_after = {"chosen": "O05", "claims": {"O02": "not_chosen"}, "paired": True, "on": "2026-04-01"}
    assert entries(store, "claim.choose") == [("test", "O05->N01", {"claims": {"O02": "claimed"}}, choose_after)]
    (created,) = entries(store, "pairing.create")
    assert created[:3] == ("test", "O05->V01", None) and created[3]["form"] == "chosen"
    # Chosen again while the pairing is in force: no second pairing.
    assert claims.choose(store, "N01", "O05", on="2026-04-02", actor="test") is False
    assert len(entries(store, "pairing.create")) == 1

    claims.set_project(store, "O05", "N01", status="ongoing", due="2026-09-30", actor="test")
    claims.set_project(store, "O05", "N01", done="2026-05-01", actor="test")
    ongoing, done = entries(store, "project.set")
    assert ongoing == (
        "test", "O05->N01",
        {"claimed": "2026-03-31", "status": "claimed", "due": None, "done": None},
        {"claimed": "2026-03-31", "status": "ongoing", "due": "2026-09-30", "done": None},
    )  # fmt: skip
    activity = {"unit": "O05", "village": "V01", "date": "2026-05-01", "title": "冷链仓储", "kind": "project",
                "status": "done", "created": True}  # fmt: skip
    assert done == (
        "test", "O05->N01",
        {"claimed": "2026-03-31", "status": "ongoing", "due": "2026-09-30", "done": None, "need_status": "claimed"},
        {"claimed": "2026-03-31", "status": "done", "due": "2026-09-30", "done": "2026-05-01", "need_status": "done",
         "activity": activity},
    )  # fmt: skip
    assert [n.status for n in lists.needs(store) if n.need_id == "N01"] == ["done"]
    made = [a for a in store.dump().links["ACTIVITY"] if a["src"] == "O05"]
    assert [(a["dst"], a["date"], a["title"], a["kind"], a["status"]) for a in made] == [
        ("V01", dt.date(2026, 5, 1), "冷链仓储", "project", "done")
    ]
    assert lists.rates(store)[0] == RateRow(SHI, None, 6, 5, 1, 5 / 6, 1 / 5)


def test_choosing_a_full_unit_refuses_the_whole_choice(any_programme: GraphStore) -> None:
    store = any_programme
    # O05 (capacity 2) already pairs 420102001001; give it a second pairing so that it is full.
    claims.claim(store, "O05", "N02", claimed="2026-03-01")
    claims.claim(store, "O02", "N02", claimed="2026-03-02")
    from graph import writes

    writes.create_pairing(store, "O05", "V03", "2026-01-01")
    before = snapshot(store)
    with pytest.raises(ConflictError, match="'O05' is full") as caught:
        claims.choose(store, "N02", "O05", on="2026-04-01")
    assert snapshot(store) == before  # O02's claim is still live
    assert reason_text(str(caught.value), "zh") == "结对单位 'O05' 已满：这段时间内已有 2 个结对，可结对数为 2"


def test_withdraw_declines_the_live_claims(any_programme: GraphStore) -> None:
    store = any_programme
    claims.withdraw_need(store, "N04", actor="test")
    assert entries(store, "need.withdraw") == [
        ("test", "N04", {"status": "claimed", "claims": {"E01": "ongoing"}},
         {"status": "withdrawn", "claims": {"E01": "not_chosen"}})
    ]  # fmt: skip
    assert lists.overdue_projects(store, D) == []
    assert [n.status for n in lists.needs(store) if n.need_id == "N04"] == ["withdrawn"]


# ---------------------------------------------------------------- who may write


# Each write a planner of 石砚区 may not make in 青岚县.
OTHER_COUNTY: list[Any] = [
    lambda s, a: claims.post_need(s, "V07", "路灯", account=a),
    lambda s, a: claims.offer_resource(s, "C02", "文化", account=a),
    lambda s, a: claims.claim(s, "C02", "N10", account=a),
    lambda s, a: claims.set_project(s, "C02", "N05", due="2026-12-31", account=a),
    lambda s, a: claims.withdraw_need(s, "N10", account=a),
    lambda s, a: claims.choose(s, "N05", "C02", account=a),
]


def test_a_planner_cannot_write_another_county(any_programme: GraphStore) -> None:
    store = any_programme
    before = snapshot(store)
    for call in OTHER_COUNTY:
        with pytest.raises(PermissionDenied, match=f"may change villages of {SHI} only, not county '{QING}'"):
            call(store, PLANNER)
        with pytest.raises(PermissionDenied, match="is a viewer"):
            call(store, VIEWER)
        assert snapshot(store) == before


def test_a_planner_writes_their_county_as_themselves(any_programme: GraphStore) -> None:
    store = any_programme
    claims.claim(store, "O02", "N01", claimed="2026-03-31", account=PLANNER, actor="ignored")
    claims.claim(store, "C02", "N10", claimed="2026-03-31", account=ADMIN)
    assert [(e.actor, e.target) for e in audit.entries(store, action="claim")] == [
        ("planner", "O02->N01"),
        ("boss", "C02->N10"),
    ]


@pytest.mark.neo4j
def test_the_lists_on_neo4j_equal_ladybugs(neo4j_store: GraphStore, store: GraphStore) -> None:
    neo4j_store.load(lists_programme())
    for day in (D, D + dt.timedelta(days=1)):
        assert lists.stale_needs(neo4j_store, day) == lists.stale_needs(store, day)
        assert lists.overdue_projects(neo4j_store, day) == lists.overdue_projects(store, day)
        assert lists.idle_claimers(neo4j_store, day) == lists.idle_claimers(store, day)
    for by in ("county", "township"):
        assert lists.rates(neo4j_store, by) == lists.rates(store, by)
    assert lists.needs(neo4j_store) == lists.needs(store)
    assert lists.projects(neo4j_store) == lists.projects(store)
    assert lists.resources(neo4j_store) == lists.resources(store)
