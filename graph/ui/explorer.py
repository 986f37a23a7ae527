"""Network explorer page: a node's neighbourhood or a county/township scope, drawn with pyvis."""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph import explore, viz
from graph.explore import Node, Subgraph
from graph.model import NODE_BY_LABEL, NodeSpec
from graph.ui import state
from graph.ui.i18n import current_lang, display, kind_names, t
from graph.ui.text import md

FOCUS = "explorer_focus"
# Neighbour buttons beyond this many would bury the panel; the table still lists every link.
MAX_BUTTONS = 40


def _set_focus(node_id: str | None) -> None:
    st.session_state[FOCUS] = node_id


def _focus_neighbour(node_id: str, name: str) -> None:
    # A neighbour may lie outside the current scope: show its own neighbourhood, found by its name,
    # so that the search box and the picker agree with the drawing.
    st.session_state[FOCUS] = node_id
    st.session_state["explorer_mode"] = "search"
    st.session_state["explorer_text"] = name
    st.session_state["explorer_pick"] = node_id


def _on_pick() -> None:
    _set_focus(st.session_state.get("explorer_pick"))


def _on_text() -> None:
    _set_focus(None)


def _label(node: Node | explore.Hit, names: dict[str, str]) -> str:
    kind = node.node.kind if isinstance(node, explore.Hit) else node.kind
    extra = f" · {node.township}" if isinstance(node, explore.Hit) and node.township else ""
    return f"{node.name} · {names.get(kind, kind)}{extra}"


def _search_view(names: dict[str, str], depth: int, cap: int) -> Subgraph | None:
    text = st.text_input(t("explorer.search"), key="explorer_text", on_change=_on_text)
    if not text.strip():
        st.info(t("explorer.hint"))
        focus = st.session_state.get(FOCUS)
        return explore.neighbourhood(state.store(), focus, depth, cap) if focus else None
    hits = explore.search(state.store(), text)
    if not hits:
        st.warning(t("explorer.no_results", text=md(text)))
        return None
    st.caption(t("explorer.results", n=len(hits)))
    by_id = {h.id: h for h in hits}
    st.selectbox(
        t("explorer.pick"),
        list(by_id),
        format_func=lambda i: _label(by_id[i], names),
        key="explorer_pick",
        on_change=_on_pick,
    )
    focus = st.session_state.get(FOCUS) or st.session_state.get("explorer_pick") or hits[0].id
    st.session_state[FOCUS] = focus
    return explore.neighbourhood(state.store(), focus, depth, cap)


def _scope_view(cap: int) -> Subgraph | None:
    county, township = state.place_filters("explorer")
    if county is None:
        # Every county at once is the province case: still drawn up to the cap, with the message.
        return explore.scope(state.store(), "", "", cap)
    return explore.scope(state.store(), county, township or "", cap)


def _details(graph: Subgraph, focus: str, names: dict[str, str]) -> None:
    node = graph.nodes.get(focus)
    if node is None:
        return
    st.subheader(f"{t('explorer.details')}: {md(node.name)}")
    props = explore.details(state.store(), node)
    spec = NODE_BY_LABEL[node.label]
    rows = [
        {t("col.property"): _prop_name(spec, k), t("col.value"): _cell(spec, k, v)}
        for k, v in props.items()
        if v not in (None, [], "")
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    links = graph.links_of(focus)
    st.markdown(f"**{t('explorer.links')}** ({len(links)})")
    if not links:
        st.caption(t("explorer.no_links"))
        return
    asof = state.asof()
    table = []
    for link in links:
        other = graph.nodes[link.dst if link.src == focus else link.src]
        table.append(
            {
                t("col.relation"): names.get(link.rel, link.rel),
                t("col.partner"): other.name,
                t("col.kind"): names.get(other.kind, other.kind),
                t("col.since"): link.since,
                t("col.until"): link.until,
                t("col.active"): link.active_on(asof),
            }
        )
    st.dataframe(table, hide_index=True, width="stretch")
    seen: set[str] = set()
    for link in links:
        other_id = link.dst if link.src == focus else link.src
        if other_id in seen or len(seen) >= MAX_BUTTONS:
            continue
        seen.add(other_id)
        other = graph.nodes[other_id]
        st.button(
            # Button labels are Markdown; the selectboxes above show `_label` as plain text.
            f"{t('explorer.focus')}: {md(_label(other, names))}",
            key=f"focus_{other_id}",
            on_click=_focus_neighbour,
            args=(other_id, other.name),
        )


def _prop_name(spec: NodeSpec, name: str) -> str:
    # Property names in the interface language: the model keeps each one's Chinese header.
    prop = next((p for p in spec.props if p.name == name), None)
    return prop.zh if prop is not None and prop.zh and current_lang() == "zh" else name


def _cell(spec: NodeSpec, name: str, value: Any) -> str:
    """A property's value as a planner reads it: coded values (tier, weak reasons…) in words, as reports show them."""
    values = value if isinstance(value, list) else [value]
    prop = next((p for p in spec.props if p.name == name), None)
    if prop is not None and prop.vocab is not None:
        values = [display(v, prop.vocab.kind) for v in values]
    return "、".join(map(str, values)) if isinstance(value, list) else str(values[0])


def render() -> None:
    st.title(t("explorer.title"))
    names = kind_names()
    controls = st.columns([2, 1, 1, 1])
    mode = controls[0].radio(
        t("explorer.mode"),
        ["search", "scope"],
        format_func=lambda m: t(f"explorer.mode.{m}"),
        key="explorer_mode",
        horizontal=True,
    )
    depth = int(controls[1].slider(t("explorer.depth"), 1, explore.MAX_DEPTH, 1, key="explorer_depth"))
    cap = int(controls[2].number_input(t("explorer.cap"), 10, 20_000, explore.DEFAULT_CAP, 100, key="explorer_cap"))
    physics = controls[3].checkbox(t("explorer.physics"), value=True, key="explorer_physics")

    graph = _search_view(names, depth, cap) if mode == "search" else _scope_view(cap)
    if graph is None or not graph.nodes:
        return
    focus = st.session_state.get(FOCUS) if mode == "search" else None
    if mode == "scope":
        options = ["", *graph.nodes]
        focus = st.selectbox(
            t("explorer.details"),
            options,
            format_func=lambda i: _label(graph.nodes[i], names) if i else "—",
            key="explorer_scope_pick",
        )
    st.markdown(t("explorer.shown", nodes=len(graph.nodes), links=len(graph.links)))
    if graph.truncated:
        st.warning(t("explorer.capped", total=graph.total, cap=graph.cap))
    draw, panel = st.columns([3, 2]) if focus else (st.container(), None)
    with draw:
        page = viz.html_page(graph, state.asof(), focus, physics, names, t("explorer.legend"))
        # Never the page itself: st.iframe's frame is same-origin with the app (see viz.sandboxed).
        st.iframe(viz.sandboxed(page, t("explorer.title")), height=680)
    if panel is not None and focus:
        with panel:
            _details(graph, focus, names)


if __name__ == "__main__":
    render()
