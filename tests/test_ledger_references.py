"""A monthly link sheet loaded into a store that holds the county already: villages named, not coded, and the
same name in three townships; the row's township tells the store's 幸福村 apart."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from graph import ledger
from graph.dataset import Dataset
from graph.errors import ValidationError
from tests.fixtures import StoreFactory, village


def _store_dataset() -> Dataset:
    data = Dataset()
    data.nodes["Village"] = [
        village(f"V{i}", "幸福村", county="青山县", township=township, tier="weak")
        for i, township in enumerate(["城东街道", "西镇", "南镇"], 1)
    ]
    data.nodes["Organisation"] = [{"id": "O1", "name": "区财政局", "resources": []}]
    return data


def _links(path: Path, header: list[str], row: list[str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "结对共建台账"
    sheet.append(["2026年1月结对共建台账"])
    sheet.append(header)
    sheet.append(row)
    book.save(path)
    return path


def test_a_stored_village_is_found_by_its_name_and_township(tmp_path: Path, any_store: StoreFactory) -> None:
    store = any_store(_store_dataset())
    path = _links(
        tmp_path / "links.xlsx",
        ["结对单位", "街道（乡镇）", "村名", "结对时间"],
        ["区财政局", "西镇", "幸福村", "2026.1"],
    )
    dataset = ledger.validate(path, store)
    ((pairing),) = dataset.links["PAIRED_WITH"]
    assert (pairing["src"], pairing["dst"], pairing["since"].isoformat()) == ("O1", "V2", "2026-01-01")


def test_without_the_township_the_stored_namesakes_are_a_problem(tmp_path: Path, any_store: StoreFactory) -> None:
    store = any_store(_store_dataset())
    path = _links(tmp_path / "links.xlsx", ["结对单位", "村名", "结对时间"], ["区财政局", "幸福村", "2026.1"])
    with pytest.raises(ValidationError) as caught:
        ledger.validate(path, store)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "links.xlsx:结对共建台账",
        3,
        "村名",
        "幸福村",
    )
    assert "3 nodes have this name" in problem.reason
