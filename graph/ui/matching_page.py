"""Matching page: tune a profile, propose pairings for the weak villages nobody helps, accept them on confirmation.

The run is kept in session state between reruns; accepting writes every selected proposal in one
transaction (`graph.proposals.apply`), which refuses them all if the store changed since the run.
"""

from __future__ import annotations

import io
import math
import tomllib
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st

from graph import proposals, reports
from graph.errors import ConfigError, ConflictError, PairingError
from graph.matching import PARTS, Proposal
from graph.matching.profile import DEFAULT_PROFILE_PATH, Profile, profile_from_mapping
from graph.proposals import MatchRun
from graph.ui import auth, state
from graph.ui.i18n import current_lang, display, t
from graph.ui.text import md

RUN = "match_run_result"
PENDING = "match_pending"
FLASH = "match_flash"
SELECTED = "selected"  # the editor's checkbox column, ahead of the report's columns
LINK = (31, 119, 180, 200)
VILLAGE = (44, 160, 44, 230)
UNMATCHED = (214, 39, 40, 230)
UNIT = (255, 127, 14, 230)


def default_mapping() -> dict[str, Any]:
    """The default profile as its TOML mapping, the base the page's sliders and limits change."""
    with DEFAULT_PROFILE_PATH.open("rb") as f:
        return tomllib.load(f)


def settings_profile(weights: dict[str, float], max_km: float, same_county_only: bool, k: int) -> Profile:
    """A checked profile: the default's rules with the page's weights and limits."""
    data = default_mapping()
    data["weights"] = {p: float(weights[p]) for p in PARTS}
    data["limits"] = {"max_km": float(max_km), "same_county_only": bool(same_county_only), "k": int(k)}
    return profile_from_mapping(data, source="app")


def proposal_table(run: MatchRun, lang: str | None = None) -> pd.DataFrame:
    """The proposals as the report shows them (its headers and cells), so that screen and file agree."""
    lang = lang or current_lang()
    headers = [c.header(lang) for c in reports.PROPOSAL_COLUMNS]
    data = [[reports.display(r.get(c.key), c, lang) for c in reports.PROPOSAL_COLUMNS] for r in run.rows()]
    return pd.DataFrame(data, columns=headers)


def unmatched_table(run: MatchRun, lang: str | None = None) -> pd.DataFrame:
    lang = lang or current_lang()
    headers = [c.header(lang) for c in reports.UNMATCHED_COLUMNS]
    rows = run.unmatched_rows()
    data = [[reports.display(r.get(c.key), c, lang) for c in reports.UNMATCHED_COLUMNS] for r in rows]
    return pd.DataFrame(data, columns=headers)


def report_bytes(run: MatchRun, fmt: str, lang: str | None = None) -> bytes:
    """The proposals file `graph.reports.write_report` makes, as the CLI's `match` writes it."""
    lang = lang or current_lang()
    buffer = io.BytesIO()
    filters = {"county": run.county, "mode": run.mode}
    reports.write_report(
        run.rows(), reports.PROPOSAL_COLUMNS, buffer, fmt, reports.title("proposals", lang), lang, run.asof, filters
    )
    return buffer.getvalue()


def _position(frame: pd.DataFrame, node_id: str) -> list[float] | None:
    match = frame.loc[frame["id"] == node_id]
    if match.empty:
        return None
    lat, lon = match.iloc[0]["lat"], match.iloc[0]["lon"]
    if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
        return None
    return [float(lon), -float(lat)]  # screen y grows downwards


def map_deck(run: MatchRun) -> pdk.Deck | None:
    """Proposed links as lines from unit to village, on a plain plane: no base map, nothing fetched."""
    names = dict(zip(run.villages["id"], run.villages["name"], strict=True))
    units = dict(zip(run.units["id"], run.units["name"], strict=True))
    lines: list[dict[str, Any]] = []
    dots: list[dict[str, Any]] = []
    for p in run.result.proposals:
        start, end = _position(run.units, p.unit_id), _position(run.villages, p.village_id)
        if start is None or end is None:
            continue
        label = f"{units.get(p.unit_id)} → {names.get(p.village_id)} ({p.score:.2f})"
        lines.append({"source": start, "target": end, "name": label, "color": list(LINK)})
        dots.append({"position": start, "name": units.get(p.unit_id), "color": list(UNIT)})
        dots.append({"position": end, "name": names.get(p.village_id), "color": list(VILLAGE)})
    for u in run.result.unmatched:
        where = _position(run.villages, u.village_id)
        if where is not None:
            dots.append({"position": where, "name": names.get(u.village_id), "color": list(UNMATCHED)})
    if not dots:
        return None
    xs = [d["position"][0] for d in dots]
    ys = [d["position"][1] for d in dots]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.01)
    layers = [
        pdk.Layer(
            "LineLayer",
            data=lines,
            get_source_position="source",
            get_target_position="target",
            get_color="color",
            get_width=2,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=dots,
            get_position="position",
            get_fill_color="color",
            get_radius=span / 200,
            radius_min_pixels=3,
            radius_max_pixels=10,
            pickable=True,
        ),
    ]
    view = pdk.ViewState(
        target=[(min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, 0],
        zoom=math.log2(450 / span),
        latitude=None,
        longitude=None,
    )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        views=[pdk.View(type="OrthographicView", controller=True)],
        map_provider=None,
        map_style=None,
        tooltip={"text": "{name}"},
    )


def _settings() -> tuple[str | None, str, dict[str, float], float, bool, int]:
    defaults = default_mapping()
    county, _ = state.place_filters("match", township=False)
    # Labels fixed at render time (not a lambda calling t()): AppTest formats options outside the session.
    modes = {m: display(m, "match_mode") for m in proposals.MODES}
    mode = st.radio(t("match.mode"), list(modes), format_func=modes.__getitem__, horizontal=True, key="match_mode")
    with st.expander(t("match.weights")):
        cols = st.columns(3)
        weights = {
            part: cols[i % 3].slider(
                t(f"match.part_{part}"), 0.0, 1.0, float(defaults["weights"][part]), 0.05, key=f"match_w_{part}"
            )
            for i, part in enumerate(PARTS)
        }
    limits = defaults["limits"]
    cols = st.columns(3)
    max_km = cols[0].number_input(t("match.max_km"), 1.0, 2000.0, float(limits["max_km"]), 5.0, key="match_max_km")
    k = cols[1].number_input(t("match.k"), 1, 500, int(limits["k"]), 1, key="match_k")
    same = cols[2].checkbox(t("match.same_county"), bool(limits["same_county_only"]), key="match_same_county")
    return county, str(mode), weights, float(max_km), bool(same), int(k)


def _run(county: str | None, mode: str, weights: dict[str, float], max_km: float, same: bool, k: int) -> None:
    try:
        profile = settings_profile(weights, max_km, same, k)
    except ConfigError as exc:
        st.error(t("match.bad_profile", error=md(exc)))
        return
    with st.spinner(t("match.running")):
        run = proposals.propose(state.store(), state.asof(), county, profile, mode=mode)
    st.session_state[RUN] = run
    st.session_state.pop(PENDING, None)
    # A new run starts with every proposal selected: forget the previous run's ticks.
    st.session_state.pop("match_select", None)


def _selected(run: MatchRun) -> list[Proposal]:
    table = proposal_table(run)
    table.insert(0, SELECTED, True)
    edited = st.data_editor(
        table,
        key="match_select",
        hide_index=True,
        width="stretch",
        disabled=[c for c in table.columns if c != SELECTED],
        column_config={SELECTED: st.column_config.CheckboxColumn(t("match.select"), default=True)},
    )
    chosen = [bool(v) for v in edited[SELECTED]]
    return [p for p, keep in zip(run.result.proposals, chosen, strict=True) if keep]


def _out_of_bounds(run: MatchRun, accepted: list[Proposal]) -> str | None:
    """Why the account may not pair one of the accepted villages (the first such county), or None."""
    counties = dict(zip(run.villages["id"], run.villages["county"], strict=True))
    for county in dict.fromkeys(counties.get(p.village_id) for p in accepted):
        reason = auth.denial("pairing.create", str(county) if county else None)
        if reason is not None:
            return reason
    return None


def _accept(run: MatchRun, accepted: list[Proposal]) -> None:
    if not auth.may_write_somewhere():
        st.info(auth.denial("pairing.create") or "")
        return
    # A planner accepts only proposals of their own counties: no button while one of another is selected.
    denied = _out_of_bounds(run, accepted)
    if denied is not None:
        st.info(denied)
        return
    if st.button(t("match.accept"), key="match_accept", type="primary", disabled=not accepted):
        st.session_state[PENDING] = True
    if not st.session_state.get(PENDING):
        return
    st.warning(t("match.confirm_text", n=len(accepted)))
    cols = st.columns(2)
    if cols[1].button(t("match.cancel"), key="match_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()
    if cols[0].button(t("match.confirm"), key="match_confirm", type="primary"):
        st.session_state.pop(PENDING, None)
        try:
            # The signed-in account must be allowed to pair every accepted village (PermissionDenied otherwise).
            # Checked here for the reason in the UI's language, and again inside the write's transaction.
            auth.actor_for_proposals(run, accepted)
            written = proposals.apply(state.store(), run, accepted, account=auth.writer())
        except ConflictError as exc:
            st.session_state[FLASH] = ("error", t("match.conflict", error=md(exc)))
        except PairingError as exc:
            st.session_state[FLASH] = ("error", t("match.failed", error=md(exc)))
        else:
            st.session_state[FLASH] = ("success", t("match.applied", n=written))
            st.session_state.pop(RUN, None)
            st.session_state.pop("match_select", None)
        st.rerun()


def _results(run: MatchRun) -> None:
    st.subheader(t("match.proposals"))
    st.caption(t("match.summary", n=len(run.result.proposals), m=len(run.result.unmatched), asof=run.asof))
    accepted = _selected(run)
    cols = st.columns(2)
    cols[0].download_button(
        t("gaps.download_xlsx"),
        report_bytes(run, "xlsx"),
        "proposals.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="match_dl_xlsx",
    )
    cols[1].download_button(
        t("gaps.download_csv"), report_bytes(run, "csv"), "proposals.csv", "text/csv", key="match_dl_csv"
    )
    _accept(run, accepted)
    st.subheader(t("match.unmatched"))
    if run.result.unmatched:
        st.dataframe(unmatched_table(run), hide_index=True, width="stretch")
    else:
        st.caption(t("match.none_unmatched"))
    st.subheader(t("match.map"))
    deck = map_deck(run)
    if deck is None:
        st.caption(t("overview.no_coords"))
    else:
        st.pydeck_chart(deck, height=480)


def render() -> None:
    st.title(t("match.title"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])
    if state.store().is_empty():
        st.info(t("app.empty"))
        return
    county, mode, weights, max_km, same, k = _settings()
    if st.button(t("match.run"), key="match_run", type="primary"):
        _run(county, mode, weights, max_km, same, k)
    run: MatchRun | None = st.session_state.get(RUN)
    if run is None:
        st.caption(t("match.hint"))
        return
    if run.asof != state.asof() or run.county != county or run.mode != mode:
        st.info(t("match.settings_changed"))
    _results(run)


if __name__ == "__main__":
    render()
