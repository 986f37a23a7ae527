"""What every page shares: the one store of the server process, the as-of date, the place filters."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graph import explore
from graph.store import GraphStore, open_store, resolve_location
from graph.ui.i18n import t

PAGES = {
    "overview": "graph/ui/overview.py",
    "explorer": "graph/ui/explorer.py",
    "gaps": "graph/ui/gaps_page.py",
    "data": "graph/ui/data_page.py",
    "matching": "graph/ui/matching_page.py",
    "links": "graph/ui/links_page.py",
    "audit": "graph/ui/audit_page.py",
    "accounts": "graph/ui/accounts_page.py",
}


@st.cache_resource(show_spinner=False)
def _open(location: str) -> GraphStore:
    # One store per server process, shared by every session: Ladybug allows one read-write
    # Database per file, and the store serialises its own use with a lock.
    return open_store(location)


def store() -> GraphStore:
    return _open(resolve_location())


def asof() -> dt.date:
    value = st.session_state.get("asof")
    return value if isinstance(value, dt.date) else dt.date.today()


def place_filters(key: str, township: bool = True) -> tuple[str | None, str | None]:
    """County and township selectboxes (keys `<key>_county`, `<key>_township`); None means all."""
    places = explore.places(store())
    counties = sorted({p.county for p in places if p.county})
    everything = t("filter.all")
    cols = st.columns(2)
    county = cols[0].selectbox(t("filter.county"), [everything, *counties], key=f"{key}_county")
    chosen_county = None if county == everything else county
    chosen_township = None
    if township:
        towns = sorted({p.township for p in places if p.township and p.county == chosen_county})
        town = cols[1].selectbox(
            t("filter.township"), [everything, *towns], key=f"{key}_township", disabled=chosen_county is None
        )
        chosen_township = None if town == everything or chosen_county is None else town
    return chosen_county, chosen_township
