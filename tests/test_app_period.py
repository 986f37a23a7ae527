"""The 本期变化 page under AppTest on the demo data: its tables are `graph.period.changes`, its chart is
`graph.period.trend`, a place narrows both, and its workbook has a sheet per section.

Expected values come from `graph.period` called here with the period and place the page was given (and, for
the new and closed gaps, from tools/reference.py's unpaired villages on the two days), on the app's own
cached store.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, period, period_report, reports
from graph.store import GraphStore
from graph.ui import i18n, period_page, state
from graph.ui.text import md
from tests.fixtures import PASSWORD, app_test, seed_dataset, store_file
from tools import reference

PAGE = "graph/ui/period_page.py"
TIMEOUT = 120
ADMIN = "admin"
USERS = [(ADMIN, PASSWORD, accounts.ADMIN)]
# The demo data's as-of day; its last full year (2025) has new and closed gaps in more than one county.
ASOF = dt.date(2026, 11, 1)
YEAR = (dt.date(2024, 12, 31), dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return store_file(tmp_path_factory.mktemp("period") / "seed.lbug", "seed", USERS)


def page(db: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    at = app_test(db, monkeypatch, ASOF, ADMIN, timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


@pytest.fixture
def at(seed_db: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return page(seed_db, monkeypatch)


@pytest.fixture
def store(seed_db: str) -> GraphStore:
    return state._open(seed_db)


def tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """The section tables by section key (the page shows them in `period_report.SECTIONS` order)."""
    frames = [d.value for d in at.dataframe]
    return {s.key: frames[i] for i, s in enumerate(period_report.SECTIONS)}


def charts(at: AppTest) -> list[pd.DataFrame]:
    """The data each line chart draws, decoded from the Arrow stream Streamlit sends the browser."""
    out = []
    for chart in [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]:
        proto: Any = chart.proto
        (dataset,) = proto.datasets
        out.append(pa.ipc.open_stream(dataset.data.data).read_all().to_pandas())
    return out


def assert_trend(at: AppTest, points: list[period.TrendPoint]) -> None:
    rate, paper = charts(at)
    assert list(rate["month"]) == [p.month for p in points]
    assert list(rate[i18n.t("period.trend_rate")]) == [
        round(100 * p.covered / p.weak, 1) if p.weak else 100.0 for p in points
    ]
    assert list(paper[i18n.t("period.trend_paper")]) == [p.paper for p in points]


def assert_sections(at: AppTest, changes: period.Changes) -> None:
    shown = tables(at)
    for section in period_report.SECTIONS:
        rows = getattr(changes, section.key)
        assert len(shown[section.key]) == len(rows), section.key
        assert list(shown[section.key].columns) == [c.header("zh") for c in section.columns]
        # An empty value is a blank cell, never the text None.
        cells = shown[section.key].to_numpy().ravel().tolist()
        assert not any(cell is None or str(cell) in ("None", "nan", "NaT") for cell in cells), section.key
    subheaders = [s.value for s in at.subheader]
    for section in period_report.SECTIONS:
        n = len(getattr(changes, section.key))
        assert i18n.t("period.section", title=section.zh, n=n) in subheaders
    new = shown["new_gaps"]
    assert list(new["村编号"]) == [g.village_id for g in changes.new_gaps]
    assert list(new["原因"]) == [g.reason for g in changes.new_gaps]
    assert list(shown["closed_gaps"]["村编号"]) == [g.village_id for g in changes.closed_gaps]


def choose_year(at: AppTest) -> None:
    at.radio(key="period_kind").set_value("year").run()
    assert not at.exception


def test_the_page_shows_last_months_changes_and_the_years_trend(
    engine: str, any_location: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = any_location("seed", USERS)
    at = page(db, monkeypatch)
    app_store = state._open(db)
    assert at.title[0].value == "本期变化"
    # By default the last full month before the as-of day: October 2026, from its eve to its last day.
    d1, d2 = dt.date(2026, 9, 30), dt.date(2026, 10, 31)
    changes = period.changes(app_store, d1, d2)
    assert_sections(at, changes)
    metrics = {m.label: m.value for m in at.metric}
    weak = sum(c.weak_to for c in changes.coverage)
    assert weak > 0
    assert metrics[i18n.t("period.new_gaps")] == str(len(changes.new_gaps))
    assert (
        metrics[i18n.t("period.coverage_to", day="2026-10-31")]
        == f"{sum(c.covered_to for c in changes.coverage) / weak:.1%}"
    )
    # The trend is the 通报's: 12 monthly points, November 2025 to October 2026.
    points = period.trend(app_store, dt.date(2025, 11, 1), d2)
    assert len(points) == 12 and points[0].month == "2025-11"
    assert_trend(at, points)


def test_new_gaps_are_the_changes_and_the_references_unpaired_difference(at: AppTest, store: GraphStore) -> None:
    choose_year(at)
    changes = period.changes(store, *YEAR)
    assert changes.new_gaps and changes.closed_gaps
    assert_sections(at, changes)
    g = reference.build(seed_dataset())
    before, after = set(reference.unpaired_ids(g, YEAR[0])), set(reference.unpaired_ids(g, YEAR[1]))
    shown = tables(at)
    assert set(shown["new_gaps"]["村编号"]) == after - before
    assert set(shown["closed_gaps"]["村编号"]) == before - after
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.t("period.new_gaps")] == str(len(after - before))
    before_rate, after_rate = period_page.coverage_rates(changes)
    assert before_rate is not None and after_rate is not None
    (delta,) = [m.proto.delta for m in at.metric if m.label == i18n.t("period.coverage_to", day="2025-12-31")]
    assert delta == i18n.t("period.points", n=f"{(after_rate - before_rate) * 100:+.1f}")
    assert metrics[i18n.t("period.closed_gaps")] == str(len(before - after))
    assert_trend(at, period.trend(store, dt.date(2024, 12, 31), YEAR[1]))


def test_a_county_narrows_the_tables_and_the_trend(at: AppTest, store: GraphStore) -> None:
    choose_year(at)
    everywhere = period.changes(store, *YEAR)
    county = everywhere.new_gaps[0].county
    assert county and any(g.county != county for g in everywhere.new_gaps + everywhere.closed_gaps)
    at.selectbox(key="period_county").set_value(county).run()
    assert not at.exception
    narrowed = period.changes(store, *YEAR, county=county)
    assert len(narrowed.new_gaps) + len(narrowed.closed_gaps) < len(everywhere.new_gaps) + len(everywhere.closed_gaps)
    assert_sections(at, narrowed)
    assert {g.county for g in narrowed.new_gaps} == {county}
    points = period.trend(store, YEAR[0], YEAR[1], county=county)
    assert [p.weak for p in points] != [p.weak for p in period.trend(store, *YEAR)]
    assert_trend(at, points)
    township = narrowed.new_gaps[0].township
    at.selectbox(key="period_township").set_value(township).run()
    assert_sections(at, period.changes(store, *YEAR, county=county, township=township))
    assert_trend(at, period.trend(store, *YEAR, county=county, township=township))


def test_the_rules_of_each_day_reach_the_changes(at: AppTest, store: GraphStore) -> None:
    choose_year(at)
    at.multiselect(key="period_policy").set_value(["pairing", "station"]).run()
    at.checkbox(key="period_rules_differ").check().run()
    at.number_input(key="period_days_from").set_value(180).run()
    assert not at.exception
    changes = period.changes(store, *YEAR, policy="pairing,station", policy_from="any", days_from=180)
    assert any(g.origin == period.RULE for g in changes.new_gaps)
    assert_sections(at, changes)


def test_a_custom_span_and_a_backwards_one(at: AppTest, store: GraphStore) -> None:
    at.radio(key="period_kind").set_value("custom").run()
    assert at.date_input(key="period_from").value == dt.date(2026, 9, 30)
    d1, d2 = dt.date(2025, 11, 1), dt.date(2026, 11, 1)
    at.date_input(key="period_from").set_value(d1).run()
    at.date_input(key="period_to").set_value(d2).run()
    assert not at.exception
    assert_sections(at, period.changes(store, d1, d2))
    at.date_input(key="period_to").set_value(d1).run()
    assert not at.exception
    assert [e.value for e in at.error] == [i18n.t("period.bad_span", d1=d1.isoformat(), d2=d1.isoformat())]
    assert not at.dataframe


def test_the_workbook_is_built_on_request_with_a_sheet_per_section(at: AppTest, store: GraphStore) -> None:
    from openpyxl import load_workbook

    choose_year(at)
    assert not at.get("download_button"), "the workbook is built only when asked"
    at.button(key="period_prepare").click().run()
    assert not at.exception
    (button,) = at.get("download_button")
    assert button.proto.id.endswith("period_dl_xlsx")
    data = at.session_state["period_export"][1]
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [s.zh for s in period_report.SECTIONS]
    changes = period.changes(store, *YEAR)
    for section in period_report.SECTIONS:
        ws = wb[section.zh]
        assert [c.value for c in ws[2]] == ["序号", *(c.header("zh") for c in section.columns)]
        assert ws.max_row - 2 == len(getattr(changes, section.key)), section.key
    new = wb["新增缺口"]
    assert [new.cell(row=r, column=2).value for r in range(3, new.max_row + 1)] == [
        g.village_id for g in changes.new_gaps
    ]
    # Another place is another report: the file built for the whole area is not offered for it.
    at.selectbox(key="period_county").set_value(changes.new_gaps[0].county).run()
    assert not at.get("download_button")


def test_the_page_in_english(at: AppTest, store: GraphStore) -> None:
    # Chosen first: AppTest formats an option with the test process's language, which is Chinese.
    choose_year(at)
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception
    assert at.radio(key="period_kind").value == "year"
    assert at.title[0].value == "Changes in a period"
    changes = period.changes(store, *YEAR, lang="en")
    subheaders = [s.value for s in at.subheader]
    assert f"New gaps ({len(changes.new_gaps)})" in subheaders
    new = tables(at)["new_gaps"]
    assert list(new.columns) == [c.header("en") for c in period_report.GAP_CHANGE_COLUMNS]
    assert list(new["Reason"]) == [g.reason for g in changes.new_gaps]


def test_last_full_periods_and_the_trend_start() -> None:
    assert period.last_full("month", dt.date(2026, 11, 1)) == (dt.date(2026, 9, 30), dt.date(2026, 10, 31))
    # A month is complete on its last day.
    assert period.last_full("month", dt.date(2026, 10, 31)) == (dt.date(2026, 9, 30), dt.date(2026, 10, 31))
    assert period.last_full("month", dt.date(2026, 1, 15)) == (dt.date(2025, 11, 30), dt.date(2025, 12, 31))
    assert period.last_full("quarter", dt.date(2026, 11, 1)) == (dt.date(2026, 6, 30), dt.date(2026, 9, 30))
    assert period.last_full("quarter", dt.date(2026, 3, 31)) == (dt.date(2025, 12, 31), dt.date(2026, 3, 31))
    assert period.last_full("year", dt.date(2026, 11, 1)) == YEAR
    assert period.last_full("year", dt.date(2026, 12, 31)) == (dt.date(2025, 12, 31), dt.date(2026, 12, 31))
    # The page and the 通报 start the trend alike: 12 monthly points end with D2's month.
    assert period.trend_start(dt.date(2026, 9, 30), dt.date(2026, 10, 31), 12) == dt.date(2025, 11, 1)
    assert (
        len(period.month_ends(period.trend_start(dt.date(2026, 9, 30), dt.date(2026, 10, 31)), dt.date(2026, 10, 31)))
        == 12
    )
    assert period.trend_start(*YEAR, 6) == YEAR[0]


HOSTILE_COUNTY = "**粗体** <script>alert(1)</script> [点我](javascript:alert(1))"
HOSTILE_TOWNSHIP = '=HYPERLINK("http://x","点我")'


def test_hostile_place_names_are_shown_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = seed_dataset()
    county = data.nodes["Village"][0]["county"]
    for row in data.nodes["Village"]:
        if row["county"] == county:
            row["county"] = HOSTILE_COUNTY
            row["township"] = HOSTILE_TOWNSHIP
    db = store_file(tmp_path / "hostile.lbug", data, USERS)
    at = page(db, monkeypatch)
    choose_year(at)
    at.selectbox(key="period_county").set_value(HOSTILE_COUNTY).run()
    at.selectbox(key="period_township").set_value(HOSTILE_TOWNSHIP).run()
    assert not at.exception
    # In Markdown (the caption) the names are escaped; in the tables (plain text) a formula is neutralised.
    where = md(f"{HOSTILE_COUNTY} / {HOSTILE_TOWNSHIP}")
    assert any(where in c.value for c in at.caption)
    changes = period.changes(state._open(db), *YEAR, county=HOSTILE_COUNTY, township=HOSTILE_TOWNSHIP)
    coverage = tables(at)["coverage"]
    assert len(coverage) == len(changes.coverage) == 1
    assert list(coverage["所属县"]) == [HOSTILE_COUNTY]
    assert list(coverage["所属乡镇"]) == [reports.neutralise(HOSTILE_TOWNSHIP)] != [HOSTILE_TOWNSHIP]


def test_the_report_that_goes_up_is_built_on_request_as_xlsx_and_pdf(at: AppTest, store: GraphStore) -> None:
    """The 通报 of the chosen period and place, filed by the unit typed in: its files carry the scope and the
    period in their names, its cover the figures of `period.changes`, its PDF the title and a new gap."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    choose_year(at)
    county = period.changes(store, *YEAR).new_gaps[0].county
    at.selectbox(key="period_county").set_value(county).run()
    at.text_input(key="period_unit").input("<b>组织部</b>").run()
    assert not [b for b in at.get("download_button") if "bulletin" in b.proto.id], "built only when asked"
    at.button(key="period_bulletin_prepare").click().run()
    assert not at.exception and not at.error
    assert sorted(b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button") if "bulletin" in b.proto.id) == [
        "period_dl_bulletin_pdf",
        "period_dl_bulletin_xlsx",
    ]
    files = at.session_state["period_bulletin"][1]
    changes = period.changes(store, *YEAR, county=county)
    stem = f"{county}_本期变化_{YEAR[0].isoformat()}_{YEAR[1].isoformat()}"
    assert (files["xlsx"][0], files["pdf"][0]) == (f"{stem}.xlsx", f"{stem}.pdf")
    cover = load_workbook(io.BytesIO(files["xlsx"][1])).worksheets[0]
    cells = [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    assert any("<b>组织部</b>" in c for c in cells), "the unit is shown as typed"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files["pdf"][1])).pages)
    assert "通报" in text and changes.new_gaps[0].village in text
    # Another unit is another report: the files built for the first are not offered for it.
    at.text_input(key="period_unit").input("另一单位").run()
    assert not [b for b in at.get("download_button") if "bulletin" in b.proto.id]
