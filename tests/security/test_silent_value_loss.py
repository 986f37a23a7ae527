"""Values that used to be lost on input without a word: legacy encodings read as GBK, formulas with
no saved value, merged cells, and negative counts and amounts. Each is now loaded right or refused
with a problem saying where."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import interchange
from graph.errors import Problem, ValidationError

TRADITIONAL = ["東崗村", "西嶺村", "張家灣村", "李家坪村", "黃泥塘村", "龍潭村", "鳳凰村", "雙溪村"]
SIMPLIFIED = ["东岗村", "西岭村", "张家湾村", "李家坪村", "黄泥塘村", "龙潭村", "凤凰村", "双溪村"]


def villages_csv(names: list[str], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["村编号", "村名", "类别"] if encoding != "big5" else ["id", "name", "tier"])
    writer.writerows([f"V{i}", name, "weak"] for i, name in enumerate(names, 1))
    return buffer.getvalue().encode(encoding)


def problems(call: Any, *args: Any) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value.problems


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [TRADITIONAL, TRADITIONAL[:1], ["台北村"]])
def test_a_big5_csv_is_refused_naming_the_encoding_never_mojibake(tmp_path: Path, names: list[str]) -> None:
    data = villages_csv(names, "big5")
    data.decode("gb18030")  # the hole: GB18030 decodes it without an error, into mojibake
    (problem,) = problems(interchange.read_bytes, data, "villages.csv")
    assert problem.file == "villages.csv" and "Big5" in problem.reason and "UTF-8" in problem.reason
    (tmp_path / "villages.csv").write_bytes(data)
    (problem,) = problems(interchange.read, tmp_path)
    assert problem.file == "villages.csv" and "Big5" in problem.reason
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("台账/villages.csv", data)
    (problem,) = problems(interchange.read_bytes, upload.getvalue(), "ledger.zip")
    assert problem.file == "ledger.zip:台账/villages.csv" and "Big5" in problem.reason


@pytest.mark.parametrize("names", [["山田村", "さくら村", "東京村"], ["山田村"]])
def test_a_shift_jis_csv_is_refused_naming_the_encoding(names: list[str]) -> None:
    text = "id,name,tier\r\n" + "".join(f"V{i},{n},weak\r\n" for i, n in enumerate(names, 1))
    (problem,) = problems(interchange.read_bytes, text.encode("shift_jis"), "villages.csv")
    assert problem.file == "villages.csv" and "Shift-JIS" in problem.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-be"])
def test_utf8_gbk_gb18030_and_utf16_still_load_exactly(encoding: str) -> None:
    names = [*SIMPLIFIED, "王喆村", "李堃村"]  # GBK beyond GB2312
    if encoding not in ("gbk",):
        names.append("𠀾䶮村")  # beyond GBK: GB18030's four-byte forms, and Unicode
    data = villages_csv(names, encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    read = interchange.read_bytes(data, "villages.csv")
    assert [r["name"] for r in read.nodes["Village"]] == names


# --- workbooks: formulas with no saved value, merged cells --------------------------------------


def _book(tmp_path: Path, build: Any) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "villages"
    build(sheet)
    path = tmp_path / "book.xlsx"
    book.save(path)  # openpyxl saves formulas without a computed value, as many generators do
    return path.read_bytes()


def test_a_formula_with_no_saved_value_is_reported_with_its_text(tmp_path: Path) -> None:
    def build(sheet: Any) -> None:
        sheet.append(["id", "name", "tier", "人口"])
        sheet.append(["V1", "东岗村", "weak", "=SUM(100,23)"])
        sheet.append(["V2", '=CONCATENATE("西岭","村")', "weak", 88])

    found = problems(interchange.read_bytes, _book(tmp_path, build), "book.xlsx")
    formulas = [p for p in found if "formula" in p.reason]
    assert [(p.file, p.row, p.column, p.value) for p in formulas] == [
        ("book.xlsx:villages", 2, "人口", "=SUM(100,23)"),
        ("book.xlsx:villages", 3, "name", '=CONCATENATE("西岭","村")'),
    ]


def test_formulas_whose_values_excel_saved_load_as_those_values(tmp_path: Path) -> None:
    def build(sheet: Any) -> None:
        sheet.append(["id", "name", "tier", "人口", "所属县"])
        sheet.append(["V1", "东岗村", "weak", "=SUM(100,23)", '=IF(1,"","x")'])

    data = _book(tmp_path, build)
    # What Excel writes once it has computed them: a number, and an empty text (not a missing value).
    saved = {
        b'<c r="D2"><f>SUM(100,23)</f><v /></c>': b'<c r="D2"><f>SUM(100,23)</f><v>123</v></c>',
        b'<c r="E2"><f>IF(1,"","x")</f><v /></c>': b'<c r="E2" t="str"><f>IF(1,"","x")</f><v></v></c>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"&quot;", b'"')
                for unsaved, written in saved.items():
                    assert unsaved in content
                    content = content.replace(unsaved, written)
            target.writestr(info, content)
    (village,) = interchange.read_bytes(out.getvalue(), "book.xlsx").nodes["Village"]
    assert (village["population"], village["county"]) == (123, None)


def test_merged_data_cells_give_every_row_their_value_and_are_noted(tmp_path: Path) -> None:
    def build(sheet: Any) -> None:
        sheet.append(["2024年结对台账"])  # a title row, merged across the table: harmless
        sheet.append(["id", "name", "tier", "所属县", "备注", "序号"])
        sheet.append(["V1", "东岗村", "weak", "青山县", "同上", 1])
        sheet.append(["V2", "西岭村", "weak", None, None, 2])
        sheet.append(["V3", "南坡村", "weak", "白水县", None, 3])
        sheet.merge_cells("A1:F1")
        sheet.merge_cells("D3:D4")
        sheet.merge_cells("E3:E5")  # a bookkeeping column (备注): skipped, its merge no one's concern

    path = tmp_path / "book.xlsx"
    path.write_bytes(_book(tmp_path, build))
    reading = interchange.inspect(path)
    assert reading.dataset is not None, reading.problems
    # openpyxl keeps a merged value only in the first cell: the second row must not read as blank.
    counties = {v["id"]: v["county"] for v in reading.dataset.nodes["Village"]}
    assert counties == {"V1": "青山县", "V2": "青山县", "V3": "白水县"}
    merged = [n for n in reading.report.notes if n.code == "merged_filled"]
    assert [(n.file, n.row, n.column) for n in merged] == [("book.xlsx:villages", 3, "所属县")]
    assert "D3:D4" in merged[0].text("en")


def test_a_clean_workbook_with_saved_values_still_loads(tmp_path: Path) -> None:
    def build(sheet: Any) -> None:
        sheet.append(["id", "name", "tier", "人口"])
        sheet.append(["V1", "东岗村", "weak", 123])

    read = interchange.read_bytes(_book(tmp_path, build), "book.xlsx")
    assert read.nodes["Village"][0]["population"] == 123


# --- numbers that cannot be negative ------------------------------------------------------------


def test_negative_funds_and_income_are_refused() -> None:
    ledger = io.BytesIO()
    with zipfile.ZipFile(ledger, "w") as archive:
        archive.writestr("villages.csv", "id,name,tier,村集体收入(万元)\nV1,东岗村,weak,-3.5\nV2,西岭村,weak,12\n")
        archive.writestr("communities.csv", "id,name,可结对数\nC1,幸福社区,2\n")
        archive.writestr("pairings.csv", "unit,village,since,帮扶资金(万元),实事项目数\nC1,V1,2024-01-01,-20,-1\n")
    found = {(p.file, p.column): p.reason for p in problems(interchange.read_bytes, ledger.getvalue(), "l.zip")}
    assert found == {
        ("l.zip:villages.csv", "村集体收入(万元)"): "must not be negative",
        ("l.zip:pairings.csv", "帮扶资金(万元)"): "must not be negative",
        ("l.zip:pairings.csv", "实事项目数"): "must not be negative",
    }


def test_negative_counts_in_a_workbook_and_impossible_birth_years_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    units = book.worksheets[0]
    units.title = "communities"
    units.append(["id", "name", "可结对数", "党员数", "班子人数"])
    units.append(["C1", "幸福社区", -2, -1.0, -7])
    cadres = book.create_sheet("cadres")
    cadres.append(["id", "name", "出生年份"])
    cadres.append(["P1", "张三", 85])
    cadres.append(["P2", "李四", "19855"])
    cadres.append(["P3", "王五", 1985])
    path = tmp_path / "units.xlsx"
    book.save(path)
    found = {(p.row, p.column): p.reason for p in problems(interchange.read, path)}
    assert found == {
        (2, "可结对数"): "must not be negative",
        (2, "党员数"): "must not be negative",
        (2, "班子人数"): "must not be negative",
        (2, "出生年份"): "must be between 1900 and 2100",
        (3, "出生年份"): "must be between 1900 and 2100",
    }
