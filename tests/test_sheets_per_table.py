"""One table kept on several sheets (a sheet per township, or per year), as counties often keep it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph import interchange
from tests.fixtures import workbook_file

HEADER = ["序号", "村名", "所属乡镇", "村类别"]


def _villages(township: str, *names: str) -> list[list[Any]]:
    return [[f"{township}村情"], HEADER, *([i, name, township, "后进村"] for i, name in enumerate(names, 1))]


def test_a_sheet_per_township_is_one_villages_table(tmp_path: Path) -> None:
    units = [["单位名称", "单位性质"], ["县财政局", "党政机关"]]
    links = [["结对单位", "乡镇", "结对村", "结对时间"], ["县财政局", "山前乡", "幸福村", "2025.3"]]
    path = workbook_file(
        tmp_path / "台账.xlsx",
        {
            "河口镇": _villages("河口镇", "幸福村", "新民村"),
            "山前乡": _villages("山前乡", "幸福村"),
            "单位名录": units,
            "结对共建台账": links,
        },
    )
    reading = interchange.inspect(path)
    assert reading.dataset is not None, reading.problems
    villages = {(v["township"], v["name"]) for v in reading.dataset.nodes["Village"]}
    assert villages == {("河口镇", "幸福村"), ("河口镇", "新民村"), ("山前乡", "幸福村")}
    (pairing,) = reading.dataset.links["PAIRED_WITH"]
    by_id = {v["id"]: (v["township"], v["name"]) for v in reading.dataset.nodes["Village"]}
    assert by_id[pairing["dst"]] == ("山前乡", "幸福村")
    assert [m.table for m in reading.report.mappings] == ["villages", "villages", "organisations", "pairings"]


def test_a_link_on_two_sheets_of_one_table_is_a_problem_naming_both(tmp_path: Path) -> None:
    link = [["结对单位", "结对村", "结对时间"], ["县财政局", "新民村", "2025-03-01"]]
    other = [["结对单位", "结对村", "结对时间"], ["县财政局", "幸福村", "2024-01-01"], *link[1:]]
    path = workbook_file(
        tmp_path / "台账.xlsx",
        {
            "村情": _villages("河口镇", "幸福村", "新民村"),
            "单位名录": [["单位名称"], ["县财政局"]],
            "2024年结对": link,
            "2025年结对": other,
        },
    )
    reading = interchange.inspect(path)
    assert [(p.file, p.row, p.reason) for p in reading.problems] == [
        (
            "台账.xlsx:2025年结对",
            3,
            "duplicate PAIRED_WITH link: same unit, village, since as 台账.xlsx:2024年结对 row 2",
        )
    ]


def test_a_village_on_two_township_sheets_is_a_duplicate_id(tmp_path: Path) -> None:
    header = ["村编号", "村名", "所属乡镇", "村类别"]
    path = workbook_file(
        tmp_path / "台账.xlsx",
        {
            "河口镇": [header, ["V1", "幸福村", "河口镇", "一般村"]],
            "山前乡": [header, ["V1", "石桥村", "山前乡", "一般村"]],
        },
    )
    (problem,) = interchange.inspect(path).problems
    assert (problem.file, problem.row, problem.value) == ("台账.xlsx:山前乡", 2, "V1")
    assert problem.reason.startswith("duplicate id (also 台账.xlsx:河口镇 row 2)")
