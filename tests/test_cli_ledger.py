"""The ledger commands end to end, in-process: load, stats, validate, export, round trips."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from graph.model import NODES, RELS
from graph.store import LadybugStore, open_store
from tests.fixtures import SEED, assert_same_graph, invoke, seed_dataset


def run(*args: str) -> tuple[int, str]:
    result = invoke(*args, code=None)
    return result.exit_code, result.output


def test_load_seed_then_stats_counts_every_label_and_type_and_a_second_load_changes_nothing(
    any_location: Callable[..., str],
) -> None:
    db = any_location()
    code, out = run("--db", db, "load", str(SEED))
    assert code == 0, out
    code, out = run("--db", db, "stats", "--format", "csv")
    assert code == 0
    counts = dict(line.split(",") for line in out.strip().splitlines()[1:])
    want = seed_dataset().counts()
    for name in [n.label for n in NODES] + [r.type for r in RELS]:
        assert int(counts[name]) == want[name] > 0, name
    assert int(counts["Village"]) >= 300
    _, first = run("--db", db, "stats", "--format", "json")
    code, out = run("--db", db, "load", str(SEED))
    assert code == 0 and "no change" in out
    code, out = run("--db", db, "load", str(SEED), "--if-empty")
    assert code == 0 and "already holds data" in out
    assert run("--db", db, "stats", "--format", "json")[1] == first


def _bad_workbook(path: Path) -> None:
    """A ledger in Chinese headers with mistakes in three sheets."""
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    ws = wb.create_sheet("villages")
    ws.append(["编号", "村名", "所属县", "所属乡镇", "类别", "后进原因"])
    ws.append(["V1", "甲村", "青山县", "东镇", "后进村", "经济薄弱"])
    ws.append(["V2", "乙村", "青山县", "东镇", "不知道", ""])  # bad tier
    ws = wb.create_sheet("communities")
    ws.append(["编号", "社区名称", "可结对数"])
    ws.append(["C1", "和平社区", "三"])  # bad int
    ws = wb.create_sheet("pairings")
    ws.append(["结对单位", "结对村", "开始日期", "结束日期"])
    ws.append(["C1", "甲村", "2024年2月30日", ""])  # impossible date
    ws.append(["C9", "V1", "2024/3/1", ""])  # unknown unit
    wb.save(path)


def test_bad_workbook_reports_every_error_and_changes_nothing(tmp_path: Path, any_location: Callable[..., str]) -> None:
    db = any_location()
    run("--db", db, "load", str(SEED))
    _, before = run("--db", db, "stats", "--format", "json")
    book = tmp_path / "bad.xlsx"
    _bad_workbook(book)
    for command in ("validate", "load"):
        result = invoke("--db", db, command, str(book), code=None)
        assert result.exit_code == 2, result.output
        text = result.output
        assert "villages" in text and "row 3" in text and "不知道" in text
        assert "communities" in text and "可结对数" in text and "'三'" in text
        assert "pairings" in text and "2024年2月30日" in text
        assert "C9" in text
    assert run("--db", db, "stats", "--format", "json")[1] == before


@pytest.mark.parametrize("target", ["folder", "book.xlsx"])
def test_load_export_load_is_lossless(tmp_path: Path, target: str, any_location: Callable[..., str]) -> None:
    """From a store on each engine, into a Ladybug file: the export is the same graph whichever engine wrote it."""
    first, second = any_location(), tmp_path / "b.lbug"
    out = tmp_path / target
    assert run("--db", first, "load", str(SEED))[0] == 0
    assert run("--db", first, "export", str(out))[0] == 0
    assert run("--db", str(second), "load", str(out))[0] == 0
    a, b = open_store(first), LadybugStore(second)
    try:
        # Every node and link with every property, against the ledger as read (not only store against store).
        assert_same_graph(a.dump(), seed_dataset())
        assert_same_graph(b.dump(), a.dump())
        assert b.dump() == a.dump()  # and in the same order, which makes exports byte-stable
    finally:
        a.close()
        b.close()


def test_query_command_runs_a_named_query_with_parameters(any_location: Callable[..., str]) -> None:
    db = any_location()
    run("--db", db, "load", str(SEED))
    code, out = run("--db", db, "query", "export/villages", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,name,city,county")
    result = invoke("--db", db, "query", "load/villages", code=None)
    assert result.exit_code != 0 and "write query" in result.output
    result = invoke("--db", db, "query", "no/such", code=None)
    assert result.exit_code == 1 and "no query named" in result.output
