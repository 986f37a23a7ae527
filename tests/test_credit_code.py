"""`Enterprise.credit_code` (统一社会信用代码) was added as one edit in graph/model.py plus regenerated queries.

These tests follow the property through every layer that the model drives: the importer's header
alias, the store's load, the export, the explorer's details and the schema of both engines.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from graph import explore, interchange, schema
from graph.model import NODE_BY_LABEL
from graph.store import GraphStore

SEED = Path(__file__).resolve().parent.parent / "seed"


def _ledger_with_codes(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "ledger"
    shutil.copytree(SEED, folder, ignore=shutil.ignore_patterns("*.py", "*.md", "*.json"))
    path = folder / "enterprises.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    # The seed writes the English header with empty cells; a county writes the Chinese one, filled.
    column = rows[0].index("credit_code")
    rows[0][column] = "统一社会信用代码"
    codes = {}
    for i, row in enumerate(rows[1:]):
        codes[row[0]] = row[column] = f"91420115MA4K{i:06d}"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder, codes


def test_the_chinese_header_is_read_stored_exported_and_shown(make_store, tmp_path: Path) -> None:
    folder, codes = _ledger_with_codes(tmp_path)
    store: GraphStore = make_store(interchange.read(folder))
    exported = {row["id"]: row["credit_code"] for row in store.dump().nodes["Enterprise"]}
    assert exported == codes
    some_id = sorted(codes)[0]
    node = explore.node(store, some_id)
    assert node is not None
    assert explore.details(store, node)["credit_code"] == codes[some_id]


def test_both_engines_schemas_know_it() -> None:
    assert "credit_code" in {p.name for p in NODE_BY_LABEL["Enterprise"].stored}
    ddl = next(s for s in schema.ladybug_ddl() if "TABLE IF NOT EXISTS Enterprise(" in s)
    assert "credit_code STRING" in ddl
