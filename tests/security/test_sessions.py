"""Hole 6 (sessions outlive password resets, role changes and removals) and the sign-out half of hole 9.

Each test signs X in through the form, changes X in the store as an admin would (the CLI or another
session), and checks that X's very next rerun shows the sign-in form again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import ladybug as lb
import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts
from graph.dataset import Dataset
from graph.store import GraphStore, LadybugStore
from graph.ui import i18n, state
from tests.fixtures import PASSWORD, app_test, seed_dataset, sign_in, store_file

TIMEOUT = 120

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seed: Dataset = seed_dataset()
    db = store_file(tmp_path_factory.mktemp("sessions") / "seed.lbug", seed)
    yield db
    state._open(db).close()  # the app's cached store: its address space is needed by the next modules


@pytest.fixture
def store(app_db: str) -> GraphStore:
    return state._open(app_db)


def signed_out(at: AppTest) -> bool:
    return "account" not in at.session_state and at.text_input(key="login_user") is not None


def _recreate(store: GraphStore, name: str) -> None:
    accounts.remove(store, name, actor="admin")
    accounts.add(store, name, "someone else's 1", accounts.PLANNER, ["青岚县"], actor="admin")


CHANGES: dict[str, Callable[[GraphStore, str], object]] = {
    "password reset": lambda s, n: accounts.set_password(s, n, "a brand new secret", actor="admin"),
    "role change": lambda s, n: accounts.set_role(s, n, accounts.VIEWER, actor="admin"),
    "county change": lambda s, n: accounts.set_role(s, n, accounts.PLANNER, ["石砚区"], actor="admin"),
    "removal": lambda s, n: accounts.remove(s, n, actor="admin"),
    "removal and re-creation": _recreate,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_by_an_admin_signs_the_open_session_out(
    change: str, app_db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "x-" + change.replace(" ", "-")
    accounts.add(store, name, PASSWORD, accounts.PLANNER, ["青岚县"], actor="test")
    at = app_test(app_db, monkeypatch, dt.date.today(), timeout=TIMEOUT)
    sign_in(at, name)
    assert at.session_state["account"].username == name and at.metric
    at.run()
    assert not signed_out(at), "an unchanged account stays signed in"
    CHANGES[change](store, name)
    at.run()
    assert not at.exception
    assert signed_out(at), f"still signed in after a {change}"
    assert not at.metric


def test_an_unrelated_write_keeps_the_session(app_db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.add(store, "stays", PASSWORD, accounts.VIEWER, actor="test")
    accounts.add(store, "other-one", PASSWORD, accounts.VIEWER, actor="test")
    at = app_test(app_db, monkeypatch, dt.date.today(), timeout=TIMEOUT)
    sign_in(at, "stays")
    accounts.set_password(store, "other-one", "another password 2", actor="admin")
    at.run()
    assert at.session_state["account"].username == "stays"


def test_signing_out_forgets_everything_but_the_language(
    app_db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.add(store, "leaver", PASSWORD, accounts.ADMIN, actor="test")
    at = app_test(app_db, monkeypatch, dt.date.today(), timeout=TIMEOUT)
    sign_in(at, "leaver")
    at.selectbox(key="lang").set_value("en").run()
    # What the data page leaves after "prepare the export": the whole ledger, for whoever is in the tab next.
    at.session_state["data_export"] = (b"zip of the ledger", b"xlsx of the ledger")
    at.session_state["audit_actor"] = "someone"
    at.button(key="logout").click().run()
    assert not at.exception
    assert signed_out(at)
    assert "data_export" not in at.session_state
    assert "audit_actor" not in at.session_state
    assert at.session_state["lang"] == "en"
    assert at.title[0].value == i18n.t("app.title", "en")


def test_a_store_made_before_session_versions_still_signs_in(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Null → 0: an Account table without the new columns gains them when the store opens."""
    path = tmp_path / "old.lbug"
    db = lb.Database(str(path))
    conn = lb.Connection(db)
    conn.execute(
        "CREATE NODE TABLE Account(username STRING, password_hash STRING, role STRING, counties STRING[], "
        "created STRING, PRIMARY KEY(username))"
    )
    conn.execute(
        "CREATE (:Account {username: 'old', password_hash: $h, role: 'admin', counties: [], created: ''})",
        {"h": accounts._hasher.hash(PASSWORD)},
    )
    conn.close()
    db.close()
    with LadybugStore(path) as store:
        old = accounts.get(store, "old")
        assert old is not None and old.session_version == 0 and not old.locked
        attempt = accounts.sign_in(store, "old", PASSWORD, "test")
        assert attempt.outcome == "ok"
        changed = accounts.set_password(store, "old", "a newer password 3", actor="test")
        assert changed.session_version == 1
        # A new account starts at a random version, so that a re-created name never matches an old session.
        versions = {accounts.add(store, f"new{i}", PASSWORD, "viewer").session_version for i in range(5)}
        assert len(versions) == 5
