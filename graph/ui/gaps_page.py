"""Gaps page: each gap list as a filtered table, downloadable exactly as the CLI writes it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from graph import gaps, reports
from graph.ui import state
from graph.ui.i18n import current_lang, t

# The lists in the order a planner works through them: villages nobody helps come first.
LISTS = ("unpaired", "support", "inactive", "expiring", "unit_load", "coverage", "org_setting")
# Lists that take no township filter in graph.gaps.
COUNTY_ONLY = ("unit_load", "coverage")


def gap_rows(name: str, asof: dt.date, county: str | None, township: str | None, days: int = 90) -> list[Any]:
    """The rows of one gap list from `graph.gaps`, with the page's filters."""
    store = state.store()
    calls: dict[str, Callable[[], list[Any]]] = {
        "unpaired": lambda: gaps.unpaired(store, asof, county=county, township=township),
        "support": lambda: gaps.support(store, asof, county=county, township=township),
        "inactive": lambda: gaps.inactive(store, asof, county=county, township=township),
        "expiring": lambda: gaps.expiring(store, asof, days=days, county=county, township=township),
        "unit_load": lambda: gaps.unit_load(store, asof, county=county),
        "coverage": lambda: gaps.coverage(store, asof, by="township", county=county),
        "org_setting": lambda: gaps.org_setting(store, county=county, township=township),
    }
    return list(calls[name]())


COLUMNS: dict[str, tuple[reports.Column, ...]] = {
    "unpaired": reports.GAP_COLUMNS,
    "support": reports.GAP_COLUMNS,
    "inactive": reports.INACTIVE_COLUMNS,
    "expiring": reports.EXPIRING_COLUMNS,
    "unit_load": reports.LOAD_COLUMNS,
    "coverage": reports.COVERAGE_COLUMNS,
    "org_setting": reports.ORG_COLUMNS,
}


def report_bytes(
    name: str, rows: list[Any], fmt: str, asof: dt.date, filters: dict[str, Any], lang: str | None = None
) -> bytes:
    """The report file `graph.reports.write_report` makes of these rows: the writer the CLI uses."""
    buffer = io.BytesIO()
    lang = lang or current_lang()
    reports.write_report(rows, COLUMNS[name], buffer, fmt, reports.title(name, lang), lang, asof, filters)
    return buffer.getvalue()


def table(name: str, rows: list[Any], lang: str | None = None) -> pd.DataFrame:
    """The rows as the report shows them: its columns, headers and cell values, so screen and file agree."""
    lang = lang or current_lang()
    columns = COLUMNS[name]
    headers = [c.header(lang) for c in columns]
    data = [[reports.display(row.get(c.key), c, lang) for c in columns] for row in reports.as_dicts(rows)]
    return pd.DataFrame(data, columns=headers)


def render() -> None:
    st.title(t("gaps.title"))
    name = st.selectbox(t("gaps.list"), LISTS, format_func=lambda n: t(f"gap.{n}"), key="gaps_list")
    county, township = state.place_filters("gaps", township=name not in COUNTY_ONLY)
    days = 90
    if name == "expiring":
        days = int(st.number_input(t("gaps.days"), 1, 3650, 90, 30, key="gaps_days"))
    asof = state.asof()
    rows = gap_rows(name, asof, county, township, days)
    st.caption(t("gaps.rows", n=len(rows)))
    st.dataframe(table(name, rows), hide_index=True, width="stretch")
    filters = {"county": county, "township": township, "days": days if name == "expiring" else None}
    cols = st.columns(2)
    cols[0].download_button(
        t("gaps.download_xlsx"),
        report_bytes(name, rows, "xlsx", asof, filters),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="gaps_dl_xlsx",
    )
    cols[1].download_button(
        t("gaps.download_csv"),
        report_bytes(name, rows, "csv", asof, filters),
        f"{name}.csv",
        "text/csv",
        key="gaps_dl_csv",
    )


if __name__ == "__main__":
    render()
