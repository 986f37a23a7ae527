"""The planners' app: `streamlit run app.py` (store from PAIRING_DB, default data/pairing.lbug).

Thin on purpose: the sidebar's shared controls and the page list. Pages live in `graph/ui/`,
and they call the `graph` package only (no Cypher here or there).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graph.store import resolve_location
from graph.ui import auth
from graph.ui.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, t
from graph.ui.state import PAGES

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
    st.caption(t("app.store", location=resolve_location()))
    auth.sidebar()

pages = [
    st.Page(PAGES["overview"], title=t("page.overview"), url_path="overview", default=True),
    st.Page(PAGES["explorer"], title=t("page.explorer"), url_path="explorer"),
    st.Page(PAGES["gaps"], title=t("page.gaps"), url_path="gaps"),
    st.Page(PAGES["matching"], title=t("page.matching"), url_path="matching"),
    st.Page(PAGES["links"], title=t("page.links"), url_path="links"),
    st.Page(PAGES["data"], title=t("page.data"), url_path="data"),
    st.Page(PAGES["audit"], title=t("page.audit"), url_path="audit"),
]
if auth.is_admin():
    pages.append(st.Page(PAGES["accounts"], title=t("page.accounts"), url_path="accounts"))
# Every page needs a signed-in account once the store has one; the sign-in form stands in otherwise.
signed_in = auth.gate()
page = st.navigation(pages, position="sidebar" if signed_in else "hidden")
if signed_in:
    page.run()
