"""Links page: find a village; create, edit, end or delete its pairings, leads, fusions and stationed cadres.

Every change goes through `graph.writes` (one transaction each, authorised and audited there). The write
controls show only to an account that may change the village's county (a planner's own counties, an
admin's all); ending and deleting ask first, naming the link. Refusals are shown in the UI's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from graph import activities, explore, writes
from graph.errors import PairingError
from graph.explore import Hit, Link
from graph.model import REL_BY_TYPE, SUPPORT_EDGE, SUPPORT_KIND_OF_EDGE, SUPPORT_KINDS, Prop, PType
from graph.reasons_zh import reason_text
from graph.ui import activity_panel, auth, state
from graph.ui.i18n import current_lang, display, kind_name, t
from graph.ui.text import md

# Support links into a village: edge type → the support kind `graph.writes` takes.
KINDS = SUPPORT_KIND_OF_EDGE
FLASH = "links_flash"
# The link being ended or deleted, waiting for its confirmation: (action, link identity, end day).
PENDING = "links_pending"
# The link the edit form was filled from: another pick refills it.
EDITING = "links_editing"
# Dates a link may carry: the date inputs' default bounds (ten years around today) would refuse older ones.
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


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


def hit_label(hit: Hit) -> str:
    place = " ".join(p for p in (hit.county, hit.township) if p)
    return " · ".join(p for p in (hit.name, kind_name(hit.label), place, hit.id) if p)


def _error(exc: PairingError) -> str:
    """A refusal in the UI's language: the write's English reason through the catalogue of `graph.reasons_zh`."""
    return t("links.failed", error=md(reason_text(str(exc), current_lang())))


def _do(action: Callable[[], Any], done: str) -> None:
    """Run one write; on success remember the message for the next run, on failure show why."""
    try:
        action()
    except PairingError as exc:
        st.error(_error(exc))
        return
    st.session_state[FLASH] = done
    # The edit form refills from the store: it must not hold a value the write just changed (an end's until).
    st.session_state.pop(EDITING, None)
    st.rerun()


def _village() -> Hit | None:
    county, _ = state.place_filters("links", township=False)
    text = st.text_input(t("links.search"), key="links_search")
    hits = [h for h in explore.search(state.store(), text) if h.label == "Village"] if text.strip() else []
    if county is not None:
        hits = [h for h in hits if h.county == county]
    if text.strip() and not hits:
        st.caption(t("links.no_village"))
    if not hits:
        return None
    by_id = {h.id: h for h in hits}
    chosen = st.selectbox(
        t("links.village"), list(by_id), format_func=lambda i: hit_label(by_id[i]), key="links_village"
    )
    return by_id.get(str(chosen)) if chosen else None


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


# ---------------------------------------------------------------- property widgets, from the model


def _field(prop: Prop) -> str:
    return t(f"links.field.{prop.name}")


def _widget(prop: Prop, key: str, current: Any, column: Any = st) -> Any:
    """An input for one link property, of its type, filled with `current`; returns the value entered (None: none)."""
    label = _field(prop)
    if prop.type is PType.DATE:
        return column.date_input(label, value=current, min_value=FIRST_DAY, max_value=LAST_DAY, key=key)
    if prop.choices:
        options = ["", *prop.choices]
        index = options.index(current) if current in options else 0
        value = column.selectbox(
            label,
            options,
            index,
            format_func=lambda c: display(c, prop.vocab.kind) if c and prop.vocab else "—",
            key=key,
        )
        return value or None
    if prop.type is PType.FLOAT:
        low = float(prop.minimum) if prop.minimum is not None else None
        return column.number_input(label, min_value=low, value=current, step=1.0, key=key)
    if prop.type is PType.INT:
        low_int = int(prop.minimum) if prop.minimum is not None else None
        value = column.number_input(label, min_value=low_int, value=current, step=1, key=key)
        return int(value) if value is not None else None
    text = column.text_input(label, value=current or "", key=key)
    return text if text.strip() else None


def _props(kind: str) -> list[Prop]:
    """What a form asks for a link of `kind`, since aside (a link's identity with its ends)."""
    return [p for p in REL_BY_TYPE[SUPPORT_EDGE[kind]].props if p.name != "since"]


# ---------------------------------------------------------------- one chosen link


def _identity(link: Link) -> tuple[str, str, str, str]:
    return (link.rel, link.src, link.dst, str(link.since))


def _describe(link: Link, names: dict[str, str], village: Hit) -> str:
    """The link in words for a confirmation: kind, partner, village and dates."""
    return t(
        "links.describe",
        kind=display(KINDS[link.rel], "support_kind"),
        partner=md(names.get(link.src, link.src)),
        partner_id=md(link.src),
        village=md(village.name),
        since=link.since or "?",
        until=link.until or "…",
    )


def _ask(action: str, link: Link, day: dt.date | None = None) -> None:
    st.session_state[PENDING] = (action, _identity(link), day)
    st.rerun()


def _pending(action: str, link: Link) -> tuple[bool, dt.date | None]:
    held = st.session_state.get(PENDING)
    if isinstance(held, tuple) and held[0] == action and held[1] == _identity(link):
        return True, held[2]
    return False, None


def _confirm(action: str, text: str) -> bool | None:
    """The confirmation of a pending action: True confirmed, False cancelled, None not answered yet."""
    st.warning(text)
    cols = st.columns(2)
    if cols[0].button(t(f"links.{action}_confirm"), key=f"links_{action}_confirm", type="primary"):
        st.session_state.pop(PENDING, None)
        return True
    if cols[1].button(t("links.cancel"), key=f"links_{action}_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()
    return None


def _end(link: Link, names: dict[str, str], village: Hit) -> None:
    kind = KINDS[link.rel]
    cols = st.columns([2, 1])
    until = cols[0].date_input(
        t("links.end_date"), value=state.asof(), min_value=FIRST_DAY, max_value=LAST_DAY, key="links_end_date"
    )
    if cols[1].button(t("links.end"), key="links_end"):
        _ask("end", link, until)
    asked, day = _pending("end", link)
    if not asked or day is None:
        return
    if _confirm("end", t("links.end_ask", link=_describe(link, names, village), until=day)):
        _do(
            lambda: writes.end_link(
                state.store(), kind, link.src, village.id, day, since=link.since, account=auth.writer()
            ),
            t("links.ended", until=day),
        )


def _delete(link: Link, names: dict[str, str], village: Hit) -> None:
    if not auth.is_admin() or link.since is None:
        return
    if st.button(t("links.delete"), key="links_delete"):
        _ask("delete", link)
    asked, _ = _pending("delete", link)
    if asked and _confirm("delete", t("links.delete_ask", link=_describe(link, names, village))):
        since = link.since
        _do(
            lambda: writes.delete_link(
                state.store(), KINDS[link.rel], link.src, village.id, since, account=auth.writer()
            ),
            t("links.deleted"),
        )


def _edit(link: Link, village: Hit) -> None:
    kind = KINDS[link.rel]
    found = writes.find_links(state.store(), kind, link.src, village.id, link.since)
    if not found or link.since is None:
        return
    current = found[0]
    props = _props(kind)
    figures = (
        activities.effective(state.store(), link.src, village.id, link.since, state.asof())
        if kind == "pairing"
        else None
    )
    if figures is not None and figures.from_records:
        # Its practical projects count them: the column would be edited for nothing (the panel below shows them).
        props = [p for p in props if p.name not in activities.RECORDED]
    keys = [f"links_{p.name}" for p in props]
    if st.session_state.get(EDITING) != _identity(link):
        # Another link: its own values, not what the last one's form held.
        for key in keys:
            st.session_state.pop(key, None)
        st.session_state[EDITING] = _identity(link)
    st.markdown(f"**{t('links.update_title')}**")
    now = "; ".join(f"{_field(p)} {md(_shown(p, current[p.name]))}" for p in props)
    st.caption(t("links.current", now=now))
    if len(props) < len(_props(kind)):
        st.caption(t("links.recorded"))
    cols = st.columns(len(props))
    values = {p.name: _widget(p, key, current[p.name], col) for p, key, col in zip(props, keys, cols, strict=True)}
    if st.button(t("links.update"), key="links_update"):
        since = link.since
        try:
            changed = writes.update_link(
                state.store(), kind, link.src, village.id, since, account=auth.writer(), **values
            )
        except PairingError as exc:
            st.error(_error(exc))
            return
        if not changed:
            st.warning(t("links.nothing"))
            return
        st.session_state[FLASH] = t("links.updated")
        st.session_state.pop(EDITING, None)
        st.rerun()


def _shown(prop: Prop, value: Any) -> str:
    if value is None:
        return "—"
    return display(value, prop.vocab.kind) if prop.vocab is not None else str(value)


def _activities(link: Link, village: Hit) -> None:
    """The practical projects of a chosen pairing (`graph.ui.activity_panel`)."""
    if link.rel == SUPPORT_EDGE["pairing"] and link.since is not None:
        activity_panel.render(link.src, village.id, link.since)


# ---------------------------------------------------------------- a new link


def _partner(kind: str) -> Hit | None:
    labels = REL_BY_TYPE[SUPPORT_EDGE[kind]].src_labels
    text = st.text_input(t("links.new_search"), key="links_new_search")
    hits = [h for h in explore.search(state.store(), text) if h.label in labels] if text.strip() else []
    if text.strip() and not hits:
        st.caption(t("links.no_partner", kinds="、".join(display(label, "label") for label in labels)))
    if not hits:
        return None
    by_id = {h.id: h for h in hits}
    chosen = st.selectbox(
        t("links.new_partner"), list(by_id), format_func=lambda i: hit_label(by_id[i]), key="links_new_partner"
    )
    return by_id.get(str(chosen)) if chosen else None


def _create(village: Hit) -> None:
    st.subheader(t("links.new_title"))
    kind = st.selectbox(
        t("links.new_kind"),
        list(SUPPORT_KINDS),
        format_func=lambda k: display(k, "support_kind"),
        key="links_new_kind",
    )
    kind = str(kind or SUPPORT_KINDS[0])
    partner = _partner(kind)
    props = _props(kind)
    cols = st.columns(len(props) + 1)
    since = cols[0].date_input(
        t("links.field.since"), value=state.asof(), min_value=FIRST_DAY, max_value=LAST_DAY, key="links_new_since"
    )
    values = {p.name: _widget(p, f"links_new_{p.name}", None, col) for p, col in zip(props, cols[1:], strict=True)}
    if st.button(t("links.create"), key="links_create", disabled=partner is None) and partner is not None:
        # A pairing is checked against its unit's capacity in the transaction that creates it.
        _do(
            lambda: writes.create_link(
                state.store(),
                kind,
                partner.id,
                village.id,
                since,
                account=auth.writer(),
                check_capacity=kind == "pairing",
                **values,
            ),
            t("links.created", partner=md(partner.name), village=md(village.name)),
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
    links, names = village_links(village.id)
    # The controls follow the account's rights on this village's county (a planner's own counties only).
    denied = auth.denial("pairing.create", village.county or None)
    link = None
    if links:
        _table(links, names, state.asof())
        labels = {i: link_label(link, names) for i, link in enumerate(links)}
        # The first link still in force is the likeliest one to end or edit.
        first = next((i for i, link in enumerate(links) if link.active_on(state.asof())), 0)
        pick = st.selectbox(t("links.pick"), list(labels), first, format_func=labels.__getitem__, key="links_pick")
        link = links[int(pick or 0)]
    else:
        st.info(t("links.none"))
    if denied is not None:
        st.info(denied)
    elif link is not None:
        _end(link, names, village)
        _edit(link, village)
        _delete(link, names, village)
    if link is not None:
        _activities(link, village)
    if denied is None:
        _create(village)


if __name__ == "__main__":
    render()
