"""Links page: find a village, see its pairings, leads, fusions and stationed cadres, end one or update a pairing.

Every change goes through `graph.writes` (one transaction each, audited there); its errors are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from graph import explore, writes
from graph.errors import PairingError
from graph.explore import Link
from graph.model import PAIRING_FORMS, SUPPORT_KIND_OF_EDGE
from graph.ui import auth, state
from graph.ui.i18n import display, kind_name, t
from graph.ui.text import md

# Support links into a village: edge type → the support kind `graph.writes` takes.
KINDS = SUPPORT_KIND_OF_EDGE
FLASH = "links_flash"
KEEP = ""  # the form selectbox's "leave as it is"


def village_links(village_id: str) -> tuple[list[Link], dict[str, str]]:
    """The support links into the village (ended ones too), oldest first, and the names of their partners."""
    graph = explore.neighbourhood(state.store(), village_id, 1)
    links = [link for link in graph.links if link.dst == village_id and link.rel in KINDS]
    links.sort(key=lambda link: (link.since or dt.date.min, link.rel, link.src))
    return links, {node_id: node.name for node_id, node in graph.nodes.items()}


def link_label(link: Link, names: dict[str, str]) -> str:
    until = link.until.isoformat() if link.until else "…"
    since = link.since.isoformat() if link.since else "?"
    return f"{display(KINDS[link.rel], 'support_kind')}: {names.get(link.src, link.src)} ({link.src}) {since} – {until}"


def _village() -> str | None:
    text = st.text_input(t("links.search"), key="links_search")
    hits = [h for h in explore.search(state.store(), text) if h.label == "Village"] if text.strip() else []
    if text.strip() and not hits:
        st.caption(t("links.no_village"))
    if not hits:
        return None
    by_id = {h.id: h for h in hits}
    chosen = st.selectbox(
        t("links.village"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].name} · {by_id[i].county} {by_id[i].township} · {i}",
        key="links_village",
    )
    return str(chosen) if chosen else None


def _table(links: list[Link], names: dict[str, str], asof: dt.date) -> None:
    st.dataframe(
        [
            {
                t("col.kind"): display(KINDS[link.rel], "support_kind"),
                t("col.partner"): names.get(link.src, link.src),
                t("links.partner_id"): link.src,
                t("col.relation"): kind_name(link.rel),
                t("col.since"): link.since,
                t("col.until"): link.until,
                t("col.active"): "✓" if link.active_on(asof) else "",
            }
            for link in links
        ],
        hide_index=True,
        width="stretch",
    )


def _do(action: Callable[[], Any], done: str) -> None:
    """Run one write; on success remember the message for the next run, on failure show why."""
    try:
        action()
    except PairingError as exc:
        st.error(t("links.failed", error=md(exc)))
        return
    st.session_state[FLASH] = done
    st.rerun()


def _end(link: Link, village: str) -> None:
    kind = KINDS[link.rel]
    cols = st.columns([2, 1])
    until = cols[0].date_input(t("links.end_date"), value=state.asof(), key="links_end_date")
    if cols[1].button(t("links.end"), key="links_end"):
        _do(
            lambda: writes.end_link(
                state.store(), kind, link.src, village, until, since=link.since, account=auth.writer()
            ),
            t("links.ended", until=until),
        )


def _update(link: Link, village: str, since: dt.date) -> None:
    st.markdown(f"**{t('links.update_title')}**")
    current = state.store().read("lookup/pairing", {"unit": link.src, "village": village, "since": since})
    if current:
        now = current[0]
        st.caption(
            t(
                "links.current",
                # Stored values: a form outside the vocabulary is shown as stored, so escaped.
                form=md(display(now["form"], "pairing_form")) if now.get("form") else "—",
                funds=now.get("funds") if now.get("funds") is not None else "—",
                projects=now.get("projects") if now.get("projects") is not None else "—",
                last=now.get("last_activity") or "—",
            )
        )
    cols = st.columns(4)
    forms = {KEEP: t("links.keep"), **{f: display(f, "pairing_form") for f in PAIRING_FORMS}}
    form = cols[0].selectbox(t("links.form"), list(forms), format_func=forms.__getitem__, key="links_form")
    funds = cols[1].number_input(t("links.funds"), min_value=0.0, value=None, step=1.0, key="links_funds")
    projects = cols[2].number_input(t("links.projects"), min_value=0, value=None, step=1, key="links_projects")
    last = cols[3].date_input(t("links.last_activity"), value=None, key="links_last_activity")
    if st.button(t("links.update"), key="links_update"):
        if not form and funds is None and projects is None and last is None:
            st.warning(t("links.nothing"))
            return
        _do(
            lambda: writes.update_pairing(
                state.store(),
                link.src,
                village,
                since,
                form=form or None,
                funds=funds,
                projects=int(projects) if projects is not None else None,
                last_activity=last,
                account=auth.writer(),
            ),
            t("links.updated"),
        )


def render() -> None:
    st.title(t("links.title"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    village = _village()
    if village is None:
        st.caption(t("links.hint"))
        return
    links, names = village_links(village)
    if not links:
        st.info(t("links.none"))
        return
    _table(links, names, state.asof())
    labels = {i: link_label(link, names) for i, link in enumerate(links)}
    # The first link still in force is the likeliest one to end or edit.
    first = next((i for i, link in enumerate(links) if link.active_on(state.asof())), 0)
    pick = st.selectbox(t("links.pick"), list(labels), first, format_func=labels.__getitem__, key="links_pick")
    link = links[int(pick or 0)]
    if not auth.may_write_somewhere():
        st.info(auth.denial("pairing.end") or "")
        return
    _end(link, village)
    if link.rel == "PAIRED_WITH" and link.since is not None:  # a pairing is keyed by its start date
        _update(link, village, link.since)


if __name__ == "__main__":
    render()
