"""A child process for tests/test_crash.py: make a change to a store until it is killed.

`python -m tests._crash_worker import DB LEDGER`: replace the store's graph with the ledger.
`python -m tests._crash_worker pairings DB`: create the planned pairings one transaction each.
`python -m tests._crash_worker match DB`: propose partners for today's gaps and apply them all.
Prints `started` (flushed) right before the change, so the parent times its kill from there.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from graph import ledger, proposals, writes
from graph.store import GraphStore, LadybugStore

START = dt.date(2030, 1, 1)
PLANNED = 5_000


def plan(store: GraphStore) -> list[tuple[str, str, dt.date]]:
    """The pairings the worker creates, in order: derived from the store so the parent can recompute it."""
    units = sorted(r["id"] for r in store.read("export/communities"))
    villages = sorted(r["id"] for r in store.read("export/villages") if r["tier"] == "weak")
    return [(units[i % len(units)], villages[i % len(villages)], START + dt.timedelta(days=i)) for i in range(PLANNED)]


def main(argv: list[str]) -> None:
    mode, db = argv[0], Path(argv[1])
    store = LadybugStore(db)
    if mode == "import":
        print("started", flush=True)
        # The synthetic city has none of the seed's needs, resources and activities: a shrink, and meant.
        ledger.load(store, Path(argv[2]), replace=True, actor="crash-import", allow_shrink=True)
    elif mode == "match":
        run = proposals.propose(store)
        print("started", flush=True)
        proposals.apply(store, run, actor="crash-match")
    else:
        steps = plan(store)
        print("started", flush=True)
        for unit, village, since in steps:
            writes.create_pairing(store, unit, village, since, actor="crash-pairing")
    store.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
