"""Mapping templates: suggest → write → read gives the same Template; a template changes the reading exactly;
every mistake in a template is a precise problem; hostile header and sheet text survives the TOML."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import interchange
from graph.dataset import Dataset
from graph.errors import Problem, ValidationError
from graph.interchange import (
    SheetTemplate,
    Template,
    parse_template,
    read_template,
    report_lines,
    suggest,
    write_template,
)
from graph.interchange._mapping import CONTEXT_PROPS, ColumnMatch, FieldRef, Report, SheetMapping, SkippedColumn
from graph.interchange._template import VOCABULARIES, fields
from graph.model import FILES, NODE_BY_LABEL

HOSTILE = '<script>alert("x")</script> a"b\\c\n]= [x] MATCH (n) DETACH DELETE n //'


def county_workbook(path: Path, *, village_header: str = "片区") -> Path:
    """A county's own workbook: its own sheet names, a title row, a column whose header matches nothing
    (片区, the township), a duplicate-check helper column, a tier word no vocabulary has, and a summary."""
    book = openpyxl.Workbook()
    villages = book.active
    assert villages is not None
    villages.title = "村基本情况"
    villages.append(["翠阳县行政村基本情况（截至2025年12月31日）"])
    villages.append(["序号", "编号", "村名", "所属县", village_header, "类别", "查重辅助列"])
    villages.append([1, "V1", "幸福村", "翠阳县", "东镇", "达标村", "V1幸福村"])
    villages.append([2, "V2", "红星村", "翠阳县", "西镇", "后进村", "V2红星村"])
    units = book.create_sheet("机关事业单位")
    units.append(["编号", "名称", "单位类型", "级别"])
    units.append(["O1", "县财政局", "机关", "县级"])
    pairings = book.create_sheet("结对共建台账")
    pairings.append(["结对单位", "结对村", "开始日期"])
    pairings.append(["O1", "V2", "2025-03-01"])
    summary = book.create_sheet("汇总")
    summary.append(["乡镇", "村数"])
    summary.append(["东镇", 1])
    book.save(path)
    return path


def node(label: str, **props: Any) -> dict[str, Any]:
    """A node row as the reader gives it: every stored property, blank ones None (lists empty)."""
    row: dict[str, Any] = {p.name: [] if p.is_list else None for p in NODE_BY_LABEL[label].stored}
    row.update(props)
    return row


def village(**props: Any) -> dict[str, Any]:
    return node("Village", **props)


def organisation(**props: Any) -> dict[str, Any]:
    return node("Organisation", **props)


COUNTY_TEMPLATE = """
[sheets."村基本情况"]
table = "villages"
[sheets."村基本情况".columns]
"片区" = "township"
"查重辅助列" = ""

[sheets."结对共建台账"]
table = "pairings"

[sheets."汇总"]
table = ""

[values.tier]
"达标村" = "ordinary"
"""


def expected_county() -> Dataset:
    want = Dataset()
    want.nodes["Village"] = [
        village(id="V1", name="幸福村", county="翠阳县", township="东镇", tier="ordinary"),
        village(id="V2", name="红星村", county="翠阳县", township="西镇", tier="weak"),
    ]
    want.nodes["Organisation"] = [organisation(id="O1", name="县财政局", kind="department", level="county")]
    want.links["PAIRED_WITH"] = [
        {
            "src": "O1",
            "src_label": "Organisation",
            "dst": "V2",
            "dst_label": "Village",
            "since": dt.date(2025, 3, 1),
            "until": None,
            "form": None,
            "funds": None,
            "projects": None,
            "last_activity": None,
        }
    ]
    return want


def test_a_template_reads_the_county_workbook_exactly(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    template_file = tmp_path / "county.toml"
    template_file.write_text(COUNTY_TEMPLATE, encoding="utf-8")
    reading = interchange.inspect(path, template=read_template(template_file))
    assert reading.problems == []
    assert reading.dataset == expected_county()
    villages, _, pairings, summary = reading.report.mappings
    # Sheets renamed by the county are re-assigned; the column the template re-assigns says so.
    assert (villages.table, pairings.table, summary.table, summary.skipped) == (
        "villages",
        "pairings",
        None,
        "sheet_template",
    )
    assert [(c.header, c.ref.field, c.how) for c in villages.columns] == [
        ("编号", "id", "alias"),
        ("村名", "name", "alias"),
        ("所属县", "county", "alias"),
        ("片区", "township", "template"),
        ("类别", "tier", "alias"),
    ]
    assert [(s.header, s.reason) for s in villages.skipped_columns] == [
        ("序号", "column_ignored"),
        ("查重辅助列", "column_template"),
    ]


def test_without_the_template_the_county_workbook_is_refused_and_its_losses_listed(tmp_path: Path) -> None:
    reading = interchange.inspect(county_workbook(tmp_path / "county.xlsx"))
    assert reading.dataset is None
    # Detection finds every sheet's table by its header; what only the department knows is missing:
    # its own tier word refuses the import, and its township column (片区) would be lost, said as a note.
    assert [(p.file, p.row, p.column, p.value) for p in reading.problems] == [
        ("county.xlsx:村基本情况", 3, "类别", "达标村")
    ]
    skipped = {(n.file, n.column, n.code) for n in reading.report.notes if n.code.startswith("column_")}
    assert skipped == {
        ("county.xlsx:村基本情况", "片区", "column_unknown"),
        ("county.xlsx:村基本情况", "查重辅助列", "column_unknown"),
        ("county.xlsx:村基本情况", "序号", "column_ignored"),
    }
    tables = {m.title: m.table for m in reading.report.mappings}
    assert tables == {
        "村基本情况": "villages",
        "机关事业单位": "organisations",
        "结对共建台账": "pairings",
        "汇总": None,
    }


@pytest.mark.parametrize(
    ("change", "want_villages"),
    [
        # the township column skipped instead: villages have no township
        (
            '"片区" = ""',
            [
                village(id="V1", name="幸福村", county="翠阳县", tier="ordinary"),
                village(id="V2", name="红星村", county="翠阳县", tier="weak"),
            ],
        ),
        # the county column re-assigned to the township, the 片区 column skipped
        (
            '"片区" = ""\n"所属县" = "township"',
            [
                village(id="V1", name="幸福村", township="翠阳县", tier="ordinary"),
                village(id="V2", name="红星村", township="翠阳县", tier="weak"),
            ],
        ),
    ],
)
def test_each_column_change_changes_the_dataset(tmp_path: Path, change: str, want_villages: list[Any]) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    text = COUNTY_TEMPLATE.replace('"片区" = "township"', change)
    reading = interchange.inspect(path, template=parse_template(text))
    assert reading.problems == []
    assert reading.dataset is not None
    assert reading.dataset.nodes["Village"] == want_villages


def test_a_value_word_added_reads_as_its_code(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    without = interchange.inspect(path, template=parse_template(COUNTY_TEMPLATE.replace('"达标村" = "ordinary"', "")))
    assert [(p.row, p.column, p.value) for p in without.problems] == [(3, "类别", "达标村")]
    strong = interchange.inspect(path, template=parse_template(COUNTY_TEMPLATE.replace('"ordinary"', '"strong"')))
    assert strong.dataset is not None
    assert [v["tier"] for v in strong.dataset.nodes["Village"]] == ["strong", "weak"]


def test_suggest_write_read_round_trips(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    reading = interchange.inspect(path, template=parse_template(COUNTY_TEMPLATE))
    reading.report.words = {"tier": {"达标村": "ordinary", "后进村": "weak"}}
    found = suggest(reading.report)
    assert found == Template(
        sheets={
            "村基本情况": SheetTemplate(
                "村基本情况",
                "villages",
                [2],
                {
                    "序号": None,
                    "编号": "id",
                    "村名": "name",
                    "所属县": "county",
                    "片区": "township",
                    "类别": "tier",
                    "查重辅助列": None,
                },
            ),
            "机关事业单位": SheetTemplate(
                "机关事业单位",
                "organisations",
                [1],
                {"编号": "id", "名称": "name", "单位类型": "kind", "级别": "level"},
            ),
            "结对共建台账": SheetTemplate(
                "结对共建台账", "pairings", [1], {"结对单位": "unit", "结对村": "village", "开始日期": "since"}
            ),
            "汇总": SheetTemplate("汇总", None, None, {}),
        },
        values={"tier": {"后进村": "weak", "达标村": "ordinary"}},
    )
    text = write_template(found)
    file = tmp_path / "suggested.toml"
    file.write_text(text, encoding="utf-8")
    assert read_template(file) == found
    # The suggestion, reused as it is, reads the workbook as the template it came from did.
    again = interchange.inspect(path, template=found)
    assert again.dataset == reading.dataset == expected_county()


def test_the_toml_is_commented_for_the_department(tmp_path: Path) -> None:
    found = suggest(
        interchange.inspect(county_workbook(tmp_path / "c.xlsx"), template=parse_template(COUNTY_TEMPLATE)).report
    )
    text = write_template(found)
    lines = text.splitlines()
    assert lines[0].startswith("# Mapping template")
    assert '[sheets."村基本情况"]' in lines
    assert 'table = "villages"  # 行政村' in lines
    assert '"片区" = "township"  # 所属乡镇' in lines
    assert '"查重辅助列" = ""  # skipped (跳过)' in lines
    assert 'table = ""  # skipped (跳过)' in lines
    # Stable: the same reading writes the same text.
    assert write_template(suggest(interchange.inspect(tmp_path / "c.xlsx", template=found).report)) == text


def _problems(text: str) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        parse_template(text, "county.toml")
    return caught.value.problems


def test_every_mistake_in_a_template_is_a_problem_naming_file_and_key() -> None:
    text = """
[sheet."村基本情况"]
table = "villages"

[sheets."村基本情况"]
table = "village"
header_rows = [3, 5]
colour = "red"

[sheets."结对共建台账"]
table = "pairings"
header_rows = [0]
[sheets."结对共建台账".columns]
"结对单位" = "unit.township"
"结对村" = "village.colour"
"时间" = "start"
"驻村" = "nowhere:village"
"项目" = 3

[values.tier]
"达标村" = "fine"

[values.name]
"幸福村" = "x"
"""
    assert [(p.file, p.column, p.value, p.reason) for p in _problems(text)] == [
        ("county.toml", "sheet", None, "unknown table [sheet] (expected sheets, values)"),
        (
            "county.toml",
            'sheets."村基本情况".colour',
            None,
            "unknown field colour (expected table, header_rows, columns)",
        ),
        (
            "county.toml",
            'sheets."村基本情况".table',
            "village",
            'no such table (expected "" or one of ' + ", ".join(FILES) + ")",
        ),
        (
            "county.toml",
            'sheets."村基本情况".header_rows',
            "[3, 5]",
            "expected one row number or two adjacent ones, from 1: [3] or [3, 4]",
        ),
        (
            "county.toml",
            'sheets."结对共建台账".header_rows',
            "[0]",
            "expected one row number or two adjacent ones, from 1: [3] or [3, 4]",
        ),
        (
            "county.toml",
            'sheets."结对共建台账".columns."结对村"',
            "village.colour",
            "no context colour of a reference (expected one of " + ", ".join(CONTEXT_PROPS) + ")",
        ),
        (
            "county.toml",
            'sheets."结对共建台账".columns."时间"',
            "start",
            "no field start in pairings (expected one of " + ", ".join(fields("pairings")) + ")",
        ),
        (
            "county.toml",
            'sheets."结对共建台账".columns."驻村"',
            "nowhere:village",
            "no table nowhere (expected one of " + ", ".join(FILES) + ")",
        ),
        (
            "county.toml",
            'sheets."结对共建台账".columns."项目"',
            "3",
            'expected the field as text, or "" to skip the column',
        ),
        ("county.toml", 'values.tier."达标村"', "fine", "no tier fine (expected one of strong, ordinary, weak)"),
        (
            "county.toml",
            "values.name",
            None,
            "name is not a column with value words (expected one of " + ", ".join(VOCABULARIES) + ")",
        ),
    ]


def test_a_template_that_is_not_toml_names_its_line(tmp_path: Path) -> None:
    file = tmp_path / "broken.toml"
    file.write_text('[sheets."村"]\ntable = villages\n', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_template(file)
    [problem] = caught.value.problems
    assert (problem.file, problem.row) == ("broken.toml", 2)
    assert problem.reason.startswith("not valid TOML: ")
    file.write_bytes(b"\xff\xfe[x]")
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_template(file)


def test_a_template_header_row_not_in_the_sheet_is_a_problem(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    text = COUNTY_TEMPLATE.replace('table = "villages"\n', 'table = "villages"\nheader_rows = [40]\n')
    reading = interchange.inspect(path, template=parse_template(text))
    assert ("county.xlsx:村基本情况", 40, "the template's header row is empty") in {
        (p.file, p.row, p.reason) for p in reading.problems
    }


def test_a_template_two_level_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "结对台账"
    sheet.append(["结对共建台账"])
    sheet.append(["结对单位", None, "结对村", "时间"])
    sheet.append(["名称", "类型", None, None])
    sheet.append(["O1", "机关", "V1", "2025-01-01"])
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:C3")
    sheet.merge_cells("D2:D3")
    units = book.create_sheet("villages")
    units.append(["id", "name", "tier"])
    units.append(["V1", "幸福村", "weak"])
    units = book.create_sheet("organisations")
    units.append(["id", "name"])
    units.append(["O1", "县财政局"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    text = """
[sheets."结对台账"]
table = "pairings"
header_rows = [2, 3]
[sheets."结对台账".columns]
"结对单位/名称" = "unit"
"结对单位/类型" = ""
"时间" = "since"
"""
    reading = interchange.inspect(path, template=parse_template(text))
    assert reading.problems == []
    assert reading.dataset is not None
    [link] = reading.dataset.links["PAIRED_WITH"]
    assert (link["src"], link["dst"], link["since"]) == ("O1", "V1", dt.date(2025, 1, 1))
    [mapping] = [m for m in reading.report.mappings if m.title == "结对台账"]
    assert [(c.header, c.ref.field, c.how) for c in mapping.columns] == [
        ("结对单位/名称", "unit", "template"),
        ("结对村", "village", "alias"),
        ("时间", "since", "template"),
    ]
    assert mapping.data_rows == [4]


# Text as a county or an attacker may write it: anything but surrogates (a file is UTF-8).
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@st.composite
def templates(draw: st.DrawFn) -> Template:
    template = Template()
    for title in draw(st.lists(_TEXT, max_size=4, unique=True)):
        table = draw(st.sampled_from(("", *FILES)))
        rows = draw(st.sampled_from((None, [1], [2], [3, 4])))
        columns: dict[str, str | None] = {}
        if table:
            for header in draw(st.lists(_TEXT, max_size=5, unique=True)):
                columns[header] = draw(st.one_of(st.none(), st.sampled_from(fields(table))))
        template.sheets[title] = SheetTemplate(title, table or None, rows, columns)
    for column in draw(st.lists(st.sampled_from(sorted(VOCABULARIES)), max_size=3, unique=True)):
        codes = VOCABULARIES[column].codes
        template.values[column] = draw(st.dictionaries(_TEXT, st.sampled_from(codes), max_size=4))
    return template


@settings(max_examples=300, deadline=None)
@given(templates())
def test_any_template_round_trips_through_toml(template: Template) -> None:
    assert parse_template(write_template(template)) == template


@given(_TEXT)
def test_hostile_header_text_round_trips(text: str) -> None:
    template = Template(
        sheets={text: SheetTemplate(text, "villages", [1], {text: "name", text + "x": None})},
        values={"tier": {text: "weak"}},
    )
    assert parse_template(write_template(template)) == template


def test_hostile_headers_from_a_workbook_round_trip(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "villages"
    sheet.append(["id", "name", "tier", HOSTILE, "+cmd|' /C calc'!A0", '"]\\'])
    sheet.append(["V1", "幸福村", "weak", "x", "y", "z"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(buffer.getvalue())
    found = suggest(interchange.inspect(path).report)
    assert list(found.sheets["villages"].columns) == [
        "id",
        "name",
        "tier",
        HOSTILE.strip(),
        "+cmd|' /C calc'!A0",
        '"]\\',
    ]
    file = tmp_path / "hostile.toml"
    file.write_text(write_template(found), encoding="utf-8")
    assert read_template(file) == found
    # Reused, the hostile columns are skipped as the template says and the ledger reads.
    reading = interchange.inspect(path, template=found)
    assert reading.dataset is not None
    assert reading.dataset.nodes["Village"] == [village(id="V1", name="幸福村", tier="weak")]


def test_report_lines_say_every_decision_in_both_languages() -> None:
    mapping = SheetMapping(
        "c.xlsx:结对共建台账",
        "结对共建台账",
        "pairings",
        header_rows=[2, 3],
        columns=[
            ColumnMatch(0, "结对单位/名称", FieldRef("pairings", "unit"), "alias"),
            ColumnMatch(1, "结对单位/类型", FieldRef("pairings", "unit.label"), "fuzzy"),
            ColumnMatch(3, "结对时间", FieldRef("pairings", "since"), "template"),
        ],
        skipped_columns=[SkippedColumn(2, "查重辅助列", "column_hidden")],
        data_rows=[4, 5],
        skipped_rows=[(1, "title_row", "台账\n（截至2025年）"), (6, "footer_row", "合计")],
    )
    skipped = SheetMapping("c.xlsx:下拉选项", "下拉选项", None, skipped="sheet_hidden")
    report = Report([mapping, skipped], words={"tier": {"示范村": "strong"}})
    report.metadata = {"filled_on": "2026-01-08", "filled_by": "中共翠阳县委组织部"}
    report.note("sheet_hidden", "c.xlsx:下拉选项")
    assert report_lines(report, "en") == [
        "ledger: filled on 2026-01-08, filled by 中共翠阳县委组织部",
        "c.xlsx:结对共建台账: read as pairings (城乡结对), header in row 2, 3",
        "  column A '结对单位/名称' -> unit 结对单位 (known header)",
        "  column B '结对单位/类型' -> unit.label 结对单位·类型 (near match)",
        "  column C '查重辅助列': a hidden column, skipped",
        "  column D '结对时间' -> since 开始日期 (from the template)",
        "  2 data rows (rows 4 to 5)",
        "  row 1 '台账 （截至2025年）': a title row above the header, skipped",
        "  row 6 '合计': a footer row (total, note, signature), skipped",
        "c.xlsx:下拉选项: a hidden sheet, skipped",
        "value words:",
        "  tier: 示范村 -> strong",
    ]  # the hidden sheet's note is its mapping's line: not listed again
    assert report_lines(report, "zh")[:3] == [
        "台账：填报日期 2026-01-08，填报单位 中共翠阳县委组织部",
        "c.xlsx:结对共建台账: 按城乡结对（pairings）读取，表头第2、3行",
        "  A列「结对单位/名称」→ unit 结对单位（表头名称）",
    ]


def test_a_template_sheet_the_file_does_not_have_is_noted(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    text = COUNTY_TEMPLATE + '\n[sheets."2025年村情"]\ntable = "villages"\n'
    reading = interchange.inspect(path, template=parse_template(text))
    assert reading.ok
    [note] = [n for n in reading.report.notes if n.code == "template_sheet_unused"]
    assert note.text("en") == "template: the template's sheet 2025年村情 is not in the file, not used (renamed?)"


def test_value_words_apply_to_each_item_of_a_list_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "villages"
    sheet.append(["编号", "名称", "类别", "后进原因"])
    sheet.append(["V1", "幸福村", "后进村", "收入低、软弱涣散"])
    sheet.append(["V2", "红星村", "后进村", "收入低"])
    path = tmp_path / "reasons.xlsx"
    book.save(path)
    text = '[values.weak_reasons]\n"收入低" = "economy"\n'
    reading = interchange.inspect(path, template=parse_template(text))
    assert reading.dataset is not None
    assert [v["weak_reasons"] for v in reading.dataset.nodes["Village"]] == [["economy", "organisation"], ["economy"]]
