"""三张清单 page: the claim and completion rates, the needs per county and township, and 双向认领 on a need.

A planner records a claim (a unit found by name), the village's choice among several claims, a project's
progress, and posts a need. Every write goes through `graph.claims` (one transaction each, authorised and
audited there); write controls are shown only where the account may write the need's village's county.
Filters start on a planner's first county.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from graph import accounts, claims, explore, gap_lists, lists, reports
from graph.errors import PairingError, PermissionDenied
from graph.lists import NeedRow
from graph.model import ITEM_KIND, UNIT_LABELS
from graph.reasons_zh import reason_text
from graph.ui import auth, state
from graph.ui.i18n import current_lang, display, t
from graph.ui.text import md

FLASH = "lists_flash"
RATES = gap_lists.get("claim_rates")
# The needs table starts on the needs that wait for a unit.
STATES = (None, *lists.NEED_STATES)


def table(rows: Sequence[Any], columns: Sequence[reports.Column], lang: str) -> pd.DataFrame:
    """Rows as the reports show them (their headers and cell values, "—" for no rate)."""
    data = [[reports.display(r.get(c.key), c, lang) for c in columns] for r in reports.as_dicts(rows)]
    frame = pd.DataFrame(data, columns=[c.header(lang) for c in columns])
    for c in columns:
        if c.percent:
            header = c.header(lang)
            frame[header] = [f"{v:.1%}" if isinstance(v, float) else v for v in frame[header]]
    return frame


def _start_on_own_county() -> None:
    """A planner's filters start on their first county (once: then the planner's choice stands)."""
    account = auth.current()
    if account is None or account.role != accounts.PLANNER or "lists_county" in st.session_state:
        return
    known = {p.county for p in explore.places(state.store())}
    first = next((c for c in account.counties if c in known), None)
    if first is not None:
        st.session_state["lists_county"] = first


def _error_text(exc: PairingError, action: str, county: str | None) -> str:
    if isinstance(exc, PermissionDenied):
        return auth.denial(action, county) or md(exc)
    return md(reason_text(str(exc), current_lang()))


def _do(action: Callable[[], Any], name: str, county: str | None, done: Callable[[Any], str]) -> None:
    """Run one write; on success remember the message for the next run and rerun, on failure show why."""
    try:
        result = action()
    except PairingError as exc:
        st.error(t("lists.failed", error=_error_text(exc, name, county)))
        return
    st.session_state[FLASH] = done(result)
    st.rerun()


def _rates(county: str | None, lang: str) -> None:
    st.subheader(t("lists.rates"))
    by_county = lists.rates(state.store(), "county", county)
    total = (sum(r.needs for r in by_county), sum(r.claimed for r in by_county), sum(r.done for r in by_county))
    claim_rate, completion_rate = lists.rate(total[1], total[0]), lists.rate(total[2], total[1])
    cols = st.columns(2)
    cols[0].metric(t("lists.claim_rate"), f"{claim_rate:.1%}" if claim_rate is not None else reports.NO_RATE)
    cols[1].metric(
        t("lists.completion_rate"), f"{completion_rate:.1%}" if completion_rate is not None else reports.NO_RATE
    )
    left, right = st.columns(2)
    county_columns = RATES.shown_columns({"by": "county"})
    left.caption(t("lists.rates_county"))
    left.dataframe(table(by_county, county_columns, lang), hide_index=True, width="stretch", key="lists_rates_county")
    right.caption(t("lists.rates_township"))
    by_township = lists.rates(state.store(), "township", county)
    right.dataframe(
        table(by_township, RATES.columns, lang), hide_index=True, width="stretch", key="lists_rates_township"
    )


def _need_label(n: NeedRow) -> str:
    # Selectbox options are plain text: user text needs no escaping there.
    return f"{n.need} · {n.village or '—'} · {n.county or ''} {n.township or ''} · {n.need_id}"


def _claims_caption(n: NeedRow, lang: str) -> None:
    if not n.units:
        st.caption(t("lists.no_claims"))
        return
    said = "；".join(
        f"{md(name)}（{md(uid)}）：{display(status, 'project_status', lang=lang)}"
        for uid, name, status in zip(n.units, n.unit_names, n.claim_statuses, strict=True)
    )
    st.caption(t("lists.claims_of", claims=said))


def _unit_picker(key: str) -> str | None:
    """A unit found by name or id, shown with its county and township."""
    text = st.text_input(t("lists.unit_search"), key=f"{key}_search")
    if not text.strip():
        return None
    hits = [h for h in explore.search(state.store(), text) if h.label in UNIT_LABELS]
    if not hits:
        st.caption(t("lists.no_unit"))
        return None
    by_id = {h.id: h for h in hits}
    chosen = st.selectbox(
        t("lists.unit"),
        list(by_id),
        format_func=lambda i: (
            f"{by_id[i].name} · {display(by_id[i].label, 'label')} · {by_id[i].county} {by_id[i].township} · {i}"
        ),
        key=key,
    )
    return str(chosen) if chosen else None


def _claim_controls(n: NeedRow) -> None:
    st.markdown(f"**{t('lists.claim_title')}**")
    unit = _unit_picker("lists_unit")
    cols = st.columns(2)
    claimed = cols[0].date_input(t("lists.claimed_on"), value=state.asof(), key="lists_claimed")
    due = cols[1].date_input(t("lists.due"), value=None, key="lists_due")
    if unit is not None and st.button(t("lists.claim"), key="lists_claim"):
        _do(
            lambda: claims.claim(state.store(), unit, n.need_id, claimed=claimed, due=due, account=auth.writer()),
            "claim",
            n.county,
            lambda _r: t("lists.claimed"),
        )


def _live(n: NeedRow) -> list[tuple[str, str, str]]:
    return [
        (uid, name, status)
        for uid, name, status in zip(n.units, n.unit_names, n.claim_statuses, strict=True)
        if lists.is_live(status)
    ]


def _choose_controls(n: NeedRow) -> None:
    live = _live(n)
    if len(live) < 2:
        return
    st.markdown(f"**{t('lists.choose_title')}**")
    names = {uid: f"{name} · {uid}" for uid, name, _s in live}
    unit = st.selectbox(t("lists.choose_unit"), list(names), format_func=names.__getitem__, key="lists_choose_unit")
    if unit is not None and st.button(t("lists.choose"), key="lists_choose"):
        _do(
            lambda: claims.choose(state.store(), n.need_id, str(unit), on=state.asof(), account=auth.writer()),
            "claim.choose",
            n.county,
            lambda paired: t("lists.chosen_paired" if paired else "lists.chosen"),
        )


def _project_controls(n: NeedRow, lang: str) -> None:
    open_claims = [(uid, name) for uid, name, status in _live(n) if status != lists.DONE]
    if not open_claims:
        return
    st.markdown(f"**{t('lists.project_title')}**")
    names = {uid: f"{name} · {uid}" for uid, name in open_claims}
    cols = st.columns(3)
    unit = cols[0].selectbox(
        t("lists.project_unit"), list(names), format_func=names.__getitem__, key="lists_project_unit"
    )
    status = cols[1].selectbox(
        t("lists.project_status"),
        [lists.ONGOING, lists.DONE],
        format_func=lambda s: display(s, "project_status", lang=lang),
        key="lists_project_status",
    )
    done = cols[2].date_input(t("lists.done_on"), value=state.asof(), key="lists_done_date")
    if unit is not None and st.button(t("lists.project_set"), key="lists_project_set"):
        _do(
            lambda: claims.set_project(
                state.store(),
                str(unit),
                n.need_id,
                status=status,
                done=done if status == lists.DONE else None,
                account=auth.writer(),
            ),
            "project.set",
            n.county,
            lambda _r: t("lists.project_saved"),
        )


def _withdraw_controls(n: NeedRow) -> None:
    """Withdraw the need, after a confirmation that names it (its live claims are declined with it)."""
    if n.status not in (lists.OPEN, lists.CLAIMED):
        return
    st.markdown(f"**{t('lists.withdraw_title')}**")
    sure = st.checkbox(t("lists.withdraw_confirm", need=md(n.need), id=md(n.need_id)), key="lists_withdraw_confirm")
    if st.button(t("lists.withdraw"), key="lists_withdraw", disabled=not sure):
        _do(
            lambda: claims.withdraw_need(state.store(), n.need_id, account=auth.writer()),
            "need.withdraw",
            n.county,
            lambda _r: t("lists.withdrawn", id=md(n.need_id)),
        )


def _needs(county: str | None, township: str | None, lang: str) -> None:
    st.subheader(t("lists.needs"))
    status = st.selectbox(
        t("lists.status"),
        STATES,
        index=STATES.index(lists.OPEN),
        format_func=lambda s: t("filter.all") if s is None else display(s, "need_status", lang=lang),
        key="lists_status",
    )
    rows = lists.needs(state.store(), county=county, township=township, status=status)
    st.caption(t("lists.rows", n=len(rows)))
    st.dataframe(table(rows, lists.NEED_COLUMNS, lang), hide_index=True, width="stretch", key="lists_needs_table")
    if not rows:
        st.info(t("lists.no_needs"))
        return
    by_id = {n.need_id: n for n in rows}
    picked = st.selectbox(t("lists.pick"), list(by_id), format_func=lambda i: _need_label(by_id[i]), key="lists_need")
    need = by_id[str(picked or rows[0].need_id)]
    _claims_caption(need, lang)
    reason = auth.denial("claim", need.county)
    if reason is not None:
        st.info(reason)
        return
    if need.status in (lists.OPEN, lists.CLAIMED):
        _claim_controls(need)
    _choose_controls(need)
    _project_controls(need, lang)
    _withdraw_controls(need)


def _post(lang: str) -> None:
    if not auth.may_write_somewhere():
        return
    st.subheader(t("lists.post_title"))
    text = st.text_input(t("lists.post_search"), key="lists_post_search")
    if not text.strip():
        return
    hits = [h for h in explore.search(state.store(), text) if h.label == "Village"]
    if not hits:
        st.caption(t("lists.no_village"))
        return
    by_id = {h.id: h for h in hits}
    village = str(
        st.selectbox(
            t("lists.post_village"),
            list(by_id),
            format_func=lambda i: f"{by_id[i].name} · {by_id[i].county} {by_id[i].township} · {i}",
            key="lists_post_village",
        )
    )
    county = by_id[village].county or None
    reason = auth.denial("need.add", county)
    if reason is not None:
        st.info(reason)
        return
    item = st.text_input(t("lists.post_item"), key="lists_post_item")
    cols = st.columns(2)
    kind = cols[0].selectbox(
        t("lists.post_kind"),
        [None, *ITEM_KIND.codes],
        format_func=lambda k: t("lists.unset") if k is None else display(k, "item_kind", lang=lang),
        key="lists_post_kind",
    )
    posted = cols[1].date_input(t("lists.post_date"), value=state.asof(), key="lists_post_date")
    if st.button(t("lists.post"), key="lists_post"):
        _do(
            lambda: claims.post_need(state.store(), village, item, kind=kind, posted=posted, account=auth.writer()),
            "need.add",
            county,
            lambda made: t("lists.posted", id=md(made)),
        )


def _other_lists(county: str | None, township: str | None, lang: str) -> None:
    """The resources list (of the county's units) and the projects list (of its villages), folded away."""
    with st.expander(lists.title("resources", lang)):
        rows = lists.resources(state.store(), county=county)
        st.dataframe(table(rows, lists.RESOURCE_COLUMNS, lang), hide_index=True, width="stretch")
    with st.expander(lists.title("projects", lang)):
        projects = lists.projects(state.store(), county=county, township=township)
        st.dataframe(table(projects, lists.PROJECT_COLUMNS, lang), hide_index=True, width="stretch")


def render() -> None:
    st.title(t("lists.title"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    lang = current_lang()
    _start_on_own_county()
    county, township = state.place_filters("lists")
    _rates(county, lang)
    _needs(county, township, lang)
    _post(lang)
    _other_lists(county, township, lang)


if __name__ == "__main__":
    render()
