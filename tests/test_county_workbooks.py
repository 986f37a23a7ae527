"""Issue 12: the workbooks counties actually keep, read without a template, exactly.

The workbooks are written by `tools.county_workbook` (a Dataset as a county organisation department keeps
it, each quirk switchable) or, for the smallest cases, by hand with openpyxl. Each test asserts the exact
dataset read, by natural keys (a county workbook has no ids: the reader derives them), or the exact report.
The first tests check the generator itself, so that the others stand on solid ground.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import interchange
from graph.dataset import Dataset
from graph.errors import ValidationError
from graph.interchange import Reading
from tests.fixtures import StoreFactory, county_programme, seed_dataset
from tools import county_workbook as cw
from tools.county_workbook import Quirks, Written, natural, write

# The seed's "today" (seed/expected_gaps.json), and the ledger's own date.
ASOF = dt.date(2026, 11, 1)
# Quirks that only show with another one: half-width brackets need the county's headers, codes need
# sheets without ids, two units in one cell are two names.
NEEDS = {"mixed_brackets": ("county_headers",), "codes": ("names_only",), "units_in_one_cell": ("names_only",)}
ALONE = [name for name in Quirks.names() if name != "hostile"]
DATA_SHEETS = (
    "村基本情况",
    "社区名录",
    "企业名录",
    "单位名录",
    "驻村第一书记花名册",
    "结对共建台账",
    "强村带弱村",
    "村企联建",
)


def inspected(written: Written) -> Reading:
    reading = interchange.inspect(written.path)
    assert reading.ok, f"{reading.total} problems:\n" + "\n".join(map(str, reading.problems[:20]))
    return reading


def assert_reads_as_meant(written: Written) -> Dataset:
    """The workbook reads as exactly the dataset it says (natural keys: ids are the reader's own)."""
    got = inspected(written).dataset
    differences = cw.natural_differences(got, written.expected, limit=30)
    assert not differences, "\n".join(differences)
    assert natural(got) == natural(written.expected)
    return got


def folded(text: Any) -> str:
    return str(text).replace("(", "（").replace(")", "）")


# --- the generator -------------------------------------------------------------------------------


def test_without_quirks_the_generator_writes_the_interchange_format(tmp_path: Path) -> None:
    seed = seed_dataset()
    written = write(seed, tmp_path / "ledger.xlsx")
    assert natural(written.expected) == natural(seed)
    assert natural(interchange.read(written.path)) == natural(seed)
    assert written.month_dates == 0 and not any(written.merges.values()) and not written.hidden_sheets


def test_natural_form_names_nodes_without_ids() -> None:
    data = county_programme()
    renamed = Dataset()
    new = {row["id"]: f"X{i}" for i, row in enumerate(r for rows in data.nodes.values() for r in rows)}
    renamed.nodes = {label: [{**r, "id": new[r["id"]]} for r in rows] for label, rows in data.nodes.items()}
    renamed.links = {
        t: [{**r, "src": new[r["src"]], "dst": new[r["dst"]]} for r in rows] for t, rows in data.links.items()
    }
    assert natural(renamed) == natural(data)
    renamed.links["PAIRED_WITH"][0]["funds"] = 11.0
    assert cw.natural_differences(renamed, data) and natural(renamed) != natural(data)


def test_the_generator_writes_every_quirk(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "县台账.xlsx", Quirks.every())
    wb = openpyxl.load_workbook(written.path)
    assert wb.sheetnames == ["汇总", *DATA_SHEETS, "下拉选项", "Sheet1"]
    assert wb["下拉选项"].sheet_state == "hidden" and written.hidden_sheets == ["下拉选项"]
    assert wb["Sheet1"].max_row == 1 and wb["Sheet1"]["A1"].value is None
    ids = re.compile(r"^[VCEOK]\d{2}$")
    for title in DATA_SHEETS:
        ws = wb[title]
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert merged == set(written.merges[title])
        last = openpyxl.utils.get_column_letter(ws.max_column)
        # Title rows: merged across, with the ledger's date, unit and filling date.
        assert ws["A1"].value.endswith("工作台账（截至2025年12月31日）") and f"A1:{last}1" in merged
        assert "填报单位（盖章）：XX县委组织部" in ws["A2"].value and "填报日期：2026年1月8日" in ws["A2"].value
        header = written.header_rows[title]
        assert header == [3, 4] if title in ("驻村第一书记花名册", "结对共建台账", "强村带弱村") else header == [3]
        assert ws.cell(header[0], 1).value == "序号"
        # The hidden helper column.
        (letter,) = written.hidden_columns[title]
        assert ws.column_dimensions[letter].hidden and ws[f"{letter}{header[0]}"].value == "查重辅助列"
        rows = list(ws.iter_rows(values_only=True))
        # Footers: 合计, 注：…, 填表人…; blank rows in the middle.
        footer = [str(rows[r - 1][0]) for r in written.footer_rows[title]]
        assert footer[0] == "合计" and footer[1].startswith("注：1.") and footer[2].startswith("填表人：")
        assert all(not any(rows[r - 1]) for r in written.blank_rows[title])
        assert written.data_rows[title][0] == header[-1] + 1
        # No id anywhere: references are names.
        assert not [v for row in rows for v in row if isinstance(v, str) and ids.match(v)], title
    # County cells merged down over their rows, the value in the first cell only.
    villages = wb["村基本情况"]
    downs = [r for r in villages.merged_cells.ranges if r.min_row > 3 and r.min_col == r.max_col]
    assert downs and all(villages.cell(r.min_row, r.min_col).value for r in downs)
    assert all(villages.cell(r.max_row, r.min_col).value is None for r in downs if r.max_row > r.min_row)
    heads = [folded(c.value) for c in villages[3]]
    assert {"统计用区划代码", "街道（乡镇）", "村名", "村类别", "薄弱原因", "户籍人口（人）", "党员数（名）"} <= set(
        heads
    )
    assert {c.value for c in villages[3]} & {"户籍人口(人)", "党员数(名)", "街道(乡镇)", "县(市、区)"}  # half-width too
    # Two-level headers.
    pairings = wb["结对共建台账"]
    top, sub = [c.value for c in pairings[3]], [folded(c.value) for c in pairings[4]]
    assert sub[top.index("结对单位") : top.index("结对单位") + 2] == ["名称", "类型"]
    assert sub[top.index("帮扶情况") : top.index("帮扶情况") + 3] == ["项目数", "资金（万元）", "最近活动"]
    roster = wb["驻村第一书记花名册"]
    top, sub = [c.value for c in roster[3]], [folded(c.value) for c in roster[4]]
    assert sub[top.index("驻村情况") : top.index("驻村情况") + 4] == ["街道（乡镇）", "村名", "驻村身份", "任职时间"]
    assert {"姓名", "出生年份", "学历", "派出单位", "专长"} <= set(top)
    leads = wb["强村带弱村"]
    top, sub = [c.value for c in leads[3]], [folded(c.value) for c in leads[4]]
    for side in ("带领村", "被带村"):
        assert sub[top.index(side) : top.index(side) + 2] == ["村名", "类别"]
    # Values as ledgers write them.
    cells = {v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    assert "石砚区财政局、石砚区教育局" in cells
    assert {"示范村", "党政机关", "区级", "乡镇级", "是", "否", "组织定对", "第一书记"} <= cells
    assert cells & {"至今", "今", "现在", "在任"} and cells & {"暂无", "无", "—", "／"}
    assert [v for v in cells if re.fullmatch(r"\d{4}(年\d{1,2}月|\.\d{1,2})", v)]
    assert [v for v in cells if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日", v)]
    assert "420102001001" in cells  # the village with an official code
    # The cadre stationed in two villages is on two rows.
    assert [row[2] for row in roster.iter_rows(values_only=True)].count("付兰建") == 2


def test_month_only_dates_mean_the_first_of_the_month(tmp_path: Path) -> None:
    seed = seed_dataset()
    written = write(seed, tmp_path / "ledger.xlsx", Quirks(month_dates=True, terms=True))
    assert written.month_dates > written.month_cells > 50
    pairs = list(zip(seed.links["PAIRED_WITH"], written.expected.links["PAIRED_WITH"], strict=True))
    moved = [(old["since"], new["since"]) for old, new in pairs if old["since"] != new["since"]]
    assert moved and all(new == old.replace(day=1) for old, new in moved)
    # Only those dates: the rest of the programme is as given.
    assert len(natural(written.expected)["Village"]) == len(seed.nodes["Village"])


def test_repeated_names_make_three_villages_of_one_name(tmp_path: Path) -> None:
    written = write(seed_dataset(), tmp_path / "ledger.xlsx", Quirks(repeated_names=True))
    places = [(v["county"], v["township"]) for v in written.expected.nodes["Village"] if v["name"] == cw.REPEATED_NAME]
    assert len(places) >= 3 and len(set(places)) == len(places) and len({c for c, _ in places}) == 1


# --- each quirk on its own -----------------------------------------------------------------------


@pytest.mark.parametrize("quirk", ALONE)
def test_one_quirk_reads_exactly(tmp_path: Path, quirk: str) -> None:
    written = write(county_programme(), tmp_path / f"{quirk}.xlsx", Quirks.only(quirk, *NEEDS.get(quirk, ())))
    assert_reads_as_meant(written)


def test_every_quirk_at_once_reads_exactly(tmp_path: Path) -> None:
    assert_reads_as_meant(write(county_programme(), tmp_path / "县台账.xlsx", Quirks.every()))


def test_hostile_names_are_read_as_the_text_they_are(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "hostile.xlsx", Quirks.every(hostile=True))
    names = {r["name"] for rows in written.expected.nodes.values() for r in rows}
    assert {n for n in names if n.startswith("=")} and {n for n in names if "<script>" in n}
    got = assert_reads_as_meant(written)
    assert names == {r["name"] for rows in got.nodes.values() for r in rows}


def test_merged_township_cells_are_never_read_blank(tmp_path: Path) -> None:
    """The issue's worst case: 105 of 109 weak villages put under an empty township."""
    quirks = Quirks(merged=True, names_only=True, county_headers=True, sheet_names=True)
    written = write(cw.county_part(seed_dataset(), "石砚区"), tmp_path / "ledger.xlsx", quirks)
    got = inspected(written).dataset
    want = {(v["county"], v["township"], v["name"]) for v in written.expected.nodes["Village"]}
    assert {(v["county"], v["township"], v["name"]) for v in got.nodes["Village"]} == want
    assert natural(got) == natural(written.expected)


def test_repeated_village_names_resolve_by_township(tmp_path: Path) -> None:
    quirks = Quirks(names_only=True, repeated_names=True, county_headers=True, merged=True)
    written = write(cw.county_part(seed_dataset(), "石砚区"), tmp_path / "ledger.xlsx", quirks)
    got = assert_reads_as_meant(written)
    happy = {v["id"]: v["township"] for v in got.nodes["Village"] if v["name"] == cw.REPEATED_NAME}
    assert len(happy) >= 3
    paired = {p["dst"] for p in got.links["PAIRED_WITH"]} | {s["dst"] for s in got.links["STATIONED_IN"]}
    assert happy.keys() & paired


def test_one_cadre_on_two_roster_rows_is_one_cadre(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "花名册.xlsx", Quirks(roster=True, names_only=True, two_level=True))
    reading = inspected(written)
    cadres = [k for k in reading.dataset.nodes["Cadre"] if k["name"] == "付兰建"]
    assert len(cadres) == 1
    stations = [s for s in reading.dataset.links["STATIONED_IN"] if s["src"] == cadres[0]["id"]]
    assert sorted(s["since"] for s in stations) == [dt.date(2022, 3, 1), dt.date(2024, 3, 25)]
    assert [(n.count, n.file) for n in reading.report.notes if n.code == "cadre_repeated"] == [
        (1, f"花名册.xlsx:{written.sheets['cadres']}")
    ]
    assert natural(reading.dataset) == natural(written.expected)


def test_two_units_in_one_cell_are_two_pairings(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "ledger.xlsx", Quirks(units_in_one_cell=True, names_only=True))
    reading = inspected(written)
    units = {r["id"]: r["name"] for r in reading.dataset.nodes["Organisation"]}
    to_happy = [units.get(p["src"]) for p in reading.dataset.links["PAIRED_WITH"] if p["since"] == dt.date(2023, 3, 15)]
    assert sorted(map(str, to_happy)) == ["石砚区教育局", "石砚区财政局"]
    assert sum(n.count for n in reading.report.notes if n.code == "cell_split") == 1
    assert natural(reading.dataset) == natural(written.expected)


def test_terms_in_one_cell_are_split(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "ledger.xlsx", Quirks(terms=True, roster=True, names_only=True))
    reading = inspected(written)
    terms = {(s["since"], s["until"]) for s in reading.dataset.links["STATIONED_IN"]}
    assert (dt.date(2026, 1, 21), dt.date(2028, 1, 20)) in terms and (dt.date(2024, 3, 25), None) in terms
    assert sum(n.count for n in reading.report.notes if n.code == "term_split") == 4
    assert natural(reading.dataset) == natural(written.expected)


def test_a_unit_name_in_two_counties_resolves_by_the_rows_county(tmp_path: Path) -> None:
    """A city's workbook: 幸福社区 in both counties, each pairing a village of its own county; the row's
    县（市、区） tells which (it names the village's county, and a pairing stays within its county)."""
    data = county_programme()
    (other,) = [c for c in data.nodes["CityCommunity"] if c["county"] == "青岚县"]
    other["name"] = "幸福社区"
    written = write(data, tmp_path / "市台账.xlsx", Quirks(names_only=True, county_headers=True, sheet_names=True))
    got = assert_reads_as_meant(written)
    units = {c["id"]: c["county"] for c in got.nodes["CityCommunity"]}
    villages = {v["id"]: v["county"] for v in got.nodes["Village"]}
    to_happy = [p for p in got.links["PAIRED_WITH"] if p["src"] in units]
    assert len(to_happy) == 2 and all(units[p["src"]] == villages[p["dst"]] for p in to_happy)


def test_official_codes_are_the_ids(tmp_path: Path) -> None:
    written = write(
        county_programme(), tmp_path / "ledger.xlsx", Quirks(names_only=True, codes=True, county_headers=True)
    )
    got = assert_reads_as_meant(written)
    assert {v["id"] for v in got.nodes["Village"] if v["name"] == "龙口村"} == {"420102001001"}
    assert {e["id"] for e in got.nodes["Enterprise"] if e["credit_code"]} == {"91420100MA4K3X8Q2N"}


def test_a_synthetic_county_reads_exactly(tmp_path: Path) -> None:
    """graph.synth's county (317 villages, repeated names from its name pools), every quirk at once."""
    from graph import synth

    assert_reads_as_meant(write(synth.generate("county", 42), tmp_path / "synth.xlsx", Quirks.every()))


@pytest.mark.slow  # a city of ten counties, each its own ledger: about 3,000 villages in all
def test_every_county_of_a_synthetic_city_reads_exactly(tmp_path: Path) -> None:
    from graph import synth

    city = synth.generate("city", 42)
    counties = sorted({v["county"] for v in city.nodes["Village"]})
    assert len(counties) == 10
    for county in counties:
        part = cw.county_part(city, county)
        assert_reads_as_meant(write(part, tmp_path / f"{county}.xlsx", Quirks.every(), filled_by=f"{county}委组织部"))


# --- what the reader reports ---------------------------------------------------------------------


def test_the_report_lists_every_sheet_row_and_column_it_skipped(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "县台账.xlsx", Quirks.every())
    reading = inspected(written)
    report = reading.report
    name = written.path.name
    by_title = {m.title: m for m in report.mappings}
    assert set(by_title) == {"汇总", *DATA_SHEETS, "下拉选项", "Sheet1"}
    assert (by_title["汇总"].table, by_title["汇总"].skipped) == (None, "sheet_unmatched")
    assert (by_title["下拉选项"].table, by_title["下拉选项"].skipped) == (None, "sheet_hidden")
    assert (by_title["Sheet1"].table, by_title["Sheet1"].skipped) == (None, "sheet_empty")
    codes = {(n.code, n.file) for n in report.notes}
    for title, skipped in (("汇总", "sheet_unmatched"), ("下拉选项", "sheet_hidden"), ("Sheet1", "sheet_empty")):
        assert (skipped, f"{name}:{title}") in codes
    tables = {t: title for t, title in written.sheets.items() if t != "stations"}
    for table, title in tables.items():
        mapping = by_title[title]
        file = f"{name}:{title}"
        assert mapping.table == table and mapping.file == file
        assert mapping.header_rows == written.header_rows[title]
        blanks = set(written.blank_rows[title])
        assert [r for r in mapping.data_rows if r not in blanks] == written.data_rows[title]
        notes = [n for n in report.notes if n.file == file]
        assert {n.row for n in notes if n.code == "title_row"} == {1, 2}
        assert {n.row for n in notes if n.code == "footer_row"} == set(written.footer_rows[title])
        (letter,) = written.hidden_columns[title]
        (hidden,) = [n for n in notes if n.code == "column_hidden"]
        assert hidden.column in (letter, "查重辅助列", f"{letter} 查重辅助列")
        index = openpyxl.utils.column_index_from_string(letter) - 1
        assert [s.index for s in mapping.skipped_columns if s.reason == "column_hidden"] == [index]
        # Every fuzzy match is a note naming the header.
        fuzzy = {c.header for c in mapping.columns if c.how == "fuzzy"}
        assert fuzzy == {n.column for n in notes if n.code == "header_fuzzy"}
        # Cells merged down over data rows are read filled, and said so; a footer line merged across (注：…) is a
        # footer row, noted as such above.
        data_rows = set(written.data_rows[title])
        bounds = [openpyxl.utils.range_boundaries(r) for r in written.merges[title]]
        if any(top in data_rows and (bottom or 0) > (top or 0) for _, top, _, bottom in bounds):
            assert [n for n in notes if n.code == "merged_filled"], title
    assert "cadres" in by_title["驻村第一书记花名册"].tables and "stations" in by_title["驻村第一书记花名册"].tables
    for title in ("村基本情况", "社区名录", "单位名录"):
        assert {n.code for n in report.notes if n.file == f"{name}:{title}"} & {"id_derived", "id_from_code"}


def test_the_report_keeps_the_ledgers_date_and_unit(tmp_path: Path) -> None:
    written = write(
        county_programme(),
        tmp_path / "ledger.xlsx",
        Quirks(titles=True),
        filled_by="青岚县委组织部",
        filled_on=dt.date(2026, 1, 8),
    )
    report = inspected(written).report
    assert report.metadata["filled_on"] == "2026-01-08"
    assert report.metadata["filled_by"] == "青岚县委组织部"
    assert report.as_json()["metadata"]["filled_on"] == "2026-01-08"


def test_the_report_counts_every_month_only_date(tmp_path: Path) -> None:
    written = write(seed_dataset(), tmp_path / "ledger.xlsx", Quirks(month_dates=True, terms=True, ledger_words=True))
    reading = inspected(written)
    noted = sum(n.count for n in reading.report.notes if n.code == "month_date")
    # A term such as 2024.01-2026.01 holds two in one cell: counted per date or per cell, but none left out.
    assert written.month_cells <= noted <= written.month_dates
    assert natural(reading.dataset) == natural(written.expected)
    assert all(n.row is not None and n.column for n in reading.report.notes if n.code == "month_date")


def test_fuzzy_header_matches_are_reported(tmp_path: Path) -> None:
    written = write(county_programme(), tmp_path / "ledger.xlsx", Quirks(county_headers=True, mixed_brackets=True))
    reading = inspected(written)
    for mapping in reading.report.mappings:
        fuzzy = [c for c in mapping.columns if c.how == "fuzzy"]
        noted = [n for n in reading.report.notes if n.code == "header_fuzzy" and n.file == mapping.file]
        assert sorted(c.header for c in fuzzy) == sorted(str(n.column) for n in noted)
        assert all(c.how in ("exact", "alias", "fuzzy") for c in mapping.columns)
    assert natural(reading.dataset) == natural(written.expected)


# --- the headline: a county workbook gives the same gap lists as the interchange format ---------


@pytest.mark.parametrize("county", ["石砚区", "澄溪县", "青岚县"])
def test_the_seed_as_county_workbooks_gives_the_same_gap_lists(
    tmp_path: Path, make_store: StoreFactory, county: str
) -> None:
    """Each seed county's ledger as that county keeps it, every quirk at once, no template: the same gap lists
    as the same programme in the interchange format."""
    part = cw.county_part(seed_dataset(), county)
    assert all(link["src"] in {c["id"] for c in part.nodes["Cadre"]} for link in part.links["SENT_BY"])
    path = tmp_path / f"{county}城乡结对共建工作台账（2025年度）.xlsx"
    written = write(part, path, Quirks.every(), filled_by=f"{county}委组织部")
    reading = inspected(written)
    assert natural(reading.dataset) == natural(written.expected)
    assert reading.report.metadata == {"filled_on": "2026-01-08", "filled_by": f"{county}委组织部"}
    # The same programme in the interchange format: what the workbook says, read the way it always was.
    folder = tmp_path / "interchange"
    interchange.write_folder(written.expected, folder)
    from_county = make_store(reading.dataset)
    from_interchange = make_store(interchange.read(folder))
    for day in (ASOF, cw.AS_OF):
        got, want = cw.gap_rows(from_county, day), cw.gap_rows(from_interchange, day)
        assert got.keys() == want.keys()
        for name in want:
            assert got[name] == want[name], name
        assert want["unpaired"] and want["coverage/township"] and want["unit_load"]
    # No township is blank: every weak village is counted under its own.
    assert all(dict(row)["township"] for row in cw.gap_rows(from_county, ASOF)["coverage/township"])


def test_next_months_workbook_keeps_the_ids_of_unchanged_villages(tmp_path: Path) -> None:
    quirks = Quirks.every()
    first = inspected(write(county_programme(), tmp_path / "2025年12月.xlsx", quirks)).dataset
    later = county_programme()
    later.nodes["Village"].append({**later.nodes["Village"][0], "id": "V99", "name": "新建村"})
    second = inspected(write(later, tmp_path / "2026年1月.xlsx", quirks)).dataset
    before, after = cw.ids_by_natural_key(first), cw.ids_by_natural_key(second)
    assert len(set(before.values())) == len(before)  # four 幸福村, four ids
    assert after.keys() - before.keys() == {("Village", "石砚区", "太塘镇", "新建村")}
    assert {k: after[k] for k in before} == before


# --- ambiguity: a name that names several villages -----------------------------------------------


def _ledger(path: Path, with_township: bool) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    villages = wb.create_sheet("村基本情况")
    villages.append(["县（市、区）", "街道（乡镇）", "村名", "村类别"])
    for township in ("太塘镇", "五花镇", "花源乡"):
        villages.append(["石砚区", township, "幸福村", "后进村"])
    units = wb.create_sheet("单位名录")
    units.append(["县（市、区）", "单位名称", "单位性质", "单位级别"])
    units.append(["石砚区", "石砚区财政局", "党政机关", "区级"])
    pairings = wb.create_sheet("结对共建台账")
    pairings.append(["县（市、区）", *(["街道（乡镇）"] if with_township else []), "村名", "结对单位", "结对时间"])
    pairings.append(["石砚区", *(["五花镇"] if with_township else []), "幸福村", "石砚区财政局", "2024年3月1日"])
    wb.save(path)
    return path


def test_a_name_that_names_three_villages_is_a_problem_naming_file_sheet_row_column_and_value(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "ambiguous.xlsx", with_township=False)
    with pytest.raises(ValidationError) as caught:
        interchange.read(path)
    problems = [p for p in caught.value.problems if p.value == "幸福村"]
    assert [(p.file, p.row, p.column) for p in problems] == [("ambiguous.xlsx:结对共建台账", 2, "村名")]
    assert "3" in problems[0].reason or "三" in problems[0].reason or "太塘镇" in problems[0].reason


def test_the_township_column_resolves_the_name(tmp_path: Path) -> None:
    got = interchange.read(_ledger(tmp_path / "resolved.xlsx", with_township=True))
    villages = {v["id"]: v["township"] for v in got.nodes["Village"]}
    assert len(villages) == 3
    (pairing,) = got.links["PAIRED_WITH"]
    assert villages[pairing["dst"]] == "五花镇" and pairing["since"] == dt.date(2024, 3, 1)
    (unit,) = got.nodes["Organisation"]
    assert (unit["name"], unit["kind"], unit["level"]) == ("石砚区财政局", "department", "county")
