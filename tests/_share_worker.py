"""A child process for tests/test_concurrency.py: use a store as the app does while the test uses it too.

`python -m tests._share_worker serve DB STOP`: hold one LadybugStore open and, until the file STOP exists,
read (counts, the unit load) and create the planned pairings one transaction each; then print how many.
`python -m tests._share_worker hold DB MODE`: hold the store's writers' lock (MODE `exclusive`, as a long
load does) or a write transaction (MODE `transaction`) for a minute, or until killed.
Each prints `started` (flushed) once it holds the store or has begun.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from graph import writes
from graph.store import LadybugStore
from tests._crash_worker import plan

ACTOR = "share-worker"
HOLD_SECONDS = 60


def serve(store: LadybugStore, stop: Path) -> None:
    steps = plan(store)
    print("started", flush=True)
    done = 0
    while not stop.exists() and done < len(steps):
        assert store.counts()["Village"] > 0
        store.read("gaps/unit_load", {"asof": steps[done][2], "county": None, "city": None})
        unit, village, since = steps[done]
        writes.create_pairing(store, unit, village, since, actor=ACTOR)
        done += 1
    print(f"done {done}", flush=True)


def hold(store: LadybugStore, mode: str) -> None:
    if mode == "exclusive":
        with store.exclusive():
            print("started", flush=True)
            time.sleep(HOLD_SECONDS)
    else:
        with store.transaction():
            print("started", flush=True)
            time.sleep(HOLD_SECONDS)


def main(argv: list[str]) -> None:
    mode, db = argv[0], Path(argv[1])
    store = LadybugStore(db)
    try:
        if mode == "serve":
            serve(store, Path(argv[2]))
        else:
            hold(store, argv[2])
    finally:
        store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
