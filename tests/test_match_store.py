"""Matching against a real store: proposals from the graph, applied in one transaction, stale ones refused."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from graph import audit, gaps, proposals, writes
from graph.errors import ConflictError
from graph.matching import PARTS
from graph.store import open_store
from tests.fixtures import SEED, invoke

TODAY = dt.date.today()


def run_cli(*args: str) -> str:
    return invoke(*args).stdout


@pytest.fixture
def db(any_location: Callable[..., str]) -> str:
    """The seed on each engine, loaded through the CLI as a department would."""
    path = any_location()
    run_cli("--db", path, "load", str(SEED))
    return path


@pytest.mark.parametrize("max_km", [None, 4.0])
def test_after_apply_the_gaps_are_exactly_the_unmatched(db: str, tmp_path: Path, max_km: float | None) -> None:
    args = ["--db", db, "match", "--format", "json"]
    if max_km is not None:
        profile = tmp_path / "near.toml"
        profile.write_text(f"[limits]\nmax_km = {max_km}\n", encoding="utf-8")
        args += ["--profile", str(profile)]
    before = {g["village_id"] for g in json.loads(run_cli("--db", db, "gaps", "--format", "json"))}
    proposed = json.loads(run_cli(*args))
    for row in proposed:
        assert {"village_id", "unit_id", "score", *PARTS} <= set(row)
        assert 0.0 <= row["score"] <= 1.0
    store = open_store(db)
    try:
        run = proposals.propose(store, TODAY, profile=Path(args[-1]) if max_km else None)
        unmatched = {u.village_id for u in run.result.unmatched}
        assert {p.village_id for p in run.result.proposals} | unmatched == before
        if max_km is not None:
            assert unmatched, "a 4 km limit should leave some village without a candidate"
            assert {u.reason for u in run.result.unmatched} <= {"no_candidate", "all_full", "declined"}
        written = proposals.apply(store, run, actor="规划员甲")
        assert written == len(run.result.proposals)
        entry = audit.entries(store, action="match.apply")[-1]
        assert entry.actor == "规划员甲" and entry.after is not None
        assert len(entry.after["pairs"]) == written
        # The pairings start on the day they are applied (which differs from TODAY across midnight).
        applied_on = dt.date.today()
        assert {g.village_id for g in gaps.unpaired(store, applied_on)} == unmatched
        # No unit is pushed past its capacity (units without one get the profile's default of 2).
        loads = {u.unit_id: u for u in gaps.unit_load(store, applied_on)}
        for unit_id in {p.unit_id for p in run.result.proposals if p.unit_kind != "Village"}:
            unit = run.unit(unit_id)
            capacity = unit["capacity"] if unit["capacity"] is not None else 2
            assert unit["active"] < capacity
            assert loads[unit_id].active <= capacity
    finally:
        store.close()


def test_cli_apply_writes_assigned_pairings(db: str) -> None:
    out = invoke("--db", db, "match", "--apply", "--format", "json")
    assert "applied" in out.stderr
    assert json.loads(run_cli("--db", db, "gaps", "--format", "json")) == []


def test_a_stale_proposal_is_refused_and_nothing_is_written(db: str) -> None:
    store = open_store(db)
    try:
        run = proposals.propose(store, TODAY)
        pairings = [p for p in run.result.proposals if p.unit_kind != "Village"]
        assert len(pairings) >= 2
        # Another planner pairs the first proposed village meanwhile.
        first = pairings[0]
        writes.create_pairing(store, first.unit_id, first.village_id, TODAY, form="voluntary")
        counts = store.counts()
        with pytest.raises(ConflictError, match=first.village_id):
            proposals.apply(store, run)
        assert store.counts() == counts
    finally:
        store.close()


def test_stable_mode_proposes_for_the_same_villages(db: str) -> None:
    store = open_store(db)
    try:
        optimal = proposals.propose(store, TODAY)
        stable = proposals.propose(store, TODAY, mode="stable")
        covered = {p.village_id for p in stable.result.proposals} | {u.village_id for u in stable.result.unmatched}
        assert covered == {p.village_id for p in optimal.result.proposals} | {
            u.village_id for u in optimal.result.unmatched
        }
    finally:
        store.close()
