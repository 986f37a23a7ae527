"""Data loss by replace (security issue, hole 3): an empty ledger, a much smaller ledger, no way back.

Each test fails on the code before the fix: an empty ledger validated with "no problems" and
`load --replace` with it deleted every node (exit 0); a ledger of a few villages replaced a whole
store without a word; and nothing kept what a replace had deleted.
"""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import openpyxl
import pytest

from graph import audit, backup, interchange, ledger
from graph.dataset import Dataset
from graph.errors import ValidationError
from graph.store import LadybugStore
from tests.fixtures import SEED, invoke, seed_dataset, store_file, zip_bytes

SHAPES = ["zip-with-readme", "empty-xlsx", "empty-folder", "header-only-csv"]


def _headers_only() -> dict[str, str]:
    """Every seed file with its header row and nothing else."""
    return {f.name: f.read_text(encoding="utf-8-sig").splitlines()[0] + "\n" for f in sorted(SEED.glob("*.csv"))}


def _empty_xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _empty_ledger(shape: str, tmp: Path) -> Path:
    if shape == "zip-with-readme":
        path = tmp / "ledger.zip"
        path.write_bytes(zip_bytes({"readme.txt": "台账说明\n"}))
    elif shape == "empty-xlsx":
        path = tmp / "ledger.xlsx"
        path.write_bytes(_empty_xlsx())
    elif shape == "empty-folder":
        path = tmp / "ledger"
        path.mkdir()
    else:
        path = tmp / "ledger"
        path.mkdir()
        for name, text in _headers_only().items():
            (path / name).write_text(text, encoding="utf-8")
    return path


def _stats(db: str) -> str:
    return invoke("--db", db, "stats", "--format", "json").output


def _small_ledger(tmp: Path, villages: int = 20) -> Path:
    """The seed's first villages and nothing else: a plausible ledger, far smaller than the store."""
    data = Dataset()
    data.nodes["Village"] = seed_dataset().nodes["Village"][:villages]
    folder = tmp / "small"
    interchange.write_folder(data, folder)
    return folder


# ---------------------------------------------------------------- an empty ledger


@pytest.mark.parametrize("shape", SHAPES)
def test_cli_refuses_an_empty_ledger_and_changes_nothing(tmp_path: Path, shape: str) -> None:
    db = store_file(tmp_path / "x.lbug", "seed")
    before = _stats(db)
    path = _empty_ledger(shape, tmp_path)
    for args in (["validate", str(path)], ["load", str(path)], ["load", "--replace", str(path)]):
        result = invoke("--db", db, *args, code=2)
        assert path.name in result.output and "no rows in any table" in result.output, result.output
    assert _stats(db) == before
    assert not backup.backups_dir(db).exists()  # refused before anything, a backup included


@pytest.mark.parametrize("shape", SHAPES)
def test_core_refuses_an_empty_ledger(make_store, tmp_path: Path, shape: str) -> None:
    store = make_store("seed")
    before = store.dump()
    path = _empty_ledger(shape, tmp_path)
    with pytest.raises(ValidationError) as caught:
        ledger.load(store, path, replace=True, allow_shrink=True)
    assert [p.file for p in caught.value.problems] == [path.name]
    assert store.dump() == before


# ---------------------------------------------------------------- a much smaller ledger


def test_cli_shrinking_replace_needs_yes_shrink_and_says_what_goes(tmp_path: Path) -> None:
    db = store_file(tmp_path / "x.lbug", "seed")
    before = _stats(db)
    small = _small_ledger(tmp_path)
    result = invoke("--db", db, "load", "--replace", str(small), code=1)
    out = result.output
    assert "--yes-shrink" in out and "nothing was changed" in out
    assert "Village: 307 of 327 removed, 20 after" in out
    assert "PAIRED_WITH: 189 of 189 removed" in out
    first = min(seed_dataset().nodes["Village"][20:], key=lambda r: r["id"])  # the preview names them by id
    assert f"{first['id']} {first['name']}" in out and "more" in out
    assert _stats(db) == before
    assert not backup.backups_dir(db).exists()
    # The dry run shows the same without changing anything.
    assert "Village: 307 of 327 removed" in invoke("--db", db, "load", "--replace", "--dry-run", str(small)).output
    assert _stats(db) == before
    invoke("--db", db, "load", "--replace", "--yes-shrink", str(small))
    assert json.loads(_stats(db)) == [{"name": k, "count": v} for k, v in interchange.read(small).counts().items()]


def test_shrink_rule_threshold() -> None:
    counts = {"Village": 100, "PAIRED_WITH": 10}
    keeps_half = ledger.Removal(counts, {"Village": 50, "PAIRED_WITH": 10}, {"Village": 50}, [])
    assert not keeps_half.shrinks
    below_half = ledger.Removal(counts, {"Village": 49, "PAIRED_WITH": 10}, {"Village": 51}, [])
    assert below_half.shrinking == ["Village"]
    links_gone = ledger.Removal(counts, {"Village": 100}, {"PAIRED_WITH": 10}, [])
    assert links_gone.shrinking == ["PAIRED_WITH"]
    assert not ledger.Removal({"Village": 0}, {"Village": 5}, {}, []).shrinks  # an empty store never shrinks


def test_removal_counts_nodes_by_id_and_links_by_key(make_store) -> None:
    store = make_store("seed")
    data = seed_dataset()
    gone = data.nodes["Village"].pop()
    data.links["PAIRED_WITH"] = [r for r in data.links["PAIRED_WITH"] if r["dst"] != gone["id"]]
    data.links["LEADS"] = [r for r in data.links["LEADS"] if gone["id"] not in (r["src"], r["dst"])]
    data.links["FUSED_WITH"] = [r for r in data.links["FUSED_WITH"] if r["dst"] != gone["id"]]
    data.links["STATIONED_IN"] = [r for r in data.links["STATIONED_IN"] if r["dst"] != gone["id"]]
    removal = ledger.removal(store, data)
    assert removal.villages == [(gone["id"], gone["name"])]
    assert removal.removed["Village"] == 1 and removal.removed["Cadre"] == 0
    full = seed_dataset().counts()
    assert removal.removed["PAIRED_WITH"] == full["PAIRED_WITH"] - len(data.links["PAIRED_WITH"])
    assert not removal.shrinks


# ---------------------------------------------------------------- the automatic backup


def test_replace_keeps_a_private_backup_that_lists_and_restores(tmp_path: Path) -> None:
    db = store_file(tmp_path / "x.lbug", "seed")
    with LadybugStore(db) as store:
        graph_before = store.dump()
    out = invoke("--db", db, "--user", "bob", "load", "--replace", "--yes-shrink", str(_small_ledger(tmp_path))).output
    folder = backup.backups_dir(db)
    files = sorted(folder.glob("*.lbug"))
    assert len(files) == 1 and str(files[0]) in out
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in folder.iterdir())
    listing = json.loads(invoke("--db", db, "backups", "--format", "json").output)
    assert [(r["name"], r["reason"], r["ledger"], r["actor"], r["villages"]) for r in listing] == [
        (files[0].name, "replace", "small", "bob", 327)
    ]
    assert listing[0]["size"] == files[0].stat().st_size
    assert "pairing restore" in invoke("backups", "--help").output
    invoke("--db", db, "--user", "carol", "restore", "--yes", listing[0]["path"])
    with LadybugStore(db) as store:
        assert store.dump() == graph_before
        assert [(e.actor, e.action) for e in audit.entries(store)][-1] == ("carol", "restore")


def test_replace_of_an_empty_store_keeps_no_backup_and_no_backup_skips_it(tmp_path: Path) -> None:
    db = store_file(tmp_path / "x.lbug")
    invoke("--db", db, "load", "--replace", str(SEED))
    assert backup.list_backups(db) == []
    invoke("--db", db, "load", "--replace", "--no-backup", str(SEED))
    assert backup.list_backups(db) == []
    invoke("--db", db, "load", "--replace", str(SEED))
    assert len(backup.list_backups(db)) == 1
    assert "no automatic backups" in invoke("--db", str(tmp_path / "other.lbug"), "backups").output
