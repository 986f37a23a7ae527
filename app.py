"""The planners' app: `streamlit run app.py` (store from PAIRING_DB, default data/pairing.lbug).

Thin on purpose: the sidebar's shared controls and the page list. Pages live in `graph/ui/`,
and they call the `graph` package only (no Cypher here or there).
"""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from graph.errors import StoreBusy, StoreError
from graph.store import resolve_location
from graph.ui import auth, state
from graph.ui.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, t
from graph.ui.state import ADMIN_PAGES, PAGES
from graph.ui.text import md

st.set_page_config(page_title="城乡结对共建图谱", layout="wide")
# Planners need no "Deploy" button or developer menu.
st.set_option("client.toolbarMode", "viewer")

with st.sidebar:
    st.selectbox(
        "语言 / Language",
        LANGS,
        index=LANGS.index(DEFAULT_LANG),
        format_func=LANG_NAMES.__getitem__,
        key="lang",
    )
    # Seeded through session state (not `value=`) so that tests and other pages may set the date first.
    st.session_state.setdefault("asof", dt.date.today())
    st.date_input(t("app.asof"), key="asof")

# Opened before anything asks for an account: a store that another process keeps busy beyond the wait
# (a long write) or that cannot be read is a short message in the interface's language, not a traceback.
try:
    state.store()
except StoreError as exc:
    logging.getLogger("graph.app").error("cannot open the store: %s", exc)
    st.error(t("app.store_busy" if isinstance(exc, StoreBusy) else "app.store_failed"))
    st.stop()

with st.sidebar:
    # Where the file lives is for admins: it helps an attacker more than a planner.
    if auth.is_admin():
        st.caption(t("app.store", location=md(resolve_location())))
    auth.sidebar()

pages = [
    st.Page(path, title=t(f"page.{name}"), url_path=name, default=name == "overview")
    for name, path in PAGES.items()
    if name not in ADMIN_PAGES or auth.is_admin()
]
# Every page needs a signed-in account once the store has one; the sign-in form stands in otherwise.
signed_in = auth.gate()
page = st.navigation(pages, position="sidebar" if signed_in else "hidden")
if signed_in:
    page.run()
