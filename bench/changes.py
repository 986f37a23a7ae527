"""Change-preview benchmark: how long the diff of a load takes at province scale (graph.import_changes).

Generates the province (seed 42) twice, edits the second (village populations and pairing funds
changed, villages dropped with their links, new villages), then times the diff in each mode and the
county scope of one county; with --store also the store's dump (what `ledger.preview` reads first).

    python bench/changes.py [--store]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import import_changes, synth  # noqa: E402
from graph.dataset import Dataset  # noqa: E402
from graph.store import LadybugStore  # noqa: E402


def edited(data: Dataset) -> Dataset:
    for row in data.nodes["Village"][:1000]:
        row["population"] = (row.get("population") or 0) + 1
    for row in data.links["PAIRED_WITH"][:500]:
        row["funds"] = (row.get("funds") or 0.0) + 1.0
    gone = {r["id"] for r in data.nodes["Village"][-200:]}
    data.nodes["Village"] = data.nodes["Village"][:-200]
    for rel, rows in data.links.items():
        data.links[rel] = [r for r in rows if r["src"] not in gone and r["dst"] not in gone]
    data.nodes["Village"] += [dict(data.nodes["Village"][0], id=f"VNEW{i}") for i in range(100)]
    return data


def timed(what: str, run: object) -> object:
    start = time.perf_counter()
    result = run() if callable(run) else None
    print(f"{what}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", action="store_true", help="also load a store and time its dump")
    args = parser.parse_args()
    current = synth.generate("province", 42)
    ledger = edited(synth.generate("province", 42))
    print(f"rows: {sum(current.counts().values()):,} in the store, {sum(ledger.counts().values()):,} in the ledger")
    for mode in (import_changes.MERGE, import_changes.REPLACE):
        changes = timed(f"diff ({mode})", lambda mode=mode: import_changes.diff(current, ledger, mode))
        assert isinstance(changes, import_changes.Changes)
        print("  " + changes.brief())
    county = current.nodes["Village"][0]["county"]
    timed(f"county scope ({county})", lambda: import_changes.county_scope(current, county, ledger))
    if args.store:
        with tempfile.TemporaryDirectory() as tmp:
            store = LadybugStore(Path(tmp) / "province.lbug")
            try:
                timed("load the store (COPY)", lambda: store.load(current))
                timed("dump the store", store.dump)
            finally:
                store.close()
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
