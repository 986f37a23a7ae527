"""The 地级市 level above the county: read from a city's workbook (所属市, 市（州）, 市), exported and read back.

A city's or province's ledger writes 市 | 县（市、区） | 街道（乡镇） in front of each village and unit. The
expected cities here are written by hand from the programme the workbook was made of, never read off
the reader's output.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import interchange
from graph.dataset import Dataset
from graph.model import NODE_BY_LABEL, UNIT_LABELS
from tests.fixtures import StoreFactory, county_programme, invoke, store_file
from tools import county_workbook as cw
from tools import reference
from tools.county_workbook import Quirks, natural, write

# Two fictional cities: 石砚区 lies in 云川市, 青岚县 in 岚州（a 州 writes itself 市（州））.
CITY_OF = {"石砚区": "云川市", "青岚县": "岚山州"}
PLACE_LABELS = ("Village", *UNIT_LABELS)


def with_cities(data: Dataset) -> Dataset:
    for label in PLACE_LABELS:
        for row in data.nodes.get(label, []):
            row["city"] = CITY_OF.get(row.get("county") or "")
    return data


def cities_by_name(data: Dataset, label: str) -> dict[tuple[str | None, str | None, str], str | None]:
    return {(r.get("county"), r.get("township"), r["name"]): r.get("city") for r in data.nodes[label]}


def test_the_model_declares_city_beside_county_on_villages_and_units() -> None:
    for label in PLACE_LABELS:
        names = [p.name for p in NODE_BY_LABEL[label].props]
        assert names.index("city") == names.index("county") - 1, label
        assert NODE_BY_LABEL[label].prop("city").zh == "所属市"


@pytest.mark.parametrize(
    "quirks",
    [
        Quirks(names_only=True, sheet_names=True),
        Quirks(names_only=True, sheet_names=True, titles=True, two_level=True, merged=True, county_headers=True),
    ],
    ids=["所属市", "市（州） merged under a title"],
)
def test_a_city_workbook_reads_each_nodes_city(tmp_path: Path, quirks: Quirks) -> None:
    data = with_cities(county_programme())
    written = write(data, tmp_path / "市台账.xlsx", quirks)
    headers = [c.value for c in next(iter(openpyxl.load_workbook(written.path)["村基本情况"].iter_rows()))]
    assert ("市（州）" if quirks.county_headers else "city") in headers or quirks.titles
    reading = interchange.inspect(written.path)
    assert reading.ok, "\n".join(map(str, reading.problems[:20]))
    got = reading.dataset
    assert not cw.natural_differences(got, written.expected, limit=10)
    for label in PLACE_LABELS:
        expected = {key: CITY_OF[key[0]] for key in cities_by_name(data, label) if key[0]}
        assert cities_by_name(got, label) == expected, label


def _hand_written(path: Path, city_header: str) -> Path:
    """A province office's 村基本情况: a merged title, a 填报单位 line, then 序号 | city | 县 | 乡镇 | 村名 | 类别."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "村基本情况"
    ws.append(["全省行政村基本情况表"])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位：省委组织部", None, None, None, "填报日期：2026年11月1日"])
    ws.append(["序号", city_header, "县（市、区）", "乡镇（街道）", "村名", "村类别"])
    ws.append([1, "云川市", "石砚区", "城关镇", "幸福村", "后进村"])
    ws.append([2, "岚山州", "青岚县", "城关镇", "幸福村", "强村"])
    ws.append([3, None, "青岚县", "城关镇", "<b>村</b>", "一般村"])
    wb.save(path)
    return path


@pytest.mark.parametrize("header", ["所属市", "地级市", "市（州）", "市州", "市"])
def test_every_city_header_is_read(tmp_path: Path, header: str) -> None:
    got = interchange.read(_hand_written(tmp_path / "省台账.xlsx", header))
    assert {(v["county"], v["name"]): v["city"] for v in got.nodes["Village"]} == {
        ("石砚区", "幸福村"): "云川市",
        ("青岚县", "幸福村"): "岚山州",
        ("青岚县", "<b>村</b>"): None,
    }


def test_city_survives_store_export_and_reading_back(tmp_path: Path, make_store: StoreFactory) -> None:
    data = with_cities(county_programme())
    store = make_store(data)
    out = tmp_path / "export.xlsx"
    interchange.write_xlsx(store.dump(), out)
    header = [c.value for c in next(iter(openpyxl.load_workbook(out)["villages"].iter_rows()))]
    assert header.index("city") == header.index("county") - 1
    back = interchange.read(out)
    assert natural(back) == natural(data)
    for label in PLACE_LABELS:
        assert cities_by_name(back, label) == cities_by_name(data, label)
    folder = tmp_path / "folder"
    interchange.write_folder(store.dump(), folder)
    assert natural(interchange.read(folder)) == natural(data)


ASOF = "2026-11-01"


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    data = with_cities(county_programme())
    return Path(store_file(tmp_path_factory.mktemp("city") / "two.lbug", data)), data


def _json(db: Path, command: str, *args: str) -> list[dict[str, Any]]:
    # A later --asof wins over the default one.
    return list(json.loads(invoke("--db", str(db), command, "--format", "json", "--asof", ASOF, *args).stdout))


def test_lists_by_city_on_the_cli(two_cities: tuple[Path, Dataset]) -> None:
    """`support` lists every weak village: 3 of 石砚区 (云川市) and 1 of 青岚县 (岚山州) in the programme."""
    db, data = two_cities
    every = _json(db, "support")
    assert {r["city"]: 0 for r in every} and sorted((r["city"], r["village_id"]) for r in every) == [
        ("云川市", "V01"),
        ("云川市", "V02"),
        ("云川市", "V05"),
        ("岚山州", "V07"),
    ]
    for county, city in CITY_OF.items():
        rows = _json(db, "support", "--city", city)
        assert [r["village_id"] for r in rows] == [r["village_id"] for r in every if r["county"] == county]
        assert [r["village_id"] for r in rows] == [
            r.village_id for r in reference.support(data, dt.date.fromisoformat(ASOF), city=city)
        ]
        other = next(c for c in CITY_OF if c != county)
        assert _json(db, "support", "--city", city, "--county", other) == []
    # 2020: 石砚区's three weak villages and 青岚县's V07 had no support yet.
    early = ["--asof", "2020-01-01"]
    assert [r["village_id"] for r in _json(db, "gaps", "--city", "岚山州", *early)] == ["V07"]
    assert _json(db, "gaps", "--city", "<script>'市") == []
    assert _json(db, "unit-load", "--city", "岚山州") and all(
        r["city"] == "岚山州" for r in _json(db, "unit-load", "--city", "岚山州")
    )


def test_coverage_rolls_up_by_city_county_and_township(two_cities: tuple[Path, Dataset]) -> None:
    db, data = two_cities
    cities = _json(db, "coverage", "--by", "city")
    counties = _json(db, "coverage", "--by", "county")
    townships = _json(db, "coverage", "--by", "township")
    assert [r["city"] for r in cities] == sorted(CITY_OF.values())
    assert "county" not in cities[0] and "township" not in cities[0]
    # A county row carries its city; a city's figures are its counties' (one each here), its townships' sums.
    assert {r["county"]: r["city"] for r in counties} == CITY_OF
    for row in cities:
        (county,) = [c for c in counties if c["city"] == row["city"]]
        for key in ("weak", "covered", "uncovered", "pairing", "lead", "fusion", "station"):
            assert row[key] == county[key] == sum(t[key] for t in townships if t["city"] == row["city"]), key
    assert [r["city"] for r in _json(db, "coverage", "--by", "city", "--city", "云川市")] == ["云川市"]
    expected = reference.coverage(data, dt.date.fromisoformat(ASOF), "city")
    assert [(r.city, r.weak, r.covered) for r in expected] == [(r["city"], r["weak"], r["covered"]) for r in cities]


def test_a_gap_file_names_the_city(two_cities: tuple[Path, Dataset], tmp_path: Path) -> None:
    db, _data = two_cities
    out = tmp_path / "gaps.xlsx"
    invoke("--db", str(db), "gaps", "--asof", "2020-01-01", "--city", "云川市", "-o", str(out))
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["A1"].value == "后进村帮扶缺口名单（截至 2020-01-01；市：云川市）"
    assert [c.value for c in ws[2]][:5] == ["村编号", "村名", "所属市", "所属县", "所属乡镇"]
    assert [ws.cell(r, 3).value for r in range(3, ws.max_row + 1)] == ["云川市"] * 3


def test_the_gap_page_cascades_city_county_township(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph import accounts, gaps
    from graph.ui import state
    from tests.fixtures import app_test

    data = with_cities(county_programme())
    db = store_file(tmp_path / "app.lbug", data, [("市管理员", "admin-password-1", accounts.ADMIN)])
    app = app_test(db, monkeypatch, dt.date(2026, 11, 1), "市管理员")
    app.run()
    app.switch_page("graph/ui/gaps_page.py").run()
    assert not app.exception
    app.selectbox(key="gaps_list").set_value("support").run()
    assert app.selectbox(key="gaps_city").options == ["全部", "云川市", "岚山州"]
    assert app.selectbox(key="gaps_county").options == ["全部", "石砚区", "青岚县"]
    app.selectbox(key="gaps_city").set_value("岚山州").run()
    # The city narrows the counties offered, and the list to the city's villages.
    assert app.selectbox(key="gaps_county").options == ["全部", "青岚县"]
    assert list(app.dataframe[0].value["村编号"]) == ["V07"]
    assert list(app.dataframe[0].value["所属市"]) == ["岚山州"]
    store = state._open(db)
    assert [r.village_id for r in gaps.support(store, dt.date(2026, 11, 1), city="岚山州")] == ["V07"]
    app.selectbox(key="gaps_list").set_value("coverage").run()
    app.selectbox(key="gaps_city").set_value("全部").run()
    app.selectbox(key="gaps_coverage_by").set_value("city").run()
    frame = app.dataframe[0].value
    assert list(frame.columns)[:2] == ["所属市", "后进村数"]
    assert list(frame["所属市"]) == ["云川市", "岚山州"] and list(frame["后进村数"]) == [3, 1]


def test_a_link_sheets_city_column_tells_two_villages_apart(tmp_path: Path) -> None:
    """Two 城关镇 幸福村 in two cities; the 结对共建台账 names each by its 所属市 and township alone."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "村基本情况"
    for row in (
        ["市", "县（市、区）", "乡镇（街道）", "村名", "村类别"],
        ["云川市", "石砚区", "城关镇", "幸福村", "后进村"],
        ["岚山州", "青岚县", "城关镇", "幸福村", "后进村"],
    ):
        ws.append(row)
    units = wb.create_sheet("社区名录")
    units.append(["市", "县（市、区）", "社区名称", "可结对数"])
    units.append(["云川市", "石砚区", "幸福社区", 2])
    pairs = wb.create_sheet("结对共建台账")
    pairs.append(["所属市", "乡镇（街道）", "结对村", "结对单位", "单位类型", "结对时间"])
    pairs.append(["岚山州", "城关镇", "幸福村", "幸福社区", "社区", "2024-01-01"])
    pairs.append(["云川市", "城关镇", "幸福村", "幸福社区", "社区", "2024-03-01"])
    pairs.append(["<script>alert(1)</script>' OR 1=1 //市", "城关镇", "幸福村", "幸福社区", "社区", "2024-05-01"])
    wb.save(tmp_path / "省台账.xlsx")
    reading = interchange.inspect(tmp_path / "省台账.xlsx")
    (problem,) = reading.problems
    assert (problem.row, problem.column) == (4, "结对村")
    assert problem.reason.startswith("no Village of this name in <script>alert(1)</script>' OR 1=1 //市、城关镇")
    wb["结对共建台账"].delete_rows(4)
    wb.save(tmp_path / "省台账.xlsx")
    got = interchange.read(tmp_path / "省台账.xlsx")
    city = {v["id"]: v["city"] for v in got.nodes["Village"]}
    assert sorted((p["since"].isoformat(), city[p["dst"]]) for p in got.links["PAIRED_WITH"]) == [
        ("2024-01-01", "岚山州"),
        ("2024-03-01", "云川市"),
    ]


def test_the_citys_ledger_and_the_countys_own_give_the_same_ids(tmp_path: Path) -> None:
    """Ids derived from (county, township, name) leave the city out: adding a 所属市 column changes no id."""
    quirks = Quirks(names_only=True, sheet_names=True)
    own = interchange.read(write(county_programme(), tmp_path / "县台账.xlsx", quirks).path)
    citys = interchange.read(write(with_cities(county_programme()), tmp_path / "市台账.xlsx", quirks).path)
    for label in PLACE_LABELS:
        assert sorted(r["id"] for r in own.nodes[label]) == sorted(r["id"] for r in citys.nodes[label]), label
    assert {r["city"] for r in own.nodes["Village"]} == {None}
    assert {r["city"] for r in citys.nodes["Village"]} == set(CITY_OF.values())
