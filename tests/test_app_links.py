"""The Links page under AppTest on the demo data: create, edit, end (after a confirmation) and delete links,
and the write controls a planner, a viewer and an admin see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, audit, gaps, proposals, writes
from graph.dataset import Dataset
from graph.errors import PermissionDenied
from graph.ui import i18n, state
from graph.ui.text import md
from tests.fixtures import PASSWORD, app_test, seed_dataset, store_file
from tests.test_cli_links import county_of, free_unit, sole_pairing, unsupported

PAGE = "graph/ui/links_page.py"
MATCHING = "graph/ui/matching_page.py"
TIMEOUT = 120
ADMIN, PLANNER, VIEWER = "links-admin", "links-planner", "links-viewer"
HOSTILE = "<script>alert(1)</script> =1+1 '}) DETACH DELETE n //"
# The write controls: any of them showing means the account may change the village's links.
WRITE_KEYS = ("links_end", "links_update", "links_create", "links_delete")


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return seed_dataset()


USERS = [(ADMIN, PASSWORD, accounts.ADMIN), (VIEWER, PASSWORD, accounts.VIEWER)]


def _with_planner(location: str, seed: Dataset) -> str:
    """`location` with PLANNER added, for the county of the seed's village held by one pairing alone."""
    village, _, _ = sole_pairing(seed)
    accounts.add(state._open(location), PLANNER, PASSWORD, accounts.PLANNER, [county_of(seed, village)], actor="test")
    return location


@pytest.fixture
def db(tmp_path: Path, seed: Dataset) -> str:
    return _with_planner(store_file(tmp_path / "seed.lbug", seed, USERS), seed)


@pytest.fixture
def any_db(any_location: Callable[..., str], seed: Dataset) -> str:
    """`db` on each engine: the tests whose writes through the page must land in a Neo4j store too."""
    return _with_planner(any_location(seed, USERS), seed)


def _open(db: str, monkeypatch: pytest.MonkeyPatch, user: str, village: str, asof: dt.date) -> AppTest:
    at = app_test(db, monkeypatch, asof, user, timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    at.selectbox(key="links_county").set_value(i18n.t("filter.all")).run()
    at.text_input(key="links_search").input(village).run()
    assert not at.exception
    assert at.selectbox(key="links_village").value == village
    return at


def _buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key in WRITE_KEYS}


def test_ending_asks_first_then_takes_the_village_onto_the_gap_list_the_next_day(
    any_db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    village, unit, since = sole_pairing(seed)
    store = state._open(any_db)
    day = since + dt.timedelta(days=30)
    at = _open(any_db, monkeypatch, PLANNER, village, day)
    at.date_input(key="links_end_date").set_value(day).run()
    at.button(key="links_end").click().run()
    assert not at.exception
    # The first click only asks, naming the link.
    name = next(
        c["name"]
        for c in seed.nodes["CityCommunity"] + seed.nodes["Enterprise"] + seed.nodes["Organisation"]
        if c["id"] == unit
    )
    (warning,) = at.warning
    assert name in warning.value and unit in warning.value and str(since) in warning.value and str(day) in warning.value
    assert writes.find_links(store, "pairing", unit, village)[0]["until"] is None
    assert audit.entries(store, action="pairing.end") == []
    at.button(key="links_end_confirm").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == i18n.t("links.ended", until=day)
    assert writes.find_links(store, "pairing", unit, village)[0]["until"] == day
    assert village not in {g.village_id for g in gaps.unpaired(store, day)}
    assert village in {g.village_id for g in gaps.unpaired(store, day + dt.timedelta(days=1))}
    assert [e.actor for e in audit.entries(store, action="pairing.end")] == [PLANNER]
    # The edit form shows the new end: saving it afterwards cannot reopen the link unseen.
    assert at.date_input(key="links_until").value == day
    at.button(key="links_update").click().run()
    assert at.warning[0].value == i18n.t("links.nothing")
    assert writes.find_links(store, "pairing", unit, village)[0]["until"] == day


def test_cancelling_an_end_changes_nothing(db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    village, unit, since = sole_pairing(seed)
    at = _open(db, monkeypatch, PLANNER, village, since + dt.timedelta(days=3))
    at.button(key="links_end").click().run()
    at.button(key="links_end_cancel").click().run()
    assert not at.exception and not at.warning
    assert writes.find_links(state._open(db), "pairing", unit, village)[0]["until"] is None


def test_creating_a_pairing_with_hostile_text_and_the_errors_in_chinese(
    any_db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    village = unsupported(seed)
    unit = free_unit(seed, county_of(seed, village))
    store = state._open(any_db)
    at = _open(any_db, monkeypatch, ADMIN, village, dt.date(2026, 11, 1))
    assert at.info[0].value == i18n.t("links.none")
    at.text_input(key="links_new_search").input(unit).run()
    assert at.selectbox(key="links_new_partner").value == unit
    assert county_of(seed, village) in at.selectbox(key="links_new_partner").options[0]
    at.date_input(key="links_new_since").set_value(dt.date(2026, 11, 1))
    at.selectbox(key="links_new_form").set_value("chosen")
    at.number_input(key="links_new_funds").set_value(4.5)
    at.button(key="links_create").click().run()
    assert not at.exception and not at.error
    (link,) = writes.find_links(store, "pairing", unit, village)
    assert (link["since"], link["form"], link["funds"], link["until"]) == (dt.date(2026, 11, 1), "chosen", 4.5, None)
    (entry,) = audit.entries(store, action="pairing.create")
    assert entry.actor == ADMIN and entry.before is None and entry.after is not None
    assert entry.after["form"] == "chosen"
    # The same again is a duplicate, refused in Chinese.
    at.button(key="links_create").click().run()
    assert not at.exception
    assert "已存在" in at.error[0].value, at.error[0].value
    # A lead with hostile text as its mode: stored as text, shown escaped (as text, not markup).
    strong = next(v["id"] for v in seed.nodes["Village"] if v["tier"] == "strong")
    at.selectbox(key="links_new_kind").set_value("lead").run()
    at.text_input(key="links_new_search").input(strong).run()
    at.text_input(key="links_new_mode").input(HOSTILE)
    at.button(key="links_create").click().run()
    assert not at.exception and not at.error
    assert writes.find_links(store, "lead", strong, village)[0]["mode"] == HOSTILE
    pick = at.selectbox(key="links_pick")
    pick.select_index(next(i for i, o in enumerate(pick.options) if strong in o)).run()
    assert at.text_input(key="links_mode").value == HOSTILE
    (now,) = [c.value for c in at.caption if c.value.startswith(i18n.t("links.current", now=""))]
    assert md(HOSTILE) in now and "<script>" not in now
    # A fusion's joint party organisation likewise.
    enterprise = seed.nodes["Enterprise"][0]["id"]
    at.selectbox(key="links_new_kind").set_value("fusion").run()
    at.text_input(key="links_new_search").input(enterprise).run()
    assert at.selectbox(key="links_new_partner").value == enterprise
    at.text_input(key="links_new_joint_party_org").input(HOSTILE)
    at.button(key="links_create").click().run()
    assert not at.exception and not at.error
    assert writes.find_links(store, "fusion", enterprise, village)[0]["joint_party_org"] == HOSTILE
    assert all("<script>" not in m.value for m in [*at.markdown, *at.caption, *at.success])


def test_a_full_unit_is_refused_in_chinese(db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    village = unsupported(seed)
    full = next(
        c["id"]
        for c in seed.nodes["CityCommunity"]
        if c["capacity"]
        and c["capacity"] == sum(1 for r in seed.links["PAIRED_WITH"] if r["src"] == c["id"] and r["until"] is None)
    )
    store = state._open(db)
    before = len(audit.entries(store))
    at = _open(db, monkeypatch, ADMIN, village, dt.date(2026, 11, 1))
    at.text_input(key="links_new_search").input(full).run()
    at.button(key="links_create").click().run()
    assert not at.exception
    assert "已满" in at.error[0].value, at.error[0].value
    assert writes.find_links(store, "pairing", full, village) == [] and len(audit.entries(store)) == before


def test_editing_a_link_audits_before_and_after(any_db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    village, unit, since = sole_pairing(seed)
    store = state._open(any_db)
    old = writes.find_links(store, "pairing", unit, village)[0]
    at = _open(any_db, monkeypatch, PLANNER, village, since + dt.timedelta(days=3))
    assert at.number_input(key="links_funds").value == old["funds"]
    at.number_input(key="links_funds").set_value(99.5)
    at.text_input(key="links_search")  # the rest of the form stays as it was filled
    at.button(key="links_update").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == i18n.t("links.updated")
    (entry,) = audit.entries(store, action="pairing.update")
    assert entry.before == {"since": str(since), "funds": old["funds"]}
    assert entry.after == {"since": str(since), "funds": 99.5}
    # Saving again without a change says so and writes nothing.
    at.button(key="links_update").click().run()
    assert at.warning[0].value == i18n.t("links.nothing")
    assert len(audit.entries(store, action="pairing.update")) == 1


def test_only_an_admin_deletes_after_a_confirmation(db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    village, unit, since = sole_pairing(seed)
    store = state._open(db)
    planner = _open(db, monkeypatch, PLANNER, village, since)
    assert "links_delete" not in _buttons(planner)
    at = _open(db, monkeypatch, ADMIN, village, since)
    at.button(key="links_delete").click().run()
    assert unit in at.warning[0].value and writes.find_links(store, "pairing", unit, village)
    at.button(key="links_delete_confirm").click().run()
    assert not at.exception and not at.error
    assert writes.find_links(store, "pairing", unit, village) == []
    (entry,) = audit.entries(store, action="pairing.delete")
    assert entry.actor == ADMIN and entry.before is not None and entry.before["since"] == str(since)


def test_write_controls_follow_the_accounts_counties(db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    village, _, since = sole_pairing(seed)
    county = county_of(seed, village)
    elsewhere, _, _ = next(
        sole_pairing(seed, c) for c in sorted({v["county"] for v in seed.nodes["Village"]}) if c != county
    )
    own = _open(db, monkeypatch, PLANNER, village, since)
    assert _buttons(own) == {"links_end", "links_update", "links_create"}
    other = _open(db, monkeypatch, PLANNER, elsewhere, since)
    assert _buttons(other) == set()
    assert other.info[-1].value == i18n.t(
        "auth.denied_county", user=PLANNER, counties=county, county=county_of(seed, elsewhere)
    )
    viewer = _open(db, monkeypatch, VIEWER, village, since)
    assert _buttons(viewer) == set()
    # The filters start on the planner's county.
    start = app_test(db, monkeypatch, since, PLANNER, timeout=TIMEOUT).run()
    # (The explorer's scope view reads the same filters, state.place_filters.)
    for page in (PAGE, "graph/ui/gaps_page.py", "graph/ui/overview.py", MATCHING):
        start.switch_page(page).run()
        assert not start.exception
        (county_box,) = [s for s in start.selectbox if s.key and s.key.endswith("_county")]
        assert county_box.value == county, page


def test_a_planner_accepts_proposals_of_their_county_only(
    db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    village, _, _ = sole_pairing(seed)
    county = county_of(seed, village)
    at = app_test(db, monkeypatch, dt.date.today(), PLANNER, timeout=TIMEOUT).run()
    at.switch_page(MATCHING).run()
    assert at.selectbox(key="match_county").value == county
    at.button(key="match_run").click().run()
    assert not at.exception
    assert [b.key for b in at.button if b.key == "match_accept"] == ["match_accept"]
    # Widened to every county, the proposals reach other counties: no accept button, the reason instead.
    at.selectbox(key="match_county").set_value(i18n.t("filter.all")).run()
    at.button(key="match_run").click().run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "match_accept"]
    assert any(PLANNER in i.value and county in i.value for i in at.info)


def test_a_chosen_pairing_shows_its_practical_projects(db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    # The activity panel (graph.ui.activity_panel) under the chosen pairing: a viewer reads, and gets no form.
    village, _unit, since = sole_pairing(seed)
    at = _open(db, monkeypatch, VIEWER, village, since)
    assert not at.exception
    assert i18n.t("activity.title") in [h.value for h in at.subheader]
    assert not [b for b in at.button if (b.key or "").startswith("activity_")]


def test_accepting_proposals_is_authorised_inside_the_transaction(db: str, seed: Dataset) -> None:
    # The page checks first (for the reason in Chinese); graph.proposals.apply checks again in its transaction.
    store = state._open(db)
    village, _, _ = sole_pairing(seed)
    county = county_of(seed, village)
    run = proposals.propose(store, dt.date.today())
    elsewhere = [p for p in run.result.proposals if county_of(seed, p.village_id) != county]
    assert elsewhere and len(elsewhere) < len(run.result.proposals)
    planner = accounts.get(store, PLANNER)
    before, entries = store.dump(), len(audit.entries(store))
    with pytest.raises(PermissionDenied, match=f"not county '{county_of(seed, elsewhere[0].village_id)}'"):
        proposals.apply(store, run, account=planner)
    assert store.dump() == before and len(audit.entries(store)) == entries
    own = [p for p in run.result.proposals if county_of(seed, p.village_id) == county]
    assert proposals.apply(store, run, own, account=planner) == len(own)
    assert audit.entries(store, action="match.apply")[-1].actor == PLANNER


def test_a_pairing_with_practical_projects_counts_them_and_the_column_is_not_edited(
    db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    village, unit, _since = sole_pairing(seed)
    assert any((a["src"], a["dst"]) == (unit, village) for a in seed.links["ACTIVITY"])
    at = _open(db, monkeypatch, ADMIN, village, dt.date.today())
    keys = {w.key for w in at.number_input}
    assert "links_funds" in keys and "links_projects" not in keys
    assert i18n.t("links.recorded") in [c.value for c in at.caption]
    # A pairing with no activity records keeps its hand-typed count, and the form edits it.
    fresh = unsupported(seed)
    writes.create_pairing(state._open(db), free_unit(seed, county_of(seed, fresh)), fresh, dt.date.today())
    at = _open(db, monkeypatch, ADMIN, fresh, dt.date.today())
    assert "links_projects" in {w.key for w in at.number_input}
    assert i18n.t("links.recorded") not in [c.value for c in at.caption]
