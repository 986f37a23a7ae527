"""Accounts and roles: who may read, who may change which counties, who administers.

Roles: `viewer` reads everything and changes nothing; `planner` changes links of villages in
their assigned counties only; `admin` changes anything, imports ledgers and manages accounts.
Accounts are `Account` system nodes in the store (never exported with the ledger); passwords are
kept only as argon2id hashes (argon2-cffi, its default parameters). Every account change writes an
audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from graph import audit
from graph.dataset import Row
from graph.errors import ConflictError, PermissionDenied, QueryError
from graph.model import ACCOUNT_ROLES
from graph.store import GraphStore

# Declared, with their words, in graph.model: an account's role is a coded value the store keeps.
ROLES = ACCOUNT_ROLES
VIEWER, PLANNER, ADMIN = ROLES
READ = "read"
# Actions only an admin may take: they reach beyond one county or change who may do what.
ADMIN_ACTIONS = ("import", "restore", "backup", "user.add", "user.remove", "user.set-role", "user.set-password")
MIN_PASSWORD = 8
MAX_USERNAME = 64
DEMO_ADMIN = "admin"

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

    def public(self) -> dict[str, str]:
        """The account without its hash, for listings."""
        return {
            "username": self.username,
            "role": self.role,
            "counties": ";".join(self.counties),
            "created": self.created,
        }


def _account(row: Row) -> Account:
    return Account(
        username=row["username"],
        role=row["role"],
        counties=tuple(row["counties"] or ()),
        created=row["created"] or "",
        password_hash=row["password_hash"] or "",
    )


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


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise QueryError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


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
    account = Account(
        username=username,
        role=role,
        counties=tuple(_counties(role, counties)),
        created=audit.now().isoformat(timespec="seconds"),
        password_hash=_hasher.hash(password),
    )
    params = {
        "username": username,
        "password_hash": account.password_hash,
        "role": role,
        "counties": list(account.counties),
        "created": account.created,
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
        params = {"username": username, "password_hash": new_hash, "role": new_role, "counties": new_counties}
        tx.run("accounts/update", params)
        new = Account(username, new_role, tuple(new_counties), old.created, new_hash)
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


def authenticate(store: GraphStore, username: str, password: str) -> Account | None:
    """The account if the password is right, else None (the same answer for an unknown name)."""
    account = get(store, username) if username else None
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return account


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
    add(store, DEMO_ADMIN, password, ADMIN, actor="system")
    return DEMO_ADMIN, password


def created_on(account: Account) -> dt.datetime | None:
    return dt.datetime.fromisoformat(account.created) if account.created else None
