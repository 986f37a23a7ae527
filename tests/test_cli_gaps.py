"""The gap commands in-process (click's CliRunner), on the demo seed and on a small graph, on each engine.

The seed's lists are checked on a Ladybug file against seed/expected_gaps.json; on Neo4j, every list command's
output after `pairing load seed/` is compared byte for byte with the same commands on a Ladybug file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from openpyxl import load_workbook

from graph.dataset import Dataset
from graph.gap_lists import GAP_LISTS
from graph.store import GraphStore
from tests.fixtures import SEED, invoke, store_file

EXPECTED = SEED / "expected_gaps.json"
ASOF = "2026-11-01"


def run(db: Path | str, *args: str) -> Result:
    return invoke("--db", str(db), *args, code=None)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file loaded from seed/ and closed again: the CLI opens it itself."""
    return Path(store_file(tmp_path_factory.mktemp("cli") / "seed.lbug", "seed"))


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    # seed/make_seed.py writes the file with the seed; the lists below are only as good as it is.
    assert EXPECTED.is_file(), f"{EXPECTED} is missing: run seed/make_seed.py"
    data = dict(json.loads(EXPECTED.read_text(encoding="utf-8")))
    assert data["asof"] == ASOF, "the expected lists are for another day than the one these tests ask about"
    return data


def as_json(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def test_gaps_json_on_the_seed(seed_db: Path, expected: dict[str, Any]) -> None:
    rows = as_json(run(seed_db, "gaps", "--format", "json", "--asof", ASOF))
    assert sorted(r["village_id"] for r in rows) == expected["unpaired"]
    assert {"village_id", "village", "county", "township", "weak_reasons", "has", "missing"} <= set(rows[0])
    assert all(r["has"] == [] and r["missing"] == ["pairing", "lead", "fusion", "station"] for r in rows)


def test_other_lists_on_the_seed(seed_db: Path, expected: dict[str, Any]) -> None:
    inactive = as_json(run(seed_db, "inactive", "--format", "json", "--asof", ASOF))
    # A pairing in its first year is never a paper pairing (issue #17); its own list is `first_year`.
    cutoff = (dt.date.fromisoformat(ASOF) - dt.timedelta(days=365)).isoformat()
    older = [r for r in inactive if str(r["since"]) <= cutoff]
    assert sorted([r["unit_id"], r["village_id"]] for r in older) == expected["inactive_pairings"]
    expiring = as_json(run(seed_db, "expiring", "--format", "json", "--asof", ASOF, "--days", "90"))
    assert sorted([r["cadre_id"], r["village_id"]] for r in expiring) == expected["expiring_cadres"]
    load = as_json(run(seed_db, "unit-load", "--format", "json", "--asof", ASOF))
    assert sorted(r["unit_id"] for r in load if r["status"] == "overloaded") == expected["overloaded_units"]
    assert sorted(r["unit_id"] for r in load if r["status"] == "idle") == expected["idle_units"]
    idle = as_json(run(seed_db, "unit-load", "--format", "json", "--asof", ASOF, "--status", "idle"))
    assert sorted(r["unit_id"] for r in idle) == expected["idle_units"]
    org = as_json(run(seed_db, "org-setting", "--format", "json"))
    assert sorted(r["id"] for r in org) == expected["org_setting_mismatches"]


def test_expiring_villages_join_the_list_the_day_after(seed_db: Path, expected: dict[str, Any]) -> None:
    joins = expected["unpaired_after_expiry"]
    assert joins, "the seed has villages whose last support ends after the reference day"
    for village, day in joins:
        before = dt.date.fromisoformat(day) - dt.timedelta(days=1)
        assert village not in {
            r["village_id"] for r in as_json(run(seed_db, "gaps", "--format", "json", "--asof", before.isoformat()))
        }
        assert village in {r["village_id"] for r in as_json(run(seed_db, "gaps", "--format", "json", "--asof", day))}


def test_coverage_on_the_seed(seed_db: Path, expected: dict[str, Any]) -> None:
    counties = as_json(run(seed_db, "coverage", "--format", "json", "--asof", ASOF))
    townships = as_json(run(seed_db, "coverage", "--by", "township", "--format", "json", "--asof", ASOF))
    assert "township" not in counties[0] and "township" in townships[0]
    assert sum(r["uncovered"] for r in counties) == len(expected["unpaired"])
    assert sum(r["weak"] for r in counties) == sum(r["weak"] for r in townships)
    assert all(r["covered"] + r["uncovered"] == r["weak"] for r in townships)
    one = counties[0]["county"]
    only = as_json(run(seed_db, "coverage", "--county", one, "--format", "json", "--asof", ASOF))
    assert [r["county"] for r in only] == [one]


def test_gaps_filters_policy_and_files(seed_db: Path, expected: dict[str, Any], tmp_path: Path) -> None:
    rows = as_json(run(seed_db, "gaps", "--format", "json", "--asof", ASOF))
    county = rows[0]["county"]
    some = as_json(run(seed_db, "gaps", "--format", "json", "--asof", ASOF, "--county", county))
    assert [r["village_id"] for r in some] == [r["village_id"] for r in rows if r["county"] == county]
    strict = as_json(run(seed_db, "gaps", "--format", "json", "--asof", ASOF, "--policy", "pairing,station"))
    assert set(expected["unpaired"]) <= {r["village_id"] for r in strict}
    assert all(set(r["missing"]) <= {"pairing", "station"} and r["missing"] for r in strict)
    xlsx = tmp_path / "gaps.xlsx"
    result = run(seed_db, "gaps", "--asof", ASOF, "--county", county, "-o", str(xlsx))
    assert result.exit_code == 0, result.output
    ws = load_workbook(xlsx).active
    assert ws is not None
    assert ws["A1"].value == f"后进村帮扶缺口名单（截至 {ASOF}；县：{county}）"
    assert ws["A2"].value == "村编号" and ws.max_row == 2 + len(some)
    csv_path = tmp_path / "gaps.csv"
    assert run(seed_db, "gaps", "--asof", ASOF, "--lang", "en", "--format", "csv", "-o", str(csv_path)).exit_code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfVillage ID,Village,City,County")
    table = run(seed_db, "gaps", "--asof", ASOF)
    assert table.exit_code == 0 and "村编号" in table.stdout and f"({len(rows)} rows)" in table.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["coverage", "--by", "township"],
        ["inactive"],
        ["expiring", "--days", "120"],
        ["unit-load"],
        ["org-setting"],
        ["support", "--policy", "pairing"],
        # The older names still work.
        ["load-report"],
        ["org-audit"],
    ],
)
def test_every_command_writes_xlsx_and_table(seed_db: Path, tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "report.xlsx"
    args = [*command, "--asof", ASOF] if command[0] not in ("org-setting", "org-audit") else command
    result = run(seed_db, *args, "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws is not None and ws.freeze_panes == "A3" and ws["A1"].value
    table = run(seed_db, *args, "--lang", "en")
    assert table.exit_code == 0, table.output
    # The table on the terminal says what the workbook says: its title, and as many rows as below its header.
    lines = table.stdout.splitlines()
    assert lines[0] == ws["A1"].value and lines[-1] == f"({ws.max_row - 2} rows)"


def test_errors_are_messages(any_location: Callable[..., str]) -> None:
    db = any_location()
    bad = run(db, "gaps", "--policy", "pairs")
    assert bad.exit_code == 1 and "unknown support kind 'pairs'" in bad.stderr
    no_file = run(db, "gaps", "--format", "xlsx")
    assert no_file.exit_code == 2 and "needs -o" in no_file.stderr
    empty = run(db, "gaps", "--format", "json")
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []


def test_small_graph_without_seed(any_location: Callable[..., str]) -> None:
    d = Dataset()
    d.nodes["Village"] = [
        {"id": "w1", "name": "=cmd", "county": "甲县", "township": "一镇", "tier": "weak", "weak_reasons": ["venue"]}
    ]
    db = any_location(d)
    rows = as_json(run(db, "gaps", "--format", "json", "--asof", ASOF))
    assert rows[0]["village"] == "=cmd" and rows[0]["weak_reasons"] == ["venue"]
    csv_text = run(db, "gaps", "--format", "csv", "--asof", ASOF).stdout
    assert "'=cmd" in csv_text and "无活动场所" in csv_text


# Every list command under its filters' defaults, and those the tests above choose.
LISTS = [
    *([g.cli_name, "--asof", ASOF] if g.dated else [g.cli_name] for g in GAP_LISTS),
    ["gaps", "--asof", ASOF, "--policy", "pairing,station"],
    ["coverage", "--asof", ASOF, "--by", "township"],
    ["expiring", "--asof", ASOF, "--days", "120"],
    ["unit-load", "--asof", ASOF, "--status", "idle"],
    ["rates", "--by", "township"],
    # 三张清单's lists, the activity ledger and the counts: read commands of the same store.
    ["needs"],
    ["resources"],
    ["projects"],
    ["activity", "list"],
    ["stats"],
]


@pytest.mark.neo4j
def test_the_seed_loaded_on_neo4j_gives_ladybugs_output_byte_for_byte(neo4j_store: GraphStore, tmp_path: Path) -> None:
    """Issue #14's must-show: `pairing --db bolt://... load seed/` then `gaps --format json` prints what the same
    two commands print on a Ladybug file; so does every other list command, in every format."""
    server, file = neo4j_store.location, str(tmp_path / "seed.lbug")
    for db in (server, file):
        invoke("--db", db, "load", str(SEED))
    # The must-show as written: no --asof, so today's list on both (the two runs are seconds apart).
    got, want = invoke("--db", server, "gaps", "--format", "json"), invoke("--db", file, "gaps", "--format", "json")
    assert got.stdout_bytes == want.stdout_bytes and json.loads(want.stdout)
    for command in LISTS:
        got, want = (
            invoke("--db", server, *command, "--format", "json"),
            invoke("--db", file, *command, "--format", "json"),
        )
        # Each has rows on the seed: the comparison is not of empty lists.
        assert got.stdout_bytes == want.stdout_bytes and json.loads(want.stdout), command
    # The other formats of the must-show's list: a table in either language, CSV on stdout and to a file, XLSX.
    gaps = ["gaps", "--asof", ASOF]
    for args in ([], ["--lang", "en"], ["--format", "csv"], ["--format", "csv", "--lang", "en"]):
        assert invoke("--db", server, *gaps, *args).stdout_bytes == invoke("--db", file, *gaps, *args).stdout_bytes, (
            args
        )
    files = {db: tmp_path / f"gaps{i}" for i, db in enumerate((server, file))}
    for db, stem in files.items():
        invoke("--db", db, *gaps, "-o", f"{stem}.csv")
        invoke("--db", db, *gaps, "-o", f"{stem}.xlsx")
    one, two = files.values()
    assert one.with_suffix(".csv").read_bytes() == two.with_suffix(".csv").read_bytes()
    # An XLSX file carries the time it was written: the cells are compared, not the bytes.
    sheets = [load_workbook(stem.with_suffix(".xlsx")).active for stem in (one, two)]
    assert sheets[0] is not None and sheets[1] is not None
    assert list(sheets[0].iter_rows(values_only=True)) == list(sheets[1].iter_rows(values_only=True))
    assert sheets[1].max_row > 2
