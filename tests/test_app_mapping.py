"""The 数据 page's mapping panel under AppTest: a workbook whose column detection is wrong is corrected in the
panel, validates and imports; the saved template is reused; hostile sheet text stays text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, explore
from graph.interchange import parse_template
from graph.ui import i18n, mapping_panel, state
from graph.ui.text import md
from tests.fixtures import app_test, store_file

TIMEOUT = 120
ADMIN, ADMIN_PASSWORD = "测试管理员", "admin-password-1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_HEADER = "**粗** <script>alert(1)</script> [x](javascript:alert(1))"


def ledger_bytes(title: str = "行政村", township: str = "片区", extra: str | None = None) -> bytes:
    """Villages under a title row, the township column headed 片区 (which no table knows)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(["翠阳县行政村名录（2025年12月）"])
    sheet.append(["编号", "名称", "所属县", township, "类别", *([extra] if extra else [])])
    sheet.append(["VM1", "测试映射村", "翠阳县", "映射镇", "后进村", *(["x"] if extra else [])])
    sheet.append(["VM2", "测试映射二村", "翠阳县", "映射镇", "一般村", *(["y"] if extra else [])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return store_file(tmp_path / "mapping.lbug", "county", [(ADMIN, ADMIN_PASSWORD, accounts.ADMIN)])


def _data_page(db: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    at = app_test(db, monkeypatch, user=ADMIN, timeout=TIMEOUT)
    at.run()
    at.switch_page("graph/ui/data_page.py").run()
    assert not at.exception
    return at


TOWNSHIP = mapping_panel.column_key(0, "villages", 3)


def test_a_wrong_column_is_corrected_in_the_panel_and_imports(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _data_page(db, monkeypatch)
    at.file_uploader(key="data_upload").upload("county.xlsx", ledger_bytes(), XLSX).run()
    assert not at.exception
    # Detected: 片区 is unknown, so it is skipped and said so; the villages would go in without their township.
    assert not at.error and at.success
    column = at.selectbox(key=TOWNSHIP)
    assert column.value is None  # not recognised: the admin chooses
    assert "所属乡镇（township）" in column.options  # the model's Chinese word with the field
    assert at.selectbox(key=mapping_panel.table_key(0)).value == "villages"
    # The first rows of the sheet are previewed, title row included.
    previews = [f for f in (d.value for d in at.dataframe) if {i18n.t("mapping.col_row"), "D"} <= set(f.columns)]
    assert list(previews[0][i18n.t("mapping.col_row")]) == [1, 2, 3, 4]
    assert list(previews[0]["D"]) == ["", "片区", "映射镇", "映射镇"]
    column.set_value("township").run()
    assert not at.exception and not at.error
    assert at.info and at.info[0].value == i18n.t("mapping.corrected")
    assert at.success and "Village 2" in at.success[0].value
    store = state._open(db)
    assert not explore.search(store, "测试映射村")
    at.button(key="data_import").click().run()
    assert not at.exception
    [hit] = explore.search(store, "测试映射村")
    assert hit.id == "VM1"
    [row] = [v for v in store.dump().nodes["Village"] if v["id"] == "VM1"]
    assert (row["township"], row["tier"]) == ("映射镇", "weak")
    saved = parse_template(at.session_state[mapping_panel.SAVED])
    assert saved.sheets["行政村"].columns["片区"] == "township"
    assert saved.sheets["行政村"].table == "villages"


def test_the_saved_template_is_reused_next_month(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _data_page(db, monkeypatch)
    at.file_uploader(key="data_upload").upload("county.xlsx", ledger_bytes(), XLSX).run()
    at.selectbox(key=TOWNSHIP).set_value("township").run()
    toml = at.session_state[mapping_panel.SAVED]
    assert at.get("download_button")
    # Next month, a new session: the ledger and the saved template, no correction by hand.
    again = _data_page(db, monkeypatch)
    again.file_uploader(key="data_upload").upload("county-2026-01.xlsx", ledger_bytes(), XLSX).run()
    assert again.selectbox(key=TOWNSHIP).value is None  # without the template, 片区 is not read
    again.file_uploader(key=mapping_panel.TEMPLATE_UPLOAD).upload(
        "county.mapping.toml", toml.encode("utf-8"), "application/toml"
    ).run()
    assert not again.exception and not again.error
    assert again.success and "Village 2" in again.success[0].value
    assert again.selectbox(key=TOWNSHIP).value == "township"


def test_a_bad_template_upload_is_refused_with_its_problems(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _data_page(db, monkeypatch)
    at.file_uploader(key="data_upload").upload("county.xlsx", ledger_bytes(), XLSX).run()
    bad = '[sheets."行政村"]\ntable = "village"\n'.encode()
    at.file_uploader(key=mapping_panel.TEMPLATE_UPLOAD).upload("bad.toml", bad, "application/toml").run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any(m.startswith(i18n.t("mapping.template_bad")) and "bad.toml" in m for m in messages)


def test_a_sheet_read_as_another_table_and_a_column_skipped(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A county-named sheet (花名册 hints at a roster) is read by its header as villages; the admin says it is
    # the communities table instead, then says 备用 (unknown, skipped with a note) is to be skipped for good.
    at = _data_page(db, monkeypatch)
    data = ledger_bytes(title="村情花名册", township="所属乡镇", extra="备用")
    at.file_uploader(key="data_upload").upload("county.xlsx", data, XLSX).run()
    assert at.selectbox(key=mapping_panel.table_key(0)).value == "villages"
    assert "Village 2" in at.success[0].value
    at.selectbox(key=mapping_panel.table_key(0)).set_value("communities").run()
    assert not at.exception
    assert "CityCommunity 2" in at.success[0].value  # 类别 is no column of a community: skipped, noted
    at.selectbox(key=mapping_panel.table_key(0)).set_value("villages").run()
    at.selectbox(key=mapping_panel.column_key(0, "villages", 5)).set_value("").run()
    assert not at.exception and not at.error
    assert "Village 2" in at.success[0].value
    saved = parse_template(at.session_state[mapping_panel.SAVED])
    assert saved.sheets["村情花名册"].columns["备用"] is None


def test_hostile_sheet_titles_and_headers_stay_text(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _data_page(db, monkeypatch)
    data = ledger_bytes(title=HOSTILE_TITLE, township=HOSTILE_HEADER)
    at.file_uploader(key="data_upload").upload("county.xlsx", data, XLSX).run()
    assert not at.exception
    at.selectbox(key=mapping_panel.table_key(0)).set_value("villages").run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert any(md(HOSTILE_TITLE) in m for m in shown)
    assert not any(re.search(r"(?<!\\)<", m) for m in shown)
    labels = [s.label for s in at.selectbox]
    assert any(md(HOSTILE_HEADER) in label for label in labels)
    assert not any(re.search(r"(?<!\\)<", label) for label in labels)
    # In dataframes the text is itself, as written.
    headers = {h for f in (d.value for d in at.dataframe) for h in f.get(i18n.t("mapping.col_header"), [])}
    assert HOSTILE_HEADER in headers


def test_the_panel_speaks_english(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _data_page(db, monkeypatch)
    at.session_state["lang"] = "en"
    at.file_uploader(key="data_upload").upload("county.xlsx", ledger_bytes(), XLSX).run()
    assert not at.exception
    assert i18n.t("mapping.title", "en") in [h.value for h in at.subheader]
    assert "township (所属乡镇)" in at.selectbox(key=TOWNSHIP).options


def test_two_columns_read_the_wrong_way_round_are_swapped(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The county wrote its townships under 所属县 and its county under 所属乡镇: detection reads both wrong.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政村"
    sheet.append(["编号", "名称", "所属县", "所属乡镇", "类别"])
    sheet.append(["VS1", "测试互换村", "互换镇", "翠阳县", "后进村"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = _data_page(db, monkeypatch)
    at.file_uploader(key="data_upload").upload("swapped.xlsx", buffer.getvalue(), XLSX).run()
    assert not at.error and at.success  # wrong, but nothing refuses it: only the mapping shows it
    assert at.selectbox(key=mapping_panel.column_key(0, "villages", 2)).value == "county"
    at.selectbox(key=mapping_panel.column_key(0, "villages", 2)).set_value("township").run()
    assert not at.exception
    at.selectbox(key=mapping_panel.column_key(0, "villages", 3)).set_value("county").run()
    assert not at.exception and not at.error
    at.button(key="data_import").click().run()
    assert not at.exception
    [row] = [v for v in state._open(db).dump().nodes["Village"] if v["id"] == "VS1"]
    assert (row["county"], row["township"]) == ("翠阳县", "互换镇")
