"""Hard kills: a store killed (SIGKILL) in the middle of a change holds all of it or none of it.

A child process (tests/_crash_worker.py) replaces a seed store's graph with a city-scale ledger
(the fresh-file swap path), or creates pairings one transaction each; the parent kills it after
a seeded random delay, reopens the store and checks that it is the old state or the new one,
that every change has its audit entry (and no entry lacks its change), and that
`graph.check.run` finds nothing. Ladybug may drop the last commits before a kill (its tracker,
#714/#716): allowed, as long as what is there is whole.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import accounts, audit, check, interchange, ledger
from graph.store import LadybugStore
from tests._crash_worker import plan
from tests.fixtures import ROOT, SEED, synth_dataset

# Each test kills child processes mid-change, over and over: about a minute for the file.
pytestmark = pytest.mark.slow

# Kills spread over the whole import, and more of them near its end, where the new file is
# checkpointed and renamed into place.
IMPORT_KILLS = 3
IMPORT_LATE_KILLS = 4
PAIRING_KILLS = 4
MATCH_KILLS = 4
LAST_RUN = [0.0]
rng = random.Random(20261121)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A seed store with an account and two audit entries, and a city ledger folder."""
    folder = tmp_path_factory.mktemp("crash")
    ledger_dir = folder / "city"
    interchange.write_folder(synth_dataset("city", 7), ledger_dir)
    db = folder / "pristine.lbug"
    store = LadybugStore(db)
    try:
        ledger.load(store, SEED, actor="setup")
        accounts.add(store, "admin1", "password1234", "admin", actor="setup")
        store.checkpoint()
    finally:
        store.close()
    return db, ledger_dir


def _run_and_kill(tmp: Path, pristine_db: Path, args: list[str], delay: float | None) -> tuple[Path, bool]:
    """Run the worker on a copy of the pristine store; kill it `delay` s after it starts (None: let it finish).

    `LAST_RUN[0]` keeps how long the change itself ran when it was let finish.
    """
    db = tmp / f"db{time.monotonic_ns()}.lbug"
    shutil.copyfile(pristine_db, db)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests._crash_worker", args[0], str(db), *args[1:]],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "started"
    started = time.monotonic()
    if delay is None:
        child.wait(timeout=120)
        LAST_RUN[0] = time.monotonic() - started
    else:
        time.sleep(delay)
    finished = child.poll() is not None
    if not finished:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    return db, finished


def _snapshot(db: Path) -> tuple[dict[str, int], list[audit.AuditEntry], list[accounts.Account]]:
    with LadybugStore(db) as store:
        assert check.run(store) == []
        return store.counts(), audit.entries(store), accounts.list_accounts(store)


def test_killed_import_is_all_or_nothing(tmp_path: Path, pristine: tuple[Path, Path]) -> None:
    pristine_db, ledger_dir = pristine
    old_counts, old_audit, old_accounts = _snapshot(pristine_db)
    new_counts = interchange.read(ledger_dir).counts()
    # Time one whole import on this machine (it varies with load), then kill at fractions of it. The time runs
    # from the worker's "started", as the kills do: the interpreter's start-up before it is no part of the import.
    db, finished = _run_and_kill(tmp_path, pristine_db, ["import", str(ledger_dir)], None)
    took = LAST_RUN[0]
    assert finished and _snapshot(db)[0] == new_counts
    delays = sorted(
        [rng.uniform(0.0, 0.8 * took) for _ in range(IMPORT_KILLS)]
        + [rng.uniform(0.8 * took, 1.05 * took) for _ in range(IMPORT_LATE_KILLS)]
    )
    outcomes = []
    for delay in delays:
        db, finished = _run_and_kill(tmp_path, pristine_db, ["import", str(ledger_dir)], delay)
        counts, entries, accounts_now = _snapshot(db)
        assert accounts_now == old_accounts
        if counts == old_counts:
            assert entries == old_audit, f"kill at {delay:.2f}s: the old graph but a changed audit"
            outcomes.append("none")
        else:
            assert counts == new_counts, f"kill at {delay:.2f}s: a partial import {counts}"
            assert entries[:-1] == old_audit
            assert (entries[-1].actor, entries[-1].action, entries[-1].target) == ("crash-import", "import", "city")
            outcomes.append("all" if not finished else "finished")
        shutil.rmtree(db, ignore_errors=True) if db.is_dir() else db.unlink()
    print("import kills:", list(zip([round(d, 2) for d in delays], outcomes, strict=True)))
    assert "none" in outcomes, outcomes


def test_killed_pairing_writes_keep_each_change_whole(tmp_path: Path, pristine: tuple[Path, Path]) -> None:
    pristine_db, _ = pristine
    with LadybugStore(pristine_db) as store:
        planned = plan(store)
        old_links = {(r["src"], r["dst"], r["since"]) for r in store.read("export/paired_with")}
        old_audit = audit.entries(store)
    delays = sorted(rng.uniform(0.05, 1.5) for _ in range(PAIRING_KILLS))
    made = []
    for delay in delays:
        db, finished = _run_and_kill(tmp_path, pristine_db, ["pairings"], delay)
        assert not finished, "the worker finished its 5,000 pairings before the kill: raise PLANNED"
        with LadybugStore(db) as store:
            assert check.run(store) == []
            links = {(r["src"], r["dst"], r["since"]) for r in store.read("export/paired_with")}
            entries = audit.entries(store)
        new = links - old_links
        assert links >= old_links and entries[: len(old_audit)] == old_audit
        recorded = {(*e.target.split("->"), e.after["since"] if e.after else None) for e in entries[len(old_audit) :]}
        # Every pairing has its entry and every entry its pairing; what survived is a prefix of the plan.
        assert {(u, v, s.isoformat()) for u, v, s in new} == recorded
        assert new == set(planned[: len(new)])
        made.append(len(new))
    print("pairings kept per kill:", list(zip([round(d, 2) for d in delays], made, strict=True)))
    assert max(made) > 0


def test_killed_match_apply_is_all_or_nothing(tmp_path: Path, pristine: tuple[Path, Path]) -> None:
    pristine_db, _ = pristine
    old_counts, old_audit, _ = _snapshot(pristine_db)

    def links(counts: dict[str, int]) -> int:
        return counts["PAIRED_WITH"] + counts["LEADS"]

    db, finished = _run_and_kill(tmp_path, pristine_db, ["match"], None)
    took = LAST_RUN[0]
    counts, entries, _ = _snapshot(db)
    proposed = links(counts) - links(old_counts)
    assert finished and proposed > 0 and entries[-1].action == "match.apply"
    outcomes = []
    for delay in sorted(rng.uniform(0.0, 1.1 * took) for _ in range(MATCH_KILLS)):
        db, finished = _run_and_kill(tmp_path, pristine_db, ["match"], delay)
        counts, entries, _ = _snapshot(db)
        if links(counts) == links(old_counts):
            assert entries == old_audit
            outcomes.append("none")
        else:
            assert links(counts) - links(old_counts) == proposed, f"kill at {delay:.2f}s: a partial apply"
            assert entries[:-1] == old_audit and entries[-1].action == "match.apply"
            assert len(entries[-1].after["pairs"] if entries[-1].after else []) == proposed
            outcomes.append("all" if not finished else "finished")
        db.unlink()
    print("match apply kills:", outcomes)
    assert "none" in outcomes or "all" in outcomes, "no kill landed inside the apply"
