"""Fuzzing the whole import into a real store: every bad ledger gets a clear error and changes nothing;
every good one is imported completely and as written."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import interchange, ledger
from graph.dataset import Dataset
from graph.errors import PairingError
from graph.store import GraphStore, LadybugStore
from tests.fixtures import assert_same_graph, village

HEADERS = {
    "villages.csv": ["编号", "村名", "所属县", "所属乡镇", "类别", "后进原因", "党员数"],
    "communities.csv": ["编号", "社区名称", "所属县", "可结对数"],
    "pairings.csv": ["结对单位", "结对村", "开始日期", "结束日期", "结对方式"],
}


def base_tables() -> dict[str, list[list[str]]]:
    return {
        "villages.csv": [
            ["FV1", "东岗村", "青山县", "东镇", "后进村", "经济薄弱", "23"],
            ["FV2", "西岭村", "青山县", "西镇", "强村", "", "88"],
            ["FV3", "南坡村", "青山县", "西镇", "一般村", "", "41"],
        ],
        "communities.csv": [["FC1", "和平社区", "青山县", "3"]],
        "pairings.csv": [
            ["FC1", "FV1", "2024/3/1", "", "组织定对"],
            ["和平社区", "南坡村", "2023年5月6日", "", "自由结对"],
        ],
    }


Tables = dict[str, list[list[str]]]
# A mutation takes the tables and a random draw; what it does is what a hand-kept ledger gets wrong.
Mutation = Callable[[Tables, int], None]
BASE_ROWS = {name: len(rows) for name, rows in base_tables().items()}


def _set_cell(table: str, column: str, *values: str) -> Mutation:
    """Writes one of `values` into `column` of a row of `table`, both picked by the draw."""
    index = HEADERS[table].index(column)

    def mutate(t: Tables, n: int) -> None:
        # A base row, whatever rows other mutations appended: a draw picks the same row in any mix.
        t[table][n % BASE_ROWS[table]][index] = values[n % len(values)]

    return mutate


def _duplicate_id(t: Tables, n: int) -> None:
    t["villages.csv"].append(list(t["villages.csv"][n % BASE_ROWS["villages.csv"]]))


def _dangling_reference(t: Tables, n: int) -> None:
    t["pairings.csv"].append(["FC1", f"无此村{n}", "2024-01-01", "", ""])


# Hostile text in any cell of any file: what an attacker, not a clerk, would write.
HOSTILE = [
    "'}) MATCH (n) DETACH DELETE n //",
    '" OR 1=1 //',
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '=HYPERLINK("http://example.invalid","x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-1",
    "nul\x00byte",
    "\x1b[31mred",
    "\u202eevil",
    "村" * 12_000,
    "x" * 200_000,
    "1" * 40,
    "-0",
    "1e308",
    "９９９９９９９９９９９９９９９９９９９９",
]


def _hostile_anywhere(t: Tables, n: int) -> None:
    name = sorted(t)[n % len(t)]
    row = t[name][n % BASE_ROWS[name]]
    row[(n // 3) % len(row)] = HOSTILE[n % len(HOSTILE)]


def _hostile_row(t: Tables, n: int) -> None:
    """Every cell of one row hostile (Cypher in every field, formulas in every field, ...)."""
    name = sorted(t)[n % len(t)]
    t[name][n % BASE_ROWS[name]] = [HOSTILE[n % len(HOSTILE)]] * len(HEADERS[name])


MUTATIONS: dict[str, Mutation] = {
    "huge_cell": _set_cell("villages.csv", "村名", "村" * 12_000),
    "formula_name": _set_cell("villages.csv", "村名", '=HYPERLINK("http://example.invalid","点我")'),
    "duplicate_id": _duplicate_id,
    "dangling_reference": _dangling_reference,
    "date_out_of_range": _set_cell("pairings.csv", "开始日期", "1900-01-01", "2200-12-31", "2024-02-30", "昨天"),
    "reversed_dates": _set_cell("pairings.csv", "结束日期", "2001-01-01"),
    "bad_choice": _set_cell("villages.csv", "类别", "差村"),
    "bad_number": _set_cell("villages.csv", "党员数", "三十", "-5", "1e400", "4.5"),
    "cypher_in_name": _set_cell("villages.csv", "村名", "'}) MATCH (n) DETACH DELETE n //"),
    "fullwidth_and_spaces": _set_cell("villages.csv", "党员数", " ２３ "),
    "hostile_anywhere": _hostile_anywhere,
    "hostile_row": _hostile_row,
    "html_name": _set_cell("villages.csv", "村名", "<script>alert(1)</script>", "<b>东岗村</b>", "a&amp;b"),
}
FILE_MUTATIONS = ("gbk", "big5", "utf-16", "drop_column", "extra_column", "garbage_bytes", "missing_file")
# CI runs a quick sample; `make fuzz` a nightly-size run (PAIRING_FUZZ_EXAMPLES=1000).
EXAMPLES = int(os.environ.get("PAIRING_FUZZ_EXAMPLES", "120"))


def write(folder: Path, tables: Tables, file_mutations: list[tuple[str, str, int]]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, rows in tables.items():
        header = list(HEADERS[name])
        body = [list(r) for r in rows]
        encoding = "utf-8-sig"
        raw_tail = b""
        for kind, target, n in file_mutations:
            if target != name:
                continue
            if kind in ("gbk", "big5", "utf-16"):
                encoding = kind
            elif kind == "drop_column":
                i = n % len(header)
                del header[i]
                for r in body:
                    del r[i]
            elif kind == "extra_column":
                header.append(["备注", "乱码列", "x"][n % 3])
                for r in body:
                    r.append("附加")
            elif kind == "garbage_bytes":
                raw_tail = bytes((n * 37 + i) % 256 for i in range(40))
        if any(kind == "missing_file" and target == name for kind, target, _ in file_mutations):
            continue
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, *body])
        (folder / name).write_bytes(text.getvalue().encode(encoding, errors="replace") + raw_tail)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = LadybugStore(tmp_path_factory.mktemp("fuzz") / "fuzz.lbug")
    yield store
    store.close()


def _existing() -> Dataset:
    data = Dataset()
    data.nodes["Village"] = [village("OLD1", "旧村", county="青山县", tier="weak")]
    return data


@pytest.mark.slow  # ~10 s: 120 ledgers, each imported into a real store (`make fuzz`: 1,000)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mutations=st.lists(st.tuples(st.sampled_from(sorted(MUTATIONS)), st.integers(0, 100)), max_size=3),
    file_mutations=st.lists(
        st.tuples(st.sampled_from(FILE_MUTATIONS), st.sampled_from(sorted(HEADERS)), st.integers(0, 100)), max_size=2
    ),
)
def test_an_import_is_whole_or_refused_with_a_clear_error(
    fuzz_store: GraphStore, tmp_path_factory: pytest.TempPathFactory, mutations, file_mutations
) -> None:
    fuzz_store.load(_existing(), replace=True)
    before = fuzz_store.dump()
    tables = base_tables()
    for name, n in mutations:
        MUTATIONS[name](tables, n)
    folder = tmp_path_factory.getbasetemp() / "ledger"
    write(folder, tables, file_mutations)
    upload = io.BytesIO()  # the same ledger as an upload on the data page: a ZIP of the files
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    try:
        expected = interchange.read(folder, ledger.known_nodes(fuzz_store))
    except PairingError as exc:
        assert str(exc).strip()
        with pytest.raises(PairingError):
            interchange.read_bytes(upload.getvalue(), "ledger.zip", ledger.known_nodes(fuzz_store))
        with pytest.raises(PairingError):
            ledger.load(fuzz_store, folder, actor="fuzz")
        assert fuzz_store.dump() == before, "a refused import changed the store"
        return
    assert interchange.read_bytes(upload.getvalue(), "ledger.zip", ledger.known_nodes(fuzz_store)) == expected
    ledger.load(fuzz_store, folder, actor="fuzz")
    after = fuzz_store.dump()
    stored = {r["id"]: r for r in after.nodes["Village"]}
    assert "OLD1" in stored
    for row in expected.nodes["Village"]:
        assert stored[row["id"]]["name"] == row["name"]  # names are data: formulas and Cypher stay text
    # The store holds what was there and exactly what the ledger says: every node, every link's ends
    # and every property (dates, numbers, lists, nulls) as the reader parsed them.
    want = _existing()
    for label, rows in expected.nodes.items():
        ids = {r["id"] for r in rows}
        want.nodes[label] = [r for r in want.nodes[label] if r["id"] not in ids] + rows
    want.links = expected.links
    assert_same_graph(after, want)


def test_the_fuzzer_reaches_both_outcomes(tmp_path: Path) -> None:
    """The mutations are not all fatal: some ledgers must still import (else the property above is hollow)."""
    good, bad = tmp_path / "good", tmp_path / "bad"
    tables = base_tables()
    for name in ("formula_name", "cypher_in_name", "fullwidth_and_spaces"):
        MUTATIONS[name](tables, 0)
    write(good, tables, [("extra_column", "villages.csv", 0), ("gbk", "pairings.csv", 0)])
    data = interchange.read(good)
    assert {r["name"] for r in data.nodes["Village"]} >= {"'}) MATCH (n) DETACH DELETE n //"}
    tables = base_tables()
    _dangling_reference(tables, 1)
    write(bad, tables, [])
    with pytest.raises(PairingError, match="无此村1"):
        interchange.read(bad)
