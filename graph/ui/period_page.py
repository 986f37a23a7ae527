"""本期变化 page: what changed in a period (the sections of `graph.period_report`) and the coverage trend.

The period, place and rules are chosen here; `graph.period` computes, `graph.period_report` lays out the
sections and the workbook, as for `pairing changes` and `pairing trend`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from graph import bulletin, gaps, period, period_report, reports
from graph.errors import PairingError
from graph.model import SUPPORT_KINDS
from graph.period import Changes, TrendPoint
from graph.store import resolve_location
from graph.ui import state
from graph.ui.i18n import current_lang, display, t
from graph.ui.text import md

# The quick choices of a period, then a span of the planner's own.
CUSTOM = "custom"
KINDS = (*period.PERIOD_MONTHS, CUSTOM)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def section_table(rows: Sequence[Any], columns: Sequence[reports.Column], lang: str) -> pd.DataFrame:
    """A section's rows as the workbook shows them: its headers and cell values, so screen and file agree."""
    # An empty cell is blank on screen as in the workbook (pandas would print None).
    data = [[_blank(reports.display(row.get(c.key), c, lang)) for c in columns] for row in reports.as_dicts(rows)]
    return pd.DataFrame(data, columns=[c.header(lang) for c in columns])


def _blank(value: Any) -> Any:
    return "" if value is None else value


def trend_frame(points: Sequence[TrendPoint]) -> pd.DataFrame:
    """The trend as the chart draws it: per month, the coverage rate (%) and the paper pairings."""
    return pd.DataFrame(
        {
            "month": [p.month for p in points],
            "rate": [round(p.rate * 100, 1) for p in points],
            "paper": [p.paper for p in points],
        }
    )


def coverage_rates(changes: Changes) -> tuple[float | None, float | None]:
    """The coverage of the scope on D1 and D2 (None where it has no weak village)."""
    weak_from = sum(c.weak_from for c in changes.coverage)
    weak_to = sum(c.weak_to for c in changes.coverage)
    covered_from = sum(c.covered_from for c in changes.coverage)
    covered_to = sum(c.covered_to for c in changes.coverage)
    return (covered_from / weak_from if weak_from else None, covered_to / weak_to if weak_to else None)


def _period(asof: dt.date) -> tuple[dt.date, dt.date]:
    kind = st.radio(
        t("period.kind"), KINDS, format_func=lambda k: t(f"period.kind_{k}"), horizontal=True, key="period_kind"
    )
    if kind != CUSTOM:
        return period.last_full(kind, asof)
    first, last = period.last_full("month", asof)
    cols = st.columns(2)
    d1 = cols[0].date_input(t("period.from"), first, key="period_from")
    d2 = cols[1].date_input(t("period.to"), last, key="period_to")
    assert isinstance(d1, dt.date) and isinstance(d2, dt.date)
    return d1, d2


def _policy(label: str, key: str, lang: str) -> list[str]:
    return st.multiselect(
        label, SUPPORT_KINDS, default=[], format_func=lambda k: display(k, "support_kind", lang=lang), key=key
    )


def _rules(lang: str) -> dict[str, Any]:
    """The rules of D2 and, where the planner says they were others, of D1 (the `changes` keywords)."""
    cols = st.columns(2)
    with cols[0]:
        policy = _policy(t("period.policy"), "period_policy", lang)
    days = int(cols[1].number_input(t("period.days"), 1, 3650, gaps.INACTIVE_AFTER_DAYS, 30, key="period_days"))
    rules: dict[str, Any] = {"policy": policy or gaps.ANY, "days": days}
    if st.checkbox(t("period.rules_differ"), key="period_rules_differ"):
        cols = st.columns(2)
        with cols[0]:
            before = _policy(t("period.policy_from"), "period_policy_from", lang)
        rules["policy_from"] = before or gaps.ANY
        rules["days_from"] = int(
            cols[1].number_input(t("period.days_from"), 1, 3650, gaps.INACTIVE_AFTER_DAYS, 30, key="period_days_from")
        )
    return rules


def _percent(rate: float | None) -> str:
    return reports.NO_RATE if rate is None else f"{rate:.1%}"


def _headline(changes: Changes) -> None:
    before, after = coverage_rates(changes)
    cols = st.columns(4)
    cols[0].metric(t("period.new_gaps"), len(changes.new_gaps))
    cols[1].metric(t("period.closed_gaps"), len(changes.closed_gaps))
    cols[2].metric(t("period.coverage_from", day=changes.d1.isoformat()), _percent(before))
    # A change of a rate is in percentage points, not a percent of the rate.
    delta = None if before is None or after is None else t("period.points", n=f"{(after - before) * 100:+.1f}")
    cols[3].metric(t("period.coverage_to", day=changes.d2.isoformat()), _percent(after), delta)


def _trend(points: Sequence[TrendPoint], lang: str) -> None:
    st.subheader(t("period.trend"))
    frame = trend_frame(points).set_index("month")
    cols = st.columns(2)
    cols[0].caption(t("period.trend_rate"))
    cols[0].line_chart(frame[["rate"]].rename(columns={"rate": t("period.trend_rate")}))
    cols[1].caption(t("period.trend_paper"))
    cols[1].line_chart(frame[["paper"]].rename(columns={"paper": t("period.trend_paper")}))
    with st.expander(t("period.trend_table")):
        st.dataframe(section_table(points, period_report.TREND_COLUMNS, lang), hide_index=True, width="stretch")


def _download(changes: Changes, inputs: tuple[Any, ...], lang: str) -> None:
    # The workbook reads every section again through the writer: built when asked, kept for these inputs.
    if st.button(t("period.prepare"), key="period_prepare"):
        st.session_state["period_export"] = (inputs, period_report.xlsx_bytes(changes, lang))
    prepared = st.session_state.get("period_export")
    if prepared and prepared[0] == inputs:
        name = f"changes-{changes.d1.isoformat()}-{changes.d2.isoformat()}.xlsx"
        st.download_button(t("period.download_xlsx"), prepared[1], name, XLSX, key="period_dl_xlsx")


def _bulletin(inputs: tuple[Any, ...], build: dict[str, Any]) -> None:
    """The 通报 that goes up (`graph.bulletin`), as XLSX and PDF: built when asked, kept for these inputs."""
    st.subheader(t("period.bulletin"))
    unit = st.text_input(t("period.bulletin_unit"), key="period_unit")
    inputs = (*inputs, unit)
    if st.button(t("period.bulletin_prepare"), key="period_bulletin_prepare"):
        try:
            made = bulletin.build(state.store(), unit=unit, **build)
            files = {
                "xlsx": (made.file_name("xlsx"), bulletin.xlsx_bytes(made)),
                "pdf": (made.file_name("pdf"), bulletin.pdf_bytes(made)),
            }
        except PairingError as exc:  # no CJK font for the PDF, say: named, not a traceback
            st.error(str(exc))
            return
        st.session_state["period_bulletin"] = (inputs, files)
    prepared = st.session_state.get("period_bulletin")
    if prepared and prepared[0] == inputs:
        cols = st.columns(2)
        for col, (fmt, mime) in zip(cols, (("xlsx", XLSX), ("pdf", PDF)), strict=True):
            name, data = prepared[1][fmt]
            col.download_button(t(f"period.bulletin_{fmt}"), data, name, mime, key=f"period_dl_bulletin_{fmt}")


def render() -> None:
    st.title(t("period.title"))
    lang = current_lang()
    asof = state.asof()
    d1, d2 = _period(asof)
    city, county, township = state.place_levels("period")
    with st.expander(t("period.options")):
        rules = _rules(lang)
        months = int(
            st.number_input(t("period.trend_months"), 1, 120, period.TREND_MONTHS, 1, key="period_trend_months")
        )
    if d2 <= d1:
        st.error(t("period.bad_span", d1=d1.isoformat(), d2=d2.isoformat()))
        return
    store = state.store()
    changes = period.changes(store, d1, d2, city=city, county=county, township=township, lang=lang, **rules)
    where = " / ".join(p for p in (city, county, township) if p) or t("filter.all")
    st.caption(md(f"{period_report.period_words(changes, lang)} · {where}"))
    st.caption(md(period_report.rules_words(changes, lang)))
    _headline(changes)
    for section in period_report.SECTIONS:
        rows = getattr(changes, section.key)
        st.subheader(t("period.section", title=section.title(lang), n=len(rows)))
        st.dataframe(section_table(rows, section.columns, lang), hide_index=True, width="stretch")
    points = period.trend(
        store, period.trend_start(d1, d2, months), d2, county=county, township=township, city=city, days=rules["days"]
    )
    _trend(points, lang)
    inputs = (resolve_location(), d1, d2, city, county, township, tuple(sorted(rules.items())), lang)
    _download(changes, inputs, lang)
    _bulletin(inputs, {"d1": d1, "d2": d2, "city": city, "county": county, "township": township, **rules})


if __name__ == "__main__":
    render()
