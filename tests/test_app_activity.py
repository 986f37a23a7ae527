"""The activity panel (graph/ui/activity_panel.py) under AppTest, on a tiny script page of its own so that it
does not depend on the Links page: it lists a pairing's activities as text, offers the form only to an
account that may write the village, records through graph.activities and shows refusals in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, activities, audit, gaps
from graph.ui import state
from tests.fixtures import PASSWORD, store_file
from tests.test_activities import HOSTILE_NOTE, HOSTILE_TITLE, small

ASOF = dt.date(2026, 3, 1)
USERS = [("p1", PASSWORD, "planner"), ("boss", PASSWORD, "admin"), ("view", PASSWORD, "viewer")]


def _page(unit: str, village: str, since: str) -> None:
    import datetime as dt

    from graph.ui import activity_panel

    activity_panel.render(unit, village, dt.date.fromisoformat(since))


def _with_users(location: str) -> str:
    store = state._open(location)
    # The planner works in 甲县 only.
    for name, password, role in USERS:
        accounts.add(store, name, password, role, ["甲县"] if role == "planner" else (), actor="t")
    return location


@pytest.fixture
def db(tmp_path: Path, cheap_hashing: None) -> str:
    return _with_users(store_file(tmp_path / "panel.lbug", small()))


@pytest.fixture
def any_db(any_location: Callable[..., str], cheap_hashing: None) -> str:
    """`db` on each engine: the tests whose activities, recorded through the panel, must land in Neo4j too."""
    return _with_users(any_location(small()))


def _panel(db: str, monkeypatch: pytest.MonkeyPatch, user: str | None, unit: str, village: str, since: str) -> AppTest:
    monkeypatch.setenv("PAIRING_DB", db)
    at = AppTest.from_function(_page, args=(unit, village, since), default_timeout=60)
    at.session_state["asof"] = ASOF
    at.session_state["lang"] = "zh"
    if user is not None:
        at.session_state["account"] = accounts.get(state._open(db), user)
    at.run()
    assert not at.exception
    return at


def _keys(at: AppTest) -> set[str]:
    return {w.key for w in (*at.text_input, *at.selectbox, *at.date_input, *at.number_input, *at.text_area) if w.key}


FORM_KEYS = {
    "activity_date",
    "activity_kind",
    "activity_status",
    "activity_title",
    "activity_funds",
    "activity_beneficiaries",
    "activity_note",
}


def test_a_planner_records_an_activity_of_a_pairing_in_their_county(
    any_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _panel(any_db, monkeypatch, "p1", "c1", "v1", "2025-01-01")
    assert _keys(at) == FORM_KEYS
    assert [c.value for c in at.caption] == [
        "实事项目数 4，最近活动 2025-02-01（按台账填写的数字）",
        "这个结对还没有记录实事项目。",
    ]
    at.text_input(key="activity_title").input(HOSTILE_TITLE)
    at.text_area(key="activity_note").input(HOSTILE_NOTE)
    at.selectbox(key="activity_kind").select("training")
    at.number_input(key="activity_funds").set_value(2.5)
    at.number_input(key="activity_beneficiaries").set_value(40)
    at.date_input(key="activity_date").set_value(dt.date(2026, 2, 20))
    at.button(key="activity_submit").click().run()
    assert not at.exception and not at.error
    # Escaped: the Markdown shows the title as typed, with no tag or link made of it.
    (success,) = at.success
    assert success.value.startswith("已记录：\\=HYPERLINK") and "<script>" not in success.value
    (table,) = at.dataframe
    assert table.value.to_dict("records") == [
        {
            "时间": dt.date(2026, 2, 20),
            "类别": "培训",
            "项目名称": HOSTILE_TITLE,
            "资金（万元）": 2.5,
            "受益人数": 40,
            "状态": "已完成",
            "情况说明": HOSTILE_NOTE,
        }
    ]
    assert at.caption[0].value == "实事项目数 1，最近活动 2026-02-20（按已完成的实事项目计算）"
    store = state._open(any_db)
    (entry,) = [e for e in audit.entries(store) if e.action == "activity.add"]
    assert (entry.actor, entry.after and entry.after["title"]) == ("p1", HOSTILE_TITLE)


def test_no_form_where_the_account_may_not_write(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # v3 is in 乙县: the planner of 甲县 sees the list only; so does a viewer anywhere, and nobody signed in.
    for user, village, since in [("p1", "v3", "2026-01-01"), ("view", "v1", "2025-01-01"), (None, "v1", "2025-01-01")]:
        unit = "e1" if village == "v3" else "c1"
        at = _panel(db, monkeypatch, user, unit, village, since)
        assert _keys(at) == set() and not at.button
    admin = _panel(db, monkeypatch, "boss", "e1", "v3", "2026-01-01")
    assert _keys(admin) == FORM_KEYS


def test_a_refusal_is_shown_in_chinese_and_changes_nothing(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _panel(db, monkeypatch, "boss", "e1", "v3", "2026-01-01")
    at.text_input(key="activity_title").input("早了")
    at.date_input(key="activity_date").set_value(dt.date(2025, 12, 31))
    at.button(key="activity_submit").click().run()
    (error,) = at.error
    assert error.value == "记录失败：'e1' 与 'v3' 在 2025-12-31 没有生效的结对关系，不能记录实事项目"
    at.text_input(key="activity_title").input("")
    at.date_input(key="activity_date").set_value(ASOF)
    at.button(key="activity_submit").click().run()
    assert [e.value for e in at.error] == ["记录失败：项目名称（title）是必填项，不能为空"]
    assert activities.listing(state._open(db)) == []


def test_a_completed_activity_in_the_panel_takes_the_pairing_off_the_paper_list(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = state._open(db)
    late = dt.date(2027, 3, 1)
    assert [(p.unit_id, p.village_id) for p in gaps.inactive(store, late)] == [("e1", "v3"), ("c1", "v1")]
    at = _panel(db, monkeypatch, "boss", "e1", "v3", "2026-01-01")
    at.text_input(key="activity_title").input("计划中的培训")
    at.selectbox(key="activity_status").select("planned")
    at.date_input(key="activity_date").set_value(dt.date(2026, 6, 1))
    at.button(key="activity_submit").click().run()
    assert not at.error
    assert [(p.unit_id, p.village_id) for p in gaps.inactive(store, late)] == [("e1", "v3"), ("c1", "v1")]
    at.text_input(key="activity_title").input("已办的培训")
    at.selectbox(key="activity_status").select("done")
    at.button(key="activity_submit").click().run()
    assert not at.error
    assert [(p.unit_id, p.village_id) for p in gaps.inactive(store, late)] == [("c1", "v1")]


def test_a_planned_activity_is_tracked_to_completion_in_the_panel(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(any_db)
    activities.add(store, "e1", "v3", dt.date(2026, 6, 1), HOSTILE_TITLE, status="planned", actor="t")
    late = dt.date(2027, 3, 1)
    assert "v3" in {p.village_id for p in gaps.inactive(store, late)}
    at = _panel(any_db, monkeypatch, "boss", "e1", "v3", "2026-01-01")
    assert _keys(at) == FORM_KEYS | {"activity_open", "activity_new_status"}
    assert at.selectbox(key="activity_open").options == [f"2026-06-01 · {HOSTILE_TITLE}"]
    at.selectbox(key="activity_new_status").select("ongoing")
    at.button(key="activity_update").click().run()
    assert not at.exception and not at.error
    assert "v3" in {p.village_id for p in gaps.inactive(store, late)}
    at.selectbox(key="activity_new_status").select("done")
    at.button(key="activity_update").click().run()
    assert not at.exception and not at.error
    (success,) = at.success
    assert success.value.endswith("（已完成）") and "<script>" not in success.value
    # Nothing is left to move on; the pairing is off the paper list.
    assert "activity_open" not in _keys(at)
    assert "v3" not in {p.village_id for p in gaps.inactive(store, late)}
    assert [e.action for e in audit.entries(store) if e.action.startswith("activity")] == [
        "activity.add",
        "activity.update",
        "activity.update",
    ]
