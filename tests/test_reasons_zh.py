"""Problems in Chinese: every reason a corpus of bad ledgers produces gets Chinese words (`graph.reasons_zh`),
the important ones exactly; the 数据 page shows them in the interface language; a value stays itself."""

from __future__ import annotations

import ast
import importlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, interchange, ledger
from graph.dataset import Dataset
from graph.errors import Problem, ValidationError
from graph.interchange import KnownNodes
from graph.matching.problem import MatchProblem
from graph.matching.stable import stable
from graph.reasons_zh import CATALOGUE, problem_text, reason_text
from graph.store import GraphStore
from graph.ui import i18n, mapping_panel
from graph.ui.text import md
from tests.fixtures import StoreFactory, app_test, frame_with, store_file, zip_bytes
from tests.fixtures import village as village_row
from tests.security.test_import_bombs import SMALL, _workbook, _zip
from tests.security.test_silent_value_loss import TRADITIONAL, _book, villages_csv
from tests.test_app_mapping import XLSX, ledger_bytes
from tests.test_import_fuzz import HOSTILE as FUZZ_HOSTILE
from tests.test_interchange import duplicate_links_folder, one_village, pairing_folder, workbook_bytes, write_csv
from tests.test_template import HOSTILE as TEMPLATE_HOSTILE

Case = Callable[[Path], list[Problem]]


def _inspect(path: Path, known: KnownNodes | None = None, **kwargs: object) -> list[Problem]:
    return interchange.inspect(path, known, **kwargs).problems  # type: ignore[arg-type]


def _bytes(data: bytes, name: str, limits: interchange.Limits = interchange.LIMITS) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        interchange.read_bytes(data, name, limits=limits)
    return caught.value.problems


def _template(text: str) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        interchange.parse_template(text, "模板.toml")
    return caught.value.problems


# --- the corpus: bad ledgers as counties send them, and hostile ones ---------------------------------


def _dates(tmp: Path) -> list[Problem]:
    write_csv(tmp, "villages.csv", one_village())
    write_csv(tmp, "communities.csv", [["id", "name"], ["C1", "幸福社区"]])
    dates = ["2024-02-30", "2024-13-01", "1900-01-01", "soon", "2024年13月"]
    write_csv(tmp, "pairings.csv", [["unit", "village", "开始日期"], *(["C1", "V1", d] for d in dates)])
    return _inspect(tmp)


def _cells(tmp: Path) -> list[Problem]:
    header = ["id", "name", "职工数", "是否建立党组织", "规模", "纬度"]
    rows = [["E2", "二厂", "3.5", "maybe", "huge", "91"], ["E3", "三厂", "-2", "无", "small", "nan"]]
    write_csv(tmp, "enterprises.csv", [header, *rows, ["E4", "四厂", "1" * 40, "是", "小型", "1e400"]])
    write_csv(
        tmp,
        "villages.csv",
        [["id", "name", "tier", "后进原因"], ["V1", "东村", "好村", "缺钱；经济薄弱"], ["V2", "", "weak", ""]],
    )
    write_csv(tmp, "cadres.csv", [["id", "name", "出生年份"], ["P1", "张三", "85"]])
    return _inspect(tmp)


def _columns(tmp: Path) -> list[Problem]:
    write_csv(tmp / "a", "villages.csv", [["编号", "村明", "类别"], ["V1", "东岗村", "强村"]])
    write_csv(tmp / "b", "villages.csv", [["id", "name", "tier"], ["V1", "东村", "weak"], ["V2", "西村", "weak", "x"]])
    write_csv(
        tmp / "c", "villages.csv", [["id", "name", "tier"], ["V1", "东" * 10_001, "weak"], ["V2", "a\x01b", "weak"]]
    )
    return _inspect(tmp / "a") + _inspect(tmp / "b") + _inspect(tmp / "c")


def _references(tmp: Path) -> list[Problem]:
    found = []
    for i, (village, unit) in enumerate([("西岗村", "教育局"), ("北岗村", "教育局"), ("V1", "V2")]):
        found += _inspect(pairing_folder(tmp / str(i), village, unit))
    write_csv(tmp / "s", "pairings.csv", [["unit", "village", "since"], ["教育局", "老村", "2024-01-01"]])
    write_csv(tmp / "s", "villages.csv", [["id", "name", "tier"], ["V1", "老村", "weak"], ["O1", "新村", "weak"]])
    known = KnownNodes({"Village": [("V9", "老村")], "Organisation": [("O1", "教育局")]})
    return found + _inspect(tmp / "s", known)


def _links(tmp: Path) -> list[Problem]:
    return _inspect(duplicate_links_folder(tmp))


def _workbooks(tmp: Path) -> list[Problem]:
    data = workbook_bytes(
        {
            "行政村": [["村编号", "村名", "类别", "人口"], ["V1", "东村", "强村", 100], ["V2", "西村", "好村", "很多"]],
            "城市社区": [["编号", "社区名称", "可结对数"], ["C1", "幸福社区", 2.5]],
            "结对": [
                ["结对单位", "结对村", "开始日期"],
                ["C1", "V1", datetime(2024, 3, 1)],
                ["C1", "V3", "2024-13-01"],
            ],
        }
    )
    found = _bytes(data, "台账.xlsx")
    found += _bytes(workbook_bytes({"说明": [["填表说明"]]}), "a.xlsx")
    found += _bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls")
    found += _bytes(b"PK\x03\x04 damaged", "broken.xlsx")
    found += _bytes(b"not a zip at all", "upload.zip")

    def formulas(sheet: object) -> None:
        sheet.append(["id", "name", "tier", "人口"])  # type: ignore[attr-defined]
        sheet.append(["V1", "东岗村", "weak", "=SUM(100,23)"])  # type: ignore[attr-defined]

    return found + _bytes(_book(tmp, formulas), "book.xlsx")


def _encodings(tmp: Path) -> list[Problem]:
    found = _bytes(villages_csv(TRADITIONAL, "big5"), "villages.csv")
    found += _bytes("id,name,tier\r\nV1,山田村,weak\r\n".encode("shift_jis"), "villages.csv")
    found += _bytes(b"id,name\nV1,\xff\xfe\xff\n", "villages.csv")
    found += _bytes(b'id,name,tier\nV1,"East,weak\nV2,West,weak\n', "villages.csv")
    (tmp / "books").mkdir()
    (tmp / "books" / "台账.xlsx").write_bytes(workbook_bytes({"行政村": [["村编号", "村名", "类别"]]}))
    return found + _inspect(tmp / "books") + _inspect(tmp / "nowhere") + _inspect(_not_a_ledger(tmp))


def _not_a_ledger(tmp: Path) -> Path:
    path = tmp / "ledger.txt"
    path.write_text("台账")
    return path


def _limits(tmp: Path) -> list[Problem]:
    found = []
    for members in [
        {"villages": "id,name,tier\n" + "\n" * 210},
        {"villages": "id,name,tier\n" + "a," * 9 + "\n"},
        {"villages": "id,name,tier\n" + "V,n,w,x,y,z,q\n" * 49},
        {"villages": "id,name,tier\nV1," + "x" * 3_000 + ",weak\n"},
        {"villages": "id,name,tier\n" + "V,n,weak\n" * 99, "communities": "id,name\n" + "C,n\n" * 110},
    ]:
        found += _bytes(_zip(**members), "u.zip", SMALL)
    for rows in [
        [["id"]] + [["V"]] * 210,
        [["id", "name", "tier", *("x" * 10)]],
        [["id", "name"], ["V1", "x" * 5_000]],
    ]:
        found += _bytes(_workbook(rows), "b.xlsx", SMALL)
    found += _bytes(_workbook([["id"]] + [["x" * 1_000]] * 5_000), "big.xlsx", SMALL)
    # More bad cells of one kind than are kept: the rest summed up.
    bad = "".join(f"V{i},村{i},很弱\n" for i in range(150))
    found += _bytes(_zip(villages="id,name,tier\n" + bad), "many.zip")
    # ... and in a file, for problems of no column: the same pairing 150 times over.
    pairings = "unit,village,since\n" + "C1,V1,2024-01-01\n" * 150
    twice = _zip(villages="id,name,tier\nV1,东村,weak\n", communities="id,name\nC1,社区\n", pairings=pairings)
    found += _bytes(twice, "twice.zip")
    mixed = "".join(f"V{i},村{i},weak,{'x' if i % 2 else '1e400'}\n" for i in range(1_200))
    return found + _bytes(_zip(villages="id,name,tier,人口\n" + mixed), "mixed.zip")


def _hostile(tmp: Path) -> list[Problem]:
    rows = [[f"H{i}", value, "weak", value] for i, value in enumerate(FUZZ_HOSTILE)]
    write_csv(tmp, "villages.csv", [["id", "name", "tier", "后进原因"], *rows])
    write_csv(tmp, "pairings.csv", [["unit", "village", "since"], *([v, v, v] for v in FUZZ_HOSTILE)])
    return _inspect(tmp)


def _templates(tmp: Path) -> list[Problem]:
    found = _template("[sheets\n")
    found += _template(
        "\n".join(
            [
                "colour = 1",
                '[sheets."一"]',
                'table = "farms"',
                "header_rows = [3, 5]",
                "extra = 1",
                '[sheets."一".columns]',
                '"A" = 3',
                '[sheets."二"]',
                'table = "villages"',
                '[sheets."二".columns]',
                '"村" = "colour"',
                '"B" = "nowhere:name"',
                '"C" = "pairings:village.colour"',
                '[sheets."三"]',
                "header_rows = [1]",
                "[values.tier]",
                '"示范村" = "excellent"',
                "[values.name]",
                '"x" = "y"',
                "[values.size]",
                f'"{TEMPLATE_HOSTILE.replace(chr(10), " ").replace(chr(92), "/").replace(chr(34), "")}" = "huge"',
            ]
        )
    )
    found += _template("sheets = 1\nvalues = 2\n")
    found += _template('[sheets."x"]\ntable = "villages"\ncolumns = 1\n[values]\nsize = 3\n')
    bad = tmp / "bad.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValidationError) as caught:
        interchange.read_template(bad)
    return found + caught.value.problems


def _same_things(tmp: Path) -> list[Problem]:
    """A field read twice, a link in two sheets of one table, a cadre's rows that disagree, a term that ends
    elsewhere, a wrong township."""
    write_csv(tmp / "a", "villages.csv", [["id", "name", "名称", "tier"], ["V1", "东村", "东村", "weak"]])
    link = [["结对单位", "村名", "结对时间"], ["C1", "V1", "2024-01-01"]]
    again = {
        "villages": [["id", "name", "tier"], ["V1", "东村", "weak"]],
        "communities": [["id", "name"], ["C1", "社区"]],
    }
    again |= {"2024年结对": link, "2025年结对": link}
    found = _inspect(tmp / "a") + _bytes(workbook_bytes(again), "t.xlsx")
    write_csv(tmp / "c", "villages.csv", [["id", "name", "tier"], ["V1", "东村", "weak"], ["V2", "西村", "weak"]])
    roster = [["id", "name", "出生年份", "驻村", "开始日期"], ["P1", "张三", "1980", "东村", "2024-01-01"]]
    write_csv(tmp / "c", "cadres.csv", [*roster, ["P1", "张三", "1981", "西村", "2024-01-01"]])
    towns = [["id", "name", "tier", "所属乡镇"], ["V1", "东村", "weak", "东镇"], ["V2", "东村", "weak", "南镇"]]
    write_csv(tmp / "d", "villages.csv", towns)
    write_csv(tmp / "d", "communities.csv", [["id", "name"], ["C1", "社区"]])
    pairings = [
        ["unit", "village", "所属乡镇", "结对时间", "结束日期"],
        ["C1", "V1", "", "2021.03-2024.03", "2024-05-01"],
    ]
    write_csv(tmp / "d", "pairings.csv", [*pairings, ["C1", "东村", "西镇", "2024-01-01", ""]])
    return found + _inspect(tmp / "c") + _inspect(tmp / "d")


def _sizes(tmp: Path) -> list[Problem]:
    path = tmp / "big.csv"
    path.write_bytes(b"id,name,tier\n" + b"V,n,weak\n" * 150_000)
    small = interchange.Limits(unpacked=1 << 20)
    found = _inspect(path, limits=small) + _bytes(path.read_bytes(), "big.csv", small)
    parts = interchange.Limits(xlsx_part=200)
    return found + _bytes(_workbook([["id", "name", "tier"], ["V1", "东村", "weak"]]), "p.xlsx", parts)


def _county(tmp: Path, store: GraphStore) -> list[Problem]:
    """A replace of one county given a ledger with another county's rows."""
    write_csv(tmp, "villages.csv", [["id", "name", "county", "tier"], ["VX1", "新村", "白水县", "weak"]])
    write_csv(tmp, "communities.csv", [["id", "name", "county"], ["CX1", "社区", "翠阳县"]])
    write_csv(tmp, "pairings.csv", [["unit", "village", "since"], ["CX1", "VX1", "2024-01-01"]])
    with pytest.raises(ValidationError) as caught:
        ledger.preview(store, tmp, replace_county="翠阳县")
    return caught.value.problems


def _matching(tmp: Path) -> list[Problem]:
    """The matcher's own input frames (graph.matching): bad ids, kinds, numbers, lists; unknown preferences."""
    units: dict[str, list[Any]] = {"id": ["U0", "U0", None, "V0"]}
    units["kind"] = ["Organisation", "Farm", "Enterprise", "Enterprise"]
    units |= {"capacity": [1, -1, 1.5, "x"], "lat": [1, 95, "a", 1], "resources": [["a", 1], "x", None, None]}
    villages: dict[str, list[Any]] = {"id": ["V0", "V1"], "needed": [1, 1], "weak_reasons": [["economy", "bad"], []]}
    found = []
    odd: dict[str, list[Any]] = {"id": ["U0"], "colour": [1]}
    for frames in [(units, villages), (odd, {"name": ["x"]})]:
        with pytest.raises(ValidationError) as caught:
            MatchProblem.from_frames(pd.DataFrame(frames[0]), pd.DataFrame(frames[1]))
        found += caught.value.problems
    problem = MatchProblem.from_frames(
        pd.DataFrame({"id": ["U0"], "kind": ["Organisation"], "capacity": [1]}),
        pd.DataFrame({"id": ["V0"], "needed": [1]}),
    )
    with pytest.raises(ValidationError) as caught:
        stable(problem, {"V0": ["U7"], "V9": ["U0"]})
    return found + caught.value.problems


def _empty(tmp: Path) -> list[Problem]:
    write_csv(tmp, "villages.csv", [["id", "name", "tier"]])
    return ledger.inspect(tmp).problems


CORPUS: dict[str, Case] = {
    "dates": _dates,
    "cells": _cells,
    "columns": _columns,
    "references": _references,
    "links": _links,
    "workbooks": _workbooks,
    "encodings": _encodings,
    "limits": _limits,
    "hostile": _hostile,
    "templates": _templates,
    "empty": _empty,
    "same_things": _same_things,
    "sizes": _sizes,
    "matching": _matching,
}

# Quoted parts (values, headers, names) are the user's, not our words; what is left must not be English.
_QUOTED = re.compile(r"「[^」]*」|'[^']*'|\"[^\"]*\"|\[[^\]]*\]")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z'-]*(?:[ ,/]+[A-Za-z][A-Za-z'-]*){2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def untranslated(problem: Problem) -> bool:
    said = reason_text(problem.reason, "zh")
    # A problem's own value, file and column may be anywhere in its reason: they are the user's words.
    for own in (problem.value, problem.column, problem.file):
        if own:
            said = said.replace(own, "")
    said = _QUOTED.sub("", said)
    return not _CJK.search(said) or _ENGLISH.search(said) is not None


def test_every_reason_of_the_corpus_has_chinese_words(tmp_path: Path, make_store: StoreFactory) -> None:
    problems: dict[str, Problem] = {}
    cases: dict[str, Case] = {**CORPUS, "county": partial(_county, store=make_store("county"))}
    for name, case in cases.items():
        (tmp_path / name).mkdir()
        found = case(tmp_path / name)
        assert found, f"{name}: no problems"
        for p in found:
            problems.setdefault(p.reason, p)
    missing = sorted(reason for reason, p in problems.items() if untranslated(p))
    assert not missing, f"{len(missing)} of {len(problems)} reasons not in Chinese:\n" + "\n".join(missing)
    # The corpus reaches most of the catalogue: a wording no bad ledger produces is listed here, not lost.
    used = {i for reason in problems for i, (pattern, _) in enumerate(CATALOGUE) if pattern.fullmatch(reason)}
    # 96 distinct reasons, matching 85 of the catalogue's patterns at the top level (2026-12-02).
    assert len(problems) >= 96 and len(used) >= 85, (len(problems), len(used))


def test_a_county_replace_refusal_is_in_chinese_on_each_engine(any_store: StoreFactory, tmp_path: Path) -> None:
    """The corpus's one case that asks a store (`_county`), on each engine: a store holding 翠阳县 and 白水县, a
    replace of 翠阳县 given a ledger of a 白水县 village and a 翠阳县 community's pairing with it."""
    data = Dataset()
    data.nodes["Village"] = [
        village_row("V1", "老村", county="翠阳县", tier="weak"),
        village_row("V2", "邻村", county="白水县", tier="weak"),
    ]
    store = any_store(data)
    (tmp_path / "ledger").mkdir()
    problems = _county(tmp_path / "ledger", store)
    # The village's county, and the pairing that reaches it (the ledger _county writes).
    assert [(p.column, p.value) for p in problems] == [("county", "白水县"), ("village", "VX1")]
    assert all("翠阳县" in p.reason and not untranslated(p) for p in problems), problems


@pytest.mark.parametrize(
    ("reason", "zh"),
    [
        (
            "not a date (expected 2024-03-01, 2024/3/1 or 2024年3月1日)",
            "不是日期（应写作 2024-03-01、2024/3/1 或 2024年3月1日）",
        ),
        ("no such date (day is out of range for month)", "没有这个日期（该月没有这一天）"),
        ("year 1900 is outside 1949–2100", "年份 1900 不在 1949–2100 年之间"),
        ("not a whole number", "不是整数"),
        ("must be between -90 and 90", "应在 -90 到 90 之间"),
        ("must not be negative", "不能是负数"),
        ("name is required", "名称（name）是必填项，不能为空"),
        ("missing required column id (编号 / 村编号)", "缺少必填列 id（编号 / 村编号）"),
        ("no Village has this id or name", "没有编号或名称为此值的行政村"),
        (
            "this is a Village, expected CityCommunity, Enterprise or Organisation",
            "这是行政村，应为城市社区、企业或机关事业单位",
        ),
        (
            "2 nodes have this name (V2 in 青山县、东镇, V3); add its township (街道/乡镇) column or write the id",
            "有 2 个重名（V2（青山县、东镇）、V3）；请加上所属乡镇（街道/乡镇）列，或直接写编号",
        ),
        (
            "duplicate id (also villages.csv row 3); ids are unique across all tables",
            "编号重复（villages.csv 第 3 行已用此编号）；所有表中的编号都不能重复",
        ),
        (
            "duplicate LEADS link: same leader, village, since as row 2",
            "强村带弱村关系重复：强村、后进村、开始日期与第 2 行相同",
        ),
        (
            "looks like text in Big5 (Traditional Chinese, Taiwan and Hong Kong), not UTF-8 or GB18030 (GBK); "
            "save it as CSV UTF-8",
            "看起来是 Big5（繁体中文，台湾、香港地区使用） 编码的文字，不是 UTF-8 或 GB18030（GBK）："
            "请另存为“CSV UTF-8”格式",
        ),
        ("more than 200 rows, more than any ledger table needs; split it", "超过 200 行，超出任何台账表的需要：请拆分"),
        ("unpacks to more than 4 MiB", "解压后大于 4 MiB"),
        (
            "a line longer than 2,000 bytes, longer than any ledger row",
            "有一行超过 2,000 字节，比任何台账的一行都长",
        ),
        (
            "and 1,050 more of this kind in this column: not one of strong, ordinary, weak (or 强村, 示范村)",
            "本列另有 1,050 个同类问题：不是可选的值（可选：强村、一般村、后进村）",
        ),
        ("and 7 more problems in this file", "本文件另有 7 个问题"),
        (
            "the Neo4j store bolt://db:7687 changed during each of 6 attempts to read it whole; back it up again "
            "when fewer planners are writing",
            "Neo4j 数据库 bolt://db:7687 在 6 次完整读取中每次都有新的修改，未能备份；请在修改的人较少时再备份",
        ),
        (
            ledger.EMPTY_REASON,
            "台账的各表都没有数据行（没有可识别的表，或只有表头）：已拒绝，因为导入它什么也不会改变，用它替换则会删除全部数据",
        ),
    ],
)
def test_important_reasons_exactly(reason: str, zh: str) -> None:
    assert reason_text(reason, "zh") == zh
    assert reason_text(reason, "en") == reason


def test_the_corpus_gives_the_exact_chinese_of_its_problems(tmp_path: Path) -> None:
    """Not only the catalogue: the reasons the reader writes today are the ones it words."""
    said = {(p.row, p.column): reason_text(p.reason, "zh") for p in _dates(tmp_path) if p.column}
    assert said == {
        (2, "开始日期"): "没有这个日期（该月没有这一天）",
        (3, "开始日期"): "没有这个日期（月份应在 1 到 12 之间）",
        (4, "开始日期"): "年份 1900 不在 1949–2100 年之间",
        (5, "开始日期"): "不是日期（应写作 2024-03-01、2024/3/1 或 2024年3月1日）",
        (6, "开始日期"): "不是日期（应写作 2024-03-01、2024/3/1 或 2024年3月1日）",
    }
    (empty,) = _empty(tmp_path / "empty")
    assert problem_text(empty, "zh") == "empty：" + reason_text(ledger.EMPTY_REASON, "zh")


def test_each_template_names_only_its_patterns_groups() -> None:
    for pattern, template in CATALOGUE:
        assert set(re.findall(r"\{(\w+)\}", template)) <= set(pattern.groupindex), pattern.pattern


def test_unmatched_reasons_stay_english() -> None:
    assert reason_text("something new went wrong", "zh") == "something new went wrong"
    assert reason_text("", "zh") == ""


NASTY = [
    r"\1\g<0>\g<value>",
    "{value}{0}{reason}{}",
    "%s%(x)s",
    "<script>alert(1)</script>",
    "'}) MATCH (n) DETACH DELETE n //",
    '=HYPERLINK("http://x","y")',
    "a\nb",
    "村" * 50,
]


@pytest.mark.parametrize("nasty", NASTY)
def test_a_value_in_a_reason_stays_itself(nasty: str) -> None:
    cases = {
        f"the same cadre ({nasty}) as row 3, which says {nasty}": (
            f"与第 3 行是同一名干部（{nasty}），但第 3 行写的是「{nasty}」"
        ),
        f"{nasty}: not one of economy, venue": f"「{nasty}」不是可选的值（可选：经济薄弱、无活动场所）",
        f"the same column as {nasty}": f"与「{nasty}」列读作同一字段，重复了",
        f"ends before it starts ({nasty})": f"结束日期早于开始日期（{nasty}）",
        f"and 3 more of this kind in this column: {nasty}: not one of economy": (
            f"本列另有 3 个同类问题：「{nasty}」不是可选的值（可选：经济薄弱）"
        ),
    }
    for reason, zh in cases.items():
        assert reason_text(reason, "zh") == zh
    # Through the reader: a hostile weak reason, its reason naming it.
    data = zip_bytes(
        {"villages.csv": "id,name,tier,后进原因\n" + f'V1,东村,weak,"{nasty.replace(chr(34), "")}；贫困"\n'}
    )
    (problem,) = _bytes(data, "l.zip")
    assert problem.value is not None
    bad = problem.reason.split(": not one of ")[0]
    assert reason_text(problem.reason, "zh").startswith(f"「{bad}」不是可选的值")


# --- the 数据 page -------------------------------------------------------------------------------------


ADMIN = "测试管理员"


def test_the_data_page_shows_reasons_in_the_interface_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = store_file(tmp_path / "zh.lbug", "county", [(ADMIN, "admin-password-1", accounts.ADMIN)])
    at: AppTest = app_test(db, monkeypatch, user=ADMIN, timeout=120)
    at.run()
    at.switch_page("graph/ui/data_page.py").run()
    bad = zip_bytes(
        {"villages.csv": "id,name,county,township,tier\nVX1,测试村,翠阳县,某镇,weak\nVX2,,翠阳县,某镇,weak\n"}
    )
    at.file_uploader(key="data_upload").upload("bad.zip", bad, "application/zip").run()
    assert not at.exception
    problems = frame_with(at, i18n.t("col.reason", "zh"))
    assert list(problems[i18n.t("col.reason", "zh")]) == ["名称（name）是必填项，不能为空"]
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception
    problems = frame_with(at, i18n.t("col.reason", "en"))
    assert list(problems[i18n.t("col.reason", "en")]) == ["name is required"]


def test_a_bad_template_upload_names_its_problems_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = store_file(tmp_path / "zh.lbug", "county", [(ADMIN, "admin-password-1", accounts.ADMIN)])
    at = app_test(db, monkeypatch, user=ADMIN, timeout=120)
    at.run()
    at.switch_page("graph/ui/data_page.py").run()
    at.file_uploader(key="data_upload").upload("county.xlsx", ledger_bytes(), XLSX).run()
    bad = '[sheets."行政村"]\ntable = "village"\n'
    at.file_uploader(key=mapping_panel.TEMPLATE_UPLOAD).upload("bad.toml", bad.encode(), "application/toml").run()
    assert not at.exception
    (problem,) = _template(bad)
    said = problem_text(replace(problem, file="bad.toml"), "zh")
    assert said.startswith('bad.toml，sheets."行政村".table 列：「village」：没有这张表（应为 "" 或以下之一：')
    assert i18n.t("mapping.template_bad", "zh") + "  \n" + md(said) in [e.value for e in at.error]


# --- every reason the code writes has a pattern: a new wording is listed here, not silently English -------

ROOT = Path(__file__).resolve().parents[1]
# Where reasons are written: the reader, the load, templates, the matcher's inputs (not _write.py: its
# errors are the program's, raised on export, never a ledger's problem).
SOURCES = [
    *(p for p in sorted((ROOT / "graph" / "interchange").glob("*.py")) if p.name != "_write.py"),
    *(ROOT / "graph" / f for f in ("ledger.py", "import_changes.py", "matching/problem.py", "matching/stable.py")),
    # The refusals of the links written by hand, which the Links page shows.
    ROOT / "graph" / "writes.py",
    # The refusals of a write the app shows (graph.ui.activity_panel words them by this catalogue).
    ROOT / "graph" / "activities.py",
]
# Calls whose argument at this position is a reason; assignments and returns that hold one.
_REASON_ARGS = {
    "Problem": 4,
    "Bad": 0,
    "_Unknown": 0,
    "Refused": 0,
    "_refuse": 3,
    "problem": 2,
    "QueryError": 0,
    "ConflictError": 0,
    "PermissionDenied": 0,
}
_REASON_NAMES = {"reason", "required", "text", "why"}
_REASON_FUNCTIONS = {"_over", "_encoding_reason", "_odd", "field_problem"}
# Functions every f-string of which is a reason (import_changes.other_counties: why a row is not the county's).
_REASON_BODIES = {"other_counties"}
# What a placeholder may be: one of these makes the wording match its pattern.
_SAMPLES = ["3", "V1", "D", "4 MiB", "Village", "villages", "name", "a, b", "is", "not a number", "not one of a, b"]


def _module_constant(path: Path, name: str) -> str | None:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    value = getattr(importlib.import_module(module), name, None)
    return value if isinstance(value, str) else None


def _locals(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Names assigned text in a module (in any function): a reason's placeholder may be one."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.JoinedStr, ast.IfExp, ast.Constant)):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _texts(path: Path, node: ast.expr, names: dict[str, list[ast.expr]]) -> list[str]:
    """Every text a placeholder's expression may be: a module constant, else the texts a name of its is given
    anywhere in the module and the samples."""
    if isinstance(node, ast.Name):
        constant = _module_constant(path, node.id)
        if constant is not None:
            return [constant]
        assigned = [e for e in names.get(node.id, []) if not isinstance(e, ast.Constant) or isinstance(e.value, str)]
        texts = ["".join(c) for e in assigned for parts in _wordings(path, e, {}) for c in itertools.product(*parts)]
        return [*texts, *_SAMPLES]
    return _SAMPLES


def _wordings(path: Path, node: ast.expr, names: dict[str, list[ast.expr]]) -> Iterator[list[list[str]]]:
    """A reason expression as its parts, each a list of what it may be (literal text, or samples)."""
    if isinstance(node, ast.IfExp):
        yield from _wordings(path, node.body, names)
        yield from _wordings(path, node.orelse, names)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield [[node.value]]
    elif isinstance(node, ast.Name):
        constant = _module_constant(path, node.id)
        if constant is not None:
            yield [[constant]]
    elif isinstance(node, ast.JoinedStr):
        parts: list[list[str]] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append([str(value.value)])
            else:
                inner = value.value if isinstance(value, ast.FormattedValue) else value
                parts.append(_texts(path, inner, names))
        yield parts


def code_reasons() -> dict[str, list[list[list[str]]]]:
    """Every reason wording in SOURCES, by where it is written ("file:line")."""
    found: dict[str, list[list[list[str]]]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _locals(tree)
        for node in ast.walk(tree):
            exprs: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                at = _REASON_ARGS.get(name or "")
                if at is not None and len(node.args) > at:
                    exprs.append(node.args[at])
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in _REASON_NAMES for t in node.targets
            ):
                exprs.append(node.value)
            elif isinstance(node, ast.FunctionDef) and node.name in _REASON_FUNCTIONS:
                exprs += [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None]
            elif isinstance(node, ast.FunctionDef) and node.name in _REASON_BODIES:
                exprs += [f for f in ast.walk(node) if isinstance(f, ast.JoinedStr)]
            for expr in exprs:
                for parts in _wordings(path, expr, names):
                    found.setdefault(f"{path.relative_to(ROOT)}:{expr.lineno}", []).append(parts)
    return found


def _worded(parts: list[list[str]]) -> bool:
    for choice in itertools.product(*parts):
        reason = "".join(choice)
        if not reason.strip() or " " not in reason.strip():
            return True  # a fragment or a code (note codes are worded by NOTE_TEXT), not a sentence
        if any(pattern.fullmatch(reason) for pattern, _ in CATALOGUE):
            return True
    return False


def test_every_reason_the_code_writes_has_a_pattern() -> None:
    wordings = code_reasons()
    missing = sorted(where for where, variants in wordings.items() if not all(_worded(p) for p in variants))
    assert len(wordings) >= 119  # wordings found in the sources (2026-12-02): fewer means the scan lost some
    assert not missing, "reasons no pattern of graph/reasons_zh.py words:\n" + "\n".join(missing)
