"""What every page shares: the one store of the server process, the as-of date, the place filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from graph import explore
from graph.accounts import PLANNER, Account
from graph.store import GraphStore, open_store, resolve_location
from graph.ui.i18n import t

# Absolute paths beside this module: `st.Page` resolves a relative one against the main script's folder,
# which is the repository only when the app runs from a checkout.
_UI_DIR = Path(__file__).resolve().parent
# The pages in the sidebar's order, each with its module beside this one; `accounts` is for admins only.
PAGES = {
    name: str(_UI_DIR / f"{module}.py")
    for name, module in (
        ("overview", "overview"),
        ("explorer", "explorer"),
        ("gaps", "gaps_page"),
        ("period", "period_page"),
        ("matching", "matching_page"),
        ("links", "links_page"),
        ("lists", "lists_page"),
        ("data", "data_page"),
        ("audit", "audit_page"),
        ("accounts", "accounts_page"),
    )
}
ADMIN_PAGES = ("accounts",)


# Every store `_open` has opened, so that `close_stores` can close them: the cache only forgets them.
_OPENED: list[GraphStore] = []


@st.cache_resource(show_spinner=False)
def _open(location: str) -> GraphStore:
    # One store object per server process, shared by every session (it serialises its own use). On the
    # embedded store it holds no lock between queries: the CLI and other servers use the file meanwhile.
    opened = open_store(location)
    _OPENED.append(opened)
    return opened


def close_stores() -> None:
    """Close every store the app opened and forget them (tests: each open Ladybug file maps 8 TiB of address
    space, so a process that keeps a few dozen open can open no more)."""
    _open.clear()
    while _OPENED:
        _OPENED.pop().close()


def store() -> GraphStore:
    return _open(resolve_location())


def asof() -> dt.date:
    value = st.session_state.get("asof")
    return value if isinstance(value, dt.date) else dt.date.today()


def own_counties() -> tuple[str, ...]:
    """The counties of the signed-in planner (none for an admin, a viewer or nobody signed in).

    Read from the session as `graph.ui.auth` keeps it (this module cannot import auth, which imports it).
    """
    account = st.session_state.get("account")
    if isinstance(account, Account) and account.role == PLANNER:
        return account.counties
    return ()


def place_filters(key: str, township: bool = True) -> tuple[str | None, str | None]:
    """County and township selectboxes (keys `<key>_county`, `<key>_township`); None means all."""
    _city, county, town = place_levels(key, township=township, city=False)
    return county, town


def place_levels(key: str, township: bool = True, city: bool = True) -> tuple[str | None, str | None, str | None]:
    """(city, county, township) from cascading selectboxes 市 → 县 → 乡镇 (keys `<key>_city`, `<key>_county`,
    `<key>_township`); None means all. The city box shows only where some village has a city: a county's own
    store has none. A chosen city narrows the counties offered, a chosen county the townships."""
    places = explore.places(store())
    everything = t("filter.all")
    cities = sorted({p.city for p in places if p.city}) if city else []
    cols = st.columns(3 if cities else 2)
    chosen_city = None
    if cities:
        picked = cols[0].selectbox(t("filter.city"), [everything, *cities], key=f"{key}_city")
        chosen_city = None if picked == everything else picked
        cols = cols[1:]
    counties = sorted({p.county for p in places if p.county and chosen_city in (None, p.city)})
    options = [everything, *counties]
    start = own_counties()
    # A planner's filters start on their (first) county: what they look after; they may widen it.
    index = options.index(start[0]) if start and start[0] in options else 0
    county = cols[0].selectbox(t("filter.county"), options, index, key=f"{key}_county")
    chosen_county = None if county == everything else county
    chosen_township = None
    if township:
        towns = sorted({p.township for p in places if p.township and p.county == chosen_county})
        town = cols[1].selectbox(
            t("filter.township"), [everything, *towns], key=f"{key}_township", disabled=chosen_county is None
        )
        chosen_township = None if town == everything or chosen_county is None else town
    return chosen_city, chosen_county, chosen_township
