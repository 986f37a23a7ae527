"""Accounts and roles: who may read, who may change which counties, who administers.

Roles: `viewer` reads everything and changes nothing; `planner` changes links of villages in
their assigned counties only; `admin` changes anything, imports ledgers and manages accounts.
Accounts are `Account` system nodes in the store (never exported with the ledger); passwords are
kept only as argon2id hashes (argon2-cffi, its default parameters). Every account change writes an
audit entry in the same transaction.

Signing in (`sign_in`) is throttled: after a few failures an account name and a client must wait,
doubling up to a cap (`Throttle`, in the server's memory); at most `MAX_HASHING` hashes run at once
(argon2 takes 64 MiB each); after `LOCK_AFTER` consecutive failures the account is locked, in the
store, until an admin unlocks it. Every change of password, role or counties bumps the account's
`session_version`, which signs out the sessions that signed in before it (graph.ui.auth).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from graph import audit
from graph.dataset import Row
from graph.errors import ConflictError, PermissionDenied, QueryError
from graph.model import ACCOUNT_ROLES, SUPPORT_KINDS
from graph.store import GraphStore

# Declared, with their words, in graph.model: an account's role is a coded value the store keeps.
ROLES = ACCOUNT_ROLES
VIEWER, PLANNER, ADMIN = ROLES
READ = "read"
# Actions only an admin may take: they reach beyond one county or change who may do what.
ADMIN_ACTIONS = (
    "import",
    "restore",
    "backup",
    "user.add",
    "user.remove",
    "user.set-role",
    "user.set-password",
    "user.unlock",
    # Deleting a link entered by mistake leaves no trace in the graph (ending one keeps its history).
    *(f"{kind}.delete" for kind in SUPPORT_KINDS),
    # An activity entered by mistake: the record of what was done is not a planner's to erase.
    "activity.delete",
)
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 hashes any length; a megabyte "password" is only a way to burn the server's time
MAX_USERNAME = 64
DEMO_ADMIN = "admin"
# The actor of the entries the sign-in itself writes (a lock-out).
SYSTEM_ACTOR = "system"

# Sign-in throttling. The first FREE_FAILURES failures (typos) cost nothing; after that a name and a
# client wait BACKOFF_FIRST seconds, doubling with each further failure up to BACKOFF_CAP. So within a
# minute at most 5 guesses are hashed for one name (0, 0, 0, +15 s, +30 s; the 6th would wait 60 s).
FREE_FAILURES = 3
BACKOFF_FIRST = 15.0
BACKOFF_CAP = 15 * 60.0
# After this many consecutive failures an account is locked until an admin unlocks it (stored on the node).
LOCK_AFTER = 10
# argon2id takes 64 MiB and ~0.5 s of a core per hash: at most this many at once, whatever the traffic.
MAX_HASHING = 2
# How long a sign-in waits for a hashing slot before the form says the server is busy.
HASHING_WAIT = 10.0

_hasher = PasswordHasher()
# Verified against when the user does not exist, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    counties: tuple[str, ...] = ()
    created: str = ""
    # Kept for verification; repr=False so that the hash never lands in a log or a traceback.
    password_hash: str = field(default="", repr=False, compare=False)
    # Bumped by every change of password, role or counties; a session keeps the one it signed in with
    # (graph.ui.auth compares it explicitly: equality is about who the account is and may do).
    session_version: int = field(default=0, compare=False)
    failures: int = field(default=0, compare=False)
    locked_at: str = field(default="", compare=False)

    @property
    def locked(self) -> bool:
        return bool(self.locked_at)

    def public(self) -> dict[str, str]:
        """The account without its hash, for listings."""
        return {
            "username": self.username,
            "role": self.role,
            "counties": ";".join(self.counties),
            "created": self.created,
            "locked": self.locked_at,
        }


def _account(row: Row) -> Account:
    return Account(
        username=row["username"],
        role=row["role"],
        counties=tuple(row["counties"] or ()),
        created=row["created"] or "",
        password_hash=row["password_hash"] or "",
        session_version=int(row.get("session_version") or 0),
        failures=int(row.get("failures") or 0),
        locked_at=row.get("locked_at") or "",
    )


@functools.cache
def _confusables() -> dict[str, str]:
    """Each character of Unicode's confusables data mapped to one representative of its look-alikes.

    The data is Unicode's confusables.txt (UTS #39) as the confusable-homoglyphs package ships it. Its
    groups are not closed (l lists I, I does not list l), so they are joined (union-find) and each
    character maps to the lowest code point of its joined group: every look-alike then maps alike.
    """
    text = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    parent: dict[str, str] = {}

    def root(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    for char, homoglyphs in json.loads(text).items():
        # Some entries carry left-to-right marks around right-to-left characters.
        group = [g for g in (char, *(h["c"].strip("\u200e\u200f") for h in homoglyphs)) if len(g) == 1]
        for other in group[1:]:
            a, b = root(group[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {ch: root(ch) for ch in parent}


def _mapped(text: str) -> str:
    table = _confusables()
    return unicodedata.normalize("NFKC", "".join(table.get(ch, ch) for ch in text))


def skeleton(username: str) -> str:
    """What a username looks like: NFKC, case-folded, each character replaced by its look-alikes' representative.

    Two names with the same skeleton (`admin`, `ADMIN`, `аdmin` with a Cyrillic а, `ａｄｍｉｎ`) would be
    told apart by nobody reading the audit trail or the accounts list.
    """
    return _mapped(unicodedata.normalize("NFKC", username).casefold())


def skeletons(username: str) -> set[str]:
    """`skeleton`, and the look-alikes mapped before case-folding (a capital I looks like an l, an i does not)."""
    return {skeleton(username), _mapped(_mapped(unicodedata.normalize("NFKC", username)).casefold())}


def check_username(username: str) -> str:
    if not username or not username.strip():
        raise QueryError("a username must not be empty")
    if len(username) > MAX_USERNAME:
        raise QueryError(f"a username has at most {MAX_USERNAME} characters")
    # Control characters (NUL, newlines, escapes) would make names that print alike but differ.
    if any(unicodedata.category(ch).startswith("C") for ch in username):
        raise QueryError(f"username {username!r} contains control characters")
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise QueryError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    return role


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "digit"
    # Chinese characters are letters too: a long Chinese phrase with a digit or a symbol is a fine password.
    if ch.isalpha():
        return "letter"
    return "symbol"


def check_password(password: str) -> str:
    """At least MIN_PASSWORD characters, and not all of one class (letters, digits, symbols)."""
    if len(password) < MIN_PASSWORD:
        raise QueryError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise QueryError(f"a password has at most {MAX_PASSWORD} characters")
    if len({_char_class(ch) for ch in password}) < 2:
        raise QueryError("a password needs two kinds of characters of letters, digits and symbols (spaces count)")
    return password


def _check_lookalike(store: GraphStore, username: str) -> None:
    shapes = skeletons(username)
    for other in list_accounts(store):
        if other.username != username and shapes & skeletons(other.username):
            raise ConflictError(f"{username!r} looks like the existing account {other.username!r}; choose another name")


def _counties(role: str, counties: Iterable[str]) -> list[str]:
    values = sorted({c.strip() for c in counties if c and c.strip()})
    if role == PLANNER and not values:
        raise QueryError("a planner needs at least one county (--county)")
    return values


def _summary(account: Account | None) -> dict[str, object] | None:
    return None if account is None else {"role": account.role, "counties": list(account.counties)}


def get(store: GraphStore, username: str) -> Account | None:
    rows = store.read("accounts/get", {"username": username})
    return _account(rows[0]) if rows else None


def list_accounts(store: GraphStore) -> list[Account]:
    return [_account(r) for r in store.read("accounts/all")]


def add(
    store: GraphStore,
    username: str,
    password: str,
    role: str,
    counties: Iterable[str] = (),
    *,
    actor: str | None = None,
) -> Account:
    """Create an account; ConflictError if the name is taken."""
    check_username(username)
    check_role(role)
    check_password(password)
    _check_lookalike(store, username)
    account = Account(
        username=username,
        role=role,
        counties=tuple(_counties(role, counties)),
        created=audit.now().isoformat(timespec="seconds"),
        password_hash=_hasher.hash(password),
        # A random start rather than 0: a session of a removed account of the same name, re-created in the
        # same second, must not pass for a session of the new one.
        session_version=secrets.randbelow(2**31),
    )
    params = {
        "username": username,
        "password_hash": account.password_hash,
        "role": role,
        "counties": list(account.counties),
        "created": account.created,
        "session_version": account.session_version,
    }
    with store.transaction() as tx:
        rows = tx.run("accounts/create", params)
        if not rows or not int(rows[0]["created"]):
            raise ConflictError(f"an account named {username!r} exists already")
        audit.record(tx, actor or audit.default_actor(), "user.add", username, None, _summary(account))
    return account


def remove(store: GraphStore, username: str, *, actor: str | None = None) -> None:
    with store.transaction() as tx:
        rows = tx.run("accounts/get", {"username": username})
        if not rows:
            raise QueryError(f"no account named {username!r}")
        tx.run("accounts/remove", {"username": username})
        audit.record(tx, actor or audit.default_actor(), "user.remove", username, _summary(_account(rows[0])), None)


def _update(
    store: GraphStore,
    username: str,
    action: str,
    actor: str | None,
    role: str | None = None,
    counties: Iterable[str] | None = None,
    password: str | None = None,
) -> Account:
    with store.transaction() as tx:
        rows = tx.run("accounts/get", {"username": username})
        if not rows:
            raise QueryError(f"no account named {username!r}")
        old = _account(rows[0])
        new_role = check_role(role) if role is not None else old.role
        new_counties = _counties(new_role, counties if counties is not None else old.counties)
        new_hash = _hasher.hash(check_password(password)) if password is not None else old.password_hash
        # Every change of password, role or counties ends the sessions signed in before it.
        version = old.session_version + 1
        params = {
            "username": username,
            "password_hash": new_hash,
            "role": new_role,
            "counties": new_counties,
            "session_version": version,
        }
        tx.run("accounts/update", params)
        new = Account(
            username,
            new_role,
            tuple(new_counties),
            old.created,
            new_hash,
            session_version=version,
            failures=old.failures,
            locked_at=old.locked_at,
        )
        after: dict[str, object] | None = _summary(new)
        if password is not None and after is not None:
            # Say that the password changed, never what it is or its hash.
            after = {**after, "password": "changed"}
        audit.record(tx, actor or audit.default_actor(), action, username, _summary(old), after)
    return new


def set_role(
    store: GraphStore,
    username: str,
    role: str,
    counties: Iterable[str] | None = None,
    *,
    actor: str | None = None,
) -> Account:
    """Change an account's role (and counties, when given; a planner keeps theirs otherwise)."""
    return _update(store, username, "user.set-role", actor, role=role, counties=counties)


def set_password(store: GraphStore, username: str, password: str, *, actor: str | None = None) -> Account:
    return _update(store, username, "user.set-password", actor, password=password)


def unlock(store: GraphStore, username: str, *, actor: str | None = None) -> Account:
    """Lift a lock-out (and forget the failures): the account may sign in again."""
    with store.transaction() as tx:
        rows = tx.run("accounts/get", {"username": username})
        if not rows:
            raise QueryError(f"no account named {username!r}")
        old = _account(rows[0])
        tx.run("accounts/sign_in", {"username": username, "failures": 0, "locked_at": ""})
        before = {"locked": old.locked_at or None, "failures": old.failures}
        audit.record(tx, actor or audit.default_actor(), "user.unlock", username, before, {"locked": None})
    THROTTLE.forget(_name_key(username))
    return dataclasses.replace(old, failures=0, locked_at="")


def _verify(account: Account | None, password: str) -> bool:
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return account is not None


def authenticate(store: GraphStore, username: str, password: str) -> Account | None:
    """The account if the password is right, else None (the same answer for an unknown name).

    Unthrottled: for callers that are not a sign-in form (tests, scripts). The app signs in with `sign_in`.
    """
    account = get(store, username) if username else None
    return account if _verify(account, password) else None


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


class Throttle:
    """Failed sign-ins per key (an account name, a client) in this process, and how long each must wait.

    In memory: the app is one server process, and a restart forgetting the back-off is acceptable
    because the lock-out (the part that matters for a guessed account) is stored on the account.
    """

    # Keys idle this long are forgotten, so that a flood of made-up names cannot fill the memory.
    FORGET_AFTER = 24 * 3600.0
    MAX_KEYS = 100_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, _Failures] = {}

    @staticmethod
    def delay(count: int) -> float:
        """Seconds to wait after `count` consecutive failures."""
        if count < FREE_FAILURES:
            return 0.0
        return float(min(BACKOFF_CAP, BACKOFF_FIRST * 2.0 ** (count - FREE_FAILURES)))

    def wait(self, *keys: str) -> float:
        """Seconds before any of `keys` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [self.delay(f.count) - (now - f.last) for k in keys if (f := self._failures.get(k)) is not None]
        return max([0.0, *waits])

    def reserve(self, *keys: str) -> float:
        """Count an attempt as a failure now if none of `keys` must wait; else the seconds to wait.

        One step under the lock, so that parallel attempts are counted as if they came one by one.
        """
        now = self.clock()
        with self._lock:
            waits = [self.delay(f.count) - (now - f.last) for k in keys if (f := self._failures.get(k)) is not None]
            wait = max([0.0, *waits])
            if wait > 0:
                return wait
            if len(self._failures) >= self.MAX_KEYS:
                self._prune(now)
            for key in keys:
                entry = self._failures.setdefault(key, _Failures())
                entry.count += 1
                entry.last = now
        return 0.0

    def count(self, key: str) -> int:
        with self._lock:
            found = self._failures.get(key)
            return found.count if found else 0

    def forget(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _prune(self, now: float) -> None:
        stale = [k for k, f in self._failures.items() if now - f.last > self.FORGET_AFTER]
        for key in stale or list(self._failures)[: self.MAX_KEYS // 10]:
            del self._failures[key]


THROTTLE = Throttle()
_hashing = threading.BoundedSemaphore(MAX_HASHING)


def _name_key(username: str) -> str:
    # By skeleton, so that look-alike spellings of one name share its back-off.
    return "name:" + skeleton(username)


@dataclass(frozen=True)
class Attempt:
    """The outcome of a sign-in: `ok` (with the account), `wrong`, `wait` (seconds), `locked` or `busy`."""

    outcome: str
    account: Account | None = None
    wait: float = 0.0


def sign_in(store: GraphStore, username: str, password: str, client: str, throttle: Throttle | None = None) -> Attempt:
    """Check a sign-in from `client` (a session or an address), throttled; see the module's docstring.

    A refused attempt (waiting, locked) is answered without hashing. The attempt counts as a failure
    before the hash is checked (`Throttle.reserve`), so that parallel guesses are throttled as if they
    came one by one; a success forgets it.
    """
    throttle = throttle or THROTTLE
    keys = (_name_key(username), "client:" + client)
    wait = throttle.wait(*keys)
    if wait > 0:
        return Attempt("wait", wait=wait)
    account = get(store, username) if username else None
    # An unknown name is "locked" after as many failures as a real one, so that the answer says nothing
    # about which names exist (in memory only: there is no node to keep it on).
    if (account is not None and account.locked) or (account is None and throttle.count(keys[0]) >= LOCK_AFTER):
        return Attempt("locked")
    if len(password) > MAX_PASSWORD:
        return Attempt("wrong")
    wait = throttle.reserve(*keys)
    if wait > 0:
        return Attempt("wait", wait=wait)
    if not _hashing.acquire(timeout=HASHING_WAIT):
        return Attempt("busy")
    try:
        ok = _verify(account, password)
    finally:
        _hashing.release()
    if ok and account is not None:
        throttle.forget(*keys)
        if account.failures:
            store.write("accounts/sign_in", {"username": account.username, "failures": 0, "locked_at": ""})
        return Attempt("ok", account)
    if account is not None:
        _record_failure(store, account)
    return Attempt("wrong")


def _record_failure(store: GraphStore, account: Account) -> None:
    with store.transaction() as tx:
        rows = tx.run("accounts/get", {"username": account.username})
        if not rows:
            return
        now = _account(rows[0])
        failures = now.failures + 1
        lock = failures >= LOCK_AFTER and not now.locked
        locked_at = audit.now().isoformat(timespec="seconds") if lock else now.locked_at
        tx.run("accounts/sign_in", {"username": now.username, "failures": failures, "locked_at": locked_at})
        if lock:
            audit.record(tx, SYSTEM_ACTOR, "user.lock", now.username, None, {"locked": locked_at, "failures": failures})


def can_write(account: Account, county: str | None) -> bool:
    if account.role == ADMIN:
        return True
    return account.role == PLANNER and county is not None and county in account.counties


def authorise(account: Account | None, action: str, county: str | None = None) -> None:
    """Raise PermissionDenied unless `account` may take `action` (on a village of `county`)."""
    if account is None:
        raise PermissionDenied(f"{action}: sign in first")
    if account.role not in ROLES:
        raise PermissionDenied(f"{action}: account {account.username!r} has the unknown role {account.role!r}")
    if action == READ:
        return
    if account.role == VIEWER:
        raise PermissionDenied(f"{action}: {account.username!r} is a viewer and may not change anything")
    if action in ADMIN_ACTIONS and account.role != ADMIN:
        raise PermissionDenied(f"{action}: only an admin may do this ({account.username!r} is a {account.role})")
    if not can_write(account, county):
        where = f"county {county!r}" if county else "a village with no county"
        raise PermissionDenied(
            f"{action}: {account.username!r} may change villages of {', '.join(account.counties) or 'no county'} "
            f"only, not {where}"
        )


def ensure_demo_admin(store: GraphStore) -> tuple[str, str] | None:
    """Create `admin` with a generated password when the store has no account yet.

    Returns (username, password) the first time, for `make run` to print once; None afterwards.
    """
    if list_accounts(store):
        return None
    password = secrets.token_urlsafe(12)
    # 16 characters of letters, digits, - and _: all letters about one time in 30; draw again then.
    while len({_char_class(ch) for ch in password}) < 2:
        password = secrets.token_urlsafe(12)
    add(store, DEMO_ADMIN, password, ADMIN, actor="system")
    return DEMO_ADMIN, password


def created_on(account: Account) -> dt.datetime | None:
    return dt.datetime.fromisoformat(account.created) if account.created else None
