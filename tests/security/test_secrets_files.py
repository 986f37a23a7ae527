"""Hole 9: password hashes through `pairing query`, file modes, the store path and a busy store before sign-in."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, backup, queries
from graph.cli import queries as cli_queries
from graph.store import LadybugStore
from graph.store.locks import sidecars
from graph.ui import i18n
from tests.fixtures import ROOT, app_test, invoke, seed_dataset, store_file

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return store_file(tmp_path / "s.lbug", None, [("boss", "correct horse battery", "admin")])


# ---------------------------------------------------------------- hashes


def test_query_refuses_the_account_queries(db: str) -> None:
    for name in ("accounts/all", "accounts/get"):
        result = invoke("--db", db, "query", name, "-p", "username=boss", code=2)
        assert "argon2" not in result.output and "user list" in result.output


def test_no_query_that_touches_hashes_or_accounts_is_runnable_or_listed(db: str) -> None:
    listed = invoke("queries").output
    for name in queries.names():
        q = queries.get(name)
        if "password_hash" in q.text or "Account" in q.text or name.startswith("accounts/"):
            assert cli_queries.is_system(q), name
            assert f"\n{name} " not in "\n" + listed, f"{name} is listed"
    assert "stats/counts" in listed


# ---------------------------------------------------------------- file modes


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask (022), under which a file is created world-readable unless the code says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_store_wal_and_backup_are_private(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "data"
    path = folder / "p.lbug"
    with LadybugStore(path) as store:
        accounts.add(store, "boss", "correct horse battery", "admin", actor="t")
        # Each write closes its read-write Database, which folds the WAL (private by the umask while it
        # lives, from the commit to the close) into the file: none is left between writes.
        assert not path.with_name(path.name + ".wal").exists()
        assert _mode(path) == 0o600
        assert [_mode(p) for p in sidecars(path)] == [0o600, 0o600], "the lock files name who writes"
        assert _mode(folder) == 0o700, "a folder the store creates is its owner's only"
        backup.backup(store, tmp_path / "b.lbug")
        assert _mode(tmp_path / "b.lbug") == 0o600
        store.load(seed_dataset(), replace=True)  # the bulk path builds a new file and swaps it in
        assert _mode(path) == 0o600
        backup.restore(store, tmp_path / "b.lbug")
        assert _mode(path) == 0o600


def test_an_older_world_readable_store_is_tightened_when_opened(tmp_path: Path, loose_umask: None) -> None:
    path = Path(store_file(tmp_path / "old.lbug"))
    os.chmod(path, 0o644)
    with LadybugStore(path):
        assert _mode(path) == 0o600


# ---------------------------------------------------------------- the app before sign-in


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_the_store_path_is_shown_to_admins_only(
    db: str, monkeypatch: pytest.MonkeyPatch, app_stores: list[str]
) -> None:
    accounts_db = db
    app_stores.append(db)
    for user, shown in ((None, False), ("viewer1", False), ("boss", True)):
        if user == "viewer1":
            from graph.ui import state

            accounts.add(state._open(accounts_db), "viewer1", "correct horse battery", "viewer", actor="t")
        at = app_test(accounts_db, monkeypatch, user=user)
        at.run()
        assert not at.exception
        assert any(accounts_db in c for c in _captions(at)) is shown, (user, _captions(at))


# A write that holds the store for a minute: a reader (the app opening it) waits PAIRING_LOCK_TIMEOUT, then gives up.
_HOLD = """
import sys, time
from graph.store import LadybugStore
from graph.store.locks import sidecars
with LadybugStore(sys.argv[1]) as store, store.transaction():
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_busy_store_shows_a_short_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = store_file(tmp_path / "busy.lbug", None, [("boss", "correct horse battery", "admin")])
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, path],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    monkeypatch.setenv("PAIRING_LOCK_TIMEOUT", "0.5")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for lang in ("zh", "en"):
            at = app_test(path, monkeypatch)
            at.session_state["lang"] = lang
            at.run()
            assert not at.exception, "no traceback"
            assert [e.value for e in at.error] == [i18n.t("app.store_busy", lang)]
            assert not at.text_input, "no sign-in form over a store that cannot be read"
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
