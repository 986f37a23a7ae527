"""Issue 17's must-show on the demo data, through the CLI in-process and the app under AppTest: a pairing made
today is not a paper pairing (it is in its first year), a completed activity takes a paper pairing off the
list, a planned one does not."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, gaps, writes
from graph.store import open_store
from graph.ui import i18n, state
from tests.fixtures import PASSWORD, SEED, app_test, invoke, seed_dataset
from tests.test_app_activity import _page

ASOF = "2026-11-01"
ADMIN = "管理员"


@pytest.fixture
def db(any_location: Callable[..., str]) -> str:
    return any_location("seed")


def _json(db: str, *args: str) -> list[dict[str, Any]]:
    return list(json.loads(invoke("--db", db, *args, "--format", "json").stdout))


def _pairs(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["unit_id"], r["village_id"]) for r in rows]


def _unpaired_village_and_unit() -> tuple[str, str]:
    seed = seed_dataset()
    paired = {(r["src"], r["dst"]) for r in seed.links["PAIRED_WITH"]}
    unit = seed.nodes["CityCommunity"][0]["id"]
    village = next(v["id"] for v in seed.nodes["Village"] if (unit, v["id"]) not in paired)
    return unit, village


def test_a_pairing_made_today_is_in_its_first_year_not_a_paper_pairing(db: str) -> None:
    today = dt.date.today()
    before = _json(db, "inactive")
    first_before = _json(db, "first-year")
    unit, village = _unpaired_village_and_unit()
    with open_store(db) as store:
        writes.create_pairing(store, unit, village, today, form="assigned", actor="t")
    assert _json(db, "inactive") == before
    # The newest pairing comes last (oldest first: those nearest to becoming paper pairings).
    *others, first = _json(db, "first-year")
    assert others == first_before
    assert (first["unit_id"], first["village_id"], first["since"], first["days_paired"]) == (
        unit,
        village,
        today.isoformat(),
        0,
    )
    # A year less a day later it is still in its first year; a year later, with no activity, it is a paper pairing.
    later = (today + dt.timedelta(days=364)).isoformat()
    assert (unit, village) in _pairs(_json(db, "first-year", "--asof", later))
    year = (today + dt.timedelta(days=365)).isoformat()
    assert (unit, village) in _pairs(_json(db, "inactive", "--asof", year))
    assert (unit, village) not in _pairs(_json(db, "first-year", "--asof", year))


def test_accepting_a_countys_proposals_adds_no_paper_pairing(db: str) -> None:
    # The issue's scene: accepting 石砚区's proposals on a fresh copy of the demo data made every new pairing a
    # paper pairing on the day it was made. They are first-year pairings now, and the paper list stays as it was.
    today = dt.date.today().isoformat()
    paper, young = _pairs(_json(db, "inactive", "--asof", today)), _pairs(_json(db, "first-year", "--asof", today))
    proposed = _json(db, "match", "--county", "石砚区", "--asof", today)
    assert proposed
    invoke("--db", db, "match", "--county", "石砚区", "--asof", today, "--apply")
    new = [(p["unit_id"], p["village_id"]) for p in proposed]
    assert _pairs(_json(db, "inactive", "--asof", today)) == paper
    assert sorted(_pairs(_json(db, "first-year", "--asof", today))) == sorted(young + new)


def test_a_completed_activity_takes_a_paper_pairing_off_the_list_and_a_planned_one_does_not(db: str) -> None:
    paper = _pairs(_json(db, "inactive", "--asof", ASOF))
    # The seed's documented paper pairings (seed/README.md).
    assert sorted(paper) == sorted(tuple(p) for p in _expected()["inactive_pairings"])
    unit, village = paper[0]
    add = ("--db", db, "activity", "add", "--unit", unit, "--village", village, "--date", "2026-10-15")
    invoke(*add, "--title", "计划修路", "--status", "planned")
    invoke(*add, "--title", "正在培训", "--status", "ongoing")
    assert _pairs(_json(db, "inactive", "--asof", ASOF)) == paper
    invoke(*add, "--title", "已办义诊", "--funds", "1.5")
    assert _pairs(_json(db, "inactive", "--asof", ASOF)) == paper[1:]
    # Before the activity's day it was still a paper pairing.
    assert (unit, village) in _pairs(_json(db, "inactive", "--asof", "2026-10-14"))
    listed = _json(db, "activity", "list", "--since", "2026-10-15", "--until", "2026-10-15")
    mine = [r for r in listed if (r["unit_id"], r["village_id"]) == (unit, village)]
    assert [(r["unit_id"], r["village_id"], r["title"], r["status"], r["funds"]) for r in mine] == [
        (unit, village, "已办义诊", "done", 1.5),
        (unit, village, "正在培训", "ongoing", None),
        (unit, village, "计划修路", "planned", None),
    ]


def _expected() -> dict[str, Any]:
    return dict(json.loads((SEED / "expected_gaps.json").read_text(encoding="utf-8")))


def _overview_paper_count(db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    at = app_test(db, monkeypatch, dt.date.fromisoformat(ASOF), ADMIN)
    at.run()
    assert not at.exception
    (metric,) = [m for m in at.metric if m.label == i18n.t("overview.inactive")]
    return str(metric.value)


def test_in_the_app_a_completed_activity_lowers_the_paper_pairing_count(
    any_location: Callable[..., str], monkeypatch: pytest.MonkeyPatch, cheap_hashing: None
) -> None:
    db = any_location("seed", [(ADMIN, PASSWORD, accounts.ADMIN)])
    count = len(_expected()["inactive_pairings"])
    assert _overview_paper_count(db, monkeypatch) == str(count)
    # The app's own store (one open store per file in a process).
    paper = gaps.inactive(state._open(db), ASOF)
    unit, village, since = paper[0].unit_id, paper[0].village_id, paper[0].since.isoformat()
    monkeypatch.setenv("PAIRING_DB", db)
    panel = AppTest.from_function(_page, args=(unit, village, since), default_timeout=60)
    panel.session_state["asof"] = dt.date.fromisoformat(ASOF)
    panel.session_state["account"] = accounts.get(state._open(db), ADMIN)
    panel.run()
    panel.text_input(key="activity_title").input("<b>计划</b>")
    panel.selectbox(key="activity_status").select("planned")
    panel.button(key="activity_submit").click().run()
    assert not panel.exception and not panel.error
    assert _overview_paper_count(db, monkeypatch) == str(count)
    panel.text_input(key="activity_title").input("<b>已完成</b>")
    panel.selectbox(key="activity_status").select("done")
    panel.button(key="activity_submit").click().run()
    assert not panel.exception and not panel.error
    assert _overview_paper_count(db, monkeypatch) == str(count - 1)
