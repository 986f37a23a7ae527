"""Gaps page: each gap list as a filtered table, downloadable exactly as the CLI writes it.

The lists, their titles, columns, filters and defaults come from `graph.gap_lists`, as the CLI's do.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from graph import gap_lists, gaps, reports
from graph.gap_lists import GapList
from graph.model import SUPPORT_KINDS
from graph.ui import state
from graph.ui.i18n import current_lang, display, t

# The lists in the registry's order, which is the order a planner works through them.
LISTS = tuple(g.name for g in gap_lists.GAP_LISTS)
# Each list's columns as the page first shows it (its page defaults).
COLUMNS: dict[str, tuple[reports.Column, ...]] = {
    g.name: g.shown_columns(g.params(page=True)) for g in gap_lists.GAP_LISTS
}

# The report formats a list downloads in, with their MIME types.
DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def gap_rows(
    name: str, asof: dt.date, county: str | None = None, township: str | None = None, **filters: Any
) -> list[Any]:
    """The rows of one gap list, with the page's filters (the page's defaults for those not given)."""
    gap = gap_lists.get(name)
    params = gap.params(page=True, county=county, township=township, **filters)
    return gap.rows(state.store(), asof if gap.dated else None, params)


def report_bytes(
    name: str,
    rows: list[Any],
    fmt: str,
    asof: dt.date | None,
    filters: Mapping[str, Any],
    lang: str | None = None,
    columns: tuple[reports.Column, ...] | None = None,
) -> bytes:
    """The report file `graph.reports.write_report` makes of these rows: the writer the CLI uses."""
    buffer = io.BytesIO()
    lang = lang or current_lang()
    title = gap_lists.get(name).title(lang)
    reports.write_report(rows, columns or COLUMNS[name], buffer, fmt, title, lang, asof, filters)
    return buffer.getvalue()


def table(
    name: str, rows: list[Any], lang: str | None = None, columns: tuple[reports.Column, ...] | None = None
) -> pd.DataFrame:
    """The rows as the report shows them: its columns, headers and cell values, so screen and file agree."""
    lang = lang or current_lang()
    columns = columns or COLUMNS[name]
    headers = [c.header(lang) for c in columns]
    data = [[reports.display(row.get(c.key), c, lang) for c in columns] for row in reports.as_dicts(rows)]
    return pd.DataFrame(data, columns=headers)


def _filter_widgets(gap: GapList, lang: str) -> dict[str, Any]:
    """A widget for each filter the list takes beyond the place (keys `gaps_<list>_<filter>`)."""
    values: dict[str, Any] = {}
    key = f"gaps_{gap.name}"
    if gap.days is not None:
        default = int(gap.default("days", page=True))
        values["days"] = int(
            st.number_input(gap.days.label(lang), gap.days.minimum, 3650, default, 30, key=f"{key}_days")
        )
    if "policy" in gap.filters:
        values["policy"] = st.multiselect(
            t("gaps.policy"),
            SUPPORT_KINDS,
            default=[],
            format_func=lambda k: display(k, "support_kind", lang=lang),
            key=f"{key}_policy",
        )
    if "status" in gap.filters:
        values["status"] = st.selectbox(
            t("gaps.status"),
            [None, *gaps.STATUS_ORDER],
            format_func=lambda s: t("filter.all") if s is None else display(s, "unit_status", lang=lang),
            key=f"{key}_status",
        )
    if "by" in gap.filters:
        values["by"] = st.selectbox(
            t("gaps.by"),
            gap.levels,
            index=gap.levels.index(gap.default("by", page=True)),
            format_func=lambda b: gap_lists.BY_WORDS[lang][b],
            key=f"{key}_by",
        )
    return values


def render() -> None:
    st.title(t("gaps.title"))
    lang = current_lang()
    name = st.selectbox(t("gaps.list"), LISTS, format_func=lambda n: gap_lists.get(n).title(lang), key="gaps_list")
    gap = gap_lists.get(name)
    city, county, township = state.place_levels("gaps", township="township" in gap.filters, city="city" in gap.filters)
    params = gap.params(page=True, city=city, county=county, township=township, **_filter_widgets(gap, lang))
    asof = state.asof() if gap.dated else None
    rows = gap.rows(state.store(), asof, params)
    columns = gap.shown_columns(params)
    st.caption(t("gaps.rows", n=len(rows)))
    st.dataframe(table(name, rows, lang, columns), hide_index=True, width="stretch")
    filters = gap.title_filters(params, lang)
    # The same two files the CLI writes with -o NAME.xlsx / NAME.csv.
    for col, (fmt, mime) in zip(st.columns(2), DOWNLOADS.items(), strict=True):
        col.download_button(
            t(f"gaps.download_{fmt}"),
            report_bytes(name, rows, fmt, asof, filters, lang, columns),
            f"{name}.{fmt}",
            mime,
            key=f"gaps_dl_{fmt}",
        )


if __name__ == "__main__":
    render()
