"""Sign-in, roles and the audit trail in the app (AppTest over the seed data, which has three counties).

The Ladybug store is built once for the module; each test signs in through the form (or checks that it must)
and uses its own accounts and villages, so the tests do not depend on each other's writes. The tests whose
sign-ins, accounts and audit entries go through the store get one of their own on each engine (`any_app`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, audit, explore
from graph.dataset import Dataset
from graph.store import GraphStore
from graph.ui import i18n, state
from tests import fixtures
from tests.fixtures import PASSWORD, app_test, seed_dataset, sign_in, store_file

APP = str(fixtures.APP)
TIMEOUT = 120
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return seed_dataset()


USERS = [("admin", PASSWORD, accounts.ADMIN), ("viewer", PASSWORD, accounts.VIEWER)]


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory, seed: Dataset) -> str:
    return store_file(tmp_path_factory.mktemp("auth") / "seed.lbug", seed, USERS)


@pytest.fixture
def store(app_db: str) -> GraphStore:
    return state._open(app_db)  # the app's own cached store


@pytest.fixture
def app(app_db: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_test(app_db, monkeypatch, TODAY, timeout=TIMEOUT)  # not signed in: these tests use the form


# The same on each engine, a store per test: the tests whose sign-ins, accounts and audit entries go through
# the store, which must work on Neo4j too.
@pytest.fixture
def any_app_db(any_location: Callable[..., str], seed: Dataset) -> str:
    return any_location(seed, USERS)


@pytest.fixture
def any_app_store(any_app_db: str) -> GraphStore:
    return state._open(any_app_db)


@pytest.fixture
def any_app(any_app_db: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_test(any_app_db, monkeypatch, TODAY, timeout=TIMEOUT)


def paired_village(seed: Dataset, county: str, skip: int = 0) -> tuple[str, str]:
    """(village id, unit id) of an open pairing in `county` whose village has no other support link."""
    county_of = {v["id"]: v["county"] for v in seed.nodes["Village"]}
    links = [r for rel in ("PAIRED_WITH", "LEADS", "FUSED_WITH", "STATIONED_IN") for r in seed.links[rel]]
    support: dict[str, int] = {}
    for r in links:
        support[r["dst"]] = support.get(r["dst"], 0) + 1
    found = [
        (r["dst"], r["src"])
        for r in seed.links["PAIRED_WITH"]
        if county_of.get(r["dst"]) == county and r["until"] is None and support[r["dst"]] == 1
    ]
    return found[skip]


def open_pairing(store: GraphStore, village: str, unit: str) -> bool:
    graph = explore.neighbourhood(store, village, 1)
    return any(
        link.src == unit and link.rel == "PAIRED_WITH" and link.until is None
        for link in graph.links
        if link.dst == village
    )


def test_pages_need_signing_in_and_show_no_data(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.text_input(key="login_user") is not None
    assert not app.metric and not app.dataframe and not app.get("deck_gl_json_chart")
    assert i18n.t("overview.title") not in [t.value for t in app.title]
    pages = ("explorer", "gaps_page", "period_page", "data_page", "audit_page")
    for page in (f"graph/ui/{name}.py" for name in pages):
        app.switch_page(page).run()
        assert not app.exception
        assert app.text_input(key="login_user") is not None
        assert not app.dataframe and not app.get("iframe") and not app.get("file_uploader")
    assert "account" not in app.session_state


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(app: AppTest) -> None:
    sign_in(app, "admin", "not the password")
    assert [e.value for e in app.error] == [i18n.t("auth.wrong")]
    assert "account" not in app.session_state
    assert not app.metric
    sign_in(app, "nobody", PASSWORD)
    assert [e.value for e in app.error] == [i18n.t("auth.wrong")]
    sign_in(app, "admin")
    assert not app.error
    assert app.title[0].value == i18n.t("overview.title")
    assert app.metric
    assert app.session_state["account"].username == "admin"
    # Signing out brings the form back.
    app.button(key="logout").click().run()
    assert "account" not in app.session_state
    assert app.text_input(key="login_user") is not None and not app.metric


def test_a_viewer_sees_no_import_controls(app: AppTest) -> None:
    sign_in(app, "viewer")
    app.switch_page("graph/ui/data_page.py").run()
    assert not app.exception
    assert not app.get("file_uploader")
    assert not [b for b in app.button if b.key == "data_import"]
    assert [i.value for i in app.info] == [i18n.t("auth.denied_viewer", user="viewer")]
    # The export (reading) stays.
    assert [b for b in app.button if b.key == "data_prepare"]
    # The reason follows the interface language.
    app.selectbox(key="lang").set_value("en").run()
    assert [i.value for i in app.info] == [i18n.t("auth.denied_viewer", "en", user="viewer")]
    assert app.info[0].value.startswith("Not allowed")


def test_a_planner_may_not_import(app: AppTest, store: GraphStore) -> None:
    accounts.add(store, "planner-import", PASSWORD, accounts.PLANNER, ["青岚县"], actor="test")
    sign_in(app, "planner-import")
    app.switch_page("graph/ui/data_page.py").run()
    assert not app.exception
    assert not app.get("file_uploader")
    role = i18n.t("role.planner")
    assert [i.value for i in app.info] == [i18n.t("auth.denied_admin", user="planner-import", role=role)]


def _end_link_on_the_links_page(at: AppTest, village: str, unit: str) -> None:
    at.switch_page("graph/ui/links_page.py").run()
    at.text_input(key="links_search").input(village).run()
    at.selectbox(key="links_village").set_value(village).run()
    assert not at.exception
    labels = at.selectbox(key="links_pick").options
    assert len(labels) == 1 and f"({unit})" in labels[0]
    at.button(key="links_end").click().run()
    at.button(key="links_end_confirm").click().run()
    assert not at.exception


def test_a_planner_cannot_end_a_link_in_another_county(app: AppTest, store: GraphStore, seed: Dataset) -> None:
    accounts.add(store, "planner-a", PASSWORD, accounts.PLANNER, ["青岚县"], actor="test")
    village, unit = paired_village(seed, "石砚区")
    before = len(audit.entries(store))
    sign_in(app, "planner-a")
    app.switch_page("graph/ui/links_page.py").run()
    # The search starts on the planner's county; widened, it finds the village, but shows no write control.
    assert app.selectbox(key="links_county").value == "青岚县"
    app.selectbox(key="links_county").set_value(i18n.t("filter.all")).run()
    app.text_input(key="links_search").input(village).run()
    app.selectbox(key="links_village").set_value(village).run()
    assert not app.exception
    assert not [b for b in app.button if b.key in ("links_end", "links_end_confirm", "links_update", "links_create")]
    assert "石砚区" in app.info[-1].value
    assert open_pairing(store, village, unit), "the link is still open"
    assert len(audit.entries(store)) == before, "nothing was written, not even an audit entry"


def test_a_write_shows_on_the_audit_page_with_its_actor(
    any_app: AppTest, any_app_store: GraphStore, seed: Dataset
) -> None:
    accounts.add(any_app_store, "planner-b", PASSWORD, accounts.PLANNER, ["澄溪县"], actor="test")
    village, unit = paired_village(seed, "澄溪县")
    sign_in(any_app, "planner-b")
    _end_link_on_the_links_page(any_app, village, unit)
    assert not any_app.error
    assert not open_pairing(any_app_store, village, unit)
    any_app.switch_page("graph/ui/audit_page.py").run()
    assert not any_app.exception
    frame = any_app.dataframe[0].value
    newest = frame.iloc[0]
    assert newest[i18n.t("audit.col.actor")] == "planner-b"
    assert newest[i18n.t("audit.col.action")] == "pairing.end"
    assert newest[i18n.t("audit.col.target")] == f"{unit}->{village}"
    # Filters: by actor, and by an action this account never took.
    any_app.text_input(key="audit_actor").input("planner-b").run()
    assert set(any_app.dataframe[0].value[i18n.t("audit.col.actor")]) == {"planner-b"}
    # By date (entries are stamped in UTC): from yesterday the end is there, from the day after tomorrow not.
    utc_today = dt.datetime.now(dt.UTC).date()
    any_app.date_input(key="audit_since").set_value(utc_today - dt.timedelta(days=1)).run()
    assert list(any_app.dataframe[0].value[i18n.t("audit.col.action")]) == ["pairing.end"]
    any_app.date_input(key="audit_since").set_value(utc_today + dt.timedelta(days=2)).run()
    assert not any_app.dataframe and any_app.info
    any_app.date_input(key="audit_since").set_value(None).run()
    any_app.selectbox(key="audit_action").set_value("import").run()
    assert not any_app.dataframe and any_app.info
    assert [b for b in any_app.get("download_button")] == []


def test_the_audit_csv_is_every_entry_newest_first(
    app_db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.ui import audit_page

    monkeypatch.setenv("PAIRING_DB", app_db)
    rows = audit_page.audit_rows()
    assert [r["at"] for r in rows] == sorted((r["at"] for r in rows), reverse=True)
    text = audit_page.csv_bytes(rows).decode("utf-8-sig").splitlines()
    assert text[0] == ",".join(audit_page.COLUMNS)
    assert len(text) == len(audit.entries(store)) + 1


def test_an_admin_adds_an_account_that_can_sign_in(
    any_app: AppTest, any_app_db: str, any_app_store: GraphStore
) -> None:
    sign_in(any_app, "admin")
    any_app.switch_page("graph/ui/accounts_page.py").run()
    assert not any_app.exception
    listing = any_app.dataframe[0].value
    assert "admin" in set(listing[i18n.t("accounts.col.username")])
    assert not any("argon2" in str(v) for v in listing.to_numpy().ravel()), "no hash is shown"
    any_app.text_input(key="acct_user").input("新规划员")
    any_app.text_input(key="acct_password").input("a new password")
    any_app.selectbox(key="acct_role").set_value(accounts.PLANNER)
    any_app.multiselect(key="acct_counties").select("青岚县")
    any_app.button(key="acct_add").click().run()
    assert not any_app.exception and not any_app.error
    assert [s.value for s in any_app.success] == [i18n.t("accounts.added", user="新规划员")]
    added = accounts.get(any_app_store, "新规划员")
    assert added is not None and added.role == accounts.PLANNER and added.counties == ("青岚县",)
    entry = audit.entries(any_app_store, action="user.add")[-1]
    assert (entry.actor, entry.target) == ("admin", "新规划员")

    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(other, "新规划员", "a new password")
    assert not other.error and other.metric
    assert other.session_state["account"].username == "新规划员"


def test_an_admin_changes_a_role_and_removes_an_account(any_app: AppTest, any_app_store: GraphStore) -> None:
    accounts.add(any_app_store, "short-lived", PASSWORD, accounts.VIEWER, actor="test")
    sign_in(any_app, "admin")
    any_app.switch_page("graph/ui/accounts_page.py").run()
    assert "admin" not in any_app.selectbox(key="acct_pick").options, "an admin cannot demote or remove themself"
    any_app.selectbox(key="acct_pick").set_value("short-lived").run()
    any_app.selectbox(key="acct_new_role").set_value(accounts.ADMIN).run()
    any_app.button(key="acct_set_role").click().run()
    assert not any_app.exception and not any_app.error
    changed = accounts.get(any_app_store, "short-lived")
    assert changed is not None and changed.role == accounts.ADMIN
    any_app.selectbox(key="acct_pick").set_value("short-lived").run()
    any_app.checkbox(key="acct_remove_confirm").check().run()
    any_app.button(key="acct_remove").click().run()
    assert not any_app.exception and not any_app.error
    assert accounts.get(any_app_store, "short-lived") is None


def test_the_accounts_page_is_for_admins_only(app: AppTest, app_db: str, store: GraphStore) -> None:
    sign_in(app, "viewer")
    with pytest.raises(ValueError, match="accounts_page"):  # not in a viewer's navigation
        app.switch_page("graph/ui/accounts_page.py")
    # And the page itself refuses when run anyway.
    page = AppTest.from_file(str(fixtures.ROOT / "graph" / "ui" / "accounts_page.py"), default_timeout=TIMEOUT)
    page.session_state["account"] = accounts.get(store, "viewer")
    page.run()
    assert not page.exception
    assert [e.value for e in page.error] == [i18n.t("auth.denied_viewer", user="viewer")]
    assert not page.dataframe and not page.text_input


@pytest.fixture
def open_db(any_location: Callable[..., str], seed: Dataset) -> str:
    return any_location(seed)  # on each engine: a store with no account at all


def test_a_store_without_accounts_is_open_for_reading_only(
    open_db: str, seed: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_test(open_db, monkeypatch, timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert i18n.t("auth.open") in [i.value for i in at.info]
    assert at.metric, "reading works"
    at.switch_page("graph/ui/data_page.py").run()
    assert not at.get("file_uploader")
    assert i18n.t("auth.denied_open") in [i.value for i in at.info]
    # Nobody is signed in, so nobody may change links either: no end button, and the reason.
    village, _unit = paired_village(seed, "澄溪县", skip=1)
    at.switch_page("graph/ui/links_page.py").run()
    at.text_input(key="links_search").input(village).run()
    at.selectbox(key="links_village").set_value(village).run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "links_end"]
    assert i18n.t("auth.denied_open") in [i.value for i in at.info]
