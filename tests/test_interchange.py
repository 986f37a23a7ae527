"""The interchange format: reading real CSV folders and XLSX workbooks, validation, writing, round trips."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from graph import interchange
from graph.dataset import Dataset
from graph.errors import Problem, ValidationError
from graph.interchange import KnownNodes
from graph.model import COLUMN_RELS, NODE_BY_LABEL, NODES, REL_BY_FILE, Prop, PType
from tests.fixtures import assert_same_graph, workbook_bytes

Cells = Sequence[Sequence[Any]]


def write_csv(folder: Path, name: str, rows: Cells, encoding: str = "utf-8-sig") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = folder / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def problems_of(call: Any, *args: Any) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value.problems


def one_village(**values: Any) -> Cells:
    header = ["id", "name", "tier", *values]
    return [header, ["V1", "东岗村", "weak", *values.values()]]


# --- reading: headers, cells, values -----------------------------------------------------------


def test_chinese_headers_full_width_digits_and_stray_spaces(tmp_path: Path) -> None:
    write_csv(
        tmp_path,
        "villages.csv",
        [
            [
                "村编号",
                " 村名 ",
                "所属县",
                "所属乡镇",
                "类别",
                "后进原因",
                "人口",
                "村集体收入（万元）",
                "主导产业",
                "纬度",
            ],
            [
                "Ｖ００１",
                " 东岗村\u3000",
                "翠阳县",
                "永安镇",
                "软弱涣散村",
                "经济薄弱、无活动场所",
                "１，２３４",
                " 12.5 ",
                "茶叶；蔬菜",
                "－５．５",
            ],
            ["V002", "西岗村", "翠阳县", "", "强村", "", "", "", "", ""],
        ],
    )
    data = interchange.read(tmp_path)
    first, second = data.nodes["Village"]
    assert first["id"] == "V001"
    assert first["name"] == "东岗村"
    assert first["tier"] == "weak"
    assert first["weak_reasons"] == ["economy", "venue"]
    assert first["population"] == 1234
    assert first["collective_income"] == 12.5
    assert first["industries"] == ["茶叶", "蔬菜"]
    assert first["lat"] == -5.5
    assert second["township"] is None and second["population"] is None
    assert second["weak_reasons"] == [] and second["industries"] == []
    assert second["tier"] == "strong"
    assert set(first) == {p.name for p in NODE_BY_LABEL["Village"].stored}


def test_english_headers_are_case_insensitive_and_csv_may_lack_bom(tmp_path: Path) -> None:
    write_csv(tmp_path, "Villages.CSV", [["ID", "Name", "TIER"], ["V1", "东岗村", "Weak"]], encoding="utf-8")
    assert interchange.read(tmp_path).nodes["Village"][0]["tier"] == "weak"


@pytest.mark.parametrize(
    "written",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "２０２４年３月１日",
        " 2024-03-01 ",
        "20240301",
        "2024-03-01 00:00:00",
    ],
)
def test_date_formats(tmp_path: Path, written: str) -> None:
    write_csv(tmp_path, "villages.csv", one_village())
    write_csv(tmp_path, "communities.csv", [["编号", "社区名称"], ["C1", "幸福社区"]])
    write_csv(tmp_path, "pairings.csv", [["结对单位", "结对村", "开始日期"], ["C1", "V1", written]])
    link = interchange.read(tmp_path).links["PAIRED_WITH"][0]
    assert link["since"] == date(2024, 3, 1)
    assert (link["src"], link["src_label"], link["dst"], link["dst_label"]) == ("C1", "CityCommunity", "V1", "Village")


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2024-02-30", "no such date"),
        ("2024-13-01", "no such date"),
        ("1900-01-01", "outside 1949–2100"),
        ("soon", "not a date (expected 2024-03-01, 2024/3/1 or 2024年3月1日)"),
        ("2024年13月", "not a date"),  # 2024年3月 is a month: read as its first day (test_normalise)
    ],
)
def test_bad_dates(tmp_path: Path, written: str, reason: str) -> None:
    write_csv(tmp_path, "villages.csv", one_village())
    write_csv(tmp_path, "communities.csv", [["id", "name"], ["C1", "幸福社区"]])
    write_csv(tmp_path, "pairings.csv", [["unit", "village", "开始日期"], ["C1", "V1", written]])
    (problem,) = problems_of(interchange.read, tmp_path)
    assert (problem.file, problem.row, problem.column, problem.value) == ("pairings.csv", 2, "开始日期", written)
    assert reason in problem.reason


def test_value_words_as_ledgers_write_them(tmp_path: Path) -> None:
    write_csv(
        tmp_path,
        "villages.csv",
        [
            ["编号", "村名", "类别", "人口", "帮扶需求"],
            ["V1", "东岗村", "集体经济薄弱村", "暂无", "无"],
            ["V2", "西岭村", "示范村", "1200", "路"],
        ],
    )
    write_csv(tmp_path, "communities.csv", [["编号", "社区名称"], ["C1", "幸福社区"]])
    pairings = [
        ["结对单位", "结对村", "开始日期", "结束日期"],
        ["C1", "V1", "2023年3月", "至今"],
        ["C1", "V2", "2024.01-2026.01", ""],
        ["C1", "V1", "2024.3-至今", "—"],
    ]
    write_csv(tmp_path, "pairings.csv", pairings)
    reading = interchange.inspect(tmp_path)
    data = reading.dataset
    assert data is not None, reading.problems
    assert [(v["id"], v["tier"], v["population"], v["needs"]) for v in data.nodes["Village"]] == [
        ("V1", "weak", None, []),
        ("V2", "strong", 1200, ["路"]),
    ]
    assert [(p["dst"], p["since"], p["until"]) for p in data.links["PAIRED_WITH"]] == [
        ("V1", date(2023, 3, 1), None),
        ("V2", date(2024, 1, 1), date(2026, 1, 1)),
        ("V1", date(2024, 3, 1), None),
    ]
    notes = [n for n in reading.report.notes if n.code != "sheet_table"]  # each sheet's mapping, said once
    assert [(n.code, n.file, n.row, n.column, n.value, n.count) for n in notes] == [
        ("term_split", "pairings.csv", 3, "开始日期", "2024.01-2026.01", 2),
        ("month_date", "pairings.csv", 2, "开始日期", "2023年3月", 3),
        ("open_end", "pairings.csv", 2, "结束日期", "至今", 1),
        ("month_date", "pairings.csv", 3, "结束日期", "2026.01", 1),
        ("nothing_word", "pairings.csv", 4, "结束日期", "—", 1),
        ("nothing_word", "villages.csv", 2, "人口", "暂无", 1),
        ("nothing_word", "villages.csv", 2, "帮扶需求", "无", 1),
    ]
    assert reading.report.words == {"tier": {"集体经济薄弱村": "weak", "示范村": "strong"}}


@pytest.mark.parametrize("word", ["无", "暂无", "至今", "-", "／", "—"])
def test_text_that_is_a_value_word_reads_back_as_written(tmp_path: Path, word: str) -> None:
    data = Dataset()
    data.nodes["Village"].append(village_row("V1", word, tier="weak", needs=[word], county=word))
    interchange.write_folder(data, tmp_path / "csv")
    assert_same_graph(interchange.read(tmp_path / "csv"), data)
    interchange.write_xlsx(data, tmp_path / "ledger.xlsx")
    assert_same_graph(interchange.read(tmp_path / "ledger.xlsx"), data)


def village_row(id: str, name: str, **props: Any) -> dict[str, Any]:
    spec = NODE_BY_LABEL["Village"]
    return {**{p.name: [] if p.is_list else None for p in spec.stored}, "id": id, "name": name, **props}


def test_numbers_booleans_and_choices(tmp_path: Path) -> None:
    header = ["id", "name", "职工数", "是否建立党组织", "规模", "纬度"]
    rows = [
        ["E1", "一厂", "1,234", "是", "大型", "30"],
        ["E2", "二厂", "3.5", "maybe", "huge", "91"],
        ["E3", "三厂", "-2", "无", "small", "nan"],
        ["E4", "四厂", "12", "yes", "Medium", "1,5"],
    ]
    write_csv(tmp_path, "enterprises.csv", [header, *rows])
    found = {(p.row, p.column): p for p in problems_of(interchange.read, tmp_path)}
    assert found[3, "职工数"].reason == "not a whole number"
    assert found[3, "是否建立党组织"].reason.startswith("not a yes/no value")
    assert found[3, "规模"].reason.startswith("not one of large, medium, small, micro (or 大型")
    assert found[3, "纬度"].reason == "must be between -90 and 90"
    assert found[4, "职工数"].reason == "must not be negative"
    assert found[4, "纬度"].reason == "not a number"
    assert found[5, "纬度"].reason == "not a number"
    assert len(found) == 7

    write_csv(tmp_path, "enterprises.csv", [header, rows[0], [*rows[3][:5], ""]])
    first, fourth = interchange.read(tmp_path).nodes["Enterprise"]
    assert (first["employees"], first["has_party_org"], first["size"], first["lat"]) == (1234, True, "large", 30.0)
    assert (fourth["employees"], fourth["has_party_org"], fourth["size"]) == (12, True, "medium")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("是", True),
        ("否", False),
        ("有", True),
        ("无", False),
        ("yes", True),
        ("No", False),
    ],
)
def test_yes_no_spellings(tmp_path: Path, written: str, value: bool) -> None:
    write_csv(tmp_path, "enterprises.csv", [["id", "name", "有党组织"], ["E1", "一厂", written]])
    assert interchange.read(tmp_path).nodes["Enterprise"][0]["has_party_org"] is value


def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    """An unknown column is skipped and listed, with a near spelling if there is one; a missing required
    column still refuses the import."""
    write_csv(tmp_path, "villages.csv", [["编号", "村明", "类别", "人品"], ["V1", "东岗村", "强村", "x"]])
    reading = interchange.inspect(tmp_path)
    assert [(p.file, p.row, p.column) for p in reading.problems] == [("villages.csv", None, None)]
    assert reading.problems[0].reason.startswith("missing required column name (名称")
    (mapping,) = reading.report.mappings
    assert [(s.index, s.header, s.reason) for s in mapping.skipped_columns] == [
        (1, "村明", "column_unknown"),
        (3, "人品", "column_unknown"),
    ]
    unknown = [n for n in reading.report.notes if n.code == "column_unknown"]
    assert [(n.column, n.text()) for n in unknown] == [
        ("村明", "villages.csv, column 村明: an unknown column, skipped (村名?)"),
        ("人品", "villages.csv, column 人品: an unknown column, skipped (人口?)"),
    ]


def test_row_number_and_remark_columns_are_passed_over(tmp_path: Path) -> None:
    write_csv(
        tmp_path, "villages.csv", [["序号", "编号", "村名", "类别", "备注"], ["1", "V1", "东岗村", "强村", "新建"]]
    )
    village = interchange.read(tmp_path).nodes["Village"][0]
    assert (village["id"], village["name"], village["tier"]) == ("V1", "东岗村", "strong")
    assert "备注" not in village and "序号" not in village


def test_required_cells_blank_rows_and_headerless_values(tmp_path: Path) -> None:
    write_csv(
        tmp_path,
        "villages.csv",
        [["id", "name", "tier"], ["V1", "", "weak"], ["", "", ""], ["V2", "西村", "weak", "stray"]],
    )
    problems = problems_of(interchange.read, tmp_path)
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (2, "name", "name is required"),
        (4, None, "column D has values but no header"),
    ]


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    data = workbook_bytes(
        {"行政村": [["翠阳县行政村台账（2024年）"], [], ["村编号", "村名", "类别"], ["V1", "东岗村", "强村"]]}
    )
    (village,) = interchange.read_workbook_bytes(data, "台账.xlsx").nodes["Village"]
    assert village["id"] == "V1" and village["tier"] == "strong"


def test_huge_cells_and_control_characters(tmp_path: Path) -> None:
    write_csv(
        tmp_path, "villages.csv", [["id", "name", "tier"], ["V1", "东" * 10_001, "weak"], ["V2", "a\x01b", "weak"]]
    )
    problems = problems_of(interchange.read, tmp_path)
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (2, "name", "longer than 10,000 characters"),
        (3, "name", "contains control characters"),
    ]
    assert problems[0].value is not None and len(problems[0].value) < 300
    assert problems[1].value == "a\\x01b"


# --- references --------------------------------------------------------------------------------


def pairing_folder(tmp_path: Path, village_ref: str, unit_ref: str = "教育局") -> Path:
    write_csv(
        tmp_path,
        "villages.csv",
        [["id", "name", "tier"], ["V1", "东岗村", "weak"], ["V2", "西岗村", "weak"], ["V3", "西岗村", "strong"]],
    )
    write_csv(tmp_path, "organisations.csv", [["单位编号", "单位名称"], ["O1", "教育局"]])
    write_csv(tmp_path, "pairings.csv", [["结对单位", "结对村", "开始日期"], [unit_ref, village_ref, "2024-01-01"]])
    return tmp_path


def test_unique_names_resolve(tmp_path: Path) -> None:
    (link,) = interchange.read(pairing_folder(tmp_path, "东岗村")).links["PAIRED_WITH"]
    assert (link["src"], link["src_label"], link["dst"], link["dst_label"]) == ("O1", "Organisation", "V1", "Village")


def test_ambiguous_unknown_and_wrong_label_references(tmp_path: Path) -> None:
    (problem,) = problems_of(interchange.read, pairing_folder(tmp_path, "西岗村"))
    assert (problem.row, problem.column, problem.value) == (2, "结对村", "西岗村")
    assert "V2, V3" in problem.reason and "write the id" in problem.reason

    (problem,) = problems_of(interchange.read, pairing_folder(tmp_path, "北岗村"))
    assert problem.reason == "no Village has this id or name"

    (problem,) = problems_of(interchange.read, pairing_folder(tmp_path, "V1", unit_ref="V2"))
    assert (problem.column, problem.reason) == (
        "结对单位",
        "this is a Village, expected CityCommunity, Enterprise or Organisation",
    )


def test_known_nodes_from_a_dataset(tmp_path: Path) -> None:
    known = KnownNodes.from_dataset(interchange.read(pairing_folder(tmp_path, "东岗村")))
    assert known.nodes["Organisation"] == [("O1", "教育局")]
    assert len(known.nodes["Village"]) == 3


def test_references_to_nodes_already_in_the_store(tmp_path: Path) -> None:
    write_csv(tmp_path, "pairings.csv", [["unit", "village", "since"], ["教育局", "老村", "2024-01-01"]])
    known = KnownNodes({"Village": [("V9", "老村")], "Organisation": [("O1", "教育局")]})
    (link,) = interchange.read(tmp_path, known).links["PAIRED_WITH"]
    assert (link["src"], link["dst"], link["dst_label"]) == ("O1", "V9", "Village")
    # A village in the file with the same name makes the name ambiguous across file and store.
    write_csv(tmp_path, "villages.csv", [["id", "name", "tier"], ["V1", "老村", "weak"]])
    (problem,) = problems_of(interchange.read, tmp_path, known)
    assert "V1, V9" in problem.reason
    # An id the store holds under another label cannot be reused.
    write_csv(tmp_path, "villages.csv", [["id", "name", "tier"], ["O1", "新村", "weak"]])
    write_csv(tmp_path, "pairings.csv", [["unit", "village", "since"]])
    (problem,) = problems_of(interchange.read, tmp_path, known)
    assert (problem.column, problem.value) == ("id", "O1") and "Organisation" in problem.reason


def test_cadres_sent_by_becomes_a_link(tmp_path: Path) -> None:
    write_csv(tmp_path, "enterprises.csv", [["id", "name"], ["E1", "一厂"]])
    write_csv(
        tmp_path,
        "cadres.csv",
        [
            ["干部编号", "姓名", "驻村身份", "专长", "派出单位"],
            ["P1", "张三", "第一书记", "农技、电商", "一厂"],
            ["P2", "李四", "", "", ""],
        ],
    )
    data = interchange.read(tmp_path)
    assert data.nodes["Cadre"][0] == {
        "id": "P1",
        "name": "张三",
        "role": "first_secretary",
        "skills": ["农技", "电商"],
        "birth_year": None,
        "education": None,
    }
    assert data.links["SENT_BY"] == [{"src": "P1", "src_label": "Cadre", "dst": "E1", "dst_label": "Enterprise"}]


def duplicate_links_folder(folder: Path) -> Path:
    """An id given twice, a link given twice (by id and by name), one ending before it starts, one to itself."""
    write_csv(folder, "villages.csv", [["id", "name", "tier"], ["V1", "东村", "strong"], ["V2", "西村", "weak"]])
    write_csv(folder, "communities.csv", [["id", "name"], ["V2", "重号社区"]])
    write_csv(
        folder,
        "leads.csv",
        [
            ["强村", "后进村", "开始日期", "结束日期"],
            ["V1", "V2", "2024-01-01", ""],
            ["东村", "西村", "2024/1/1", ""],
            ["V1", "V2", "2023-01-01", "2022年1月1日"],
            ["V1", "V1", "2023-01-01", ""],
        ],
    )
    return folder


def test_duplicates_periods_and_self_links(tmp_path: Path) -> None:
    duplicate_links_folder(tmp_path)
    problems = problems_of(interchange.read, tmp_path)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("communities.csv", 2, "id", "V2"),
        ("leads.csv", 3, None, None),
        ("leads.csv", 4, "结束日期", "2022年1月1日"),
        ("leads.csv", 5, "后进村", "V1"),
    ]
    assert problems[0].reason.startswith("duplicate id (also villages.csv row 3)")
    assert problems[1].reason == "duplicate LEADS link: same leader, village, since as row 2"
    assert problems[2].reason == "ends before it starts (2023-01-01)"


def test_many_sheets_with_errors_give_one_error_listing_all(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        workbook_bytes(
            {
                "行政村": [
                    ["村编号", "村名", "类别", "人口"],
                    ["V1", "东村", "强村", 100],
                    ["V2", "西村", "好村", "很多"],
                ],
                "城市社区": [["编号", "社区名称", "可结对数"], ["C1", "幸福社区", 2.5]],
                "结对": [
                    ["结对单位", "结对村", "开始日期"],
                    ["C1", "V1", datetime(2024, 3, 1)],
                    ["C1", "V3", "2024-13-01"],
                ],
                "Sheet2": [],
            }
        )
    )
    with pytest.raises(ValidationError) as caught:
        interchange.read(path)
    found = [(p.file, p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [
        ("台账.xlsx:行政村", 3, "类别", "好村"),
        ("台账.xlsx:行政村", 3, "人口", "很多"),
        ("台账.xlsx:城市社区", 2, "可结对数", "2.5"),
        ("台账.xlsx:结对", 3, "结对村", "V3"),
        ("台账.xlsx:结对", 3, "开始日期", "2024-13-01"),
    ]
    message = str(caught.value)
    assert message.startswith("5 problems in the input:\n")
    assert "台账.xlsx:结对 row 3, column 开始日期: '2024-13-01': no such date" in message


def test_workbook_native_cells(tmp_path: Path) -> None:
    data = workbook_bytes(
        {
            "villages": [["id", "name", "tier", "population", "lat"], [1001, "东村", "weak", 250.0, 30]],
            "organisations": [["id", "name", "capacity"], ["O1", "教育局", 3]],
            "pairings": [
                ["unit", "village", "since", "last_activity", "funds"],
                ["O1", 1001, datetime(2024, 3, 1), date(2024, 6, 30), 12],
            ],
        }
    )
    result = interchange.read_bytes(data, "upload.xlsx")
    village = result.nodes["Village"][0]
    assert (village["id"], village["population"], village["lat"]) == ("1001", 250, 30.0)
    assert isinstance(village["lat"], float)
    (link,) = result.links["PAIRED_WITH"]
    assert (link["since"], link["last_activity"], link["funds"]) == (date(2024, 3, 1), date(2024, 6, 30), 12.0)


def test_unknown_sheet_and_old_xls() -> None:
    # A sheet matching no table is skipped and listed; a ledger of which no sheet is read is refused.
    (problem,) = problems_of(interchange.read_workbook_bytes, workbook_bytes({"说明": [["填表说明"]]}), "a.xlsx")
    assert problem.file == "a.xlsx" and problem.reason.startswith("no sheet or file is read as a ledger table")
    (problem,) = problems_of(interchange.read_workbook_bytes, b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls")
    assert ".xlsx" in problem.reason


# --- encodings, uploads ------------------------------------------------------------------------


def test_gbk_and_utf16_csv(tmp_path: Path) -> None:
    write_csv(tmp_path / "gbk", "行政村.csv", [["村编号", "村名", "类别"], ["V1", "东岗村", "后进村"]], encoding="gbk")
    assert interchange.read(tmp_path / "gbk").nodes["Village"][0]["name"] == "东岗村"
    text = "村编号\t村名\t类别\r\nV1\t东岗村\t后进村\r\n"
    (tmp_path / "u16").mkdir()
    (tmp_path / "u16" / "villages.csv").write_bytes(text.encode("utf-16"))
    assert interchange.read(tmp_path / "u16").nodes["Village"][0]["tier"] == "weak"


def test_undecodable_csv_is_a_problem(tmp_path: Path) -> None:
    tmp_path.joinpath("villages.csv").write_bytes(b"id,name\nV1,\xff\xfe\xff\n")
    (problem,) = problems_of(interchange.read, tmp_path)
    assert problem.file == "villages.csv" and "GB18030" in problem.reason


def test_unclosed_quote_and_single_csv_upload(tmp_path: Path) -> None:
    tmp_path.joinpath("villages.csv").write_bytes(b'id,name,tier\nV1,"East,weak\nV2,West,weak\n')
    (problem,) = problems_of(interchange.read, tmp_path)
    assert (problem.row, problem.column) == (2, None) and "never closed" in problem.reason
    upload = "村编号,村名,类别\r\nV1,东岗村,后进村\r\n".encode("gbk")
    assert interchange.read_bytes(upload, "行政村.csv").nodes["Village"][0]["tier"] == "weak"
    # Whatever its name: the header says it is the villages table.
    assert interchange.read_bytes(upload, "ledger.csv").nodes["Village"][0]["name"] == "东岗村"


def test_zip_upload_with_folder_and_gbk_names() -> None:
    class GbkName(zipfile.ZipInfo):
        """A member named the way Chinese Windows names them: GBK bytes, no UTF-8 flag."""

        def _encodeFilenameFlags(self) -> tuple[bytes, int]:
            return self.filename.encode("gbk"), self.flag_bits

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(GbkName("台账/行政村.csv"), "村编号,村名,类别\nV1,东岗村,强村\n".encode("gbk"))
        archive.writestr("__MACOSX/台账/._行政村.csv", b"\0\1junk")
        archive.writestr("台账/readme.txt", b"ignored")
    data = interchange.read_bytes(buffer.getvalue(), "upload.zip")
    assert data.nodes["Village"][0]["name"] == "东岗村"


def test_missing_files_mean_no_rows(tmp_path: Path) -> None:
    assert interchange.read(tmp_path).is_empty()
    (problem,) = problems_of(interchange.read, tmp_path / "nowhere")
    assert problem.reason == "no such file or folder"
    (tmp_path / "台账.xlsx").write_bytes(workbook_bytes({"行政村": [["村编号", "村名", "类别"]]}))
    (problem,) = problems_of(interchange.read, tmp_path)
    assert "台账.xlsx" in problem.reason
    assert interchange.read(tmp_path / "台账.xlsx").is_empty()


# --- writing -----------------------------------------------------------------------------------


def sample_dataset() -> Dataset:
    data = Dataset()
    village = {p.name: None for p in NODE_BY_LABEL["Village"].stored}
    data.nodes["Village"] = [
        {
            **village,
            "id": "V2",
            "name": '=HYPERLINK("http://x")',
            "tier": "weak",
            "weak_reasons": ["economy"],
            "industries": [],
            "needs": ["-技术", "资金"],
            "lat": -12.5,
            "lon": 100.25,
            "population": 3,
        },
        {
            **village,
            "id": "V1",
            "name": "'东岗村",
            "tier": "strong",
            "weak_reasons": [],
            "industries": ["茶叶"],
            "needs": [],
            "city": "=1+1市",
            "county": "@县",
            "township": "+镇",
        },
    ]
    cadre = {p.name: None for p in NODE_BY_LABEL["Cadre"].stored}
    data.nodes["Cadre"] = [{**cadre, "id": "P1", "name": "张三", "skills": ["'=x", "农技"], "birth_year": 1980}]
    org = {p.name: None for p in NODE_BY_LABEL["Organisation"].stored}
    data.nodes["Organisation"] = [{**org, "id": "O1", "name": "教育局", "resources": [], "capacity": 2}]
    data.links["SENT_BY"] = [{"src": "P1", "src_label": "Cadre", "dst": "O1", "dst_label": "Organisation"}]
    pairing = {"form": "assigned", "funds": 1.5, "projects": 2, "last_activity": None, "until": None}
    data.links["PAIRED_WITH"] = [
        {
            "src": "O1",
            "src_label": "Organisation",
            "dst": "V2",
            "dst_label": "Village",
            "since": date(2024, 1, 1),
            **pairing,
        },
        {
            "src": "O1",
            "src_label": "Organisation",
            "dst": "V2",
            "dst_label": "Village",
            "since": date(2020, 1, 1),
            **pairing,
            "until": date(2023, 12, 31),
        },
    ]
    return data


def test_formula_like_cells_are_neutralised_and_read_back(tmp_path: Path) -> None:
    data = sample_dataset()
    interchange.write_folder(data, tmp_path / "out")
    raw = (tmp_path / "out" / "villages.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "name", "city", "county"]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id["V2"]["name"] == '\'=HYPERLINK("http://x")'
    assert by_id["V2"]["needs"] == "'-技术;资金"
    assert by_id["V2"]["lat"] == "-12.5"  # numbers stay numbers
    assert by_id["V1"]["name"] == "''东岗村"
    assert (by_id["V1"]["city"], by_id["V1"]["county"], by_id["V1"]["township"]) == ("'=1+1市", "'@县", "'+镇")
    assert [r[0] for r in rows[1:]] == ["V1", "V2"]
    cadres = list(csv.reader(io.StringIO((tmp_path / "out" / "cadres.csv").read_text("utf-8-sig"))))
    assert cadres[0][-1] == "sent_by" and cadres[1][-1] == "O1"
    assert_same_graph(interchange.read(tmp_path / "out"), data)

    interchange.write_xlsx(data, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = book["villages"]
    names = {sheet.cell(r, 1).value: sheet.cell(r, 2) for r in range(2, 4)}
    assert names["V2"].value == '\'=HYPERLINK("http://x")' and names["V2"].data_type == "s"
    lat_column = [c.value for c in sheet[1]].index("lat") + 1
    assert sheet.cell(3, lat_column).value == -12.5
    assert book["pairings"].cell(2, 3).value == datetime(2020, 1, 1)
    assert_same_graph(interchange.read(tmp_path / "out.xlsx"), data)


def test_output_is_byte_stable(tmp_path: Path) -> None:
    data = sample_dataset()
    interchange.write_folder(data, tmp_path / "a")
    data.nodes["Village"].reverse()
    data.links["PAIRED_WITH"].reverse()
    interchange.write_folder(data, tmp_path / "b")
    for name in ("villages.csv", "pairings.csv", "stations.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    interchange.write_xlsx(data, tmp_path / "a.xlsx")
    interchange.write_xlsx(sample_dataset(), tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


# --- round trip: write → read gives the same Dataset -------------------------------------------

_FREE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
_SPECIAL = ["=1+2", "+86 10", "-x", "@home", "'=quoted", "'", "''", "'plain", "#N/A", "东岗村", "true", "0012", "1e5"]
TEXT = st.one_of(
    st.text(_FREE, min_size=1, max_size=10).filter(lambda s: s == s.strip() and s != ""), st.sampled_from(_SPECIAL)
)
ELEMENT = TEXT.filter(lambda s: not any(c in s for c in ";；,，、"))
IDS = st.text("AVCEOPxy09-_村社=+'", min_size=1, max_size=5)


def value_of(prop: Prop) -> st.SearchStrategy[Any]:
    if prop.type is PType.STRINGS:
        if prop.choices:
            return st.lists(st.sampled_from(prop.choices), unique=True, max_size=3)
        return st.lists(ELEMENT, unique=True, max_size=3)
    if prop.choices:
        plain: st.SearchStrategy[Any] = st.sampled_from(prop.choices)
    elif prop.type is PType.STRING:
        plain = TEXT
    elif prop.type is PType.INT:
        # Within the model's bounds (counts are not negative, birth years have four digits).
        low = 0 if prop.minimum is None else int(prop.minimum)
        plain = st.integers(low, 2**63 - 1 if prop.maximum is None else int(prop.maximum))
    elif prop.type is PType.FLOAT:
        plain = st.floats(prop.minimum, prop.maximum, allow_nan=False, allow_infinity=False)
    elif prop.type is PType.BOOL:
        plain = st.booleans()
    else:
        plain = st.dates(date(1949, 1, 1), date(2100, 12, 31))
    return plain if prop.required else st.none() | plain


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    data = Dataset()
    sizes = {n.label: draw(st.integers(0, 3)) for n in NODES}
    ids = iter(draw(st.lists(IDS, unique=True, min_size=sum(sizes.values()), max_size=sum(sizes.values()))))
    for spec in NODES:
        for _ in range(sizes[spec.label]):
            row = {p.name: draw(value_of(p)) for p in spec.stored}
            data.nodes[spec.label].append({**row, "id": next(ids)})
    by_label = {label: [r["id"] for r in rows] for label, rows in data.nodes.items()}

    def ends(labels: Sequence[str]) -> list[tuple[str, str]]:
        return [(node_id, label) for label in labels for node_id in by_label[label]]

    for rel in COLUMN_RELS:
        # A link written as a column of its node's file: one end each, where the column may be blank.
        (label,) = rel.src_labels
        finishes = ends(rel.dst_labels)
        if rel.dst.required and not finishes:
            data.nodes[label] = []  # a need must name its village: none without villages
            continue
        for node_id in [r["id"] for r in data.nodes[label]]:
            end = draw(st.sampled_from(finishes) if rel.dst.required else st.none() | st.sampled_from(finishes))
            if end is not None:
                data.links[rel.type].append({"src": node_id, "src_label": label, "dst": end[0], "dst_label": end[1]})
    by_label = {label: [r["id"] for r in rows] for label, rows in data.nodes.items()}
    for rel in REL_BY_FILE.values():
        starts, finishes = ends(rel.src_labels), ends(rel.dst_labels)
        if not starts or not finishes:
            continue
        seen = set()
        for _ in range(draw(st.integers(0, 3))):
            (src, src_label), (dst, dst_label) = draw(st.sampled_from(starts)), draw(st.sampled_from(finishes))
            props = {p.name: draw(value_of(p)) for p in rel.props}
            if "until" in props and props["until"] is not None and props["until"] < props["since"]:
                props["until"] = props["since"]
            key = (src, dst, *(props[k] for k in rel.key))
            if src == dst or key in seen:
                continue
            seen.add(key)
            data.links[rel.type].append(
                {"src": src, "src_label": src_label, "dst": dst, "dst_label": dst_label, **props}
            )
    return data


ROUND_TRIP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(data=datasets())
def test_csv_round_trip(tmp_path_factory: pytest.TempPathFactory, data: Dataset) -> None:
    folder = tmp_path_factory.mktemp("csv")
    interchange.write_folder(data, folder)
    assert_same_graph(interchange.read(folder), data)


@settings(ROUND_TRIP, max_examples=15)
@given(data=datasets())
def test_xlsx_round_trip(tmp_path_factory: pytest.TempPathFactory, data: Dataset) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "ledger.xlsx"
    interchange.write_xlsx(data, path)
    assert_same_graph(interchange.read(path), data)


# --- garbage in: only ValidationError comes out ------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def xlsx_safe(cell: str) -> str:
    """The text an XLSX can hold (no control characters), not read as a formula by openpyxl."""
    return ILLEGAL_CHARACTERS_RE.sub("", cell).lstrip("=")


def only_validation_errors(call: Any, *args: Any) -> None:
    try:
        call(*args)
    except ValidationError as exc:
        assert exc.problems


@FUZZ
@given(content=st.binary(max_size=400), name=st.sampled_from(["villages.csv", "pairings.csv", "cadres.csv"]))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, content: bytes, name: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / name).write_bytes(content)
    only_validation_errors(interchange.read, folder)
    only_validation_errors(interchange.read_workbook_bytes, content, "x.xlsx")
    only_validation_errors(interchange.read_zip_bytes, content, "x.zip")
    only_validation_errors(interchange.read_bytes, b"PK\x03\x04" + content, "x.zip")


ANY_CELL = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["V1", "V2", "C1", "东岗村", "2024-01-01", "2024/2/30", "强村", "1,234", "３.５", "'=1", ";;", "是", "-1", "1e999"]
)


@settings(FUZZ, max_examples=40)
@given(
    header=st.lists(st.sampled_from(["id", "name", "tier", "村名", "人口", "lat", "后进原因", "x", ""]), max_size=6),
    body=st.lists(st.lists(ANY_CELL, max_size=7), max_size=5),
    links=st.lists(st.lists(ANY_CELL, min_size=3, max_size=4), max_size=4),
)
def test_random_cells(
    tmp_path_factory: pytest.TempPathFactory, header: list[str], body: list[list[str]], links: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("cells")
    write_csv(folder, "villages.csv", [header, *body])
    write_csv(folder, "communities.csv", [["id", "name"], ["C1", "幸福社区"]])
    write_csv(folder, "pairings.csv", [["unit", "village", "since", "until"], *links])
    only_validation_errors(interchange.read, folder)
    sheets = {"villages": [header, *body], "pairings": [["unit", "village", "since", "until"], *links]}
    sheets = {name: [[xlsx_safe(c) for c in row] for row in rows] for name, rows in sheets.items()}
    only_validation_errors(interchange.read_workbook_bytes, workbook_bytes(sheets), "cells.xlsx")


@settings(FUZZ, max_examples=30)
@given(
    cells=st.lists(
        st.lists(
            st.none() | st.integers() | st.floats() | st.booleans() | st.datetimes() | ANY_CELL.map(xlsx_safe),
            min_size=4,
            max_size=4,
        ),
        max_size=4,
    )
)
def test_random_workbook_values(cells: list[list[Any]]) -> None:
    sheets = {
        "villages": [["id", "name", "tier", "population"], *cells],
        "leads": [["leader", "village", "since"], *cells],
    }
    only_validation_errors(interchange.read_workbook_bytes, workbook_bytes(sheets), "values.xlsx")


def test_problem_and_error_text() -> None:
    problem = Problem("villages.csv", 7, "开始日期", "2024-13-01", "not a date")
    assert str(problem) == "villages.csv row 7, column 开始日期: '2024-13-01': not a date"
    assert str(Problem("villages.csv", None, None, None, "missing")) == "villages.csv: missing"
    error = ValidationError([problem, problem])
    assert str(error).splitlines() == ["2 problems in the input:", str(problem), str(problem)]
