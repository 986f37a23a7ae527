"""三张清单 through the `pairing` command, in-process on a real store: exact rows, files, writes and their audit."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graph import audit
from graph.store import open_store
from tests.fixtures import LISTS_ASOF, invoke, lists_programme

ASOF = LISTS_ASOF.isoformat()


@pytest.fixture
def db(any_location: Callable[..., str]) -> str:
    return any_location(lists_programme())


def _json(*args: str) -> list[dict[str, object]]:
    return list(json.loads(invoke(*args).stdout))


def test_needs_json_gives_exact_rows(db: str) -> None:
    rows = _json("--db", db, "needs", "--county", "青岚县", "--format", "json")
    place = {"county": "青岚县", "township": "杨塘镇"}
    assert rows == [
        {"need_id": "N09", "need": "O'Brien \"quote\" `x`", "kind": "employment", "village_id": "420102001001",
         "village": "龙口村", **place, "posted": "2025-02-01", "status": "claimed", "unit_names": [],
         "claim_statuses": []},
        {"need_id": "N05", "need": "农产品销售", "kind": "market", "village_id": "V07", "village": "王源村", **place,
         "posted": "2025-03-01", "status": "done", "unit_names": ["阳光社区"], "claim_statuses": ["done"]},
        {"need_id": "N06", "need": "<script>alert(1)</script>", "kind": "governance", "village_id": "V07",
         "village": "王源村", **place, "posted": "2025-01-01", "status": "withdrawn", "unit_names": [],
         "claim_statuses": []},
        {"need_id": "N10", "need": "文化广场", "kind": "culture", "village_id": "V08", "village": "幸福村", **place,
         "posted": None, "status": "open", "unit_names": [], "claim_statuses": []},
    ]  # fmt: skip
    opened = _json("--db", db, "needs", "--status", "open", "--format", "json")
    assert [r["need_id"] for r in opened] == ["N01", "N02", "N10"]


def test_needs_csv_and_xlsx_neutralise_formulas(db: str, tmp_path: Path) -> None:
    out = invoke("--db", db, "needs", "--township", "五花镇", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["需求编号", "需求事项", "需求类别", "村编号", "村名", "所属县", "所属乡镇", "发布日期", "状态",
                       "认领单位", "认领状态"]  # fmt: skip
    assert rows[1:] == [
        ["N03", "助学", "教育", "V02", "幸福村", "石砚区", "五花镇", "2025-06-01", "已认领", "幸福社区", "已认领"],
        ["N07", "'=SUM(A1:A9)", "资金支持", "V02", "幸福村", "石砚区", "五花镇", "2025-09-01", "已认领",
         "太塘镇中心学校", "已认领"],
    ]  # fmt: skip
    path = tmp_path / "needs.xlsx"
    invoke("--db", db, "needs", "--county", "石砚区", "--lang", "en", "-o", str(path))
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "Needs list (county: 石砚区)"
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [v[0] for v in values] == ["N03", "N07", "N01", "N02", "N08", "N04"]
    assert values[1][1] == "'=SUM(A1:A9)" and values[5][9] == "石砚惠农机械制造有限公司、太塘镇中心学校"


def test_resources_projects_and_rates(db: str) -> None:
    assert _json("--db", db, "resources", "--county", "青岚县", "--format", "json") == [
        {"resource_id": "R03", "resource": "文化下乡", "kind": "culture", "serves": None, "unit_id": "C02",
         "unit": "阳光社区", "unit_label": "CityCommunity", "county": "青岚县"}
    ]  # fmt: skip
    projects = _json("--db", db, "projects", "--status", "not_chosen", "--format", "json")
    assert [(p["unit_id"], p["need_id"], p["claimed"]) for p in projects] == [("O04", "N04", "2025-06-02")]
    rates = _json("--db", db, "rates", "--by", "county", "--format", "json")
    assert rates == [
        {"county": "石砚区", "needs": 6, "claimed": 4, "done": 0, "claim_rate": 4 / 6, "completion_rate": 0.0},
        {"county": "青岚县", "needs": 3, "claimed": 2, "done": 1, "claim_rate": 2 / 3, "completion_rate": 0.5},
    ]
    table = invoke("--db", db, "rates", "--by", "township", "--county", "石砚区").stdout
    assert table.splitlines()[0] == "需求认领率和办结率（县：石砚区；汇总：按乡镇）"
    assert "五花镇" in table and "100.0%" in table and "50.0%" in table


def test_gap_lists_of_the_three_lists(db: str) -> None:
    stale = _json("--db", db, "stale-needs", "--asof", ASOF, "--format", "json")
    assert [(r["need_id"], r["days_open"]) for r in stale] == [("N01", 90)]
    assert _json("--db", db, "stale-needs", "--asof", ASOF, "--days", "91", "--format", "json") == []
    overdue = _json("--db", db, "overdue-projects", "--asof", ASOF, "--format", "json")
    assert [(r["unit_id"], r["need_id"], r["days_overdue"]) for r in overdue] == [("E01", "N04", 1)]
    idle = _json("--db", db, "idle-claimers", "--asof", ASOF, "--format", "json")
    assert [(r["unit_id"], r["claims"], r["needs"]) for r in idle] == [
        ("C01", 1, ["助学"]),
        ("O04", 1, ["=SUM(A1:A9)"]),
    ]


def test_the_writes_through_the_cli_are_audited(db: str) -> None:
    base = ("--db", db, "--user", "alice")
    out = invoke(*base, "need", "add", "--village", "V05", "--item", "路灯", "--kind", "infrastructure",
                 "--posted", "2026-03-01", "--id", "N20").stdout  # fmt: skip
    assert out.strip() == "posted need N20"
    invoke(*base, "resource", "add", "--unit", "O02", "--item", "支教", "--serves", "2", "--id", "R20")
    invoke(*base, "claim", "--unit", "O02", "--need", "N20", "--on", "2026-03-02", "--due", "2026-06-30")
    invoke(*base, "claim", "--unit", "E01", "--need", "N20", "--on", "2026-03-03")
    chosen = invoke(*base, "choose", "--need", "N20", "--unit", "O02", "--on", "2026-03-05").stdout
    assert chosen.strip() == "O02 chosen for need N20; paired with its village (群众选对)"
    invoke(*base, "project", "set", "--unit", "O02", "--need", "N20", "--status", "ongoing")
    invoke(*base, "project", "set", "--unit", "O02", "--need", "N20", "--done", "2026-04-01")
    invoke(*base, "need", "withdraw", "--need", "N02")
    (row,) = [r for r in _json("--db", db, "needs", "--format", "json") if r["need_id"] == "N20"]
    assert (row["status"], row["unit_names"], row["claim_statuses"]) == (
        "done", ["石砚惠农机械制造有限公司", "石砚区教育局"], ["not_chosen", "done"],
    )  # fmt: skip
    store = open_store(db)
    try:
        got = [(e.actor, e.action, e.target) for e in audit.entries(store)]
    finally:
        store.close()
    assert got == [
        ("alice", "need.add", "N20"),
        ("alice", "resource.add", "R20"),
        ("alice", "claim", "O02->N20"),
        ("alice", "claim", "E01->N20"),
        ("alice", "pairing.create", "O02->V05"),
        ("alice", "claim.choose", "O02->N20"),
        ("alice", "project.set", "O02->N20"),
        ("alice", "project.set", "O02->N20"),
        ("alice", "need.withdraw", "N02"),
    ]


# Each refused command and what it says.
REFUSALS: list[tuple[tuple[str, ...], str]] = [
    (("claim", "--unit", "C01", "--need", "N05"), "error: need 'N05' is done and cannot be claimed"),
    (("claim", "--unit", "C01", "--need", "N99"), "error: no need with id 'N99'"),
    (("need", "add", "--village", "V99", "--item", "x"), "error: no village with id 'V99'"),
    (("choose", "--need", "N04", "--unit", "O04"), "error: 'O04' has no live claim of need 'N04' to choose"),
    (("project", "set", "--unit", "C01", "--need", "N03"), "error: nothing to set: give a status or a due date"),
]


def test_refusals_exit_1_with_the_reason(db: str) -> None:
    for args, message in REFUSALS:
        result = invoke("--db", db, *args, code=1)
        assert result.stderr.strip() == message
