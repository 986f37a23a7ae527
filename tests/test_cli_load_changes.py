"""`pairing load`: the change preview (--dry-run), newer hand edits (--overwrite-newer), --replace-county, in-process.

The scene of issue 12: an export is taken, a planner edits a pairing by hand, and the older export is
loaded again. It used to revert the edit silently and say "no change"; now the dry run lists the edit
as a change that would be reverted, the load refuses without --overwrite-newer, and the import's audit
entry holds the row's before and after.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph import activities, audit, claims, interchange, ledger, writes
from graph.dataset import Dataset
from graph.interchange import Reading, Report
from graph.model import UNIT_LABELS
from graph.store import open_store
from tests.fixtures import invoke, village

ALICE, BOB = "规划员甲", "规划员乙"


def _old_export(db: str, tmp: Path) -> Path:
    """The store exported, with the files' time a minute back: a ledger older than what follows."""
    folder = tmp / "export"
    invoke("--db", db, "export", str(folder))
    past = time.time() - 60
    for f in folder.iterdir():
        os.utime(f, (past, past))
    return folder


def _hand_edits(db: str) -> tuple[dict[str, Any], tuple[str, str]]:
    """Alice changes a pairing's funds, Bob pairs a weak village anew: both through graph.writes, audited."""
    with open_store(db) as store:
        data = store.dump()
        pairing = data.links["PAIRED_WITH"][0]
        writes.update_link(store, "pairing", pairing["src"], pairing["dst"], pairing["since"], funds=77.25, actor=ALICE)
        unit = data.nodes["Organisation"][0]["id"]
        weak = next(r["id"] for r in data.nodes["Village"] if r["tier"] == "weak")
        writes.create_link(store, "pairing", unit, weak, "2026-02-01", actor=BOB, funds=3.0)
    return pairing, (unit, weak)


def _funds(db: str, pairing: dict[str, Any]) -> float:
    with open_store(db) as store:
        return float(
            next(
                r["funds"]
                for r in store.dump().links["PAIRED_WITH"]
                if (r["src"], r["dst"], r["since"]) == (pairing["src"], pairing["dst"], pairing["since"])
            )
        )


def test_an_older_export_after_a_hand_edit_lists_the_reverted_edit_and_refuses(
    tmp_path: Path, any_location: Callable[..., str]
) -> None:
    db = any_location("seed")
    folder = _old_export(db, tmp_path)
    pairing, _created = _hand_edits(db)
    old = pairing["funds"]

    dry = invoke("--db", db, "load", "--dry-run", str(folder)).output
    assert "PAIRED_WITH: 0 added, 1 changed, 188 unchanged" in dry  # Bob's new pairing is not in it: kept
    assert f"funds: 77.25 → {old}" in dry
    assert f"set by {ALICE} (pairing.update)" in dry and "--overwrite-newer" in dry
    assert "Village: 0 added, 0 changed, 327 unchanged" in dry and "no change" not in dry

    refused = invoke("--db", db, "load", str(folder), code=1).output
    assert "--overwrite-newer" in refused and f"funds: 77.25 → {old}" in refused and ALICE in refused
    assert _funds(db, pairing) == 77.25  # nothing was changed

    data = json.loads(invoke("--db", db, "load", "--dry-run", "--format", "json", str(folder)).output)
    assert data["no_change"] is False
    assert [(e["actor"], e["property"], e["store"], e["ledger"]) for e in data["newer_edits"]] == [
        (ALICE, "funds", 77.25, old)
    ]
    row = [pairing["src"], pairing["dst"], pairing["since"].isoformat()]
    assert data["changes"]["PAIRED_WITH"]["changed_rows"] == [{"row": row, "props": {"funds": [77.25, old]}}]

    done = invoke("--db", db, "--user", "admin", "load", "--overwrite-newer", str(folder)).output
    assert "PAIRED_WITH 1 changed" in done and "no change" not in done and ALICE in done
    assert _funds(db, pairing) == old
    with open_store(db) as store:
        entry = audit.entries(store, action="import")[-1]
    assert entry.actor == "admin" and entry.after is not None
    assert entry.after["changes"] == {
        "PAIRED_WITH": {
            "added": 0,
            "changed": 1,
            "unchanged": 188,
            "removed": 0,
            "kept": 1,
            "added_rows": [],
            "removed_rows": [],
            "changed_rows": [{"row": row, "props": {"funds": [77.25, old]}}],
        }
    }
    assert [(o["actor"], o["property"]) for o in entry.after["overwritten"]] == [(ALICE, "funds")]
    # Loaded again, the same export changes nothing, and says so.
    assert "no change" in invoke("--db", db, "load", str(folder)).output


def test_a_replace_lists_a_hand_made_link_it_would_remove(tmp_path: Path, any_location: Callable[..., str]) -> None:
    db = any_location("seed")
    folder = _old_export(db, tmp_path)
    _pairing, (unit, weak) = _hand_edits(db)
    dry = invoke("--db", db, "load", "--replace", "--dry-run", str(folder)).output
    assert "PAIRED_WITH: 0 added, 1 changed, 188 unchanged, 1 removed" in dry
    assert f"({unit}) → " in dry and f"({weak}) [2026-02-01]: removed; added or changed by {BOB}" in dry
    out = invoke("--db", db, "load", "--replace", str(folder), code=1).output
    assert BOB in out and "removed" in out
    invoke("--db", db, "load", "--replace", "--overwrite-newer", str(folder))
    with open_store(db) as store:
        assert not [r for r in store.dump().links["PAIRED_WITH"] if (r["src"], r["dst"]) == (unit, weak)]


def test_a_changed_value_is_never_no_change(tmp_path: Path, any_location: Callable[..., str]) -> None:
    db = any_location("seed")
    with open_store(db) as store:
        data = store.dump()
    data.nodes["Village"][0]["population"] = (data.nodes["Village"][0]["population"] or 0) + 1
    folder = tmp_path / "edited"
    interchange.write_folder(data, folder)
    out = invoke("--db", db, "load", str(folder)).output
    assert "Village 1 changed" in out and "no change" not in out


def test_the_ledger_date_is_its_filled_on_day_else_the_file_time(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"")
    past = time.time() - 3600
    os.utime(path, (past, past))
    dated = Reading(Dataset(), [], 0, Report(metadata={"filled_on": "2026-01-08"}))
    assert ledger.ledger_time(dated, path) == dt.datetime(2026, 1, 8, tzinfo=ledger.LEDGER_ZONE)
    undated = Reading(Dataset(), [], 0, Report())
    assert ledger.ledger_time(undated, path) == dt.datetime.fromtimestamp(past, dt.UTC)
    assert ledger.ledger_time(undated, path, file_time=False) is None


# ---------------------------------------------------------------- one county at a time


def _county_ledger(data: Dataset, county: str) -> Dataset:
    """The county's part of the store as its monthly ledger would hold it."""
    out = Dataset()
    villages = {r["id"] for r in data.nodes["Village"] if r["county"] == county}
    for label in ("Village", "CityCommunity", "Enterprise", "Organisation"):
        out.nodes[label] = [dict(r) for r in data.nodes[label] if r.get("county") == county]
    for rel in ("PAIRED_WITH", "LEADS", "FUSED_WITH", "STATIONED_IN"):
        out.links[rel] = [dict(r) for r in data.links[rel] if r["dst"] in villages]
    elsewhere = {r["src"] for r in data.links["STATIONED_IN"] if r["dst"] not in villages}
    cadres = {r["src"] for r in out.links["STATIONED_IN"]} - elsewhere
    out.nodes["Cadre"] = [dict(r) for r in data.nodes["Cadre"] if r["id"] in cadres]
    out.links["STATIONED_IN"] = [r for r in out.links["STATIONED_IN"] if r["src"] in cadres]
    out.links["SENT_BY"] = [dict(r) for r in data.links["SENT_BY"] if r["src"] in cadres]
    # Its 三张清单 and 实事项目台账: its villages' needs and their claims, its units' resources, its activities.
    units = {r["id"] for label in UNIT_LABELS for r in out.nodes[label]}
    out.links["NEED_OF"] = [dict(r) for r in data.links["NEED_OF"] if r["dst"] in villages]
    out.links["OFFERED_BY"] = [dict(r) for r in data.links["OFFERED_BY"] if r["dst"] in units]
    needs = {r["src"] for r in out.links["NEED_OF"]}
    resources = {r["src"] for r in out.links["OFFERED_BY"]}
    out.nodes["Need"] = [dict(r) for r in data.nodes["Need"] if r["id"] in needs]
    out.nodes["Resource"] = [dict(r) for r in data.nodes["Resource"] if r["id"] in resources]
    out.links["CLAIMED"] = [dict(r) for r in data.links["CLAIMED"] if r["dst"] in needs and r["src"] in units]
    out.links["ACTIVITY"] = [dict(r) for r in data.links["ACTIVITY"] if r["dst"] in villages]
    return out


def _drop_villages(data: Dataset, ids: set[str]) -> None:
    data.nodes["Village"] = [r for r in data.nodes["Village"] if r["id"] not in ids]
    # A village's needs go with it, and the claims of them.
    ids = ids | {r["src"] for r in data.links["NEED_OF"] if r["dst"] in ids}
    data.nodes["Need"] = [r for r in data.nodes["Need"] if r["id"] not in ids]
    for rel, rows in data.links.items():
        data.links[rel] = [r for r in rows if not {r["src"], r["dst"]} & ids]


def _csv_rows(folder: Path) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Each exported file's data lines, as written (bytes for bytes) and as read."""
    out = {}
    for f in sorted(folder.glob("*.csv")):
        text = f.read_bytes().decode("utf-8-sig")
        lines = text.splitlines()
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(lines) - 1, f  # one line a row: no value spans lines in these files
        out[f.stem] = list(zip(lines[1:], rows, strict=True))
    return out


def _other_counties(export: dict[str, list[tuple[str, dict[str, str]]]], county: str) -> dict[str, list[str]]:
    """The lines of every other county: its nodes, the links reaching its villages, its cadres."""
    village_county = {row["id"]: row["county"] for _line, row in export["villages"]}
    stationed = {row["cadre"]: village_county[row["village"]] for _line, row in export["stations"]}
    unit_county = {
        row["id"]: row["county"] for f in ("communities", "enterprises", "organisations") for _, row in export[f]
    }
    need_county = {row["id"]: village_county[row["village"]] for _line, row in export["needs"]}
    out: dict[str, list[str]] = {}
    for name, rows in export.items():
        if name == "cadres":
            out[name] = [line for line, row in rows if stationed.get(row["id"]) not in (county, None)]
        elif name in ("pairings", "leads", "fusions", "stations", "activities", "needs"):
            out[name] = [line for line, row in rows if village_county[row["village"]] != county]
        elif name == "resources":
            out[name] = [line for line, row in rows if unit_county[row["unit"]] != county]
        elif name == "projects":
            out[name] = [line for line, row in rows if need_county[row["need"]] != county]
        else:
            out[name] = [line for line, row in rows if row["county"] != county]
    return out


def test_replace_county_leaves_every_other_county_byte_for_byte(
    tmp_path: Path, any_location: Callable[..., str]
) -> None:
    db = any_location("seed")
    with open_store(db) as store:
        data = store.dump()
    counties = sorted({r["county"] for r in data.nodes["Village"]})
    county = counties[0]
    before_export = tmp_path / "before"
    invoke("--db", db, "export", str(before_export))
    before = _csv_rows(before_export)

    resubmitted = _county_ledger(data, county)
    gone = {r["id"] for r in resubmitted.nodes["Village"][:3]}
    _drop_villages(resubmitted, gone)
    resubmitted.nodes["Village"][0]["population"] = 4321
    resubmitted.nodes["Village"].append(village("VNEW1", "新立村", county=county, township="东镇", tier="weak"))
    folder = tmp_path / "county"
    interchange.write_folder(resubmitted, folder)

    dry = invoke("--db", db, "load", "--replace-county", county, "--dry-run", str(folder)).output
    assert f"replacing county {county}" in dry and "Village: 1 added, 1 changed" in dry and "3 removed" in dry
    out = invoke("--db", db, "load", "--replace-county", county, str(folder)).output
    assert "Village 1 added, 1 changed, 3 removed" in out and "saved in" in out

    after_export = tmp_path / "after"
    invoke("--db", db, "export", str(after_export))
    after = _csv_rows(after_export)
    assert _other_counties(after, county) == _other_counties(before, county)
    with open_store(db) as store:
        now = store.dump()
        mine = {r["id"]: r for r in now.nodes["Village"] if r["county"] == county}
        assert set(mine) == {r["id"] for r in resubmitted.nodes["Village"]}
        assert mine[resubmitted.nodes["Village"][0]["id"]]["population"] == 4321
        assert not [r for r in now.links["PAIRED_WITH"] if r["dst"] in gone]
        entry = audit.entries(store, action="import")[-1]
        assert entry.before is not None and entry.before["county"] == county
        assert entry.after is not None and sorted(
            k[0] for k in entry.after["changes"]["Village"]["removed_rows"]
        ) == sorted(gone)


def test_replace_county_refuses_another_countys_rows_and_a_shrink(
    tmp_path: Path, any_location: Callable[..., str]
) -> None:
    db = any_location("seed")
    with open_store(db) as store:
        data = store.dump()
    counties = sorted({r["county"] for r in data.nodes["Village"]})
    mixed = _county_ledger(data, counties[0])
    stranger = next(r for r in data.nodes["Village"] if r["county"] == counties[1])
    mixed.nodes["Village"].append(dict(stranger))
    folder = tmp_path / "mixed"
    interchange.write_folder(mixed, folder)
    out = invoke("--db", db, "load", "--replace-county", counties[0], str(folder), code=2).output
    assert stranger["id"] in out and f"of county {counties[1]}, not {counties[0]}" in out

    small = _county_ledger(data, counties[0])
    _drop_villages(small, {r["id"] for r in small.nodes["Village"][1:]})
    folder = tmp_path / "small"
    interchange.write_folder(small, folder)
    with open_store(db) as store:
        before = store.dump()
    out = invoke("--db", db, "load", "--replace-county", counties[0], str(folder), code=1).output
    assert "--yes-shrink" in out and "nothing was changed" in out
    with open_store(db) as store:
        assert store.dump() == before
    assert (
        "--replace and --replace-county"
        in invoke("--db", db, "load", "--replace", "--replace-county", counties[0], str(folder), code=2).output
    )


def test_an_older_export_over_newer_programme_edits_names_each_and_refuses(
    tmp_path: Path, any_location: Callable[..., str]
) -> None:
    # The programme's records are kept day by day too: a project marked done, a need withdrawn and an
    # activity corrected after the export are named, and the old export does not put them back unasked.
    db = any_location("seed")
    folder = _old_export(db, tmp_path)
    with open_store(db) as store:
        data = store.dump()
        project = next(p for p in data.links["CLAIMED"] if p["status"] == "ongoing")
        claims.set_project(store, project["src"], project["dst"], status="done", done="2026-11-20", actor=ALICE)
        need = next(n for n in data.nodes["Need"] if n["status"] == "open")
        claims.withdraw_need(store, need["id"], actor=BOB)
        done = next(a for a in data.links["ACTIVITY"] if a["status"] == "done" and a["funds"] is not None)
        activities.update(store, done["src"], done["dst"], done["date"], done["title"], funds=99.5, actor=ALICE)

    dry = invoke("--db", db, "load", "--dry-run", str(folder)).output
    assert f"set by {ALICE} (project.set)" in dry and f"set by {BOB} (need.withdraw)" in dry
    assert f"set by {ALICE} (activity.update)" in dry and f"funds: 99.5 → {done['funds']}" in dry
    assert "status: withdrawn → open" in dry and "status: done → ongoing" in dry

    invoke("--db", db, "load", str(folder), code=1)
    with open_store(db) as store:
        after = store.dump()
    assert next(n for n in after.nodes["Need"] if n["id"] == need["id"])["status"] == "withdrawn"
    mine = [p for p in after.links["CLAIMED"] if (p["src"], p["dst"]) == (project["src"], project["dst"])]
    assert [p["status"] for p in mine] == ["done"]

    invoke("--db", db, "load", "--overwrite-newer", str(folder))
    with open_store(db) as store:
        back = store.dump()
    assert next(n for n in back.nodes["Need"] if n["id"] == need["id"])["status"] == "open"
