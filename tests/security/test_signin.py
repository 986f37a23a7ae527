"""Hole 7: sign-in throttling, bounded hashing, lock-out with an admin's unlock, password and username rules.

Measured here: 32 parallel wrong sign-ins never run more than 2 hashes at once; the 6th wrong guess
for one name within a minute is refused without hashing; the 10th locks the account, in the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from graph import accounts, audit
from graph.errors import ConflictError, QueryError
from graph.store import GraphStore, LadybugStore
from graph.ui import i18n, state
from tests.fixtures import app_test, invoke, store_file

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


class CountingHasher:
    """A hasher that counts verifications and the most that ever ran at once (each takes `seconds`)."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.inner = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        self.seconds = seconds
        self.calls = 0
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        with self._lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.seconds)
            return self.inner.verify(hashed, password)
        finally:
            with self._lock:
                self.running -= 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", counting)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", counting.hash("dummy"))
    return counting


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(accounts, "THROTTLE", accounts.Throttle(clock=fake))
    return fake


@pytest.fixture
def store(make_store) -> GraphStore:
    store: GraphStore = make_store()
    accounts.add(store, "alice", PASSWORD, accounts.PLANNER, ["青山县"], actor="test")
    accounts.add(store, "boss", PASSWORD, accounts.ADMIN, actor="test")
    return store


def test_parallel_wrong_sign_ins_never_hash_more_than_two_at_once(store: GraphStore, hasher: CountingHasher) -> None:
    hasher.seconds = 0.05
    # Different names and clients, so that the back-off lets every one through to the hasher.
    names = [f"user{i}" if i % 2 else "alice" for i in range(32)]
    with ThreadPoolExecutor(32) as pool:
        outcomes = list(
            pool.map(lambda i: accounts.sign_in(store, names[i] + str(i), "wrong guess", f"c{i}").outcome, range(32))
        )
    assert outcomes == ["wrong"] * 32
    assert hasher.calls == 32
    assert hasher.most <= accounts.MAX_HASHING == 2


def test_parallel_guesses_at_one_name_are_throttled_as_if_sequential(store: GraphStore, hasher: CountingHasher) -> None:
    hasher.seconds = 0.05
    with ThreadPoolExecutor(32) as pool:
        outcomes = list(pool.map(lambda i: accounts.sign_in(store, "alice", "wrong", f"c{i}").outcome, range(32)))
    # The free failures are hashed; every other guess is refused before hashing.
    assert outcomes.count("wrong") == accounts.FREE_FAILURES == hasher.calls
    assert outcomes.count("wait") == 32 - accounts.FREE_FAILURES


def test_the_sixth_wrong_guess_within_a_minute_is_refused_without_hashing(
    store: GraphStore, hasher: CountingHasher, clock: Clock
) -> None:
    start = clock.now
    for offset in (0, 0, 0, 15, 45):  # as early as the back-off allows: 0, 0, 0, +15 s, +30 s
        clock.now = start + offset
        assert accounts.sign_in(store, "alice", "wrong guess", "client").outcome == "wrong"
    assert hasher.calls == 5
    clock.now = start + 59
    attempt = accounts.sign_in(store, "alice", "wrong guess", "client")
    assert attempt.outcome == "wait" and attempt.wait > 0
    # Even with the right password, and from another client: the name itself must wait.
    assert accounts.sign_in(store, "alice", PASSWORD, "another client").outcome == "wait"
    assert hasher.calls == 5
    # A look-alike spelling of the name shares its back-off.
    assert accounts.sign_in(store, "ＡＬＩＣＥ", "wrong guess", "third client").outcome == "wait"


def test_one_client_spraying_many_names_is_throttled(store: GraphStore, hasher: CountingHasher, clock: Clock) -> None:
    outcomes = [accounts.sign_in(store, f"name{i}", "guess", "one client").outcome for i in range(6)]
    assert outcomes == ["wrong"] * accounts.FREE_FAILURES + ["wait"] * (6 - accounts.FREE_FAILURES)


def _fail_until_locked(store: GraphStore, name: str, clock: Clock) -> list[str]:
    outcomes = []
    for _ in range(accounts.LOCK_AFTER):
        clock.now += accounts.BACKOFF_CAP + 1  # past any back-off: only the lock-out can refuse
        outcomes.append(accounts.sign_in(store, name, "wrong guess", "client").outcome)
    return outcomes


def test_repeated_failures_lock_the_account_until_an_admin_unlocks_it(
    tmp_path: Path, hasher: CountingHasher, clock: Clock
) -> None:
    path = tmp_path / "lock.lbug"
    with LadybugStore(path) as store:
        accounts.add(store, "alice", PASSWORD, accounts.VIEWER, actor="test")
        assert _fail_until_locked(store, "alice", clock) == ["wrong"] * accounts.LOCK_AFTER
        calls = hasher.calls
        clock.now += accounts.BACKOFF_CAP + 1
        assert accounts.sign_in(store, "alice", PASSWORD, "client").outcome == "locked"
        assert hasher.calls == calls, "a locked account is refused without hashing"
        entry = audit.entries(store, action="user.lock")[-1]
        assert (entry.actor, entry.target) == (accounts.SYSTEM_ACTOR, "alice")
    # The lock is on the node: it survives a restart (a new process forgets the in-memory back-off).
    with LadybugStore(path) as store:
        alice = accounts.get(store, "alice")
        assert alice is not None and alice.locked and alice.failures == accounts.LOCK_AFTER
        assert "alice" in [a["username"] for a in [x.public() for x in accounts.list_accounts(store)] if a["locked"]]
    listing = invoke("--db", str(path), "user", "list").output
    assert alice.locked_at in listing
    invoke("--db", str(path), "--user", "boss", "user", "unlock", "alice")
    with LadybugStore(path) as store:
        assert accounts.sign_in(store, "alice", PASSWORD, "client").outcome == "ok"
        assert [e.actor for e in audit.entries(store, action="user.unlock")] == ["boss"]
    invoke("--db", str(path), "user", "unlock", "nobody", code=1)


def test_an_unknown_name_is_locked_alike(store: GraphStore, hasher: CountingHasher, clock: Clock) -> None:
    """So that "locked" does not tell which names exist."""
    assert _fail_until_locked(store, "ghost", clock) == ["wrong"] * accounts.LOCK_AFTER
    clock.now += accounts.BACKOFF_CAP + 1
    assert accounts.sign_in(store, "ghost", "anything", "client").outcome == "locked"


def test_a_success_resets_the_failures(store: GraphStore, hasher: CountingHasher, clock: Clock) -> None:
    for _ in range(2):
        assert accounts.sign_in(store, "alice", "wrong guess", "client").outcome == "wrong"
    assert accounts.sign_in(store, "alice", PASSWORD, "client").outcome == "ok"
    alice = accounts.get(store, "alice")
    assert alice is not None and alice.failures == 0
    assert accounts.THROTTLE.wait("name:" + accounts.skeleton("alice"), "client:client") == 0


def test_an_absurdly_long_password_is_not_hashed(store: GraphStore, hasher: CountingHasher) -> None:
    assert accounts.sign_in(store, "alice", "x" * 10_000_000, "client").outcome == "wrong"
    assert hasher.calls == 0


# ---------------------------------------------------------------- the app


@pytest.fixture
def app_db(tmp_path: Path, app_stores: list[str]) -> Iterator[str]:
    db = store_file(tmp_path / "app.lbug", None, [("boss", PASSWORD, accounts.ADMIN), ("alice", PASSWORD, "viewer")])
    app_stores.append(db)
    yield db


def test_the_form_says_wait_then_locked_and_the_accounts_page_unlocks(
    app_db: str, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    at = app_test(app_db, monkeypatch)
    at.run()
    for _ in range(accounts.FREE_FAILURES + 1):
        at.text_input(key="login_user").input("alice")
        at.text_input(key="login_password").input("wrong guess")
        at.button(key="login_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [i18n.t("auth.wait", seconds=int(accounts.BACKOFF_FIRST))]
    store = state._open(app_db)
    _fail_until_locked(store, "alice", clock)
    clock.now += accounts.BACKOFF_CAP + 1
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == [i18n.t("auth.locked")]
    assert "account" not in at.session_state

    admin = app_test(app_db, monkeypatch, user="boss")
    admin.run()
    admin.switch_page("graph/ui/accounts_page.py").run()
    admin.selectbox(key="acct_pick").set_value("alice").run()
    assert not admin.exception
    assert admin.warning and "alice" in admin.warning[0].value
    admin.button(key="acct_unlock").click().run()
    assert not admin.exception and not admin.error
    assert [s.value for s in admin.success] == [i18n.t("accounts.unlocked", user="alice")]
    unlocked = accounts.get(store, "alice")
    assert unlocked is not None and not unlocked.locked
    clock.now += accounts.BACKOFF_CAP + 1
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert at.session_state["account"].username == "alice"


# ---------------------------------------------------------------- passwords and names

WEAK = ["short-1", "onlylettershere", "123456789012345", "!!!!!!!!!!!!!!", "ＡＢＣＤＥＦＧＨＩＪＫＬ"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_everywhere(store: GraphStore, password: str, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="password"):
        accounts.add(store, "newcomer", password, accounts.VIEWER)
    with pytest.raises(QueryError, match="password"):
        accounts.set_password(store, "alice", password)
    db = store_file(tmp_path / "cli.lbug")
    result = invoke("--db", db, "user", "add", "newcomer", "--role", "viewer", "--password", password, code=1)
    assert "password" in result.output
    assert accounts.authenticate(store, "alice", PASSWORD) is not None


@pytest.mark.parametrize(
    "password", ["correct horse battery", "我的密码是二〇二六年春天1", "Tr0ub4dor&3xyz", "jiandan 2026"]
)
def test_good_passwords_pass(password: str) -> None:
    assert accounts.check_password(password) == password


@pytest.mark.parametrize(
    "lookalike",
    [
        "ALICE",  # case
        "аlice",  # Cyrillic а
        "ａｌｉｃｅ",  # full-width
        "alіce",  # Ukrainian і
        "aIice",  # capital I for l
    ],
)
def test_usernames_that_only_look_like_another_are_refused(store: GraphStore, lookalike: str) -> None:
    assert lookalike != "alice"
    with pytest.raises(ConflictError, match="looks like"):
        accounts.add(store, lookalike, PASSWORD, accounts.VIEWER)


def test_different_names_are_still_allowed(store: GraphStore) -> None:
    for name in ("alicia", "张三", "张四", "alice2"):
        accounts.add(store, name, PASSWORD, accounts.VIEWER)


def test_the_accounts_page_refuses_a_weak_password(app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_test(app_db, monkeypatch, user="boss")
    at.run()
    at.switch_page("graph/ui/accounts_page.py").run()
    at.text_input(key="acct_user").input("newcomer")
    at.text_input(key="acct_password").input("password")
    at.button(key="acct_add").click().run()
    assert at.error and "12" in at.error[0].value
    assert accounts.get(state._open(app_db), "newcomer") is None
