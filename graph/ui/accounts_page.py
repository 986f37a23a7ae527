"""Accounts page (admins only): list the accounts (never a hash), add one, change a role or password,
unlock one locked after failed sign-ins, remove one.

Every change goes through `graph.accounts` with the signed-in admin as the actor, so it is audited.
An admin cannot remove or demote their own account here, so that the app always keeps one admin.
"""

from __future__ import annotations

import streamlit as st

from graph import accounts, explore
from graph.errors import PairingError
from graph.ui import auth, state
from graph.ui.i18n import display, t
from graph.ui.text import md

FLASH = "accounts_flash"


def _counties() -> list[str]:
    return sorted({p.county for p in explore.places(state.store()) if p.county})


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def _list() -> list[accounts.Account]:
    listed = accounts.list_accounts(state.store())
    st.dataframe(
        [{t(f"accounts.col.{k}"): v for k, v in a.public().items()} for a in listed],
        hide_index=True,
        width="stretch",
    )
    return listed


def _add(admin: str) -> None:
    st.subheader(t("accounts.add"))
    with st.form("accounts_add_form", clear_on_submit=True):
        cols = st.columns(2)
        username = cols[0].text_input(t("auth.username"), key="acct_user")
        password = cols[1].text_input(t("auth.password"), type="password", key="acct_password")
        role = cols[0].selectbox(
            t("accounts.role"), accounts.ROLES, format_func=lambda r: display(r, "account_role"), key="acct_role"
        )
        counties = cols[1].multiselect(t("accounts.counties"), _counties(), key="acct_counties")
        st.caption(t("accounts.password_rule"))
        submitted = st.form_submit_button(t("accounts.add_submit"), key="acct_add", type="primary")
    if submitted:
        try:
            accounts.add(state.store(), username.strip(), password, role, counties, actor=admin)
        except PairingError as exc:
            st.error(t("accounts.failed", error=md(exc)))
            return
        _done(t("accounts.added", user=username.strip()))


def _change(admin: str, listed: list[accounts.Account]) -> None:
    st.subheader(t("accounts.change"))
    others = [a.username for a in listed if a.username != admin]
    if not others:
        st.caption(t("accounts.no_others"))
        return
    name = st.selectbox(t("accounts.pick"), others, key="acct_pick")
    chosen = next(a for a in listed if a.username == name)
    if chosen.locked:
        left, right = st.columns([2, 1])
        left.warning(t("accounts.locked", user=name, at=chosen.locked_at))
        if right.button(t("accounts.unlock"), key="acct_unlock"):
            try:
                accounts.unlock(state.store(), name, actor=admin)
            except PairingError as exc:
                st.error(t("accounts.failed", error=exc))
                return
            _done(t("accounts.unlocked", user=name))
    cols = st.columns(2)
    role = cols[0].selectbox(
        t("accounts.role"),
        accounts.ROLES,
        index=accounts.ROLES.index(chosen.role) if chosen.role in accounts.ROLES else 0,
        format_func=lambda r: display(r, "account_role"),
        key="acct_new_role",
    )
    counties = cols[1].multiselect(
        t("accounts.counties"),
        sorted({*_counties(), *chosen.counties}),
        default=list(chosen.counties),
        key=f"acct_new_counties_{name}",
    )
    if st.button(t("accounts.set_role"), key="acct_set_role"):
        try:
            accounts.set_role(state.store(), name, role, counties, actor=admin)
        except PairingError as exc:
            st.error(t("accounts.failed", error=md(exc)))
            return
        _done(t("accounts.role_set", user=md(name), role=display(role, "account_role")))
    left, right = st.columns([2, 1])
    password = left.text_input(
        t("accounts.new_password"), type="password", key="acct_new_password", help=t("accounts.password_rule")
    )
    if right.button(t("accounts.set_password"), key="acct_set_password"):
        try:
            accounts.set_password(state.store(), name, password, actor=admin)
        except PairingError as exc:
            st.error(t("accounts.failed", error=md(exc)))
            return
        _done(t("accounts.password_set", user=md(name)))
    confirm = st.checkbox(t("accounts.remove_confirm", user=md(name)), key="acct_remove_confirm")
    if st.button(t("accounts.remove"), key="acct_remove", disabled=not confirm):
        try:
            accounts.remove(state.store(), name, actor=admin)
        except PairingError as exc:
            st.error(t("accounts.failed", error=md(exc)))
            return
        _done(t("accounts.removed", user=md(name)))


def render() -> None:
    st.title(t("accounts.title"))
    if not auth.require_write(None, "user.add"):
        return
    admin = auth.current()
    if admin is None:  # require_write refuses nobody-signed-in already; for the type checker
        return
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    listed = _list()
    _add(admin.username)
    st.divider()
    _change(admin.username, listed)


if __name__ == "__main__":
    render()
