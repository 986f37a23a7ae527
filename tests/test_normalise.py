"""Normalise: a recognised county sheet read into exactly the right interchange rows.

Sheets are built by hand as `Sheet` + `SheetMapping` (what detection hands over, by the contract in
`graph/interchange/_mapping.py`), or as openpyxl workbooks read through `interchange.inspect` where
detection on main already recognises them (interchange sheet names with county headers and values).
Every test asserts the exact dataset read and the exact notes.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import interchange
from graph.errors import Problem
from graph.interchange._assemble import Assembler, KnownNodes
from graph.interchange._headers import HEADERS, Table, fold_header
from graph.interchange._ids import derived_id
from graph.interchange._mapping import ColumnMatch, FieldRef, Reading, SheetMapping, Template
from graph.interchange._normalise import normalise
from graph.interchange._sources import Loaded, Sheet
from graph.model import NODE_BY_LABEL, ORGANISATION_KIND, ORGANISATION_LEVEL, REL_BY_TYPE, TIER
from tests.fixtures import workbook_file

BOOK = "县台账.xlsx"


def node(label: str, id: str, name: str, **props: Any) -> dict[str, Any]:
    """A node row as reading gives it: every stored property, blank unless given."""
    spec = NODE_BY_LABEL[label]
    row: dict[str, Any] = {p.name: [] if p.is_list else None for p in spec.stored}
    return {**row, "id": id, "name": name, **props}


def link(rel: str, src: str, src_label: str, dst: str, dst_label: str, **props: Any) -> dict[str, Any]:
    spec = REL_BY_TYPE[rel]
    row: dict[str, Any] = {p.name: [] if p.is_list else None for p in spec.props}
    return {"src": src, "src_label": src_label, "dst": dst, "dst_label": dst_label, **row, **props}


def sheet(
    title: str, table: str, header: list[str], rows: list[list[Any]], fields: dict[str, str] | None = None
) -> tuple[Sheet, SheetMapping]:
    """A sheet and its mapping as detection would give them: header in row 1, every other row data.

    `fields` names a header's field as a template writes it ("village.township", "stations:village");
    other headers are the table's own spellings.
    """
    file = f"{BOOK}:{title}"
    numbers = list(range(1, len(rows) + 2))
    raw = Sheet(file, None, [header, *rows], numbers, text_only=False, title=title)
    given = fields or {}
    columns = []
    for index, written in enumerate(header):
        text = given.get(written) or HEADERS[table][fold_header(written)]
        columns.append(ColumnMatch(index, written, FieldRef.parse(text, table), "alias"))
    return raw, SheetMapping(file, title, table, header_rows=[1], columns=columns, data_rows=numbers[1:])


class _Given(Assembler):
    """The assembler, reading the given sheets with the given mappings instead of detecting them."""

    def __init__(self, sheets: list[tuple[Sheet, SheetMapping]], known: KnownNodes | None, template: Template) -> None:
        super().__init__(Loaded(), known, template)
        self.given = sheets

    def _tables(self) -> dict[str, list[Table]]:
        tables: dict[str, list[Table]] = {}
        for raw, mapping in self.given:
            self.report.mappings.append(mapping)
            values = self.template.values
            for table in normalise(raw, mapping, self.report, values, self.problems, self.loaded.broken):
                tables.setdefault(table.key, []).append(table)
        return tables


def read(
    *sheets: tuple[Sheet, SheetMapping], known: KnownNodes | None = None, template: Template | None = None
) -> Reading:
    return _Given(list(sheets), known, template or Template()).run()


def notes(reading: Reading) -> list[tuple[str, str, int | None, str | None, str | None, int]]:
    return [(n.code, n.file.partition(":")[2], n.row, n.column, n.value, n.count) for n in reading.report.notes]


def problems(reading: Reading) -> list[tuple[str, int | None, str | None, str | None]]:
    assert reading.dataset is None
    return [(p.file.partition(":")[2], p.row, p.column, p.value) for p in reading.problems]


def vid(county: str, township: str, name: str) -> str:
    return derived_id("V", county, township, name)


VILLAGES = ["村名", "所属县", "所属乡镇", "类别"]


def villages(*rows: list[Any]) -> tuple[Sheet, SheetMapping]:
    return sheet("村基本情况", "villages", VILLAGES, [list(r) for r in rows])


# --- values as ledgers write them -----------------------------------------------------------------


def test_month_only_dates_read_as_the_first_of_the_month() -> None:
    units = sheet("社区名录", "communities", ["编号", "社区名称"], [["C1", "和平社区"]])
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "开始日期", "最近活动"],
        [
            ["C1", "东岗村", "2023年3月", "2024.5.6"],
            ["C1", "西岭村", "2023.3", "2024-06"],
            ["C1", "南坡村", "2023-03", None],
            ["C1", "北山村", "2023/3", None],
            ["C1", "中和村", 2023.3, None],  # typed 2023.3 in Excel: a number
        ],
    )
    rows = [[name, "青山县", "东镇", "后进村"] for name in ("东岗村", "西岭村", "南坡村", "北山村", "中和村")]
    got = read(villages(*rows), units, pairings)
    ids = [vid("青山县", "东镇", r[0]) for r in rows]
    since = date(2023, 3, 1)
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "C1", "CityCommunity", ids[0], "Village", since=since, last_activity=date(2024, 5, 6)),
        link("PAIRED_WITH", "C1", "CityCommunity", ids[1], "Village", since=since, last_activity=date(2024, 6, 1)),
        link("PAIRED_WITH", "C1", "CityCommunity", ids[2], "Village", since=since),
        link("PAIRED_WITH", "C1", "CityCommunity", ids[3], "Village", since=since),
        link("PAIRED_WITH", "C1", "CityCommunity", ids[4], "Village", since=since),
    ]
    assert [n for n in notes(got) if n[0] == "month_date"] == [
        ("month_date", "结对共建台账", 2, "开始日期", "2023年3月", 5),
        ("month_date", "结对共建台账", 3, "最近活动", "2024-06", 1),
    ]


def test_open_ends_and_nothing_words_read_as_blank() -> None:
    units = sheet("社区名录", "communities", ["编号", "社区名称", "可结对数"], [["C1", "和平社区", "暂无"]])
    enterprises = sheet(
        "企业名录",
        "enterprises",
        ["编号", "企业名称", "是否建立党组织", "职工数", "行业"],
        [["E1", "一厂", "无", "—", "／"], ["E2", "二厂", "是", "-", "/"], ["E3", "无", "否", "12", "制造"]],
    )
    ends = ("至今", "今", "现在", "在任", "长期", "2025-01-01")
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "开始日期", "结束日期"],
        [["C1", "东岗村", f"2024-0{m}-01", end] for m, end in enumerate(ends, 1)],
    )
    got = read(villages(["东岗村", "青山县", "东镇", "后进村"]), units, enterprises, pairings)
    assert got.dataset.nodes["CityCommunity"] == [node("CityCommunity", "C1", "和平社区")]
    # 无 in a yes/no column is 否; a name that says 无 is a name.
    assert got.dataset.nodes["Enterprise"] == [
        node("Enterprise", "E1", "一厂", has_party_org=False),
        node("Enterprise", "E2", "二厂", has_party_org=True),
        node("Enterprise", "E3", "无", has_party_org=False, employees=12, industry="制造"),
    ]
    village_id = vid("青山县", "东镇", "东岗村")
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "C1", "CityCommunity", village_id, "Village", since=date(2024, m, 1), until=until)
        for m, until in enumerate([None] * 5 + [date(2025, 1, 1)], 1)
    ]
    assert [n for n in notes(got) if n[0] in ("open_end", "nothing_word")] == [
        ("nothing_word", "社区名录", 2, "可结对数", "暂无", 1),
        ("nothing_word", "企业名录", 2, "职工数", "—", 2),
        ("nothing_word", "企业名录", 2, "行业", "／", 2),
        ("open_end", "结对共建台账", 2, "结束日期", "至今", 5),
    ]


def test_a_term_in_one_cell_is_split_into_since_and_until() -> None:
    units = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", "区财政局"]])
    terms = [
        ("2024.01-2026.01", None, date(2024, 1, 1), date(2026, 1, 1)),
        ("2024.1—2026.1", None, date(2024, 1, 1), date(2026, 1, 1)),
        ("2024.01~2026.01", "2026-01-01", date(2024, 1, 1), date(2026, 1, 1)),  # agrees with its until
        ("2026年1月21日至2028年1月20日", None, date(2026, 1, 21), date(2028, 1, 20)),
        ("2024.3-至今", None, date(2024, 3, 1), None),
    ]
    names = ["东岗村", "西岭村", "南坡村", "北山村", "中和村"]
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "结对时间", "结束时间"],
        [["O1", name, term, until] for name, (term, until, *_) in zip(names, terms, strict=True)],
        {"结对时间": "since", "结束时间": "until"},
    )
    got = read(villages(*[[n, "青山县", "东镇", "强村"] for n in names]), units, pairings)
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "O1", "Organisation", vid("青山县", "东镇", name), "Village", since=since, until=until)
        for name, (_, _, since, until) in zip(names, terms, strict=True)
    ]
    assert notes(got) == [
        ("id_derived", "村基本情况", None, None, None, 5),
        ("term_split", "结对共建台账", 2, "结对时间", "2024.01-2026.01", 5),
        ("month_date", "结对共建台账", 2, "结对时间", "2024.01", 4),
        ("month_date", "结对共建台账", 2, "结束时间", "2026.01", 2),
    ]


def test_a_term_that_contradicts_its_until_is_a_problem() -> None:
    units = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", "区财政局"]])
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "结对时间", "结束时间"],
        [["O1", "东岗村", "2024.01-2026.01", "2025-06-30"]],
        {"结对时间": "since", "结束时间": "until"},
    )
    got = read(villages(["东岗村", "青山县", "东镇", "强村"]), units, pairings)
    (problem,) = got.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        f"{BOOK}:结对共建台账",
        2,
        "结束时间",
        "2025-06-30",
    )
    assert problem.reason == "the term in 结对时间 (2024.01-2026.01) ends on another day"


def test_tier_kind_and_level_words_are_read_and_reported() -> None:
    tiers = {
        "示范村": "strong",
        "先进村": "strong",
        "中心村": "strong",
        "一般村": "ordinary",
        "普通村": "ordinary",
        "集体经济薄弱村": "weak",
        "软弱涣散村": "weak",
        "后进村": "weak",
        "薄弱村": "weak",
        "weak": "weak",
    }
    rows = [[f"村{i}", "青山县", "东镇", word] for i, word in enumerate(tiers)]
    kinds = [("党政机关", "department"), ("机关单位", "department"), ("事业单位", "institution"), ("国有企业", "soe")]
    kinds += [("驻区单位", "department")]
    levels = ["省级", "市级", "区级", "县级", "街道级"]
    level_codes = ["province", "city", "county", "county", "township"]
    orgs = sheet(
        "单位名录",
        "organisations",
        ["编号", "单位名称", "单位性质", "单位级别"],
        [[f"O{i}", f"单位{i}", kind, level] for i, ((kind, _), level) in enumerate(zip(kinds, levels, strict=True))],
        {"单位性质": "kind", "单位级别": "level"},
    )
    got = read(villages(*rows), orgs)
    assert [v["tier"] for v in got.dataset.nodes["Village"]] == list(tiers.values())
    assert [(o["kind"], o["level"]) for o in got.dataset.nodes["Organisation"]] == [
        (code, level) for (_, code), level in zip(kinds, level_codes, strict=True)
    ]
    # The words a template may keep: neither the codes nor the model's own display words (一般村, 事业单位, 省级).
    own = {t.zh for vocab in (TIER, ORGANISATION_KIND, ORGANISATION_LEVEL) for t in vocab.terms}
    assert got.report.words == {
        "tier": {word: code for word, code in tiers.items() if word != code and word not in own},
        "kind": {word: code for word, code in kinds if word not in own},
        "level": {word: code for word, code in zip(levels, level_codes, strict=True) if word not in own},
    }
    assert {"一般村", "后进村", "事业单位", "国有企业", "省级", "县级"} <= own


def test_a_templates_value_words_are_further_aliases() -> None:
    rows = [["东岗村", "青山县", "东镇", "重点帮扶村"], ["西岭村", "青山县", "东镇", "示范村"]]
    template = Template(values={"tier": {"重点帮扶村": "weak"}})
    got = read(villages(*rows), template=template)
    assert got.dataset.nodes["Village"] == [
        node("Village", vid("青山县", "东镇", "东岗村"), "东岗村", county="青山县", township="东镇", tier="weak"),
        node("Village", vid("青山县", "东镇", "西岭村"), "西岭村", county="青山县", township="东镇", tier="strong"),
    ]
    assert got.report.words == {"tier": {"重点帮扶村": "weak", "示范村": "strong"}}
    (problem,) = read(villages(*rows)).problems
    assert (problem.row, problem.column, problem.value) == (2, "类别", "重点帮扶村")


# --- ids ------------------------------------------------------------------------------------------


def test_ids_kept_taken_from_the_credit_code_or_derived() -> None:
    kept = sheet("村基本情况", "villages", ["村编号", "村名", "类别"], [["V9", "东岗村", "强村"]])
    enterprises = sheet(
        "企业名录",
        "enterprises",
        ["企业名称", "统一社会信用代码", "所属县"],
        [["一厂", "91330100ＭＡ2ＧＡ1234Ｘ", "青山县"], ["二厂", None, "青山县"]],
    )
    cadres = sheet(
        "干部",
        "cadres",
        ["姓名", "出生年份", "派出单位"],
        [["王伟", 1980, None], ["王伟", "1985", None], ["李娜", None, "一厂"]],
    )
    got = read(kept, enterprises, cadres)
    assert got.ok, got.problems
    assert got.dataset.nodes["Village"] == [node("Village", "V9", "东岗村", tier="strong")]
    assert [(e["id"], e["name"]) for e in got.dataset.nodes["Enterprise"]] == [
        ("91330100MA2GA1234X", "一厂"),
        (derived_id("E", "青山县", "", "二厂"), "二厂"),
    ]
    assert [(c["id"], c["birth_year"]) for c in got.dataset.nodes["Cadre"]] == [
        (derived_id("K", "王伟", "y:1980", "u:"), 1980),
        (derived_id("K", "王伟", "y:1985", "u:"), 1985),
        (derived_id("K", "李娜", "y:", "u:一厂"), None),
    ]
    assert all(re.fullmatch(r"[VEK][0-9A-F]{10}", n["id"]) for n in got.dataset.nodes["Cadre"])
    assert [n for n in notes(got) if n[0].startswith("id_")] == [
        ("id_from_code", "企业名录", None, "统一社会信用代码", None, 1),
        ("id_derived", "企业名录", None, None, None, 1),
        ("id_derived_cadre", "干部", None, None, None, 3),
    ]


def _county_book(path: Path, villages: list[tuple[str, str, str]]) -> Path:
    """A workbook detection on main already reads: interchange sheet names, county headers, no id column."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "villages"
    sheet.append(["序号", "村名", "所属县", "乡镇(街道)", "村类别"])
    for number, (name, township, tier) in enumerate(villages, 1):
        sheet.append([number, name, "青山县", township, tier])
    communities = book.create_sheet("communities")
    communities.append(["社区名称", "所属县", "乡镇（街道）"])
    communities.append(["和平社区", "青山县", "城东街道"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


DECEMBER = [("幸福村", "城东街道", "软弱涣散村"), ("幸福村", "西镇", "示范村"), ("东岗村", "西镇", "一般村")]


def test_derived_ids_are_the_same_on_every_reading_and_a_month_later(tmp_path: Path) -> None:
    first = interchange.inspect(_county_book(tmp_path / "12月.xlsx", DECEMBER))
    again = interchange.inspect(_county_book(tmp_path / "12月副本.xlsx", DECEMBER))
    # January: rows in another order, one village added.
    january = [DECEMBER[2], ("新建村", "西镇", "一般村"), DECEMBER[1], DECEMBER[0]]
    later = interchange.inspect(_county_book(tmp_path / "1月.xlsx", january))
    assert first.ok and again.ok and later.ok, (first.problems, later.problems)
    ids = {(v["name"], v["township"]): v["id"] for v in first.dataset.nodes["Village"]}
    assert ids == {
        ("幸福村", "城东街道"): vid("青山县", "城东街道", "幸福村"),
        ("幸福村", "西镇"): vid("青山县", "西镇", "幸福村"),
        ("东岗村", "西镇"): vid("青山县", "西镇", "东岗村"),
    }
    assert again.dataset.nodes == first.dataset.nodes
    assert {(v["name"], v["township"]): v["id"] for v in later.dataset.nodes["Village"]} == {
        **ids,
        ("新建村", "西镇"): vid("青山县", "西镇", "新建村"),
    }
    assert later.dataset.nodes["CityCommunity"] == first.dataset.nodes["CityCommunity"]
    assert [(n.code, n.file, n.count) for n in first.report.notes if n.code == "id_derived"] == [
        ("id_derived", "12月.xlsx:villages", 3),
        ("id_derived", "12月.xlsx:communities", 1),
    ]


# --- references by name ---------------------------------------------------------------------------

XINGFU = [
    ["幸福村", "青山县", "城东街道", "后进村"],
    ["幸福村", "青山县", "西镇", "后进村"],
    ["幸福村", "白水县", "西镇", "强村"],
    ["东岗村", "青山县", "西镇", "强村"],
]
UNITS = sheet("社区名录", "communities", ["编号", "社区名称"], [["C1", "和平社区"]])


def test_a_name_repeated_across_townships_is_resolved_by_the_rows_township_and_county() -> None:
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "结对村/县", "结对村/街道（乡镇）", "结对村/村名", "开始日期"],
        [
            ["C1", "青山县", "城东街道", "幸福村", "2024-01-01"],
            ["C1", "青山县", "西镇", "幸福村", "2024-01-01"],
            ["C1", "白水县", "西镇", "幸福村", "2024-01-01"],
            ["C1", None, "城东", "幸福村", "2024-02-01"],  # 城东 is 城东街道: no other 城东
            ["C1", None, None, "东岗村", "2024-01-01"],  # the only 东岗村
        ],
        {"结对村/县": "village.county", "结对村/街道（乡镇）": "village.township", "结对村/村名": "village"},
    )
    got = read(villages(*XINGFU), UNITS, pairings)
    assert got.ok, got.problems
    since, feb = date(2024, 1, 1), date(2024, 2, 1)
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "C1", "CityCommunity", vid("青山县", "城东街道", "幸福村"), "Village", since=since),
        link("PAIRED_WITH", "C1", "CityCommunity", vid("青山县", "西镇", "幸福村"), "Village", since=since),
        link("PAIRED_WITH", "C1", "CityCommunity", vid("白水县", "西镇", "幸福村"), "Village", since=since),
        link("PAIRED_WITH", "C1", "CityCommunity", vid("青山县", "城东街道", "幸福村"), "Village", since=feb),
        link("PAIRED_WITH", "C1", "CityCommunity", vid("青山县", "西镇", "东岗村"), "Village", since=since),
    ]


def test_a_name_ambiguous_without_its_township_is_a_problem_naming_the_candidates() -> None:
    rows = [*XINGFU, ["幸福村", "青山县", "城东镇", "后进村"]]
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "街道（乡镇）", "开始日期"],
        [
            ["C1", "幸福村", None, "2024-01-01"],
            ["C1", "幸福村", "西镇", "2024-01-01"],  # 西镇 in two counties, and no county column
            ["C1", "幸福村", "城东", "2024-01-01"],  # 城东街道 or 城东镇
            ["C1", "幸福村", "南镇", "2024-01-01"],
        ],
        {"街道（乡镇）": "village.township"},
    )
    got = read(villages(*rows), UNITS, pairings)
    assert problems(got) == [("结对共建台账", r, "村名", "幸福村") for r in (2, 3, 4, 5)]
    ids = {(c, t): vid(c, t, name) for name, c, t, _ in rows if name == "幸福村"}
    where = {i: f"{i} in {c}、{t}" for (c, t), i in ids.items()}
    every = ", ".join(where[i] for i in sorted(where))
    west = ", ".join(where[i] for i in sorted((ids["青山县", "西镇"], ids["白水县", "西镇"])))
    hint = "add its township (街道/乡镇) column or write the id"
    assert [p.reason for p in got.problems] == [
        f"4 nodes have this name ({every}); {hint}",
        f"2 nodes have this name ({west}); {hint}",
        f"城东 may be 城东街道 or 城东镇: write it in full ({every})",
        f"no Village of this name in 南镇 ({every})",
    ]


def test_a_units_kind_picks_its_label_and_a_cadre_is_told_by_birth_year_or_sending_unit() -> None:
    community = sheet("社区名录", "communities", ["编号", "社区名称"], [["C1", "新华"]])
    enterprise = sheet("企业名录", "enterprises", ["编号", "企业名称"], [["E1", "新华"]])
    organisation = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", "新华"]])
    cadres = sheet(
        "干部",
        "cadres",
        ["编号", "姓名", "出生年份", "派出单位"],
        [["K1", "王伟", 1980, "C1"], ["K2", "王伟", 1985, "E1"], ["K3", "王伟", 1990, "O1"]],
    )
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位/名称", "结对单位/类型", "村名", "开始日期"],
        [
            ["新华", kind, "东岗村", f"2024-0{m}-01"]
            for m, kind in enumerate(("城市社区", "民营企业", "党政机关", "学校"), 1)
        ],
        {"结对单位/名称": "unit", "结对单位/类型": "unit.label"},
    )
    stations = sheet(
        "驻村",
        "stations",
        ["姓名", "出生年份", "派出单位", "村名", "任职时间"],
        [["王伟", 1985, None, "东岗村", "2024-01-01"], ["王伟", None, "新华", "东岗村", "2024-02-01"]],
        {"姓名": "cadre", "出生年份": "cadre.birth_year", "派出单位": "cadre.sent_by", "任职时间": "since"},
    )
    village = ["东岗村", "青山县", "西镇", "强村"]
    got = read(villages(village), community, enterprise, organisation, cadres, pairings, stations)
    # "新华" as a sending unit is three units: the cadre is not told by it, so row 3 is ambiguous.
    assert problems(got) == [("驻村", 3, "姓名", "王伟")]
    hint = "add the birth year (出生年份) or sending unit (派出单位) column, or write the id"
    assert got.problems[0].reason == f"3 nodes have this name (K1, K2, K3); {hint}"
    only = sheet(
        "驻村",
        "stations",
        ["姓名", "出生年份", "派出单位", "村名", "任职时间"],
        [["王伟", 1985, None, "东岗村", "2024-01-01"], ["王伟", None, "C1", "东岗村", "2024-02-01"]],
        {"姓名": "cadre", "出生年份": "cadre.birth_year", "派出单位": "cadre.sent_by", "任职时间": "since"},
    )
    got = read(villages(village), community, enterprise, organisation, cadres, pairings, only)
    assert got.ok, got.problems
    east = vid("青山县", "西镇", "东岗村")
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", unit, label, east, "Village", since=date(2024, m, 1))
        for m, (unit, label) in enumerate(
            (("C1", "CityCommunity"), ("E1", "Enterprise"), ("O1", "Organisation"), ("O1", "Organisation")), 1
        )
    ]
    assert got.dataset.links["STATIONED_IN"] == [
        link("STATIONED_IN", "K2", "Cadre", east, "Village", since=date(2024, 1, 1)),
        link("STATIONED_IN", "K1", "Cadre", east, "Village", since=date(2024, 2, 1)),
    ]
    assert got.report.words["unit.label"] == {
        "城市社区": "CityCommunity",
        "民营企业": "Enterprise",
        "党政机关": "Organisation",
        "学校": "Organisation",
    }
    # A kind the model has no word for is a department's to name, in its template.
    pairings[0].rows[1] = ["新华", "两新组织", "东岗村", "2024-01-01"]
    template = Template(values={"unit.label": {"两新组织": "Enterprise"}})
    got = read(villages(village), community, enterprise, organisation, cadres, pairings, template=template)
    assert got.dataset.links["PAIRED_WITH"][0] == link(
        "PAIRED_WITH", "E1", "Enterprise", east, "Village", since=date(2024, 1, 1)
    )
    assert got.report.words["unit.label"]["两新组织"] == "Enterprise"


# --- several units in one cell --------------------------------------------------------------------


def test_several_units_in_one_cell_make_one_link_each() -> None:
    units = sheet(
        "单位名录",
        "organisations",
        ["编号", "单位名称"],
        [["O1", "区财政局"], ["O2", "区教育局"], ["O3", "区卫健局"], ["O4", "区委办、区府办"]],
    )
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "开始日期", "帮扶资金"],
        [
            ["区财政局、区教育局", "东岗村", "2024-01-01", 5],
            ["区卫健局；O1,区教育局", "西岭村", "2024-02-01", 3],
            ["区委办、区府办", "西岭村", "2024-03-01", None],  # one unit, whose name has a 、
        ],
    )
    rows = [["东岗村", "青山县", "西镇", "后进村"], ["西岭村", "青山县", "西镇", "后进村"]]
    got = read(villages(*rows), units, pairings)
    east, west = vid("青山县", "西镇", "东岗村"), vid("青山县", "西镇", "西岭村")
    jan, feb = date(2024, 1, 1), date(2024, 2, 1)
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "O1", "Organisation", east, "Village", since=jan, funds=5.0),
        link("PAIRED_WITH", "O2", "Organisation", east, "Village", since=jan, funds=5.0),
        link("PAIRED_WITH", "O3", "Organisation", west, "Village", since=feb, funds=3.0),
        link("PAIRED_WITH", "O1", "Organisation", west, "Village", since=feb, funds=3.0),
        link("PAIRED_WITH", "O2", "Organisation", west, "Village", since=feb, funds=3.0),
        link("PAIRED_WITH", "O4", "Organisation", west, "Village", since=date(2024, 3, 1)),
    ]
    assert [n for n in notes(got) if n[0] == "cell_split"] == [
        ("cell_split", "结对共建台账", 2, "结对单位", "区财政局、区教育局", 2)
    ]


def test_problems_of_a_split_row_keep_the_sheets_row_number() -> None:
    units = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", "区财政局"], ["O2", "区教育局"]])
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "开始日期"],
        [
            ["区财政局", "东岗村", "2024-01-01"],
            ["区财政局、区教育局", "东岗村", "soon"],
            ["区财政局、区某局", "东岗村", "2024-01-01"],
        ],
    )
    got = read(villages(["东岗村", "青山县", "西镇", "后进村"]), units, pairings)
    # Row 3 is two links, but its bad date is one problem.
    assert problems(got) == [
        ("结对共建台账", 3, "开始日期", "soon"),
        ("结对共建台账", 4, "结对单位", "区财政局、区某局"),
    ]
    assert got.problems[1].reason == "no CityCommunity, Enterprise or Organisation has this id or name"


# --- the combined roster --------------------------------------------------------------------------

ROSTER_HEADER = [
    "姓名",
    "出生年份",
    "学历",
    "派出单位",
    "驻村情况/街道（乡镇）",
    "驻村情况/村名",
    "驻村情况/驻村身份",
    "驻村情况/任职时间",
]
ROSTER_FIELDS = {
    "驻村情况/街道（乡镇）": "stations:village.township",
    "驻村情况/村名": "stations:village",
    "驻村情况/驻村身份": "stations:role",
    "驻村情况/任职时间": "stations:since",
}


def test_a_cadre_roster_makes_cadres_and_their_stations() -> None:
    units = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", "区财政局"]])
    roster = sheet(
        "驻村第一书记花名册",
        "cadres",
        ROSTER_HEADER,
        [
            ["王伟", 1980, "本科", "区财政局", "城东街道", "幸福村", "第一书记", "2022.3-2024.2"],
            ["王伟", 1980, None, "区财政局", "西镇", "幸福村", "第一书记", "2024.3-至今"],  # two villages in turn
            ["李娜", 1990, "硕士", "O1", "西镇", "东岗村", "工作队员", "2024年1月"],
        ],
        ROSTER_FIELDS,
    )
    got = read(villages(*XINGFU[:2], XINGFU[3]), units, roster)
    assert got.ok, got.problems
    wang, li = derived_id("K", "王伟", "y:1980", "u:区财政局"), derived_id("K", "李娜", "y:1990", "u:o1")
    assert got.dataset.nodes["Cadre"] == [
        node("Cadre", wang, "王伟", birth_year=1980, education="本科"),
        node("Cadre", li, "李娜", birth_year=1990, education="硕士"),
    ]
    assert got.dataset.links["SENT_BY"] == [
        {"src": wang, "src_label": "Cadre", "dst": "O1", "dst_label": "Organisation"},
        {"src": li, "src_label": "Cadre", "dst": "O1", "dst_label": "Organisation"},
    ]
    first = "first_secretary"
    assert got.dataset.links["STATIONED_IN"] == [
        link(
            "STATIONED_IN",
            wang,
            "Cadre",
            vid("青山县", "城东街道", "幸福村"),
            "Village",
            role=first,
            since=date(2022, 3, 1),
            until=date(2024, 2, 1),
        ),
        link(
            "STATIONED_IN",
            wang,
            "Cadre",
            vid("青山县", "西镇", "幸福村"),
            "Village",
            role=first,
            since=date(2024, 3, 1),
        ),
        link(
            "STATIONED_IN",
            li,
            "Cadre",
            vid("青山县", "西镇", "东岗村"),
            "Village",
            role="team_member",
            since=date(2024, 1, 1),
        ),
    ]
    # The until part of a term lands in the until column: its month-only date is noted under the term's header.
    assert notes(got) == [
        ("id_derived", "村基本情况", None, None, None, 3),
        ("term_split", "驻村第一书记花名册", 2, "驻村情况/任职时间", "2022.3-2024.2", 2),
        ("month_date", "驻村第一书记花名册", 2, "驻村情况/任职时间", "2022.3", 3),
        ("month_date", "驻村第一书记花名册", 2, "驻村情况/任职时间", "2024.2", 1),
        ("id_derived_cadre", "驻村第一书记花名册", None, None, None, 3),
        ("cadre_repeated", "驻村第一书记花名册", 3, None, None, 1),
    ]


def test_two_roster_rows_that_disagree_on_a_cadre_are_a_problem() -> None:
    roster = sheet(
        "驻村第一书记花名册",
        "cadres",
        ROSTER_HEADER,
        [
            ["王伟", 1980, "本科", None, "西镇", "东岗村", "第一书记", "2022-03-01"],
            ["王伟", 1980, "硕士", None, "西镇", "东岗村", "第一书记", "2024-03-01"],
        ],
        ROSTER_FIELDS,
    )
    got = read(villages(["东岗村", "青山县", "西镇", "后进村"]), roster)
    assert problems(got) == [("驻村第一书记花名册", 3, "学历", "硕士")]
    wang = derived_id("K", "王伟", "y:1980", "u:")
    assert got.problems[0].reason == f"the same cadre ({wang}) as row 2, which says 本科"


# --- hostile text ---------------------------------------------------------------------------------

HOSTILE = ["<script>alert(1)</script>", '=HYPERLINK("http://example.invalid","x")', "'}) MATCH (n) DETACH DELETE n //"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_data_through_ids_and_references(name: str) -> None:
    units = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", name]])
    pairings = sheet("结对共建台账", "pairings", ["结对单位", "村名", "开始日期"], [[name, name, "2024.3"]])
    got = read(villages([name, "青山县", name, "后进村"]), units, pairings)
    assert got.ok, got.problems
    village_id = derived_id("V", "青山县", "".join(name.split()).casefold(), "".join(name.split()).casefold())
    assert got.dataset.nodes["Village"] == [
        node("Village", village_id, name, county="青山县", township=name, tier="weak")
    ]
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "O1", "Organisation", village_id, "Village", since=date(2024, 3, 1))
    ]


def test_an_ambiguous_problem_is_worded_with_the_sheet_row_column_and_value() -> None:
    rows = [["幸福村", "青山县", "城东街道", "后进村"], ["幸福村", "青山县", "西镇", "后进村"]]
    pairings = sheet("结对共建台账", "pairings", ["结对单位", "村名", "开始日期"], [["C1", "幸福村", "2024-01-01"]])
    (problem,) = read(villages(*rows), UNITS, pairings).problems
    assert isinstance(problem, Problem)
    assert str(problem).startswith(f"{BOOK}:结对共建台账 row 2, column 村名: '幸福村': 2 nodes have this name (")


def test_a_stored_village_is_told_by_its_township_when_the_store_gives_it() -> None:
    stored = read(villages(*XINGFU), UNITS)
    assert stored.ok
    pairings = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位", "村名", "所属县", "街道（乡镇）", "开始日期"],
        [["C1", "幸福村", "白水县", "西镇", "2024-01-01"]],
        {"所属县": "village.county", "街道（乡镇）": "village.township"},
    )
    got = read(pairings, known=KnownNodes.from_dataset(stored.dataset))
    assert got.ok, got.problems
    assert got.dataset.links["PAIRED_WITH"] == [
        link("PAIRED_WITH", "C1", "CityCommunity", vid("白水县", "西镇", "幸福村"), "Village", since=date(2024, 1, 1))
    ]
    # A store that gives names only: the township cannot tell its three 幸福村 apart.
    names_only = KnownNodes(KnownNodes.from_dataset(stored.dataset).nodes)
    assert problems(read(pairings, known=names_only)) == [("结对共建台账", 2, "村名", "幸福村")]


def _names_book(path: Path, village: str) -> Path:
    """Two 幸福村 in two townships, two units, and one pairing row naming both units and VILLAGE."""
    return workbook_file(
        path,
        {
            "villages": [
                ["村名", "所属县", "乡镇(街道)", "村类别", "户籍人口"],
                ["幸福村", "青山县", "城东街道", "软弱涣散村", "暂无"],
                ["幸福村", "青山县", "西镇", "示范村", 1200],
            ],
            "organisations": [
                ["单位名称", "单位类型", "级别"],
                ["区财政局", "党政机关", "区级"],
                ["区教育局", "事业单位", "区级"],
            ],
            "pairings": [
                ["结对单位", "村名", "开始日期", "结束日期"],
                ["区财政局、区教育局", village, "2023年3月", "至今"],
            ],
        },
    )


def test_a_workbook_of_names_read_through_inspect(tmp_path: Path) -> None:
    """The whole path on a real .xlsx: interchange sheet names (detection on main), a county's headers and values."""
    path = _names_book(tmp_path / "台账.xlsx", "区财政局")
    reading = interchange.inspect(path)
    (problem,) = reading.problems
    # The village column names a unit (once, though the row is two links): ids are derived, names are not ids.
    assert (problem.file, problem.row, problem.column, problem.value) == ("台账.xlsx:pairings", 2, "村名", "区财政局")
    assert problem.reason == "no Village has this id or name"
    path = _names_book(tmp_path / "台账.xlsx", "幸福村")
    reading = interchange.inspect(path)
    (problem,) = reading.problems  # two 幸福村 and no township column
    assert (problem.row, problem.column, problem.value) == (2, "村名", "幸福村")
    east, west = vid("青山县", "城东街道", "幸福村"), vid("青山县", "西镇", "幸福村")
    listed = ", ".join(f"{i} in 青山县、{t}" for i, t in sorted([(east, "城东街道"), (west, "西镇")]))
    assert problem.reason == f"2 nodes have this name ({listed}); add its township (街道/乡镇) column or write the id"
    notes = [n for n in reading.report.notes if n.code != "sheet_table"]  # each sheet's mapping, said once
    assert [(n.code, n.file.partition(":")[2], n.row, n.column, n.count) for n in notes] == [
        ("nothing_word", "villages", 2, "户籍人口", 1),
        ("id_derived", "villages", None, None, 2),
        ("id_derived", "organisations", None, None, 2),
        ("month_date", "pairings", 2, "开始日期", 1),
        ("open_end", "pairings", 2, "结束日期", 1),
        ("cell_split", "pairings", 2, "结对单位", 1),
    ]


# --- whatever a county writes: a reading or problems, never a crash ------------------------------

_WORDS = [
    "暂无",
    "无",
    "—",
    "／",
    "-",
    "/",
    "至今",
    "在任",
    "2023年3月",
    "2023.3",
    2023.3,
    "2024.01-2026.01",
    "2024.3-至今",
]
_WORDS += [
    "2024-01-01",
    "2026年1月21日至2028年1月20日",
    "区财政局、区教育局",
    "区财政局；",
    "幸福村",
    "城东",
    "城东街道",
    "西镇",
]
_WORDS += ["社区", "企业", "党政机关", "示范村", "1985", 1985, None, "", *HOSTILE]
_CELL = st.sampled_from(_WORDS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pairings=st.lists(st.lists(_CELL, min_size=6, max_size=6), min_size=1, max_size=6),
    roster=st.lists(st.lists(_CELL, min_size=len(ROSTER_HEADER), max_size=len(ROSTER_HEADER)), min_size=1, max_size=4),
)
def test_any_cells_give_a_reading_or_located_problems(pairings: list[list[Any]], roster: list[list[Any]]) -> None:
    units = sheet(
        "单位名录", "organisations", ["单位名称", "单位类型"], [["区财政局", "党政机关"], ["区教育局", "事业"]]
    )
    links = sheet(
        "结对共建台账",
        "pairings",
        ["结对单位/名称", "结对单位/类型", "街道（乡镇）", "村名", "结对时间", "结束时间"],
        pairings,
        {"结对单位/名称": "unit", "结对单位/类型": "unit.label", "街道（乡镇）": "village.township"}
        | {"结对时间": "since", "结束时间": "until"},
    )
    cadres = sheet("驻村第一书记花名册", "cadres", ROSTER_HEADER, roster, ROSTER_FIELDS)
    got = read(villages(*XINGFU), units, links, cadres)
    if got.ok:
        assert len(got.dataset.links["PAIRED_WITH"]) >= len(pairings)
        assert len(got.dataset.links["STATIONED_IN"]) == len(roster)
    else:
        rows = {"结对共建台账": len(pairings) + 1, "驻村第一书记花名册": len(roster) + 1}
        for problem in got.problems:
            title = problem.file.partition(":")[2]
            assert problem.row is None or 2 <= problem.row <= rows.get(title, 10), problem


def test_a_strong_village_leading_a_weak_one_is_told_by_its_tier() -> None:
    rows = [
        ["幸福村", "青山县", "城东街道", "后进村"],
        ["幸福村", "青山县", "西镇", "强村"],
        ["东岗村", "青山县", "西镇", "后进村"],
    ]
    leads = sheet(
        "强村带弱村",
        "leads",
        ["带领村/村名", "带领村/类别", "被带村/村名", "被带村/类别", "联建时间"],
        [
            ["幸福村", "示范村", "东岗村", "薄弱村", "2024-01-01"],
            ["幸福村", "示范村", "幸福村", "软弱涣散村", "2024-01-01"],
        ],
        {
            "带领村/村名": "leader",
            "带领村/类别": "leader.tier",
            "被带村/村名": "village",
            "被带村/类别": "village.tier",
            "联建时间": "since",
        },
    )
    got = read(villages(*rows), leads)
    strong, weak = vid("青山县", "西镇", "幸福村"), vid("青山县", "城东街道", "幸福村")
    assert got.dataset.links["LEADS"] == [
        link("LEADS", strong, "Village", vid("青山县", "西镇", "东岗村"), "Village", since=date(2024, 1, 1)),
        link("LEADS", strong, "Village", weak, "Village", since=date(2024, 1, 1)),
    ]


def test_a_roster_read_as_stations_with_the_cadres_fields_gives_the_same_dataset() -> None:
    rows = [
        ["王伟", 1980, "本科", "O1", "城东街道", "幸福村", "第一书记", "2022.3-2024.2"],
        ["王伟", 1980, None, "O1", "西镇", "幸福村", "第一书记", "2024.3-至今"],
    ]
    units = sheet("单位名录", "organisations", ["编号", "单位名称"], [["O1", "区财政局"]])
    as_cadres = sheet("驻村第一书记花名册", "cadres", ROSTER_HEADER, rows, ROSTER_FIELDS)
    fields = {h: f.partition(":")[2] for h, f in ROSTER_FIELDS.items()}
    fields |= {"姓名": "cadres:name", "出生年份": "cadres:birth_year", "学历": "cadres:education"}
    fields |= {"派出单位": "cadres:sent_by"}
    as_stations = sheet("驻村第一书记花名册", "stations", ROSTER_HEADER, rows, fields)
    first = read(villages(*XINGFU[:2]), units, as_cadres)
    second = read(villages(*XINGFU[:2]), units, as_stations)
    assert first.ok and second.ok, (first.problems, second.problems)
    assert second.dataset.nodes == first.dataset.nodes
    assert second.dataset.links == first.dataset.links
    assert len(first.dataset.links["STATIONED_IN"]) == 2
