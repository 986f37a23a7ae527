"""Who is using the app: the sign-in form, the session's account, sign-out and the write checks.

When the store holds at least one account, every page needs a signed-in account; the account lives
in `st.session_state["account"]` and is read again from the store on every run. The session keeps
the account's `session_version` from when it signed in: when the account is gone, or its version
changed (a password reset, a change of role or counties), the session is signed out on its next
rerun. Signing out clears the whole session but the language, so that nothing the last user
prepared (an export, a filter) is left for the next one in the same tab. A store without any account
(a fresh one) is open for reading only, until an admin is created (`pairing user add NAME --role admin`).

Sign-in goes through `accounts.sign_in`: throttled per name and per client (the browser's address
when Streamlit knows it, else the session), at most two hashes at once, locked after repeated failures.

With an `[auth]` section in `.streamlit/secrets.toml`, the form also offers the department's
identity provider (`st.login`); the provider's e-mail address must be the username of an account.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from graph import accounts
from graph.accounts import Account
from graph.errors import PermissionDenied
from graph.ui import state
from graph.ui.i18n import display, t
from graph.ui.text import md

ACCOUNT = "account"
# What survives a sign-out: the interface's language only.
KEPT_ON_SIGN_OUT = ("lang",)
_CLIENT = "_auth_client"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_email() -> str | None:
    if not _oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:  # pragma: no cover - depends on the provider's answer
        return None
    return str(email) if email else None


def open_store() -> bool:
    """True when the store has no account at all: the app is open, for reading only."""
    return not accounts.list_accounts(state.store())


def clear_session() -> None:
    """Forget everything of this session but the language (the account, prepared downloads, filters)."""
    for key in list(st.session_state.keys()):
        if key not in KEPT_ON_SIGN_OUT:
            del st.session_state[key]


def current() -> Account | None:
    """The signed-in account as the store holds it now (None when nobody is signed in).

    Signs the session out when the account was removed, re-created, or changed its password, role or
    counties since this session signed in (its `session_version` or creation time differ).
    """
    held = st.session_state.get(ACCOUNT)
    if not isinstance(held, Account):
        return None
    fresh = accounts.get(state.store(), held.username)
    if fresh is None or fresh.session_version != held.session_version or fresh.created != held.created:
        clear_session()
        return None
    if fresh != held:
        st.session_state[ACCOUNT] = fresh
    return fresh


def client_key() -> str:
    """Who is signing in, for the throttle: the browser's address when Streamlit has one, else this session.

    Streamlit gives no address for a loopback connection (a browser on the server, or a reverse proxy on
    it); then each session is its own client and the per-name back-off is what slows a guesser.
    """
    try:
        ip = st.context.ip_address
    except Exception:  # no client context (a bare script run)
        ip = None
    if ip:
        return f"ip:{ip}"
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.session_id:
        return f"session:{ctx.session_id}"
    return "session:" + str(st.session_state.setdefault(_CLIENT, secrets.token_hex(8)))


def is_admin() -> bool:
    account = current()
    return account is not None and account.role == accounts.ADMIN


def may_write_somewhere() -> bool:
    """Whether the account may change anything at all (a planner or an admin)."""
    account = current()
    return account is not None and account.role in (accounts.PLANNER, accounts.ADMIN)


def _sign_in_form() -> None:
    st.title(t("app.title"))
    st.subheader(t("auth.title"))
    with st.form("login"):
        username = st.text_input(t("auth.username"), key="login_user")
        password = st.text_input(t("auth.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("auth.submit"), key="login_submit", type="primary")
    if submitted:
        attempt = accounts.sign_in(state.store(), username.strip(), password, client_key())
        if attempt.outcome == "ok" and attempt.account is not None:
            st.session_state[ACCOUNT] = attempt.account
            st.rerun()
        elif attempt.outcome == "wait":
            st.error(t("auth.wait", seconds=math.ceil(attempt.wait)))
        elif attempt.outcome == "locked":
            st.error(t("auth.locked"))
        elif attempt.outcome == "busy":
            st.error(t("auth.busy"))
        else:
            st.error(t("auth.wrong"))
    if _oidc_configured():
        st.divider()
        st.button(t("auth.oidc"), key="login_oidc", on_click=st.login)


def gate() -> bool:
    """Whether the page may be shown; when not, the sign-in form is shown instead."""
    if current() is not None:
        return True
    email = _oidc_email()
    if email is not None:
        account = accounts.get(state.store(), email)
        if account is not None:
            st.session_state[ACCOUNT] = account
            return True
        st.error(t("auth.oidc_unknown", email=md(email)))
        st.button(t("auth.sign_out"), key="oidc_logout", on_click=st.logout)
        return False
    if open_store():
        st.info(t("auth.open"))
        return True
    _sign_in_form()
    return False


def _sign_out() -> None:
    oidc = _oidc_email() is not None
    clear_session()
    if oidc:
        st.logout()


def sidebar() -> None:
    """Who is signed in and the sign-out button (call inside `with st.sidebar`)."""
    account = current()
    if account is None:
        return
    role = display(account.role, "account_role")
    where = f" · {', '.join(account.counties)}" if account.role == accounts.PLANNER else ""
    st.caption(t("auth.signed_in", user=md(account.username), role=role) + md(where))
    st.button(t("auth.sign_out"), key="logout", on_click=_sign_out)


def denial(action: str, county: str | None = None, escape: Callable[[object], str] = md) -> str | None:
    """Why the signed-in account may not take `action` (on a village of `county`), in the UI's language.

    None when it may. The username and counties pass through `escape`: Markdown-escaped for the
    alerts that show the reason, `str` for an exception's message (escaped where it is shown).
    """
    account = current()
    try:
        accounts.authorise(account, action, county)
    except PermissionDenied:
        pass
    else:
        return None
    if account is None:
        return t("auth.denied_open") if open_store() else t("auth.denied_signin")
    if account.role == accounts.VIEWER:
        return t("auth.denied_viewer", user=escape(account.username))
    if action in accounts.ADMIN_ACTIONS:
        return t("auth.denied_admin", user=escape(account.username), role=display(account.role, "account_role"))
    return t(
        "auth.denied_county",
        user=escape(account.username),
        counties=escape("、".join(account.counties) or "—"),
        county=escape(county or "—"),
    )


def require_write(county: str | None, action: str = "write") -> bool:
    """True if the signed-in account may write in `county`; otherwise show why and return False."""
    reason = denial(action, county)
    if reason is not None:
        st.error(reason)
        return False
    return True


def writer() -> Account:
    """The signed-in account, for `graph.writes`' `account=`; PermissionDenied when nobody may write.

    The write functions check the account's role and the village's county in their own transaction.
    """
    account = current()
    if account is None or account.role == accounts.VIEWER:
        raise PermissionDenied(denial("write", escape=str) or t("auth.denied_signin"))
    return account


def actor_for_proposals(run: Any, accepted: Sequence[Any]) -> str:
    """The signed-in username for `proposals.apply(actor=…)`, once the account may pair every accepted village.

    `run` is a `graph.proposals.MatchRun` (its `villages` frame gives each village's county);
    raises PermissionDenied, with the reason in the UI's language, if any village is out of bounds.
    """
    account = writer()
    counties = dict(zip(run.villages["id"], run.villages["county"], strict=True))
    for proposal in accepted:
        county = counties.get(proposal.village_id)
        reason = denial("pairing.create", str(county) if county else None, escape=str)
        if reason is not None:
            raise PermissionDenied(reason)
    return account.username
