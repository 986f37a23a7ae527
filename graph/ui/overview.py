"""Overview page: headline coverage figures, coverage by township, and a map of the villages."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk
import streamlit as st

from graph import explore, gap_lists
from graph.gaps import CoverageRow
from graph.model import SUPPORT_KINDS
from graph.reports import NO_RATE
from graph.store import GraphStore
from graph.ui import state
from graph.ui.i18n import display, kind_name, t

INACTIVE = gap_lists.get("inactive")
FIRST_YEAR = gap_lists.get("first_year")
EXPIRING = gap_lists.get("expiring")
COVERAGE = gap_lists.get("coverage")
UNPAIRED = gap_lists.get("unpaired")
# 三张清单's lists (graph.lists), counted as the gap page shows them by default.
STALE = gap_lists.get("stale_needs")
OVERDUE = gap_lists.get("overdue_projects")
IDLE = gap_lists.get("idle_claimers")
RATES = gap_lists.get("claim_rates")
# The overview counts the lists as the gap page and the CLI show them by default.
EXPIRY_DAYS: int = EXPIRING.default("days")
MAX_BARS = 80
MAX_POINTS = 10_000
# RGBA by coverage: uncovered weak villages are what the planner must act on.
UNCOVERED = (214, 39, 40, 230)
COVERED = (44, 160, 44, 210)
OTHER = (150, 160, 170, 120)


@dataclass(frozen=True)
class Headline:
    weak: int
    covered: int
    by_kind: dict[str, int]
    inactive: int
    # Pairings in their first year with no activity yet: milder than paper pairings, counted apart.
    first_year: int
    expiring: int

    @property
    def share(self) -> float:
        return self.covered / self.weak if self.weak else 0.0


@dataclass(frozen=True)
class ListFigures:
    """三张清单's figures for the overview: the gap lists' lengths and the rates of the place."""

    stale: int
    overdue: int
    idle: int
    claim_rate: float | None
    completion_rate: float | None


def list_figures(store: GraphStore, asof: dt.date, county: str | None, township: str | None) -> ListFigures:
    """The figures, each from the gap registry's lists (the tests compare them with `graph.lists`)."""
    by = "township" if township else "county"
    rates = [
        r for r in RATES.rows(store, None, RATES.params(county=county, by=by)) if not township or r.township == township
    ]
    needs, claimed, done = (sum(getattr(r, k) for r in rates) for k in ("needs", "claimed", "done"))
    return ListFigures(
        stale=len(STALE.rows(store, asof, STALE.params(county=county, township=township))),
        overdue=len(OVERDUE.rows(store, asof, OVERDUE.params(county=county, township=township))),
        idle=len(IDLE.rows(store, asof, IDLE.params(county=county, township=township))),
        claim_rate=claimed / needs if needs else None,
        completion_rate=done / claimed if claimed else None,
    )


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else NO_RATE


def _list_metrics(store: GraphStore, asof: dt.date, county: str | None, township: str | None) -> None:
    if not store.counts().get("Need"):
        return  # no needs list yet: five zeros would only say nothing
    figures = list_figures(store, asof, county, township)
    st.markdown(f"**{t('overview.lists')}**")
    cols = st.columns(5)
    cols[0].metric(t("overview.claim_rate"), _rate(figures.claim_rate))
    cols[1].metric(t("overview.completion_rate"), _rate(figures.completion_rate))
    cols[2].metric(t("overview.stale"), figures.stale)
    cols[3].metric(t("overview.overdue"), figures.overdue)
    cols[4].metric(t("overview.idle"), figures.idle)


def township_rows(store: GraphStore, asof: dt.date, county: str | None, township: str | None) -> list[CoverageRow]:
    rows = COVERAGE.rows(store, asof, COVERAGE.params(county=county, by="township"))
    return [r for r in rows if township is None or r.township == township]


def headline(store: GraphStore, asof: dt.date, county: str | None, township: str | None) -> Headline:
    """The overview's figures, each taken from `graph.gaps` (the tests compare them with it)."""
    rows = township_rows(store, asof, county, township)
    return Headline(
        weak=sum(r.weak for r in rows),
        covered=sum(r.covered for r in rows),
        by_kind={k: sum(getattr(r, k) for r in rows) for k in SUPPORT_KINDS},
        inactive=len(INACTIVE.rows(store, asof, INACTIVE.params(county=county, township=township))),
        first_year=len(FIRST_YEAR.rows(store, asof, FIRST_YEAR.params(county=county, township=township))),
        expiring=len(EXPIRING.rows(store, asof, EXPIRING.params(county=county, township=township))),
    )


def _metrics(figures: Headline) -> None:
    cols = st.columns(6)
    cols[0].metric(t("overview.weak"), figures.weak)
    cols[1].metric(t("overview.covered"), figures.covered)
    cols[2].metric(t("overview.share"), f"{figures.share:.1%}")
    cols[3].metric(t("overview.inactive"), figures.inactive)
    cols[4].metric(t("overview.first_year"), figures.first_year)
    cols[5].metric(t("overview.expiring"), figures.expiring)
    st.markdown(f"**{t('overview.by_kind')}**")
    kind_cols = st.columns(len(SUPPORT_KINDS))
    for col, kind in zip(kind_cols, SUPPORT_KINDS, strict=True):
        col.metric(display(kind, "support_kind"), figures.by_kind[kind])


def _by_township(asof: dt.date, county: str | None, township: str | None) -> None:
    rows = township_rows(state.store(), asof, county, township)
    if not rows:
        return
    if len(rows) > MAX_BARS:
        # A province has thousands of townships: one bar per county is what a chart can show.
        rows = COVERAGE.rows(state.store(), asof, COVERAGE.params(county=county, by="county"))
        st.subheader(t("overview.by_county"))
        labels = [r.county or "" for r in rows]
    else:
        st.subheader(t("overview.by_township"))
        # Township names repeat across counties: label bars with the county when several are shown.
        several = len({r.county for r in rows}) > 1
        labels = [f"{r.county} {r.township}" if several else r.township or "" for r in rows]
    frame = pd.DataFrame(
        {
            t("filter.township"): labels,
            t("col.covered"): [r.covered for r in rows],
            t("col.uncovered"): [r.uncovered for r in rows],
        }
    ).set_index(t("filter.township"))
    st.bar_chart(frame, color=["#2ca02c", "#d62728"], stack=True)


def map_deck(points: list[explore.Point], uncovered: set[str]) -> pdk.Deck:
    """Villages on a plain plane (x = longitude, y = latitude): no base map, so no tile or style is ever fetched.

    A MapView without a style makes Streamlit's front end fall back to a hosted base map, which an
    offline network cannot reach; an OrthographicView has no base map at all.
    """
    lons = [p.lon for p in points] or [0.0]
    lats = [p.lat for p in points] or [0.0]
    span = max(max(lons) - min(lons), max(lats) - min(lats), 0.01)
    data = [
        {
            "name": p.name,
            "township": p.township,
            "position": [p.lon, -p.lat],  # screen y grows downwards
            "color": list(UNCOVERED if p.id in uncovered else COVERED if p.tier == "weak" else OTHER),
            # In common units (degrees here); the pixel bounds below keep dots visible at any zoom.
            "radius": span / 150 if p.tier == "weak" else span / 250,
        }
        for p in points
    ]
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=data,
        get_position="position",
        get_fill_color="color",
        get_radius="radius",
        # Not radius_units="pixels": pydeck turns every string argument into an accessor expression.
        radius_min_pixels=2,
        radius_max_pixels=12,
        pickable=True,
    )
    view = pdk.ViewState(
        target=[(min(lons) + max(lons)) / 2, -(min(lats) + max(lats)) / 2, 0],
        zoom=math.log2(450 / span),
        latitude=None,
        longitude=None,
    )
    return pdk.Deck(
        layers=[layer],
        initial_view_state=view,
        views=[pdk.View(type="OrthographicView", controller=True)],
        map_provider=None,
        map_style=None,
        tooltip={"text": "{name} {township}"},
    )


def _map(asof: dt.date, county: str | None, township: str | None) -> None:
    st.subheader(t("overview.map"))
    points = explore.village_points(state.store(), county, township)
    if not points:
        st.caption(t("overview.no_coords"))
        return
    unpaired = UNPAIRED.rows(state.store(), asof, UNPAIRED.params(county=county, township=township))
    uncovered = {r.village_id for r in unpaired}
    if len(points) > MAX_POINTS:
        # 80,000 dots are megabytes of JSON for the browser; the weak villages are what the map is for.
        points = [p for p in points if p.tier == "weak"]
        st.caption(t("overview.weak_only", n=len(points)))
    st.pydeck_chart(map_deck(points, uncovered), height=480)


def render() -> None:
    st.title(t("overview.title"))
    store = state.store()
    if store.is_empty():
        st.info(t("app.empty"))
        return
    county, township = state.place_filters("overview")
    asof = state.asof()
    _metrics(headline(store, asof, county, township))
    _list_metrics(store, asof, county, township)
    _by_township(asof, county, township)
    _map(asof, county, township)
    with st.expander(t("overview.counts")):
        st.dataframe(
            [{t("col.name"): kind_name(k), t("col.count"): v} for k, v in store.counts().items()],
            hide_index=True,
        )


if __name__ == "__main__":
    render()
