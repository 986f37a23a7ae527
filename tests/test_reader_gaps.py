"""County workbooks as real ledgers keep them, built by hand with openpyxl and read through `interchange.inspect`:
a code column filled for some villages only, flat 强村带弱村 headers, a flat cadre roster, a unit name in two
counties, namesake cadres. Each test asserts the exact nodes and links read, and the notes said.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph import interchange
from graph.interchange import Reading
from graph.interchange._ids import derived_id
from tests.fixtures import workbook_file


def read(path: Path) -> Reading:
    reading = interchange.inspect(path)
    assert reading.ok, "\n".join(map(str, reading.problems))
    return reading


def vid(county: str, township: str, name: str) -> str:
    return derived_id("V", county, township, name)


def kid(name: str, year: int | None, unit: str) -> str:
    return derived_id("K", name, f"y:{year or ''}", f"u:{unit}")


VILLAGE_HEADER = ["序号", "县（市、区）", "街道（乡镇）", "村名", "村类别"]


def test_rows_without_an_official_code_get_derived_ids(tmp_path: Path) -> None:
    path = workbook_file(
        tmp_path / "台账.xlsx",
        {
            "村基本情况": [
                ["序号", "县（市、区）", "街道（乡镇）", "村名", "统计用区划代码", "村类别"],
                [1, "石砚区", "太塘镇", "龙口村", "420102001001", "后进村"],
                [2, "石砚区", "太塘镇", "鹿山村", None, "示范村"],
                [3, "石砚区", "五花镇", "谢林村", 420102002003, "一般村"],  # typed in as a number
            ],
        },
    )
    reading = read(path)
    got = {(v["id"], v["name"], v["tier"]) for v in reading.dataset.nodes["Village"]}
    assert got == {
        ("420102001001", "龙口村", "weak"),
        (vid("石砚区", "太塘镇", "鹿山村"), "鹿山村", "strong"),
        ("420102002003", "谢林村", "ordinary"),
    }
    ids = [(n.code, n.column, n.count) for n in reading.report.notes if n.code.startswith("id_")]
    assert ids == [("id_from_code", "统计用区划代码", 2), ("id_derived_partly", "统计用区划代码", 1)]
    assert any("1 rows without 统计用区划代码" in line for line in reading.report.lines())


def test_a_blank_in_the_ledgers_own_id_column_is_still_a_problem(tmp_path: Path) -> None:
    rows = [
        ["村编号", "县（市、区）", "街道（乡镇）", "村名", "村类别"],
        ["V1", "石砚区", "太塘镇", "龙口村", "后进村"],
        [None, "石砚区", "太塘镇", "鹿山村", "后进村"],
    ]
    reading = interchange.inspect(workbook_file(tmp_path / "台账.xlsx", {"村基本情况": rows}))
    assert [(p.row, p.column, p.reason) for p in reading.problems] == [(3, "村编号", "id is required")]


def _villages(*rows: tuple[str, str, str, str]) -> list[list[Any]]:
    return [VILLAGE_HEADER, *([i, *row] for i, row in enumerate(rows, 1))]


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "县（市、区）", "街道（乡镇）", "带领村", "带领村类别", "被带村", "被带村类别", "开始时间"],
        ["序号", "所属县", "乡镇", "强村名称", "强村类别", "后进村名称", "后进村类别", "开始日期"],
        ["序号", "县(市、区)", "所在乡镇", "带领村村名", "带领村村类别", "被带村村名", "被带村村类别", "开始时间"],
    ],
)
def test_flat_leads_headers_and_the_rows_township_for_the_leader(tmp_path: Path, header: list[str]) -> None:
    """带领村类别 / 被带村类别 in one header each; the one 街道（乡镇） column is the row's: the leader lies there
    too where its name is in several townships, and is found elsewhere where its name is unique."""
    villages = _villages(
        ("石砚区", "太塘镇", "幸福村", "示范村"),
        ("石砚区", "五花镇", "幸福村", "示范村"),
        ("石砚区", "五花镇", "顺庙村", "先进村"),
        ("石砚区", "太塘镇", "鹿山村", "后进村"),
        ("石砚区", "太塘镇", "王源村", "后进村"),
    )
    leads = [
        header,
        [1, "石砚区", "太塘镇", "幸福村", "示范村", "鹿山村", "后进村", "2024年3月1日"],
        [2, "石砚区", "太塘镇", "顺庙村", "先进村", "王源村", "后进村", "2024年5月1日"],
    ]
    reading = read(workbook_file(tmp_path / "台账.xlsx", {"村基本情况": villages, "强村带弱村": leads}))
    (mapping,) = [m for m in reading.report.mappings if m.table == "leads"]
    fields = {c.header: (c.ref.field, c.how) for c in mapping.columns}
    assert [fields[h] for h in header[3:7]] == [
        ("leader", "alias"),
        ("leader.tier", "alias"),
        ("village", "alias"),
        ("village.tier", "alias"),
    ]
    assert not [n for n in reading.report.notes if n.code == "header_fuzzy"]
    got = {(link["src"], link["dst"], link["since"]) for link in reading.dataset.links["LEADS"]}
    assert got == {
        (vid("石砚区", "太塘镇", "幸福村"), vid("石砚区", "太塘镇", "鹿山村"), date(2024, 3, 1)),
        (vid("石砚区", "五花镇", "顺庙村"), vid("石砚区", "太塘镇", "王源村"), date(2024, 5, 1)),
    }


def test_a_flat_roster_is_cadres_and_their_stations(tmp_path: Path) -> None:
    villages = _villages(("石砚区", "太塘镇", "鹿山村", "后进村"), ("石砚区", "五花镇", "谢林村", "后进村"))
    units = [["单位名称", "单位性质"], ["石砚区财政局", "党政机关"]]
    roster = [
        [
            "序号",
            "姓名",
            "出生年份",
            "学历",
            "派出单位",
            "专长",
            "街道（乡镇）",
            "驻村村名",
            "驻村身份",
            "任职起始时间",
        ],
        [1, "付兰建", 1983, "本科", "石砚区财政局", "农业技术", "太塘镇", "鹿山村", "第一书记", "2022年3月1日"],
        [2, "付兰建", 1983, "本科", "石砚区财政局", "农业技术", "五花镇", "谢林村", "第一书记", "2024年3月25日"],
    ]
    reading = read(
        workbook_file(tmp_path / "台账.xlsx", {"村基本情况": villages, "单位名录": units, "驻村第一书记花名册": roster})
    )
    (mapping,) = [m for m in reading.report.mappings if m.title == "驻村第一书记花名册"]
    assert mapping.table == "cadres" and mapping.tables == ["cadres", "stations"]
    cadre = kid("付兰建", 1983, "石砚区财政局")
    ((_, cadre_row),) = [(c["id"], c) for c in reading.dataset.nodes["Cadre"]]
    assert (cadre_row["id"], cadre_row["education"], cadre_row["skills"]) == (cadre, "本科", ["农业技术"])
    stations = {(s["src"], s["dst"], s["since"]) for s in reading.dataset.links["STATIONED_IN"]}
    assert stations == {
        (cadre, vid("石砚区", "太塘镇", "鹿山村"), date(2022, 3, 1)),
        (cadre, vid("石砚区", "五花镇", "谢林村"), date(2024, 3, 25)),
    }


NAMESAKES = [
    ["姓名", "出生年份", "派出单位", "街道（乡镇）", "驻村村名", "驻村身份", "任职起始时间"],
    ["王伟", 1980, "石砚区财政局", "太塘镇", "鹿山村", "第一书记", "2022年3月1日"],
    ["王伟", 1980, "石砚区教育局", "五花镇", "谢林村", "第一书记", "2023年3月1日"],
    ["王伟", 1980, "石砚区财政局", "五花镇", "谢林村", "工作队员", "2025年3月1日"],
]


def _namesakes(path: Path, roster: Any) -> Path:
    villages = _villages(("石砚区", "太塘镇", "鹿山村", "后进村"), ("石砚区", "五花镇", "谢林村", "后进村"))
    units = [["单位名称", "单位性质"], ["石砚区财政局", "党政机关"], ["石砚区教育局", "党政机关"]]
    return workbook_file(path, {"村基本情况": villages, "单位名录": units, "驻村第一书记花名册": roster})


def test_namesakes_of_one_birth_year_from_two_units_are_two_cadres(tmp_path: Path) -> None:
    reading = read(_namesakes(tmp_path / "台账.xlsx", NAMESAKES))
    finance, education = kid("王伟", 1980, "石砚区财政局"), kid("王伟", 1980, "石砚区教育局")
    assert sorted(c["id"] for c in reading.dataset.nodes["Cadre"]) == sorted([finance, education])
    names = {o["id"]: o["name"] for o in reading.dataset.nodes["Organisation"]}
    sent = {link["src"]: names[link["dst"]] for link in reading.dataset.links["SENT_BY"]}
    assert sent == {finance: "石砚区财政局", education: "石砚区教育局"}
    stations = sorted((s["src"], s["since"]) for s in reading.dataset.links["STATIONED_IN"])
    assert stations == sorted([(finance, date(2022, 3, 1)), (education, date(2023, 3, 1)), (finance, date(2025, 3, 1))])
    assert [(n.code, n.count) for n in reading.report.notes if n.code == "cadre_repeated"] == [("cadre_repeated", 1)]


def test_a_namesake_without_a_unit_when_two_units_sent_that_name_is_a_problem(tmp_path: Path) -> None:
    roster = [*NAMESAKES, ["王伟", 1980, None, "太塘镇", "鹿山村", "工作队员", "2024年3月1日"]]
    reading = interchange.inspect(_namesakes(tmp_path / "台账.xlsx", roster))
    assert [(p.file, p.row, p.column, p.value) for p in reading.problems] == [
        ("台账.xlsx:驻村第一书记花名册", 5, "派出单位", None)
    ]
    assert "石砚区教育局、石砚区财政局" in reading.problems[0].reason


def test_a_cadre_whose_unit_is_written_on_one_of_its_rows_only_is_one_cadre(tmp_path: Path) -> None:
    villages = _villages(("石砚区", "太塘镇", "鹿山村", "后进村"), ("石砚区", "五花镇", "谢林村", "后进村"))
    units = [["单位名称", "单位性质"], ["石砚区财政局", "党政机关"]]
    roster = [
        ["姓名", "出生年份", "派出单位", "街道（乡镇）", "驻村村名", "任职起始时间"],
        ["王伟", 1980, "石砚区财政局", "太塘镇", "鹿山村", "2022年3月1日"],
        ["王伟", 1980, None, "五花镇", "谢林村", "2024年3月1日"],
    ]
    reading = read(
        workbook_file(tmp_path / "台账.xlsx", {"村基本情况": villages, "单位名录": units, "驻村第一书记花名册": roster})
    )
    assert [c["id"] for c in reading.dataset.nodes["Cadre"]] == [kid("王伟", 1980, "石砚区财政局")]
    assert len(reading.dataset.links["STATIONED_IN"]) == 2 and len(reading.dataset.links["SENT_BY"]) == 1


def test_a_unit_name_in_two_counties_is_told_by_the_rows_county_and_the_cadres_station(tmp_path: Path) -> None:
    """A city's workbook: 幸福社区 in two counties. A pairing row's 县（市、区） is its unit's county too; a cadre
    sheet without a county tells the cadre's unit by the county of the village the cadre is stationed in."""
    villages = _villages(("石砚区", "太塘镇", "东村", "后进村"), ("青岚县", "杨塘镇", "西村", "后进村"))
    communities = [
        ["县（市、区）", "街道（乡镇）", "社区名称"],
        ["石砚区", "城东街道", "幸福社区"],
        ["青岚县", "城关街道", "幸福社区"],
    ]
    pairings = [
        ["县（市、区）", "村名", "结对单位", "结对单位类型", "结对时间"],
        ["石砚区", "东村", "幸福社区", "社区", "2024年3月1日"],
        ["青岚县", "西村", "幸福社区", "社区", "2024年4月1日"],
    ]
    cadres = [["姓名", "出生年份", "派出单位"], ["何颖阳", 1990, "幸福社区"]]
    stations = [
        ["县（市、区）", "村名", "姓名", "出生年份", "任职起始时间"],
        ["青岚县", "西村", "何颖阳", 1990, "2024年3月1日"],
    ]
    path = workbook_file(
        tmp_path / "市台账.xlsx",
        {
            "村基本情况": villages,
            "社区名录": communities,
            "结对共建台账": pairings,
            "驻村干部名册": cadres,
            "驻村情况": stations,
        },
    )
    reading = read(path)
    counties = {c["id"]: c["county"] for c in reading.dataset.nodes["CityCommunity"]}
    village_county = {v["id"]: v["county"] for v in reading.dataset.nodes["Village"]}
    paired = {(counties[p["src"]], village_county[p["dst"]]) for p in reading.dataset.links["PAIRED_WITH"]}
    assert paired == {("石砚区", "石砚区"), ("青岚县", "青岚县")}
    ((sent,),) = [[counties[s["dst"]] for s in reading.dataset.links["SENT_BY"]]]
    assert sent == "青岚县"


def test_a_unit_name_in_two_counties_is_told_by_its_villages_county(tmp_path: Path) -> None:
    """No county column on the pairing sheet: the village (named once in the county) tells the unit's county."""
    villages = _villages(("石砚区", "太塘镇", "东村", "后进村"))
    communities = [["县（市、区）", "社区名称"], ["石砚区", "幸福社区"], ["青岚县", "幸福社区"]]
    pairings = [["村名", "结对单位", "结对时间"], ["东村", "幸福社区", "2024年3月1日"]]
    reading = read(
        workbook_file(
            tmp_path / "市台账.xlsx", {"村基本情况": villages, "社区名录": communities, "结对共建台账": pairings}
        )
    )
    counties = {c["id"]: c["county"] for c in reading.dataset.nodes["CityCommunity"]}
    assert [counties[p["src"]] for p in reading.dataset.links["PAIRED_WITH"]] == ["石砚区"]


def test_a_unit_name_twice_in_the_villages_county_is_a_problem(tmp_path: Path) -> None:
    villages = _villages(("石砚区", "太塘镇", "东村", "后进村"))
    communities = [
        ["县（市、区）", "街道（乡镇）", "社区名称"],
        ["石砚区", "城东街道", "幸福社区"],
        ["石砚区", "城西街道", "幸福社区"],
    ]
    pairings = [["村名", "结对单位", "结对时间"], ["东村", "幸福社区", "2024年3月1日"]]
    path = workbook_file(
        tmp_path / "市台账.xlsx", {"村基本情况": villages, "社区名录": communities, "结对共建台账": pairings}
    )
    reading = interchange.inspect(path)
    assert [(p.file, p.row, p.column, p.value) for p in reading.problems] == [
        ("市台账.xlsx:结对共建台账", 2, "结对单位", "幸福社区")
    ]
    assert "2 nodes have this name" in reading.problems[0].reason


def test_namesakes_sent_by_units_of_one_name_in_two_counties_are_two_cadres(tmp_path: Path) -> None:
    """A city's roster: 城南社区 in each county, and each sends a 王伟 born in 1980."""
    villages = _villages(("石砚区", "太塘镇", "鹿山村", "后进村"), ("青岚县", "杨塘镇", "王源村", "后进村"))
    communities = [["县（市、区）", "社区名称"], ["石砚区", "城南社区"], ["青岚县", "城南社区"]]
    roster = [
        ["县（市、区）", "姓名", "出生年份", "学历", "派出单位", "街道（乡镇）", "驻村村名", "任职起始时间"],
        ["石砚区", "王伟", 1980, "本科", "城南社区", "太塘镇", "鹿山村", "2022年3月1日"],
        ["青岚县", "王伟", 1980, "硕士研究生", "城南社区", "杨塘镇", "王源村", "2023年3月1日"],
    ]
    reading = read(
        workbook_file(
            tmp_path / "市台账.xlsx", {"村基本情况": villages, "社区名录": communities, "驻村第一书记花名册": roster}
        )
    )
    counties = {c["id"]: c["county"] for c in reading.dataset.nodes["CityCommunity"]}
    education = {c["id"]: c["education"] for c in reading.dataset.nodes["Cadre"]}
    sent = {education[s["src"]]: counties[s["dst"]] for s in reading.dataset.links["SENT_BY"]}
    assert sent == {"本科": "石砚区", "硕士研究生": "青岚县"}
    village_county = {v["id"]: v["county"] for v in reading.dataset.nodes["Village"]}
    stationed = {education[s["src"]]: village_county[s["dst"]] for s in reading.dataset.links["STATIONED_IN"]}
    assert stationed == sent
