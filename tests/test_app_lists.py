"""The 三张清单 page under AppTest on a real store: rates, needs, a claim, the village's choice, a project done,
a posted need; write controls only where the account may write; hostile names shown as typed.

Each test builds its own store file from `tests.fixtures.lists_programme` (its unit C01 renamed to hostile
Markdown), so that no test depends on another's writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, audit, claims, lists, writes
from graph.dataset import Dataset
from graph.store import GraphStore
from graph.ui import i18n, state
from graph.ui.text import md
from tests.fixtures import LISTS_ASOF, PASSWORD, app_test, lists_programme, store_file

PAGE = "graph/ui/lists_page.py"
TIMEOUT = 120
HOSTILE_UNIT = "**粗体** <script>alert(1)</script> [点我](javascript:alert(1)) =1+1"
SHI, QING = "石砚区", "青岚县"


USERS = [("admin", PASSWORD, accounts.ADMIN), ("viewer", PASSWORD, accounts.VIEWER)]


def programme() -> Dataset:
    data = lists_programme()
    for row in data.nodes["CityCommunity"]:
        if row["id"] == "C01":
            row["name"] = HOSTILE_UNIT
    return data


def _with_planner(location: str) -> str:
    accounts.add(state._open(location), "planner", PASSWORD, accounts.PLANNER, [SHI], actor="test")
    return location


@pytest.fixture
def db(tmp_path: Path, cheap_hashing: None) -> str:
    return _with_planner(store_file(tmp_path / "lists.lbug", programme(), USERS))


@pytest.fixture
def any_db(any_location: Callable[..., str], cheap_hashing: None) -> str:
    """`db` on each engine: the page's tables and its writes (claims, choices, needs) on Neo4j too."""
    return _with_planner(any_location(programme(), USERS))


@pytest.fixture
def store(db: str) -> GraphStore:
    return state._open(db)  # the app's own cached store


def page(db: str, monkeypatch: pytest.MonkeyPatch, user: str) -> AppTest:
    at = app_test(db, monkeypatch, LISTS_ASOF, user, timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


# The page's tables in order (AppTest gives a dataframe no key): rates per county, per township, the needs,
# the resources, the projects.
def keys(at: AppTest) -> set[str]:
    found = set()
    for kind in ("button", "text_input", "selectbox", "date_input", "checkbox"):
        found |= {w.key for w in at.get(kind) if w.key}
    return found


WRITE_KEYS = {
    "lists_unit_search",
    "lists_claim",
    "lists_choose",
    "lists_project_set",
    "lists_withdraw",
    "lists_post_search",
}


def test_a_planner_starts_on_their_county_and_sees_its_rates_and_open_needs(
    any_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page(any_db, monkeypatch, "planner")
    assert at.selectbox(key="lists_county").value == SHI
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {i18n.t("lists.claim_rate"): "66.7%", i18n.t("lists.completion_rate"): "0.0%"}
    county_rates = at.dataframe[0].value
    assert county_rates.to_dict("records") == [
        {"所属县": SHI, "需求数": 6, "已认领": 4, "已办结": 0, "认领率": "66.7%", "办结率": "0.0%"}
    ]
    townships = at.dataframe[1].value
    assert list(townships["所属乡镇"]) == ["五花镇", "太塘镇"] and list(townships["认领率"]) == ["100.0%", "50.0%"]
    needs = at.dataframe[2].value
    assert list(needs["需求编号"]) == ["N01", "N02"] and list(needs["状态"]) == ["待认领", "待认领"]
    assert at.selectbox(key="lists_need").value == "N01"
    assert {"lists_unit_search", "lists_post_search"} <= keys(at)
    # The resources of the county's units and the projects of its villages, folded away below.
    assert list(at.dataframe[3].value["资源编号"]) == ["R01", "R02"]
    projects = at.dataframe[4].value
    assert list(zip(projects["单位编号"], projects["需求编号"], projects["项目状态"], strict=True)) == [
        ("C01", "N03", "已认领"), ("O04", "N07", "已认领"), ("O01", "N08", "已认领"), ("E01", "N04", "实施中"),
        ("O04", "N04", "未选中"),
    ]  # fmt: skip


def test_no_rate_is_a_dash_not_100_percent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = lists_programme()
    data.links["CLAIMED"] = []
    for need in data.nodes["Need"]:
        need["status"] = "withdrawn" if need["status"] == "withdrawn" else "open"
    db = store_file(tmp_path / "unclaimed.lbug", data, [("admin", PASSWORD, accounts.ADMIN)])
    at = page(db, monkeypatch, "admin")
    assert {m.label: m.value for m in at.metric}[i18n.t("lists.completion_rate")] == "—"
    rates = at.dataframe[0].value.to_dict("records")
    assert rates == [
        {"所属县": SHI, "需求数": 6, "已认领": 0, "已办结": 0, "认领率": "0.0%", "办结率": "—"},
        {"所属县": QING, "需求数": 3, "已认领": 0, "已办结": 0, "认领率": "0.0%", "办结率": "—"},
    ]


def test_a_planner_sees_no_write_control_for_another_countys_need(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(db, monkeypatch, "planner")
    at.selectbox(key="lists_county").set_value(QING).run()
    assert not at.exception
    assert at.selectbox(key="lists_need").value == "N10"
    assert not keys(at) & {"lists_unit_search", "lists_claim", "lists_choose", "lists_project_set", "lists_withdraw"}
    denial = i18n.t("auth.denied_county", user="planner", counties=SHI, county=QING)
    assert denial in [i.value for i in at.info]
    # Posting: the village is found, but the planner may not post for it.
    at.text_input(key="lists_post_search").input("王源").run()
    assert "lists_post" not in keys(at) and denial in [i.value for i in at.info]


def test_a_viewer_sees_no_write_control(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(db, monkeypatch, "viewer")
    assert not keys(at) & WRITE_KEYS
    assert i18n.t("auth.denied_viewer", user="viewer") in [i.value for i in at.info]


def test_a_planner_records_a_claim_by_unit_name(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(any_db)
    at = page(any_db, monkeypatch, "planner")
    at.text_input(key="lists_unit_search").input("教育局").run()
    options = at.selectbox(key="lists_unit").options
    assert options == ["石砚区教育局 · 机关事业单位 · 石砚区 城东街道 · O02"]
    at.date_input(key="lists_due").set_value(LISTS_ASOF.replace(month=6, day=30)).run()
    at.button(key="lists_claim").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [i18n.t("lists.claimed")]
    (claim,) = [p for p in lists.projects(store) if p.need_id == "N01"]
    assert (claim.unit_id, claim.claimed, claim.status, str(claim.due)) == ("O02", LISTS_ASOF, "claimed", "2026-06-30")
    (entry,) = audit.entries(store, action="claim")
    assert (entry.actor, entry.target, entry.before, entry.after) == (
        "planner",
        "O02->N01",
        {"need_status": "open", "claim": None},
        {"need_status": "claimed", "claim": {"claimed": "2026-03-31", "status": "claimed", "due": "2026-06-30"}},
    )


def test_a_refused_claim_is_shown_in_chinese(db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(db, monkeypatch, "admin")
    at.selectbox(key="lists_county").set_value(SHI).run()
    at.selectbox(key="lists_status").set_value("claimed").run()
    at.selectbox(key="lists_need").set_value("N03").run()
    at.text_input(key="lists_unit_search").input("C01").run()
    before = len(audit.entries(store))
    at.button(key="lists_claim").click().run()
    assert [e.value for e in at.error] == [i18n.t("lists.failed", error=md("'C01' 已经认领过需求 'N03'"))]
    assert len(audit.entries(store)) == before


def test_hostile_names_are_shown_as_typed(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(db, monkeypatch, "admin")
    at.selectbox(key="lists_county").set_value(SHI).run()
    at.selectbox(key="lists_status").set_value("claimed").run()
    at.selectbox(key="lists_need").set_value("N03").run()
    assert not at.exception
    said = i18n.t("lists.claims_of", claims=f"{md(HOSTILE_UNIT)}（C01）：已认领")
    assert said in [c.value for c in at.caption]
    # The formula need is a cell: neutralised as the reports write it, not run.
    needs = at.dataframe[2].value
    assert "'=SUM(A1:A9)" in list(needs["需求事项"])


def test_the_village_chooses_and_a_project_is_done(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(any_db)
    claims.claim(store, "O02", "N01", claimed="2026-03-20")
    claims.claim(store, "O05", "N01", claimed="2026-03-21")
    at = page(any_db, monkeypatch, "planner")
    at.selectbox(key="lists_status").set_value("claimed").run()
    at.selectbox(key="lists_need").set_value("N01").run()
    at.selectbox(key="lists_choose_unit").set_value("O05").run()
    at.button(key="lists_choose").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [i18n.t("lists.chosen_paired")]
    statuses = {p.unit_id: p.status for p in lists.projects(store) if p.need_id == "N01"}
    assert statuses == {"O02": "not_chosen", "O05": "claimed"}
    assert writes.find_links(store, "pairing", "O05", "V01", LISTS_ASOF)[0]["form"] == "chosen"
    # One live claim left: no choice to make; mark the project done.
    assert "lists_choose" not in keys(at)
    at.selectbox(key="lists_project_unit").set_value("O05").run()
    at.selectbox(key="lists_project_status").set_value("done").run()
    at.button(key="lists_project_set").click().run()
    assert not at.exception and not at.error
    assert [n.status for n in lists.needs(store) if n.need_id == "N01"] == ["done"]
    done = [a for a in store.dump().links["ACTIVITY"] if a["src"] == "O05"]
    assert [(a["dst"], a["date"], a["title"], a["status"]) for a in done] == [("V01", LISTS_ASOF, "冷链仓储", "done")]
    assert [e.actor for e in audit.entries(store) if e.action in ("claim.choose", "pairing.create", "project.set")] == [
        "planner",
        "planner",
        "planner",
    ]


def test_a_planner_posts_a_need_with_a_hostile_name(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(any_db)
    at = page(any_db, monkeypatch, "planner")
    at.text_input(key="lists_post_search").input("鹿山").run()
    assert at.selectbox(key="lists_post_village").options == ["鹿山村 · 石砚区 太塘镇 · V05"]
    at.text_input(key="lists_post_item").input(HOSTILE_UNIT).run()
    at.selectbox(key="lists_post_kind").set_value("health").run()
    at.button(key="lists_post").click().run()
    assert not at.exception and not at.error
    (posted,) = [n for n in lists.needs(store) if n.village_id == "V05" and n.need_id != "N04"]
    assert (posted.need, posted.kind, posted.posted, posted.status) == (
        " ".join(HOSTILE_UNIT.split()), "health", LISTS_ASOF, "open",
    )  # fmt: skip
    assert [s.value for s in at.success] == [i18n.t("lists.posted", id=md(posted.need_id))]
    (entry,) = audit.entries(store, action="need.add")
    assert entry.actor == "planner" and entry.after is not None and entry.after["name"] == posted.need


def test_the_overview_counts_the_lists(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(any_db)
    at = app_test(any_db, monkeypatch, LISTS_ASOF, "admin", timeout=TIMEOUT)
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # 9 needs counted, 6 claimed, 1 done; N01 stale; E01's claim overdue; C01 and O04 idle.
    expected = {"claim_rate": "66.7%", "completion_rate": "16.7%", "stale": "1", "overdue": "1", "idle": "2"}
    assert {k: metrics[i18n.t(f"overview.{k}")] for k in expected} == expected
    assert len(lists.stale_needs(store, LISTS_ASOF)) == 1 and len(lists.idle_claimers(store, LISTS_ASOF)) == 2
    at.selectbox(key="overview_county").set_value(QING).run()
    metrics = {m.label: m.value for m in at.metric}
    expected = {"claim_rate": "66.7%", "completion_rate": "50.0%", "stale": "0", "overdue": "0", "idle": "0"}
    assert {k: metrics[i18n.t(f"overview.{k}")] for k in expected} == expected


def test_withdrawing_a_need_asks_first_and_names_it(
    db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page(db, monkeypatch, "admin")
    at.selectbox(key="lists_county").set_value(SHI).run()
    at.selectbox(key="lists_status").set_value("claimed").run()
    at.selectbox(key="lists_need").set_value("N07").run()
    box = at.checkbox(key="lists_withdraw_confirm")
    assert box.label == i18n.t("lists.withdraw_confirm", need=md("=SUM(A1:A9)"), id="N07")
    assert at.button(key="lists_withdraw").disabled
    box.check().run()
    at.button(key="lists_withdraw").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [i18n.t("lists.withdrawn", id="N07")]
    assert [(n.status, n.claim_statuses) for n in lists.needs(store) if n.need_id == "N07"] == [
        ("withdrawn", ("not_chosen",))
    ]
    (entry,) = audit.entries(store, action="need.withdraw")
    assert (entry.actor, entry.before, entry.after) == (
        "admin",
        {"status": "claimed", "claims": {"O04": "claimed"}},
        {"status": "withdrawn", "claims": {"O04": "not_chosen"}},
    )
