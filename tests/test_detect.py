"""Detection on workbooks kept the way counties keep them: each quirk, the exact mapping it gives.

Workbooks are built with openpyxl in normal mode (real merges, hidden sheets and columns), read by
`_sources` as an upload is, and detected sheet by sheet.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import interchange
from graph.interchange import _sources
from graph.interchange._detect import _find, detect
from graph.interchange._headers import FIELDS, fold_header
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import FieldRef, Report, SheetMapping, SheetTemplate, mapping_json
from graph.interchange._sources import Loaded, Sheet
from graph.model import FILES
from tests.fixtures import seed_dataset

Build = Callable[[Any], None]


def book_bytes(*sheets: tuple[str, Build]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, build in sheets:
        build(book.create_sheet(title))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str = "ledger.xlsx") -> Loaded:
    loaded = Loaded()
    _sources.read_workbook(data, name, loaded)
    assert not loaded.problems, loaded.problems
    return loaded


def detected(
    data: bytes, templates: dict[str, SheetTemplate] | None = None
) -> tuple[dict[str, SheetMapping], Report, ProblemLog, dict[str, Sheet]]:
    loaded = read(data)
    report = Report()
    problems = ProblemLog()
    mappings = {}
    for sheet in loaded.sheets:
        mappings[sheet.title] = detect(sheet, (templates or {}).get(sheet.title), problems, report)
    return mappings, report, problems, {s.title: s for s in loaded.sheets}


def columns(mapping: SheetMapping) -> list[tuple[int, str, str, str]]:
    return [(c.index, c.header, c.ref.text(mapping.table), c.how) for c in mapping.columns]


def skipped(mapping: SheetMapping) -> list[tuple[int, str, str]]:
    return [(s.index, s.header, s.reason) for s in mapping.skipped_columns]


def rows_of(sheet: Any, rows: list[list[Any]]) -> None:
    for row in rows:
        sheet.append(row)


# --- a pairing ledger: titles, a two-level header, merged townships, subtotals and footers --------

TITLE = "青山县城乡结对共建工作台账（截至2025年12月31日）"
FILLED = "表5：结对共建情况  填报单位（盖章）：青山县委组织部  填报日期：2026年1月8日"


def pairing_ledger(sheet: Any) -> None:
    rows_of(
        sheet,
        [
            [TITLE],
            [FILLED],
            ["序号", "街道（乡镇）", "村名", "结对单位", None, "帮扶情况", None, None, "结对时间", "备注"],
            [None, None, None, "名称", "类型", "项目数", "资金（万元）", "最近活动", None, None],
            [1, "城关镇", "幸福村", "区财政局", "机关", 2, 10, "2025.11", "2024.01", None],
            [2, None, "东岗村", "幸福社区", "社区", 1, 5, "2025.10", "2024.03", None],
            [3, None, "西岭村", "青山建材公司", "企业", 0, 3, "2025.9", "2024.05", "新结对"],
            [None, None, "小计", None, None, 3, 18, None, None, None],
            [4, "白水镇", "幸福村", "区教育局、区卫健局", "机关", 1, 2, "2025.12", "2023.3", None],
            [None, None, None, None, None, None, None, None, None, None],
            ["合计", None, None, None, None, 4, 20, None, None, None],
            ["注：1. 资金单位为万元；2. 结对时间以协议签订时间为准。"],
            ["2. 本表由各乡镇汇总后报送。"],
            ["填表人：张三", None, None, "审核人：李四", None, None, "联系电话：0571-1234567"],
        ],
    )
    sheet.merge_cells("A1:J1")
    sheet.merge_cells("A2:J2")
    for column in "ABCIJ":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("D3:E3")
    sheet.merge_cells("F3:H3")
    sheet.merge_cells("B5:B7")  # a township merged down over its villages
    sheet.merge_cells("A11:C11")
    sheet.merge_cells("A12:J12")
    sheet.merge_cells("A13:J13")


def test_a_pairing_ledger_with_titles_two_level_header_merged_townships_and_footers() -> None:
    mappings, report, problems, sheets = detected(book_bytes(("结对共建台账", pairing_ledger)))
    mapping = mappings["结对共建台账"]
    assert not problems
    assert (mapping.table, mapping.header_rows, mapping.skipped) == ("pairings", [3, 4], None)
    assert columns(mapping) == [
        (1, "街道（乡镇）", "village.township", "alias"),
        (2, "村名", "village", "alias"),
        (3, "结对单位/名称", "unit", "alias"),
        (4, "结对单位/类型", "unit.label", "alias"),
        (5, "帮扶情况/项目数", "projects", "alias"),
        (6, "帮扶情况/资金（万元）", "funds", "alias"),
        (7, "帮扶情况/最近活动", "last_activity", "alias"),
        (8, "结对时间", "since", "alias"),
    ]
    assert skipped(mapping) == [(0, "序号", "column_ignored"), (9, "备注", "column_ignored")]
    assert mapping.data_rows == [5, 6, 7, 9]
    assert mapping.skipped_rows == [
        (1, "title_row", TITLE),
        (2, "title_row", FILLED),
        (8, "footer_row", "小计  3  18"),
        (11, "footer_row", "合计  4  20"),
        (12, "footer_row", "注：1. 资金单位为万元；2. 结对时间以协议签订时间为准。"),
        (13, "footer_row", "2. 本表由各乡镇汇总后报送。"),
        (14, "footer_row", "填表人：张三  审核人：李四  联系电话：0571-1234567"),
    ]
    assert mapping.metadata == {"filled_on": "2026-01-08", "filled_by": "青山县委组织部"}
    assert report.metadata == mapping.metadata
    # The merged township is every one of its villages' township; the blank row 10 is not a row at all.
    sheet = sheets["结对共建台账"]
    township = {n: row[1] for n, row in zip(sheet.numbers, sheet.rows, strict=True) if n in mapping.data_rows}
    assert township == {5: "城关镇", 6: "城关镇", 7: "城关镇", 9: "白水镇"}
    assert 10 not in sheet.numbers
    # The header's parents cover their children: 结对单位 is over both 名称 and 类型.
    assert list(sheet.rows[2][3:8]) == ["结对单位", "结对单位", "帮扶情况", "帮扶情况", "帮扶情况"]
    codes = [(n.code, n.row, n.column) for n in report.notes]
    assert codes == [
        ("column_ignored", None, "序号"),
        ("column_ignored", None, "备注"),
        ("title_row", 1, None),
        ("title_row", 2, None),
        ("footer_row", 8, None),
        ("footer_row", 11, None),
        ("footer_row", 12, None),
        ("footer_row", 13, None),
        ("footer_row", 14, None),
        ("metadata", None, None),
        ("metadata", None, None),
        ("merged_filled", 5, "街道（乡镇）"),
        ("sheet_table", None, None),
    ]
    assert report.notes[-1].text() == "ledger.xlsx:结对共建台账: read as pairings (header in row 3、4)"
    assert report.notes[-2].text() == (
        "ledger.xlsx:结对共建台账 row 5, column 街道（乡镇）: "
        "merged cells B5:B7: every row read with the first cell's value"
    )
    assert report.notes[-4].text("zh") == "ledger.xlsx:结对共建台账: 读取填报日期：2026-01-08"


# --- a villages sheet: the county's own headers, a hidden helper column -------------------------


def villages_sheet(sheet: Any) -> None:
    rows_of(
        sheet,
        [
            ["青山县行政村基本情况表"],
            [
                "序号",
                "统计用区划代码",
                "街道（乡镇）",
                "村名",
                "村类别",
                "薄弱原因",
                "户籍人口（人）",
                "党员数(名)",
                "党组织设置",
                "班子成员数",
                "村集体经济收入（万元）",
                "查重辅助列",
            ],
            [1, "330100100201", "城关镇", "幸福村", "一般村", None, 1200, 45, "党支部", 5, 12.5, "城关镇幸福村"],
            [
                2,
                "330100100202",
                "城关镇",
                "东岗村",
                "集体经济薄弱村",
                "经济薄弱",
                800,
                30,
                "党支部",
                5,
                3,
                "城关镇东岗村",
            ],
        ],
    )
    sheet.merge_cells("A1:L1")
    sheet.column_dimensions["L"].hidden = True


def test_a_villages_sheet_with_the_county_headers_and_a_hidden_helper_column() -> None:
    mappings, report, problems, _ = detected(book_bytes(("村基本情况", villages_sheet)))
    mapping = mappings["村基本情况"]
    assert not problems
    assert (mapping.table, mapping.header_rows, mapping.data_rows) == ("villages", [2], [3, 4])
    assert columns(mapping) == [
        (1, "统计用区划代码", "id", "alias"),
        (2, "街道（乡镇）", "township", "alias"),
        (3, "村名", "name", "alias"),
        (4, "村类别", "tier", "alias"),
        (5, "薄弱原因", "weak_reasons", "alias"),
        (6, "户籍人口（人）", "population", "alias"),
        (7, "党员数(名)", "party_members", "alias"),
        (8, "党组织设置", "party_org_type", "alias"),
        (9, "班子成员数", "leadership_size", "alias"),
        (10, "村集体经济收入（万元）", "collective_income", "alias"),
    ]
    assert skipped(mapping) == [(0, "序号", "column_ignored"), (11, "查重辅助列", "column_hidden")]
    assert mapping.skipped_rows == [(1, "title_row", "青山县行政村基本情况表")]
    assert mapping.score == 1.0
    hidden = [n for n in report.notes if n.code == "column_hidden"]
    assert [n.text() for n in hidden] == ["ledger.xlsx:村基本情况, column 查重辅助列: a hidden column, skipped"]


@pytest.mark.parametrize(
    ("table", "header", "field"),
    [
        ("villages", "统计用区划代码", "id"),
        ("villages", "街道（乡镇）", "township"),
        ("villages", "街道(乡镇)", "township"),
        ("villages", "所属街道", "township"),
        ("villages", "所在街道", "township"),
        ("villages", "村名", "name"),
        ("villages", "村类别", "tier"),
        ("villages", "薄弱原因", "weak_reasons"),
        ("villages", "户籍人口（人）", "population"),
        ("villages", "户籍人口(人)", "population"),
        ("villages", "党员数（名）", "party_members"),
        ("villages", "党组织设置", "party_org_type"),
        ("villages", "班子成员数", "leadership_size"),
        ("villages", "村集体经济收入（万元）", "collective_income"),
        ("villages", "村集体收入(万元)", "collective_income"),
        ("communities", "可结对村数", "capacity"),
        ("communities", "社区代码", "id"),
        ("organisations", "单位性质", "kind"),
        ("organisations", "单位级别", "level"),
        ("organisations", "可结对村数", "capacity"),
        ("enterprises", "统一社会信用代码", "credit_code"),
        ("enterprises", "职工人数", "employees"),
        ("pairings", "结对时间", "since"),
        ("pairings", "开始时间", "since"),
        ("pairings", "结束时间", "until"),
        ("pairings", "所属街道", "village.township"),
        ("pairings", "单位类型", "unit.label"),
        ("leads", "联建时间", "since"),
        ("leads", "联建方式", "mode"),
        ("leads", "结束时间", "until"),
        ("fusions", "联建村", "village"),
        ("fusions", "联建时间", "since"),
        ("stations", "任职时间", "since"),
        ("stations", "任职起始时间", "since"),
        ("stations", "所在街道", "village.township"),
        ("stations", "出生年份", "cadre.birth_year"),
        ("stations", "派出单位", "cadre.sent_by"),
    ],
)
def test_the_county_headers_name_their_fields(table: str, header: str, field: str) -> None:
    found = _find(FIELDS[table], fold_header(header))
    assert found is not None and found.ref == FieldRef(table, field)


def test_a_header_in_another_unit_than_the_model_s_is_not_read_as_it() -> None:
    assert _find(FIELDS["villages"], fold_header("村集体收入（元）")) is None
    assert _find(FIELDS["villages"], fold_header("集体经济收入（万元）")) is not None


# --- which sheets are read: hidden, summary, empty; the name only a hint -----------------------


def test_hidden_summary_and_empty_sheets_are_skipped_and_listed() -> None:
    def values(sheet: Any) -> None:
        rows_of(sheet, [["类别"], ["强村"], ["一般村"], ["后进村"]])
        sheet.sheet_state = "hidden"

    def summary(sheet: Any) -> None:
        rows_of(
            sheet,
            [
                ["乡镇", "村数", "后进村数", "已结对数", "覆盖率"],
                ["城关镇", 3, 1, 1, "100%"],
                ["合计", 3, 1, 1, "100%"],
            ],
        )

    def empty(sheet: Any) -> None:
        pass

    data = book_bytes(("Sheet1", villages_sheet), ("下拉选项", values), ("汇总", summary), ("Sheet3", empty))
    mappings, report, problems, _ = detected(data)
    assert not problems
    assert {t: (m.table, m.skipped) for t, m in mappings.items()} == {
        "Sheet1": ("villages", None),
        "下拉选项": (None, "sheet_hidden"),
        "汇总": (None, "sheet_unmatched"),
        "Sheet3": (None, "sheet_empty"),
    }
    skips = [n.text() for n in report.notes if n.code.startswith("sheet_") and n.code != "sheet_table"]
    assert skips == [
        "ledger.xlsx:下拉选项: a hidden sheet, skipped",
        "ledger.xlsx:汇总: its header matches no table (a summary?), skipped",
        "ledger.xlsx:Sheet3: an empty sheet, skipped",
    ]


def test_the_header_decides_over_the_sheet_name() -> None:
    def units(sheet: Any) -> None:
        rows_of(sheet, [["单位名称", "单位性质", "单位级别", "可结对村数"], ["区财政局", "党政机关", "区级", 2]])

    mappings, _, _, _ = detected(book_bytes(("企业名录", units)))
    mapping = mappings["企业名录"]
    assert mapping.table == "organisations"
    assert [c.ref.field for c in mapping.columns] == ["name", "kind", "level", "capacity"]


def test_very_hidden_sheets_and_hidden_column_ranges_are_marked() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别", "a", "b", "c"], ["V1", "东岗村", "强村", 1, 2, 3]])
        sheet.column_dimensions.group("D", "E", hidden=True)

    def secret(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别"], ["V2", "西岭村", "强村"]])
        sheet.sheet_state = "veryHidden"

    loaded = read(book_bytes(("村", build), ("helper", secret)))
    first, second = loaded.sheets
    assert (first.hidden, first.hidden_columns, second.hidden) == (False, frozenset({3, 4}), True)


# --- leads and rosters: two-level headers naming both ends, one sheet for two tables -------------


def test_a_leads_sheet_whose_two_ends_share_their_child_headers() -> None:
    def build(sheet: Any) -> None:
        rows_of(
            sheet,
            [
                ["序号", "乡镇", "带领村", None, "被带村", None, "联建方式", "联建时间"],
                [None, None, "村名", "类别", "村名", "类别", None, None],
                [1, "城关镇", "幸福村", "先进村", "东岗村", "后进村", "产业联建", "2024年3月"],
            ],
        )
        for column in "ABGH":
            sheet.merge_cells(f"{column}1:{column}2")
        sheet.merge_cells("C1:D1")
        sheet.merge_cells("E1:F1")

    mappings, _, problems, _ = detected(book_bytes(("强村带弱村", build)))
    mapping = mappings["强村带弱村"]
    assert not problems
    assert (mapping.table, mapping.header_rows, mapping.data_rows) == ("leads", [1, 2], [3])
    assert columns(mapping) == [
        (1, "乡镇", "village.township", "alias"),
        (2, "带领村/村名", "leader", "alias"),
        (3, "带领村/类别", "leader.tier", "alias"),
        (4, "被带村/村名", "village", "alias"),
        (5, "被带村/类别", "village.tier", "alias"),
        (6, "联建方式", "mode", "alias"),
        (7, "联建时间", "since", "alias"),
    ]


def test_a_cadre_roster_carries_the_stations_fields() -> None:
    def build(sheet: Any) -> None:
        rows_of(
            sheet,
            [
                ["驻村第一书记花名册"],
                ["序号", "姓名", "出生年份", "学历", "派出单位", "专长", "驻村情况", None, None, None],
                [None, None, None, None, None, None, "街道（乡镇）", "村名", "驻村身份", "任职时间"],
                [1, "王伟", 1985, "本科", "区财政局", "财务", "城关镇", "东岗村", "第一书记", "2024.01-2026.01"],
                [2, "王伟", 1985, "本科", "区财政局", "财务", "白水镇", "幸福村", "第一书记", "2026.02-至今"],
            ],
        )
        sheet.merge_cells("A1:J1")
        for column in "ABCDEF":
            sheet.merge_cells(f"{column}2:{column}3")
        sheet.merge_cells("G2:J2")

    mappings, _, problems, _ = detected(book_bytes(("驻村第一书记花名册", build)))
    mapping = mappings["驻村第一书记花名册"]
    assert not problems
    assert (mapping.table, mapping.header_rows, mapping.data_rows) == ("cadres", [2, 3], [4, 5])
    assert columns(mapping) == [
        (1, "姓名", "name", "alias"),
        (2, "出生年份", "birth_year", "alias"),
        (3, "学历", "education", "alias"),
        (4, "派出单位", "sent_by", "alias"),
        (5, "专长", "skills", "alias"),
        (6, "驻村情况/街道（乡镇）", "stations:village.township", "alias"),
        (7, "驻村情况/村名", "stations:village", "alias"),
        (8, "驻村情况/驻村身份", "stations:role", "alias"),  # the station's role, not the cadre's
        (9, "驻村情况/任职时间", "stations:since", "alias"),
    ]
    assert mapping.tables == ["cadres", "stations"]


def test_a_stations_sheet_naming_cadres_by_name_is_not_a_roster() -> None:
    def build(sheet: Any) -> None:
        rows_of(
            sheet,
            [
                ["姓名", "出生年份", "所在街道", "村名", "驻村身份", "任职时间"],
                ["王伟", 1985, "城关镇", "东岗村", "第一书记", "2024.1"],
            ],
        )

    mappings, _, _, _ = detected(book_bytes(("驻村", build)))
    mapping = mappings["驻村"]
    assert mapping.table == "stations"
    assert [c.ref.field for c in mapping.columns] == [
        "cadre",
        "cadre.birth_year",
        "village.township",
        "village",
        "role",
        "since",
    ]


def test_a_cadres_sheet_without_villages_keeps_its_own_role() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["id", "name", "role", "birth_year"], ["P1", "王伟", "first_secretary", 1985]])

    mappings, _, _, _ = detected(book_bytes(("cadres", build)))
    assert columns(mappings["cadres"]) == [
        (0, "id", "id", "exact"),
        (1, "name", "name", "exact"),
        (2, "role", "role", "exact"),
        (3, "birth_year", "birth_year", "exact"),
    ]


# --- near headers, unknown headers, templates -------------------------------------------------


def test_a_near_header_is_read_and_reported_but_never_takes_a_matched_field() -> None:
    def build(sheet: Any) -> None:
        rows_of(
            sheet,
            [
                ["结对单位", "结对村", "结对起始日期", "结对日期", "结对终止日期", "帮扶资金（万元）", "满意度"],
                ["O1", "V1", "2024-01-01", "2024-01-01", "2025-12-31", 3, "满意"],
            ],
        )

    mappings, report, problems, _ = detected(book_bytes(("Sheet1", build)))
    mapping = mappings["Sheet1"]
    assert not problems
    assert columns(mapping) == [
        (0, "结对单位", "unit", "alias"),
        (1, "结对村", "village", "alias"),
        (3, "结对日期", "since", "alias"),
        (4, "结对终止日期", "until", "fuzzy"),
        (5, "帮扶资金（万元）", "funds", "alias"),
    ]
    # 结对起始日期 is near since, but since is 结对日期's: skipped rather than read twice.
    assert skipped(mapping) == [(2, "结对起始日期", "column_unknown"), (6, "满意度", "column_unknown")]
    fuzzy = [n.text() for n in report.notes if n.code == "header_fuzzy"]
    assert fuzzy == ["ledger.xlsx:Sheet1, column 结对终止日期: header read as until (a near match)"]


def test_a_template_overrides_the_table_header_and_columns() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村落清单"], ["代码", "村落", "类别", "人口"], ["V1", "东岗村", "强村", 300]])

    def other(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别"], ["V2", "西岭村", "强村"]])

    template = {
        "清单": SheetTemplate(
            "清单", "villages", header_rows=[2], columns={"代码": "id", "村落": "name", "人口": None}
        ),
        "旧表": SheetTemplate("旧表", None),
    }
    mappings, report, problems, _ = detected(book_bytes(("清单", build), ("旧表", other)), template)
    mapping = mappings["清单"]
    assert not problems
    assert (mapping.table, mapping.header_rows, mapping.data_rows) == ("villages", [2], [3])
    assert columns(mapping) == [
        (0, "代码", "id", "template"),
        (1, "村落", "name", "template"),
        (2, "类别", "tier", "alias"),
    ]
    assert skipped(mapping) == [(3, "人口", "column_template")]
    assert (mappings["旧表"].table, mappings["旧表"].skipped) == (None, "sheet_template")
    assert [n.text() for n in report.notes if n.code == "sheet_template"] == [
        "ledger.xlsx:旧表: skipped, as the template says"
    ]


def test_a_header_row_with_a_merged_cell_is_not_taken_for_a_parent_of_the_first_data_row() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别", "备注", None], ["V1", "东岗村", "强村", "新建", "x"]])
        sheet.merge_cells("D1:E1")

    mappings, _, problems, _ = detected(book_bytes(("villages", build)))
    mapping = mappings["villages"]
    assert not problems
    assert (mapping.header_rows, mapping.data_rows) == ([1], [2])
    assert skipped(mapping) == [(3, "备注", "column_ignored"), (4, "备注", "column_ignored")]


def test_a_header_merged_across_two_columns_reads_the_first() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", None, "类别"], ["V1", "东岗村", "一组", "强村"]])
        sheet.merge_cells("B1:C1")

    mappings, report, problems, _ = detected(book_bytes(("villages", build)))
    mapping = mappings["villages"]
    assert not problems
    assert [c.ref.field for c in mapping.columns] == ["id", "name", "tier"]
    assert skipped(mapping) == [(2, "村名", "column_merged")]
    assert [n.code for n in report.notes if n.column == "村名"] == ["column_merged"]


def test_the_marks_of_required_columns_do_not_count() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["*村编号", "*村名", "类别※"], ["V1", "东岗村", "强村"]])

    mappings, _, _, _ = detected(book_bytes(("Sheet1", build)))
    assert columns(mappings["Sheet1"]) == [
        (0, "*村编号", "id", "alias"),
        (1, "*村名", "name", "alias"),
        (2, "类别※", "tier", "alias"),
    ]


def test_values_without_a_header_and_a_field_twice_are_problems() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别", "名称", None], ["V1", "东岗村", "强村", "东岗", "?"]])

    _, _, problems, _ = detected(book_bytes(("villages", build)))
    assert [(p.row, p.column, p.value, p.reason) for p in problems] == [
        (None, "名称", None, "the same column as 村名"),
        (2, None, "?", "column E has values but no header"),
    ]


# --- title-row metadata -----------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2026年1月8日", "2026-01-08", "2026.1.8", "2026/01/08"])
def test_the_filling_date_is_read_in_any_spelling(written: str) -> None:
    def build(sheet: Any) -> None:
        rows_of(
            sheet,
            [
                [f"填报单位：青山县委组织部（盖章）    填报日期：{written}"],
                ["村编号", "村名", "类别"],
                ["V1", "东岗村", "强村"],
            ],
        )

    mappings, _, _, _ = detected(book_bytes(("villages", build)))
    assert mappings["villages"].metadata == {"filled_on": "2026-01-08", "filled_by": "青山县委组织部"}


def test_the_filling_date_as_a_date_cell_after_its_label() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["填报单位（盖章）：", "白水镇", "填报日期：", date(2026, 1, 8)], ["村编号", "村名", "类别"]])
        sheet.append(["V1", "东岗村", "强村"])

    mappings, _, _, _ = detected(book_bytes(("villages", build)))
    assert mappings["villages"].metadata == {"filled_on": "2026-01-08", "filled_by": "白水镇"}


# --- merged ranges: filled, bounded -----------------------------------------------------------


def test_a_merged_range_over_the_whole_sheet_fills_only_the_cells_the_sheet_has() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别"], ["V1", "东岗村", "强村"], ["V2", None, None]])
        sheet.merge_cells("B2:C3")  # made whole-sheet below: openpyxl would build its billion cells

    data = book_bytes(("villages", build))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'ref="B2:C3"' in content
                content = content.replace(b'ref="B2:C3"', b'ref="B2:XFD1048576"')
            target.writestr(info, content)
    (sheet,) = read(out.getvalue()).sheets
    assert sheet.rows == [("村编号", "村名", "类别"), ("V1", "东岗村", "东岗村"), ("V2", "东岗村", "东岗村")]
    assert sheet.merged == [("B2:XFD1048576", 2, 1, 1048576, 16383)]


def test_a_village_merged_down_keeps_the_rows_it_covers() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["结对单位", "结对村"], [None, "东岗村"], [None, None], ["O2", "西岭村"]])
        sheet["A2"] = "O1"
        sheet.merge_cells("A2:A3")
        sheet.merge_cells("B2:B3")

    (sheet,) = read(book_bytes(("pairings", build))).sheets
    assert sheet.numbers == [1, 2, 3, 4]
    assert sheet.rows[1:] == [("O1", "东岗村"), ("O1", "东岗村"), ("O2", "西岭村")]


# --- the interchange format is still detected exactly -----------------------------------------


def test_interchange_exports_are_detected_exactly(tmp_path: Path) -> None:
    dataset = seed_dataset()
    interchange.write_xlsx(dataset, tmp_path / "export.xlsx")
    interchange.write_folder(dataset, tmp_path / "csv")
    loaded = read((tmp_path / "export.xlsx").read_bytes(), "export.xlsx")
    _sources.read_folder(tmp_path / "csv", loaded)
    report = Report()
    problems = ProblemLog()
    for sheet in loaded.sheets:
        mapping = detect(sheet, None, problems, report)
        assert mapping.table == sheet.key, sheet.file
        assert mapping.header_rows == [1] and mapping.data_rows == sheet.numbers[1:]
        assert [c.how for c in mapping.columns] == ["exact"] * len(sheet.rows[0])
        assert [c.header for c in mapping.columns] == list(sheet.rows[0])
        assert not mapping.skipped_columns and not mapping.skipped_rows
    assert not problems
    assert sorted(s.key or "" for s in loaded.sheets) == sorted(FILES * 2)


def test_a_csv_file_is_detected_by_its_header_whatever_its_name(tmp_path: Path) -> None:
    text = (
        "表3：村企联建情况  填报单位（盖章）：白水镇  填报日期：2026.1.8,,,\n"
        "序号,企业名称,联建村,联建时间\n"
        "1,青山建材公司,东岗村,2024年3月\n"
        "合计,1,,\n"
    )
    (tmp_path / "台账3.csv").write_text(text, encoding="utf-8")
    loaded = Loaded()
    _sources.read_folder(tmp_path, loaded)
    assert not loaded.problems
    (sheet,) = loaded.sheets
    assert (sheet.key, sheet.title) == (None, "台账3")
    report = Report()
    mapping = detect(sheet, None, ProblemLog(), report)
    assert (mapping.table, mapping.header_rows, mapping.data_rows) == ("fusions", [2], [3])
    assert columns(mapping) == [
        (1, "企业名称", "enterprise", "alias"),
        (2, "联建村", "village", "alias"),
        (3, "联建时间", "since", "alias"),
    ]
    assert [(n, code) for n, code, _ in mapping.skipped_rows] == [(1, "title_row"), (4, "footer_row")]
    assert mapping.metadata == report.metadata == {"filled_on": "2026-01-08", "filled_by": "白水镇"}


def test_the_mapping_as_json_names_carried_fields_by_their_table() -> None:
    def build(sheet: Any) -> None:
        rows_of(
            sheet,
            [["姓名", "学历", "派出单位", "村名", "驻村身份"], ["王伟", "本科", "区财政局", "东岗村", "第一书记"]],
        )

    mappings, _, _, _ = detected(book_bytes(("花名册", build)))
    assert mappings["花名册"].table == "cadres"
    sheet = mapping_json(mappings["花名册"])
    assert [c["field"] for c in sheet["columns"]] == [
        "name",
        "education",
        "sent_by",
        "stations:village",
        "stations:role",
    ]


def test_the_sheet_name_breaks_a_tie_between_tables_with_the_same_headers() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["名称", "所属乡镇", "党员数", "可结对数"], ["区财政局", "城关镇", 30, 2]])

    mappings, _, _, _ = detected(book_bytes(("单位名录", build), ("社区名录", build), ("企业名录", build)))
    assert {title: m.table for title, m in mappings.items()} == {
        "单位名录": "organisations",
        "社区名录": "communities",
        "企业名录": "enterprises",
    }


def test_a_table_of_counts_headed_like_a_link_sheet_is_not_read_as_links() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["乡镇", "村数", "强村", "一般村", "后进村"], ["城关镇", 12, 3, 5, 4], ["白水镇", 8, 1, 4, 3]])

    mappings, _, _, _ = detected(book_bytes(("汇总", build), ("各乡镇情况", build)))
    assert {title: (m.table, m.skipped) for title, m in mappings.items()} == {
        "汇总": (None, "sheet_unmatched"),
        "各乡镇情况": (None, "sheet_unmatched"),
    }


def _with_merges(data: bytes, old: bytes, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new)
            target.writestr(info, content)
    return out.getvalue()


def test_overlapping_merged_ranges_are_refused_not_filled_again_and_again() -> None:
    def build(sheet: Any) -> None:
        rows_of(sheet, [["村编号", "村名", "类别"], *([f"V{i}", "东岗村", "强村"] for i in range(50))])
        sheet.merge_cells("A2:C51")

    whole = b'<mergeCell ref="A2:C51" />'
    data = _with_merges(book_bytes(("villages", build)), whole, whole * 1000)
    loaded = Loaded()
    _sources.read_workbook(data, "crafted.xlsx", loaded)
    assert [(p.file, p.reason) for p in loaded.problems] == [
        (
            "crafted.xlsx:villages",
            "its merged ranges overlap, which Excel never writes: a damaged or crafted workbook",
        )
    ]
    assert not loaded.sheets


def test_a_two_level_header_in_a_csv_saved_from_a_workbook(tmp_path: Path) -> None:
    text = "序号,带领村,,被带村,,联建时间\n,村名,类别,村名,类别,\n1,幸福村,先进村,东岗村,后进村,2024.3\n"
    (tmp_path / "强村带弱村.csv").write_text(text, encoding="utf-8")
    loaded = Loaded()
    _sources.read_folder(tmp_path, loaded)
    (sheet,) = loaded.sheets
    mapping = detect(sheet, None, ProblemLog(), Report())
    assert (mapping.table, mapping.header_rows, mapping.data_rows) == ("leads", [1, 2], [3])
    assert columns(mapping) == [
        (1, "带领村/村名", "leader", "alias"),
        (2, "带领村/类别", "leader.tier", "alias"),
        (3, "被带村/村名", "village", "alias"),
        (4, "被带村/类别", "village.tier", "alias"),
        (5, "联建时间", "since", "alias"),
    ]
    assert skipped(mapping) == [(0, "序号", "column_ignored")]
