"""A county's 三张清单 and 实事项目台账 as it keeps them: 需求清单, 资源清单, 项目清单 and 实事项目台账 sheets.

Villages and units are named, not coded; a need has no id of its own (its id comes from its village's id and
its item, the same next month); a 项目清单 names a need by its item and its village, and one item (通组道路硬化)
is asked for by many villages.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import import_changes, interchange, ledger
from graph.dataset import Dataset
from graph.errors import ValidationError
from graph.import_changes import COUNTY
from graph.interchange._ids import derived_id, item_id, key_text
from graph.model import NODE_BY_LABEL, REL_BY_TYPE
from tests.fixtures import SEED, StoreFactory, assert_same_graph, invoke, seed_dataset

PLACE = "青山县"
HOSTILE = '=HYPERLINK("http://x")<script>alert(1)</script>\'; MATCH (n) DETACH DELETE n //'


def village_id(township: str, name: str) -> str:
    return derived_id("V", key_text(PLACE), key_text(township), key_text(name))


def community_id(township: str, name: str) -> str:
    return derived_id("C", key_text(PLACE), key_text(township), key_text(name))


UP, DOWN = village_id("东镇", "上湾村"), village_id("西镇", "下湾村")
HAPPY_EAST, HAPPY_WEST = village_id("东镇", "幸福村"), village_id("西镇", "幸福村")
EAST, WEST = community_id("城关街道", "城东社区"), community_id("城关街道", "城西社区")


def book(*, needs: list[list[Any]] | None = None, projects: list[list[Any]] | None = None) -> bytes:
    """A county workbook: title rows, a merged two-level header, names not ids, 幸福村 in two townships, footers."""
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    villages = wb.create_sheet("村基本情况")
    villages.append(["青山县行政村基本情况表"])
    villages.merge_cells("A1:E1")
    villages.append(["序号", "村名", "所属县", "所属乡镇", "类别"])
    for n, (name, town, tier) in enumerate(
        [
            ("上湾村", "东镇", "后进村"),
            ("下湾村", "西镇", "后进村"),
            ("幸福村", "东镇", "一般村"),
            ("幸福村", "西镇", "后进村"),
        ],
        start=1,
    ):
        villages.append([n, name, PLACE, town, tier])
    villages.append(["合计", "4个村"])
    communities = wb.create_sheet("城市社区")
    communities.append(["社区名称", "所属县", "所属街道", "可结对数"])
    communities.append(["城东社区", PLACE, "城关街道", 2])
    communities.append(["城西社区", PLACE, "城关街道", 3])

    sheet = wb.create_sheet("需求清单")
    sheet.append(["青山县村级需求清单（2026年）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位：青山县委组织部", None, None, None, None, "填报日期：2026年10月31日"])
    # A two-level header: 需求情况 over 需求事项 | 需求类别; the single-level cells merged down over both rows.
    sheet.append(["序号", "村名", "所属乡镇", "需求情况", None, "发布时间", "认领状态"])
    sheet.append([None, None, None, "需求事项", "需求类别", None, None])
    for col in "ABCFG":
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("D3:E3")
    rows: list[list[Any]] = [
        [1, "上湾村", "东镇", "通组道路硬化", "基础设施", "2026年3月10日", "已认领"],
        [2, "下湾村", "西镇", "通组道路硬化", "基础设施", "2026.4.10", "待认领"],
        [3, "幸福村", "西镇", "老年人健康义诊", "医疗", date(2026, 5, 10), "待认领"],
        [4, "幸福村", "东镇", HOSTILE, "文化", "2026-06-10", "已撤销"],
    ]
    rows = needs if needs is not None else rows
    for need in rows:
        sheet.append(need)
    sheet.append(["合计", None, None, f"{len(rows)}项"])
    sheet.append(["注：需求类别按产业发展、基础设施、医疗卫生等填写"])

    resources = wb.create_sheet("资源清单")
    resources.append(["序号", "单位名称", "资源名称", "资源类别", "可服务村数"])
    resources.append([1, "城东社区", "工程建设支持", "基础设施", 2])
    resources.append([2, "城西社区", "巡回义诊", "医疗", 3])
    resources.append([3, "城西社区", HOSTILE, "文化", 1])

    claims = wb.create_sheet("项目清单")
    claims.append(["需求事项", "村名", "认领单位", "认领时间", "完成时限", "项目状态", "完成时间"])
    made: list[list[Any]] = [
        ["通组道路硬化", "上湾村", "城东社区", "2026-03-20", "2026-09-30", "实施中", None],
        ["通组道路硬化", "上湾村", "城西社区", "2026-03-22", None, "未选中", None],
        ["老年人健康义诊", "幸福村", "城西社区", "2026-05-20", "2026-08-31", "已完成", "2026年8月15日"],
    ]
    for claim in projects if projects is not None else made:
        claims.append(claim)

    activities = wb.create_sheet("实事项目台账")
    activities.append(["结对单位", "结对村", "所属乡镇", "项目名称", "时间", "资金(万元)", "受益人数", "状态"])
    activities.append(["城东社区", "上湾村", "东镇", "修建村文化广场", "2026-05-01", 3.5, 120, "已完成"])
    activities.append(["城西社区", "幸福村", "西镇", HOSTILE, "2026年9月", None, None, "计划"])
    activities.append(["合计", None, None, None, None, 3.5, 120])
    for ws in wb.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed as text (Excel's leading '), not a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def need_id(village: str, item: str) -> str:
    return item_id("needs", village, item)


def test_the_four_sheets_read_as_counties_write_them() -> None:
    data = interchange.read_bytes(book(), "青山县.xlsx")
    road_up, road_down = need_id(UP, "通组道路硬化"), need_id(DOWN, "通组道路硬化")
    clinic, hostile = need_id(HAPPY_WEST, "老年人健康义诊"), need_id(HAPPY_EAST, HOSTILE)
    need = {"kind": "infrastructure", "name": "通组道路硬化"}
    assert {r["id"]: r for r in data.nodes["Need"]} == {
        road_up: {"id": road_up, **need, "posted": date(2026, 3, 10), "status": "claimed"},
        road_down: {"id": road_down, **need, "posted": date(2026, 4, 10), "status": "open"},
        clinic: {
            "id": clinic,
            "name": "老年人健康义诊",
            "kind": "health",
            "posted": date(2026, 5, 10),
            "status": "open",
        },
        hostile: {
            "id": hostile,
            "name": HOSTILE,
            "kind": "culture",
            "posted": date(2026, 6, 10),
            "status": "withdrawn",
        },
    }
    assert sorted((r["src"], r["dst"]) for r in data.links["NEED_OF"]) == sorted(
        [(road_up, UP), (road_down, DOWN), (clinic, HAPPY_WEST), (hostile, HAPPY_EAST)]
    )
    works, clinics, show = (
        item_id("resources", u, n) for u, n in ((EAST, "工程建设支持"), (WEST, "巡回义诊"), (WEST, HOSTILE))
    )
    assert {r["id"]: r for r in data.nodes["Resource"]} == {
        works: {"id": works, "name": "工程建设支持", "kind": "infrastructure", "serves": 2},
        clinics: {"id": clinics, "name": "巡回义诊", "kind": "health", "serves": 3},
        show: {"id": show, "name": HOSTILE, "kind": "culture", "serves": 1},
    }
    assert sorted((r["src"], r["dst"], r["dst_label"]) for r in data.links["OFFERED_BY"]) == sorted(
        [(works, EAST, "CityCommunity"), (clinics, WEST, "CityCommunity"), (show, WEST, "CityCommunity")]
    )
    # The 项目清单 named 通组道路硬化 of 上湾村, not 下湾村's; 老年人健康义诊 is only 西镇幸福村's.
    ends = {"src_label": "CityCommunity", "dst_label": "Need"}
    assert {(r["src"], r["dst"]): r for r in data.links["CLAIMED"]} == {
        (EAST, road_up): {
            "src": EAST, "dst": road_up, **ends, "claimed": date(2026, 3, 20), "status": "ongoing",
            "due": date(2026, 9, 30), "done": None,
        },
        (WEST, road_up): {
            "src": WEST, "dst": road_up, **ends, "claimed": date(2026, 3, 22), "status": "not_chosen", "due": None,
            "done": None,
        },
        (WEST, clinic): {
            "src": WEST, "dst": clinic, **ends, "claimed": date(2026, 5, 20), "status": "done",
            "due": date(2026, 8, 31), "done": date(2026, 8, 15),
        },
    }  # fmt: skip
    ends = {"src_label": "CityCommunity", "dst_label": "Village"}
    assert {(r["src"], r["dst"]): r for r in data.links["ACTIVITY"]} == {
        (EAST, UP): {
            "src": EAST, "dst": UP, **ends, "date": date(2026, 5, 1), "title": "修建村文化广场", "kind": None,
            "funds": 3.5, "beneficiaries": 120, "status": "done", "note": None,
        },
        (WEST, HAPPY_WEST): {
            "src": WEST, "dst": HAPPY_WEST, **ends, "date": date(2026, 9, 1), "title": HOSTILE, "kind": None,
            "funds": None, "beneficiaries": None, "status": "planned", "note": None,
        },
    }  # fmt: skip
    assert data.counts()["Village"] == 4 and data.counts()["CityCommunity"] == 2


def test_ids_are_the_same_next_month_by_id_or_by_name() -> None:
    first = interchange.read_bytes(book(), "十月.xlsx")
    # Next month: rows in another order, a village written by its id, a status changed.
    later = book(
        needs=[
            [1, "幸福村", "东镇", HOSTILE, "文化", "2026-06-10", "已撤销"],
            [2, DOWN, None, "通组道路硬化", "基础设施", "2026-04-10", "已认领"],
            [3, "上湾村", "东镇", "通组道路硬化", "基础设施", "2026-03-10", "已认领"],
            [4, "幸福村", "西镇", "老年人健康义诊", "医疗", "2026-05-10", "待认领"],
        ]
    )
    second = interchange.read_bytes(later, "十一月.xlsx")
    assert sorted(r["id"] for r in second.nodes["Need"]) == sorted(r["id"] for r in first.nodes["Need"])
    assert {r["id"]: r["status"] for r in second.nodes["Need"]}[need_id(DOWN, "通组道路硬化")] == "claimed"


def test_a_need_named_by_an_item_many_villages_ask_for_needs_its_village() -> None:
    projects = [["通组道路硬化", None, "城东社区", "2026-03-20", "2026-09-30", "实施中", None]]
    with pytest.raises(ValidationError) as err:
        interchange.read_bytes(book(projects=projects), "青山县.xlsx")
    assert [(p.file, p.row, p.column, p.value) for p in err.value.problems] == [
        ("青山县.xlsx:项目清单", 2, "需求事项", "通组道路硬化")
    ]
    reason = err.value.problems[0].reason
    assert reason.startswith("2 nodes have this name") and need_id(UP, "通组道路硬化") in reason
    # A village with no such need: the problem says which village the row named.
    projects = [["老年人健康义诊", "上湾村", "城东社区", "2026-03-20", None, "实施中", None]]
    with pytest.raises(ValidationError) as err:
        interchange.read_bytes(book(projects=projects), "青山县.xlsx")
    assert [p.reason for p in err.value.problems] == [
        f"no Need of this name in 上湾村 ({need_id(HAPPY_WEST, '老年人健康义诊')} in 青山县、西镇)"
    ]


def test_a_need_in_a_village_of_a_repeated_name_needs_its_township() -> None:
    needs = [[1, "幸福村", None, "村庄规划编制", "基础设施", "2026-03-10", "待认领"]]
    with pytest.raises(ValidationError) as err:
        interchange.read_bytes(book(needs=needs, projects=[]), "青山县.xlsx")
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("青山县.xlsx:需求清单", 5, "村名", "幸福村")
    assert problem.reason.startswith("2 nodes have this name") and "add its township" in problem.reason


def test_an_export_reads_back_as_the_same_graph(tmp_path: Path) -> None:
    data = interchange.read_bytes(book(), "青山县.xlsx")
    interchange.write_xlsx(data, tmp_path / "out.xlsx")
    sheets = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames
    assert {"needs", "resources", "projects", "activities"} <= set(sheets)
    assert_same_graph(interchange.read(tmp_path / "out.xlsx"), data)
    interchange.write_folder(data, tmp_path / "csv")
    assert_same_graph(interchange.read(tmp_path / "csv"), data)
    # The hostile item is text in the cell, not a formula.
    cells = [c.value for row in openpyxl.load_workbook(tmp_path / "out.xlsx")["needs"].iter_rows() for c in row]
    assert "'" + HOSTILE in cells


def test_empty_lists_read_as_no_rows() -> None:
    data: Dataset = interchange.read_bytes(book(needs=[], projects=[]), "青山县.xlsx")
    assert data.nodes["Need"] == [] and data.links["CLAIMED"] == [] and data.links["NEED_OF"] == []
    assert len(data.nodes["Resource"]) == 3


# --- a county replace: a county owns its villages' needs, their claims, and the activities into its villages ----


def _node(label: str, **values: Any) -> dict[str, Any]:
    return {p.name: values.get(p.name) for p in NODE_BY_LABEL[label].stored}


def _link(rel: str, src: str, src_label: str, dst: str, dst_label: str, **values: Any) -> dict[str, Any]:
    row = {"src": src, "src_label": src_label, "dst": dst, "dst_label": dst_label}
    return row | {p.name: values.get(p.name) for p in REL_BY_TYPE[rel].props}


def _two_counties(a_needs: tuple[str, ...] = ("NA1", "NA2")) -> Dataset:
    """甲县's unit UA claims a need of 乙县 and works in 乙县's village; 乙县's UB claims a need of 甲县."""
    data = Dataset()
    data.nodes["Village"] = [
        _node("Village", id=v, name=n, county=c, tier="weak", weak_reasons=[], industries=[], needs=[])
        for v, n, c in (("A1", "甲一村", "甲县"), ("A2", "甲二村", "甲县"), ("B1", "乙一村", "乙县"))
    ]
    data.nodes["Organisation"] = [
        _node("Organisation", id=u, name=n, county=c, resources=[])
        for u, n, c in (("UA", "甲县财政局", "甲县"), ("UB", "乙县卫健局", "乙县"))
    ]
    needs = [("NA1", "A1", HOSTILE), ("NA2", "A2", "通组道路硬化"), ("NB1", "B1", "通组道路硬化")]
    data.nodes["Need"] = [
        _node("Need", id=n, name=item, status="claimed") for n, _, item in needs if n[1] != "A" or n in a_needs
    ]
    data.links["NEED_OF"] = [
        _link("NEED_OF", n, "Need", v, "Village") for n, v, _ in needs if n[1] != "A" or n in a_needs
    ]
    data.nodes["Resource"] = [_node("Resource", id="RA", name="帮扶资金"), _node("Resource", id="RB", name="巡回义诊")]
    data.links["OFFERED_BY"] = [
        _link("OFFERED_BY", "RA", "Resource", "UA", "Organisation"),
        _link("OFFERED_BY", "RB", "Resource", "UB", "Organisation"),
    ]
    day = date(2026, 3, 1)
    data.links["CLAIMED"] = [
        _link("CLAIMED", u, "Organisation", n, "Need", claimed=day, status="ongoing")
        for u, n in (("UA", "NA1"), ("UA", "NB1"), ("UB", "NA2"))
    ]
    data.links["ACTIVITY"] = [
        _link("ACTIVITY", u, "Organisation", v, "Village", date=day, title=f"{u}在{v}", status="done")
        for u, v in (("UA", "A1"), ("UB", "A2"), ("UA", "B1"))
    ]
    return data


def test_a_county_replace_takes_its_needs_claims_and_activities(any_store: StoreFactory) -> None:
    store = any_store(_two_counties())
    current = store.dump()
    # 甲县 resubmits its villages, its unit and one need, no resource, claim or activity.
    ledger_data = _two_counties(a_needs=("NA2",))
    ledger_data.nodes["Village"] = [v for v in ledger_data.nodes["Village"] if v["county"] == "甲县"]
    ledger_data.nodes["Organisation"] = [u for u in ledger_data.nodes["Organisation"] if u["id"] == "UA"]
    ledger_data.nodes["Need"] = [n for n in ledger_data.nodes["Need"] if n["id"] == "NA2"]
    ledger_data.links["NEED_OF"] = [r for r in ledger_data.links["NEED_OF"] if r["src"] == "NA2"]
    ledger_data.nodes["Resource"], ledger_data.links["OFFERED_BY"] = [], []
    ledger_data.links["CLAIMED"], ledger_data.links["ACTIVITY"] = [], []
    assert import_changes.other_counties(ledger_data, current, "甲县") == []
    scope = import_changes.county_scope(current, "甲县", ledger_data)
    changes = import_changes.diff(current, ledger_data, COUNTY, scope=scope, county="甲县")
    removed = {k: sorted(t.removed) for k, t in changes.tables.items() if t.removed}
    day = date(2026, 3, 1)
    assert removed == {
        "Need": [("NA1",)],
        "Resource": [("RA",)],
        "NEED_OF": [("NA1", "A1")],
        "OFFERED_BY": [("RA", "UA")],
        # 乙县's unit's claim of 甲县's need is 甲县's; 甲县's unit's claim of 乙县's need is not.
        "CLAIMED": [("UA", "NA1"), ("UB", "NA2")],
        "ACTIVITY": [("UA", "A1", day, "UA在A1"), ("UB", "A2", day, "UB在A2")],
    }
    store.load_removing(ledger_data, ledger._removed_rows(current, changes))
    after = store.dump()
    assert sorted(r["id"] for r in after.nodes["Need"]) == ["NA2", "NB1"]
    assert sorted((r["src"], r["dst"]) for r in after.links["CLAIMED"]) == [("UA", "NB1")]
    assert sorted((r["src"], r["dst"]) for r in after.links["ACTIVITY"]) == [("UA", "B1")]
    assert sorted(r["id"] for r in after.nodes["Resource"]) == ["RB"]
    # A ledger's claim of another county's need, and its activity there, are no part of 甲县's replace.
    stranger = Dataset()
    stranger.links["CLAIMED"] = [_link("CLAIMED", "UA", "Organisation", "NB1", "Need", claimed=day)]
    stranger.links["ACTIVITY"] = [_link("ACTIVITY", "UA", "Organisation", "B1", "Village", date=day, title="x")]
    assert [why for _f, _r, why in import_changes.other_counties(stranger, after, "甲县")] == [
        "reaches village B1 of county 乙县, not 甲县",
        "reaches an item of B1 of county 乙县, not 甲县",
    ]


def test_pairing_export_writes_the_lists_and_reads_back(tmp_path: Path, any_location: Callable[..., str]) -> None:
    db = any_location()
    invoke("--db", db, "load", str(SEED))
    stats = invoke("--db", db, "stats", "--format", "json").stdout
    counts = {r["name"]: r["count"] for r in json.loads(stats)}
    seed = seed_dataset()
    for kind in ("Need", "Resource", "ACTIVITY", "CLAIMED", "NEED_OF", "OFFERED_BY"):
        assert counts[kind] == seed.counts()[kind] > 0, kind
    invoke("--db", db, "export", str(tmp_path / "out.xlsx"))
    sheets = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames
    assert {"activities", "projects", "needs", "resources"} <= set(sheets)
    assert_same_graph(interchange.read(tmp_path / "out.xlsx"), seed)


def test_a_claim_of_a_need_two_villages_of_one_name_posted_is_told_by_its_township() -> None:
    needs = [
        [1, "幸福村", "东镇", "村庄规划编制", "基础设施", "2026-03-10", "已认领"],
        [2, "幸福村", "西镇", "村庄规划编制", "基础设施", "2026-03-10", "待认领"],
    ]
    wb = openpyxl.load_workbook(io.BytesIO(book(needs=needs, projects=[])))
    claims = wb["项目清单"]
    claims.delete_rows(1)
    claims.append(["需求事项", "村名", "所属乡镇", "认领单位", "认领时间", "项目状态"])
    claims.append(["村庄规划编制", "幸福村", "东镇", "城东社区", "2026-03-20", "已认领"])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = interchange.read_bytes(buffer.getvalue(), "青山县.xlsx")
    assert [(r["src"], r["dst"], r["status"]) for r in data.links["CLAIMED"]] == [
        (EAST, need_id(HAPPY_EAST, "村庄规划编制"), "claimed")
    ]
    # Without the township, the row could be either village's need: a problem naming both.
    claims.delete_rows(1, claims.max_row)
    claims.append(["需求事项", "村名", "认领单位", "认领时间", "项目状态"])
    claims.append(["村庄规划编制", "幸福村", "城东社区", "2026-03-20", "已认领"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ValidationError) as err:
        interchange.read_bytes(buffer.getvalue(), "青山县.xlsx")
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "青山县.xlsx:项目清单",
        2,
        "需求事项",
        "村庄规划编制",
    )
    assert (
        need_id(HAPPY_EAST, "村庄规划编制") in problem.reason and need_id(HAPPY_WEST, "村庄规划编制") in problem.reason
    )


def test_next_months_project_list_alone_names_stored_needs_by_item_and_village() -> None:
    stored = interchange.read_bytes(book(), "十月.xlsx")
    wb = openpyxl.Workbook()
    claims = wb.worksheets[0]
    claims.title = "项目清单"
    claims.append(["需求事项", "村名", "认领单位", "认领时间", "项目状态"])
    claims.append(["通组道路硬化", "下湾村", "城西社区", "2026-11-05", "已认领"])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = interchange.read_bytes(buffer.getvalue(), "十一月.xlsx", interchange.KnownNodes.from_dataset(stored))
    assert [(r["src"], r["dst"], r["claimed"]) for r in data.links["CLAIMED"]] == [
        (WEST, need_id(DOWN, "通组道路硬化"), date(2026, 11, 5))
    ]


def test_the_apps_export_holds_the_lists(any_store: StoreFactory, tmp_path: Path) -> None:
    # What the 数据 page's downloads write (graph.ui.data_page.export_xlsx / export_zip).
    seed_store = any_store("seed")
    seed = seed_dataset()
    workbook = ledger.export(seed_store, tmp_path / "export.xlsx")
    folder = ledger.export(seed_store, tmp_path / "export")
    assert {"needs.csv", "resources.csv", "projects.csv", "activities.csv"} <= {f.name for f in folder.iterdir()}
    for path in (workbook, folder):
        assert_same_graph(interchange.read(path), seed)
