"""The matching page and the link editor with AppTest: tables equal the core API's, writes land (or not) as promised.

Tests that write get a store file of their own; the read-only ones share one. Expected values are
computed on the app's own cached store (`state._open`), so both sides read the same data.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, audit, explore, gaps, proposals, reports, writes
from graph.matching.profile import Profile
from graph.store import GraphStore
from graph.synth import REFERENCE_DATE
from graph.ui import i18n, state
from graph.ui.matching_page import (
    RUN,
    default_mapping,
    proposal_table,
    report_bytes,
    settings_profile,
    unmatched_table,
)
from tests.fixtures import app_test, store_file

TIMEOUT = 180
TODAY = dt.date.today()
MATCHING = "graph/ui/matching_page.py"
ADMIN, ADMIN_PASSWORD = "匹配管理员", "admin-password-1"
LINKS = "graph/ui/links_page.py"


def _build(path: Path) -> str:
    return store_file(path, "county", [(ADMIN, ADMIN_PASSWORD, accounts.ADMIN)])


def _app(db: str, monkeypatch: pytest.MonkeyPatch, asof: dt.date, user: str | None = ADMIN) -> AppTest:
    """The app on `db` as of `asof`, signed in as `user` (the sign-in form itself is test_app_auth's)."""
    return app_test(db, monkeypatch, asof, user, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _build(tmp_path_factory.mktemp("match") / "county.lbug")


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    return _build(tmp_path / "write.lbug")


@pytest.fixture
def any_fresh_db(any_location: Callable[..., str]) -> str:
    """`fresh_db` on each engine: the tests whose accepted proposals must land in a Neo4j store too."""
    return any_location("county", [(ADMIN, ADMIN_PASSWORD, accounts.ADMIN)])


def _default_profile() -> Profile:
    limits = default_mapping()["limits"]
    return settings_profile(default_mapping()["weights"], limits["max_km"], limits["same_county_only"], limits["k"])


def _run_matching(at: AppTest) -> None:
    at.run()
    at.switch_page(MATCHING).run()
    assert not at.exception
    at.button(key="match_run").click().run()
    assert not at.exception


def _editor(at: AppTest) -> pd.DataFrame:
    frames = at.dataframe
    assert frames, "the matching page shows no proposals table"
    return frames[0].value


def test_matching_table_equals_propose(shared_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(shared_db, monkeypatch, REFERENCE_DATE)
    _run_matching(at)
    store = state._open(shared_db)
    expected = proposals.propose(store, REFERENCE_DATE, None, _default_profile(), mode="optimal")
    assert expected.result.proposals, "the synthetic county should have villages to propose for"
    shown = _editor(at)
    # The selection column first, every row ticked, then the report's Chinese headers and cells.
    assert list(shown.columns)[1:] == list(proposal_table(expected, "zh").columns)
    assert list(shown.iloc[:, 0]) == [True] * len(expected.result.proposals)
    assert list(shown["村编号"]) == [r["village_id"] for r in expected.rows()]
    assert list(shown["建议单位编号"]) == [r["unit_id"] for r in expected.rows()]
    assert list(shown["匹配得分"]) == [r["score"] for r in expected.rows()]
    assert list(shown["优势互补"]) == [r["complementarity"] for r in expected.rows()]
    # Within the default 100 km every weak village of the county gets a proposal: the page says there is
    # none unmatched (the table of unmatched villages: test_unmatched_villages_are_listed_with_reasons).
    unmatched = unmatched_table(expected, "zh")
    assert len(unmatched) == 0 and len(at.dataframe) == 1
    assert any(c.value == i18n.t("match.none_unmatched", "zh") for c in at.caption)
    caption = i18n.t("match.summary", "zh", n=len(expected.rows()), m=len(unmatched), asof=REFERENCE_DATE)
    assert any(c.value == caption for c in at.caption)
    # The map: lines between unit and village, on a plain plane with no base map to fetch.
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    spec = json.loads(decks[0].proto.json)
    assert "mapStyle" not in spec and "mapProvider" not in spec
    assert spec["views"][0]["@@type"] == "OrthographicView"
    assert spec["layers"][0]["@@type"] == "LineLayer" and spec["layers"][0]["data"]
    assert len(at.get("download_button")) == 2
    # The run survives reruns.
    at.run()
    assert not at.exception
    assert list(_editor(at)["村编号"]) == [r["village_id"] for r in expected.rows()]


def test_unmatched_villages_are_listed_with_reasons(shared_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(shared_db, monkeypatch, REFERENCE_DATE)
    at.run()
    at.switch_page(MATCHING).run()
    at.number_input(key="match_max_km").set_value(1.0)  # few units are this near: some villages get none
    at.button(key="match_run").click().run()
    assert not at.exception
    limits = default_mapping()["limits"]
    profile = settings_profile(default_mapping()["weights"], 1.0, limits["same_county_only"], limits["k"])
    expected = proposals.propose(state._open(shared_db), REFERENCE_DATE, None, profile, mode="optimal")
    unmatched = unmatched_table(expected, "zh")
    assert len(unmatched) > 0, "a 1 km limit should leave some village of the synthetic county unmatched"
    # The unmatched villages with their reasons (in Chinese), as the report writes them.
    shown = at.dataframe[1].value
    assert list(shown["村编号"]) == list(unmatched["村编号"])
    assert list(shown["原因"]) == list(unmatched["原因"])


def test_matching_settings_reach_propose(shared_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(shared_db, monkeypatch, REFERENCE_DATE)
    at.run()
    at.switch_page(MATCHING).run()
    county = at.selectbox(key="match_county").options[1]
    at.selectbox(key="match_county").set_value(county)
    at.radio(key="match_mode").set_value("stable")
    at.number_input(key="match_max_km").set_value(10.0)
    at.slider(key="match_w_distance").set_value(0.6)
    at.button(key="match_run").click().run()
    assert not at.exception
    store = state._open(shared_db)
    limits = default_mapping()["limits"]
    weights = default_mapping()["weights"] | {"distance": 0.6}
    profile = settings_profile(weights, 10.0, limits["same_county_only"], limits["k"])
    expected = proposals.propose(store, REFERENCE_DATE, county, profile, mode="stable")
    run = at.session_state[RUN]
    assert (run.county, run.mode) == (county, "stable")
    assert [r["village_id"] for r in run.rows()] == [r["village_id"] for r in expected.rows()]
    assert list(_editor(at)["建议单位编号"]) == [r["unit_id"] for r in expected.rows()]
    assert {u["reason"] for u in expected.unmatched_rows()} <= {
        "no_candidate",
        "all_full",
        "declined",
        "not_shortlisted",
    }


def test_accepting_all_writes_the_proposals(any_fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Proposals are written from today on: run as of today so that the gaps read the new links.
    at = _app(any_fresh_db, monkeypatch, TODAY)
    _run_matching(at)
    store = state._open(any_fresh_db)
    run = at.session_state[RUN]
    unmatched = {u.village_id for u in run.result.unmatched}
    n = len(run.result.proposals)
    assert n > 0
    before = store.counts()
    assert not [b for b in at.button if b.key == "match_confirm"]  # nothing before the first button
    at.button(key="match_accept").click().run()
    assert not at.exception
    assert at.warning[0].value == i18n.t("match.confirm_text", "zh", n=n)
    assert store.counts() == before  # nothing is written before the confirmation
    at.button(key="match_confirm").click().run()
    assert not at.exception
    assert at.success[0].value == i18n.t("match.applied", "zh", n=n)
    assert RUN not in at.session_state  # the run is cleared
    after = store.counts()
    pairings = sum(1 for p in run.result.proposals if p.unit_kind != "Village")
    assert after["PAIRED_WITH"] == before["PAIRED_WITH"] + pairings
    assert after["LEADS"] == before["LEADS"] + (n - pairings)
    # The pairings start on the day they are applied (which differs from TODAY across midnight).
    assert {g.village_id for g in gaps.unpaired(store, dt.date.today())} == unmatched
    # One audit entry for the whole transaction, by the signed-in account rather than the OS user.
    assert [e.actor for e in audit.entries(store, action="match.apply")] == [ADMIN]


def test_a_stale_run_shows_the_conflict_and_writes_nothing(any_fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(any_fresh_db, monkeypatch, TODAY)
    _run_matching(at)
    store = state._open(any_fresh_db)
    run = at.session_state[RUN]
    first = next(p for p in run.result.proposals if p.unit_kind != "Village")
    # Another planner pairs the first proposed village between the run and the confirmation.
    writes.create_pairing(store, first.unit_id, first.village_id, TODAY, form="voluntary", actor="other")
    before = store.counts()
    at.button(key="match_accept").click().run()
    at.button(key="match_confirm").click().run()
    assert not at.exception
    assert at.error, "a stale run must show an error"
    message = at.error[0].value
    assert message.startswith(i18n.t("match.conflict", "zh", error="").strip())
    assert first.village_id in message
    assert store.counts() == before


def _sole_pairing(store: GraphStore) -> tuple[str, explore.Link]:
    """A weak village whose only support on the reference date is one pairing, and that pairing."""
    for row in gaps.support(store, REFERENCE_DATE):
        if (row.pairing, row.lead, row.fusion, row.station) != (1, 0, 0, 0):
            continue
        links = explore.neighbourhood(store, row.village_id, 1).links
        active = [
            link
            for link in links
            if link.dst == row.village_id and link.rel == "PAIRED_WITH" and link.active_on(REFERENCE_DATE)
        ]
        if len(active) == 1 and active[0].since and active[0].since < REFERENCE_DATE - dt.timedelta(days=1):
            return row.village_id, active[0]
    raise AssertionError("the synthetic county has no weak village held by one pairing alone")


def _open_links(at: AppTest, village: str, link: explore.Link) -> None:
    at.run()
    at.switch_page(LINKS).run()
    assert not at.exception
    at.text_input(key="links_search").input(village).run()
    assert not at.exception
    assert at.selectbox(key="links_village").value == village
    pick = at.selectbox(key="links_pick")
    index = next(i for i, label in enumerate(pick.options) if link.src in label and str(link.since) in label)
    pick.select_index(index).run()
    assert not at.exception


def test_link_editor_ends_a_pairing(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(fresh_db)
    village, link = _sole_pairing(store)
    assert village not in {g.village_id for g in gaps.unpaired(store, REFERENCE_DATE)}
    at = _app(fresh_db, monkeypatch, REFERENCE_DATE)
    _open_links(at, village, link)
    table = at.dataframe[0].value
    assert link.src in list(table[i18n.t("links.partner_id", "zh")])
    until = REFERENCE_DATE - dt.timedelta(days=1)
    at.date_input(key="links_end_date").set_value(until)
    at.button(key="links_end").click().run()
    assert not at.exception and at.warning  # the first click asks
    at.button(key="links_end_confirm").click().run()
    assert not at.exception
    assert not at.error
    assert at.success[0].value == i18n.t("links.ended", "zh", until=until)
    ended = [x for x in explore.neighbourhood(store, village, 1).links if x.src == link.src and x.since == link.since]
    assert [x.until for x in ended] == [until]
    assert village in {g.village_id for g in gaps.unpaired(store, REFERENCE_DATE)}
    assert [e.actor for e in audit.entries(store, action="pairing.end")] == [ADMIN]
    # Ending it again is an error from graph.writes, shown as such.
    at.button(key="links_end").click().run()
    at.button(key="links_end_confirm").click().run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith(i18n.t("links.failed", "zh", error="").strip())


def test_link_editor_updates_last_activity(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(fresh_db)
    village, link = _sole_pairing(store)
    day = REFERENCE_DATE - dt.timedelta(days=3)
    at = _app(fresh_db, monkeypatch, REFERENCE_DATE)
    _open_links(at, village, link)
    at.date_input(key="links_last_activity").set_value(day)
    at.number_input(key="links_projects").set_value(2)
    at.button(key="links_update").click().run()
    assert not at.exception
    assert not at.error
    assert at.success[0].value == i18n.t("links.updated", "zh")
    rows = writes.find_links(store, "pairing", link.src, village, link.since)
    assert rows[0]["last_activity"] == day
    assert rows[0]["projects"] == 2
    assert (link.src, village) not in {(r.unit_id, r.village_id) for r in gaps.inactive(store, REFERENCE_DATE)}
    assert any(day.isoformat() in c.value for c in at.caption)


def test_new_pages_run_in_english(shared_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(shared_db, monkeypatch, REFERENCE_DATE)
    at.run()
    at.selectbox(key="lang").set_value("en").run()
    at.switch_page(MATCHING).run()
    assert not at.exception
    assert at.title[0].value == "Proposed pairings"
    at.switch_page(LINKS).run()
    assert not at.exception
    assert at.title[0].value == "Edit a village's links"


def test_a_planner_of_another_county_cannot_accept_or_end(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(fresh_db)
    accounts.add(store, "planner_elsewhere", "a-long-password", accounts.PLANNER, ["别的县"], actor="test")
    at = _app(fresh_db, monkeypatch, TODAY, user="planner_elsewhere")
    _run_matching(at)
    assert at.session_state[RUN].result.proposals  # a planner may look and propose
    # No accept button for villages of another county: the reason instead.
    assert not [b for b in at.button if b.key == "match_accept"]
    assert any("planner_elsewhere" in i.value for i in at.info)

    village, link = _sole_pairing(store)
    links = _app(fresh_db, monkeypatch, REFERENCE_DATE, user="planner_elsewhere")
    _open_links(links, village, link)
    assert not [b for b in links.button if b.key in ("links_end", "links_update", "links_create")]
    assert any("planner_elsewhere" in i.value for i in links.info)
    assert village not in {g.village_id for g in gaps.unpaired(store, REFERENCE_DATE)}


def test_a_viewer_sees_proposals_but_no_accept_button(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = state._open(fresh_db)
    accounts.add(store, "viewer1", "a-long-password", accounts.VIEWER, actor="test")
    at = _app(fresh_db, monkeypatch, TODAY, user="viewer1")
    _run_matching(at)
    assert len(_editor(at)) == len(at.session_state[RUN].result.proposals) > 0
    assert not [b for b in at.button if b.key in ("match_accept", "match_confirm")]
    assert any("viewer1" in i.value for i in at.info)


def test_proposal_downloads_are_the_report_writer_output(shared_db: str) -> None:
    from openpyxl import load_workbook

    run = proposals.propose(state._open(shared_db), REFERENCE_DATE, None, _default_profile())
    text = report_bytes(run, "csv", "zh").decode("utf-8-sig").splitlines()
    assert text[0] == ",".join(c.zh for c in reports.PROPOSAL_COLUMNS)
    assert len(text) == len(run.rows()) + 1
    sheet = load_workbook(io.BytesIO(report_bytes(run, "xlsx", "zh"))).active
    assert sheet is not None
    ids = [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert ids == [r["village_id"] for r in run.rows()]
