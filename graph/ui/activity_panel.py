"""A pairing's practical projects and activities: the list, its derived figures and, for a writer, a form to add one.

The Links page calls `render` for the chosen pairing. Every write goes through `graph.activities` (one
transaction, authorised on the village's county and audited there); a refusal is shown in the interface's
language (`graph.reasons_zh`).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graph import accounts, activities
from graph.errors import PairingError
from graph.model import ACTIVITY_KIND, ACTIVITY_STATUS
from graph.reasons_zh import reason_text
from graph.ui import auth, state
from graph.ui.i18n import current_lang, display, t
from graph.ui.text import md

FLASH = "activity_flash"


def render(unit_id: str, village_id: str, since: dt.date) -> None:
    """Show the activities of the pairing of `unit_id` with `village_id` that started `since`."""
    store = state.store()
    st.subheader(t("activity.title"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    figures = activities.effective(store, unit_id, village_id, since, state.asof())
    if figures is not None:
        st.caption(
            t(
                "activity.figures",
                projects=figures.projects if figures.projects is not None else "—",
                last=figures.last_activity or "—",
                source=t("activity.from_records" if figures.from_records else "activity.from_columns"),
            )
        )
    rows = activities.of_pairing(store, unit_id, village_id, since)
    if rows:
        # A dataframe shows its cells as text: user text is never read as Markdown there.
        st.dataframe(
            [
                {
                    t("activity.date"): a.date,
                    t("activity.kind"): display(a.kind, "activity_kind") if a.kind else "",
                    t("activity.name"): a.title,
                    t("activity.funds"): a.funds,
                    t("activity.beneficiaries"): a.beneficiaries,
                    t("activity.status"): display(a.status, "activity_status") if a.status else "",
                    t("activity.note"): a.note or "",
                }
                for a in rows
            ],
            hide_index=True,
            width="stretch",
            key="activity_table",
        )
    else:
        st.caption(t("activity.none"))
    if _may_write(village_id):
        _progress(unit_id, village_id, [a for a in rows if not a.completed])
        _form(unit_id, village_id)


def _progress(unit_id: str, village_id: str, open_ones: list[activities.Activity]) -> None:
    """Move a planned or ongoing activity on (实施中, 已完成): how a project is tracked to completion."""
    if not open_ones:
        return
    cols = st.columns([3, 1, 1])
    picked = cols[0].selectbox(
        t("activity.open"),
        range(len(open_ones)),
        format_func=lambda i: f"{open_ones[i].date} · {open_ones[i].title}",
        key="activity_open",
    )
    status = cols[1].selectbox(
        t("activity.new_status"),
        ACTIVITY_STATUS.codes,
        index=ACTIVITY_STATUS.codes.index("done"),
        format_func=lambda c: display(c, "activity_status"),
        key="activity_new_status",
    )
    if cols[2].button(t("activity.update"), key="activity_update") and picked is not None:
        chosen = open_ones[picked]
        try:
            activities.update(
                state.store(), unit_id, village_id, chosen.date, chosen.title, status=status, account=auth.writer()
            )
        except PairingError as exc:
            st.error(t("activity.failed", error=md(reason_text(str(exc), current_lang()))))
            return
        st.session_state[FLASH] = t(
            "activity.updated", title=md(chosen.title), status=display(status, "activity_status")
        )
        st.rerun()


def _may_write(village_id: str) -> bool:
    # Only what the account may do is offered; the write checks again in its transaction.
    account = auth.current()
    if account is None or account.role not in (accounts.PLANNER, accounts.ADMIN):
        return False
    return accounts.can_write(account, activities.village_county(state.store(), village_id))


def _form(unit_id: str, village_id: str) -> None:
    with st.form("activity_form", clear_on_submit=False):
        st.markdown(f"**{t('activity.add_title')}**")
        cols = st.columns(3)
        date = cols[0].date_input(t("activity.date"), value=state.asof(), key="activity_date")
        kind = cols[1].selectbox(
            t("activity.kind"),
            ["", *ACTIVITY_KIND.codes],
            format_func=lambda c: display(c, "activity_kind") if c else t("activity.kind_none"),
            key="activity_kind",
        )
        status = cols[2].selectbox(
            t("activity.status"),
            ACTIVITY_STATUS.codes,
            index=ACTIVITY_STATUS.codes.index("done"),
            format_func=lambda c: display(c, "activity_status"),
            key="activity_status",
        )
        title = st.text_input(t("activity.name"), key="activity_title")
        left, right = st.columns(2)
        funds = left.number_input(t("activity.funds"), min_value=0.0, value=None, step=1.0, key="activity_funds")
        beneficiaries = right.number_input(
            t("activity.beneficiaries"), min_value=0, value=None, step=1, key="activity_beneficiaries"
        )
        note = st.text_area(t("activity.note"), key="activity_note")
        submitted = st.form_submit_button(t("activity.submit"), key="activity_submit", type="primary")
    if not submitted:
        return
    try:
        done = activities.add(
            state.store(),
            unit_id,
            village_id,
            date,
            title,
            kind=kind or None,
            funds=funds,
            beneficiaries=int(beneficiaries) if beneficiaries is not None else None,
            status=status,
            note=note or None,
            account=auth.writer(),
        )
    except PairingError as exc:
        st.error(t("activity.failed", error=md(reason_text(str(exc), current_lang()))))
        return
    st.session_state[FLASH] = t("activity.added", title=md(done.title))
    st.rerun()
