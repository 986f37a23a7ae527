"""XLSX and CSV reports: title, headers in both languages, frozen header, filter, rows, BOM, no formulas."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from graph import gap_lists, reports
from graph.gaps import CoverageRow, GapRow

ROWS = [
    GapRow(
        "v1", '=HYPERLINK("x")', "甲县", "一镇", ("economy", "venue"), 0, 0, 0, 0, (), ("pairing", "station"), "+甲市"
    ),
    GapRow("v2", "二村", "甲县", None, (), 1, 0, 0, 0, ("pairing",), ("station",)),
]
ASOF = dt.date(2026, 11, 1)


def _sheet(data: bytes) -> Any:
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    return ws


def test_xlsx_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "gaps.xlsx"
    filters = {"county": "甲县", "township": None, "policy": ("pairing", "station")}
    reports.write_report(ROWS, gap_lists.GAP_COLUMNS, path, "xlsx", "后进村帮扶缺口名单", "zh", ASOF, filters)
    ws = _sheet(path.read_bytes())
    title = ws["A1"].value
    assert title == "后进村帮扶缺口名单（截至 2026-11-01；县：甲县；覆盖要求：城乡结对、驻村干部）"
    headers = [c.value for c in ws[2]]
    assert headers[:8] == ["村编号", "村名", "所属市", "所属县", "所属乡镇", "后进原因", "现有帮扶", "缺少帮扶"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:L{len(ROWS) + 2}"
    first = [c.value for c in ws[3]]
    # Formula text is neutralised; lists are joined with 、 and codes shown in Chinese.
    assert first[:8] == [
        "v1",
        '\'=HYPERLINK("x")',
        "'+甲市",
        "甲县",
        "一镇",
        "经济薄弱、无活动场所",
        None,
        "城乡结对、驻村干部",
    ]
    assert ws["I4"].value == 1 and ws["C4"].value is None
    assert ws.max_row == 4
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABCDEFG")
    assert ws.column_dimensions["F"].width > ws.column_dimensions["A"].width


def test_xlsx_in_english_to_a_buffer() -> None:
    buf = io.BytesIO()
    rows = [CoverageRow("甲县", None, 4, 3, 1, 2, 1, 0, 1, city="甲市")]
    columns = [c for c in gap_lists.COVERAGE_COLUMNS if c.key != "township"]
    reports.write_report(rows, columns, buf, "xlsx", "Coverage of weak villages", "en", ASOF, {"by": "county"})
    ws = _sheet(buf.getvalue())
    assert ws["A1"].value == "Coverage of weak villages (as of 2026-11-01; by: county)"
    assert [c.value for c in ws[2]] == [
        "City",
        "County",
        "Weak villages",
        "Covered",
        "Not covered",
        "Coverage rate",
        "With pairing",
        "With lead",
        "With fusion",
        "With stationed cadre",
    ]
    assert [c.value for c in ws[3]] == ["甲市", "甲县", 4, 3, 1, 0.75, 2, 1, 0, 1]
    assert ws["F3"].number_format == "0.0%"
    assert reports.csv_text(rows, columns, "en").splitlines()[1] == "甲市,甲县,4,3,1,75.0%,2,1,0,1"


def test_csv_has_a_bom_and_no_formulas(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    reports.write_report(ROWS, gap_lists.GAP_COLUMNS, path, "csv", "x", "zh")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("村编号,村名,所属市,所属县")
    assert lines[1].startswith('v1,"\'=HYPERLINK(""x"")",\'+甲市,甲县,一镇,经济薄弱、无活动场所,,城乡结对、驻村干部')
    english = reports.csv_text(ROWS, gap_lists.GAP_COLUMNS, "en").splitlines()
    assert english[0].startswith("Village ID,Village,City,County,Township,Weak reasons")
    assert english[1].split(",")[5] == "economy、venue"


def test_bad_format_or_language() -> None:
    with pytest.raises(ValueError, match="report format"):
        reports.write_report(ROWS, gap_lists.GAP_COLUMNS, io.BytesIO(), "pdf", "x")
    with pytest.raises(ValueError, match="lang"):
        reports.write_report(ROWS, gap_lists.GAP_COLUMNS, io.BytesIO(), "csv", "x", "fr")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_neutralise(text: str) -> None:
    assert reports.neutralise(text) == "'" + text
    assert reports.neutralise("一村") == "一村"
