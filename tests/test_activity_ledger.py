"""A county's 实事项目台账 sheet imports as ACTIVITY links and drives the yearly rule; a ledger without one keeps
reading the pairings' `projects` and `last_activity` columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from graph import activities, gaps, interchange, ledger
from graph.dataset import Dataset
from graph.errors import ValidationError
from graph.reasons_zh import reason_text
from tests.fixtures import StoreFactory
from tests.test_activities import HOSTILE_NOTE, HOSTILE_TITLE, small

HOSTILE = '=HYPERLINK("http://x","点我")<script>alert(1)</script>'
NOTE = "'}) MATCH (n) DETACH DELETE n //"


def _workbook(path: Path, activity_sheet: bool, statuses: tuple[Any, Any] = ("已完成", "计划")) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政村名单"
    villages: list[list[Any]] = [
        ["序号", "县（市、区）", "乡镇（街道）", "村名", "村类别"],
        [1, "澄溪县", "兴岭镇", "桃庙村", "后进村"],
        [2, "澄溪县", "兴岭镇", "柳塘村", "一般村"],
        # The same name in another township: the activity sheet's township column tells them apart.
        [3, "澄溪县", "白水镇", "桃庙村", "一般村"],
    ]
    for row in villages:
        sheet.append(row)
    units = book.create_sheet("城市社区")
    for unit_row in [["序号", "县（市、区）", "社区名称"], [1, "澄溪县", "长安社区"]]:
        units.append(unit_row)
    pairings = book.create_sheet("结对关系")
    for pairing_row in [
        ["序号", "县（市、区）", "乡镇（街道）", "结对单位", "结对村", "结对时间", "实事项目数", "最近活动日期"],
        [1, "澄溪县", "兴岭镇", "长安社区", "桃庙村", "2024-03-01", 3, "2025-05-01"],
        [2, "澄溪县", "兴岭镇", "长安社区", "柳塘村", "2025-01-01", 1, "2025-02-01"],
    ]:
        pairings.append(pairing_row)
    if activity_sheet:
        done, planned = statuses
        ws = book.create_sheet("2026年实事项目台账")
        ws.append(["澄溪县2026年城乡结对共建实事项目台账"])
        ws.append(
            ["序号", "乡镇（街道）", "结对单位", "结对村", "项目名称", "时间", "资金(万元)", None, "进度", "情况说明"]
        )
        ws.append([None, None, None, None, None, None, "投入资金", "受益群众(人)", None, None])
        ws.append([1, "兴岭镇", "长安社区", "桃庙村", "修建村道", "2026年3月", 12.5, 300, done, None])
        ws.append([2, "兴岭镇", "长安社区", "桃庙村", HOSTILE, "2026年5月", None, 40, planned, NOTE])
        ws.append([3, "兴岭镇", "长安社区", "柳塘村", "消费帮扶", "2026.4.12", 3, None, None, None])
        ws["E5"].data_type = "s"  # typed as text in Excel ('=…), not a formula
        ws.merge_cells("A1:J1")
        for column in "ABCDEFIJ":
            ws.merge_cells(f"{column}2:{column}3")
        ws.merge_cells("G2:H2")
    out = path / ("with.xlsx" if activity_sheet else "without.xlsx")
    book.save(out)
    return out


def _named(data: Dataset) -> list[tuple[Any, ...]]:
    names = {n["id"]: (n["name"], n.get("township")) for rows in data.nodes.values() for n in rows}
    return [
        (names[r["src"]][0], names[r["dst"]], r["date"], r["title"], r["funds"], r["beneficiaries"], r["status"])
        for r in data.links["ACTIVITY"]
    ]


def test_an_activity_sheet_imports_as_activities(tmp_path: Path) -> None:
    data = interchange.read(_workbook(tmp_path, True))
    assert _named(data) == [
        ("长安社区", ("桃庙村", "兴岭镇"), dt.date(2026, 3, 1), "修建村道", 12.5, 300, "done"),
        ("长安社区", ("桃庙村", "兴岭镇"), dt.date(2026, 5, 1), HOSTILE, None, 40, "planned"),
        ("长安社区", ("柳塘村", "兴岭镇"), dt.date(2026, 4, 12), "消费帮扶", 3.0, None, None),
    ]
    assert [r["note"] for r in data.links["ACTIVITY"]] == [None, NOTE, None]


@pytest.mark.parametrize("sheet", [False, True], ids=["columns", "sheet"])
def test_the_yearly_rule_reads_the_sheet_where_there_is_one_and_the_columns_otherwise(
    tmp_path: Path, any_store: StoreFactory, sheet: bool
) -> None:
    day = dt.date(2026, 6, 1)
    store = any_store()
    ledger.load(store, _workbook(tmp_path, sheet), actor="t")
    # The ids the import gave: the unit and the villages by name (桃庙村 of 兴岭镇, where the pairings are).
    names = {n["name"]: n["id"] for n in store.read("export/communities")}
    (unit,) = names.values()
    village = {v["name"]: v["id"] for v in store.read("export/villages") if v["township"] == "兴岭镇"}
    if not sheet:
        # 2025-05-01 is before the cut-off 2025-06-01: a paper pairing by its column; 柳塘村's is old enough too.
        assert [(p.village, p.unit_id, p.village_id, p.last_activity) for p in gaps.inactive(store, day)] == [
            ("柳塘村", unit, village["柳塘村"], dt.date(2025, 2, 1)),
            ("桃庙村", unit, village["桃庙村"], dt.date(2025, 5, 1)),
        ]
        first = activities.effective(store, unit, village["桃庙村"], "2024-03-01", day)
        assert first == activities.Effective(3, dt.date(2025, 5, 1), False)
        return
    assert gaps.inactive(store, day) == []
    # The done one counts, the planned one does not; a blank status counts as done.
    assert activities.effective(store, unit, village["桃庙村"], "2024-03-01", day) == activities.Effective(
        1, dt.date(2026, 3, 1), True
    )
    assert activities.effective(store, unit, village["柳塘村"], "2025-01-01", day) == activities.Effective(
        1, dt.date(2026, 4, 12), True
    )
    assert [a.title for a in activities.of_pairing(store, unit, village["桃庙村"], "2024-03-01")] == [
        HOSTILE,
        "修建村道",
    ]


def test_a_status_word_the_model_does_not_know_is_a_problem_in_chinese(tmp_path: Path) -> None:
    path = _workbook(tmp_path, True, statuses=("已完成", "差不多了"))
    with pytest.raises(ValidationError) as caught:
        interchange.read(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (5, "进度", "差不多了")
    assert reason_text(problem.reason, "zh") == "不是可选的值（可选：计划、实施中、已完成）"


@pytest.mark.parametrize("suffix", ["", ".xlsx"], ids=["csv-folder", "workbook"])
def test_recorded_activities_export_and_read_back_unchanged(
    tmp_path: Path, any_store: StoreFactory, suffix: str
) -> None:
    store = any_store(small())
    activities.add(store, "c1", "v1", dt.date(2026, 3, 1), HOSTILE_TITLE, note=HOSTILE_NOTE, funds=2, kind="project")
    activities.add(store, "c1", "v1", dt.date(2026, 3, 2), "计划", status="planned", beneficiaries=0)
    data = interchange.read(ledger.export(store, tmp_path / f"out{suffix}"))
    assert [
        (r["src"], r["dst"], r["date"], r["title"], r["kind"], r["funds"], r["beneficiaries"], r["status"], r["note"])
        for r in data.links["ACTIVITY"]
    ] == [
        ("c1", "v1", dt.date(2026, 3, 1), HOSTILE_TITLE, "project", 2.0, None, "done", HOSTILE_NOTE),
        ("c1", "v1", dt.date(2026, 3, 2), "计划", None, None, 0, "planned", None),
    ]
