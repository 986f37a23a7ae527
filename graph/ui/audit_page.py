"""Audit page: who changed what and when, newest first, filtered by date, actor and action; CSV download."""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph import audit, formats
from graph.ui import state
from graph.ui.i18n import t

COLUMNS = ("at", "actor", "action", "target", "before", "after")
ALL = ""


def audit_rows(since: Any = None, actor: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
    """The entries as flat rows (`audit.as_row`), newest first."""
    entries = audit.entries(state.store(), since=since, actor=actor or None, action=action or None)
    return [audit.as_row(e) for e in reversed(entries)]


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    """The rows as CSV with the stored column names, with a BOM so that Excel reads the Chinese right.

    Through the package's one CSV writer: an actor or a target such as `=HYPERLINK(…)` arrives as text.
    """
    text = formats.csv_text(COLUMNS, ([str(r[c]) for c in COLUMNS] for r in rows), line_end="\r\n")
    return text.encode("utf-8-sig")


def render() -> None:
    st.title(t("audit.title"))
    cols = st.columns(3)
    since = cols[0].date_input(t("audit.since"), value=None, key="audit_since")
    actor = cols[1].text_input(t("audit.actor"), key="audit_actor")
    action = cols[2].selectbox(
        t("audit.action"),
        [ALL, *audit.ACTIONS],
        format_func=lambda a: a or t("filter.all"),
        key="audit_action",
    )
    rows = audit_rows(since, actor.strip(), action)
    st.caption(t("audit.count", n=len(rows)))
    if not rows:
        st.info(t("audit.none"))
        return
    st.dataframe(
        [{t(f"audit.col.{c}"): r[c] for c in COLUMNS} for r in rows],
        hide_index=True,
        width="stretch",
    )
    st.download_button(t("gaps.download_csv"), csv_bytes(rows), "audit.csv", "text/csv", key="audit_csv")


if __name__ == "__main__":
    render()
