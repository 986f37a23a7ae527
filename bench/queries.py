"""Gap query benchmark: median latency of each gap list on a synthetic store of a given scale.

Builds the store from `graph.synth.generate` with `store.load(dataset)` (no CSV round trip) in a
temporary directory, runs each list once to warm up, then 5 times, and prints the median.
Target at province scale: `unpaired` and coverage by township under 300 ms each.

    python bench/queries.py [--scale county province] [--seed 42] [--runs 5] [--asof 2026-11-01]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_MS = {"unpaired": 300.0, "coverage by township": 300.0}


def cases(asof: dt.date) -> dict[str, Callable[[Any], object]]:
    """Every gap list of the registry with its defaults, and the lists' other usual filters."""
    from graph import gap_lists, gaps

    def listed(gap: gap_lists.GapList) -> Callable[[Any], object]:
        params = gap.params()
        return lambda s: gap.rows(s, asof if gap.dated else None, params)

    out = {gap.name.replace("_", " "): listed(gap) for gap in gap_lists.GAP_LISTS}
    out["support (pairing,station)"] = lambda s: gaps.support(s, asof, "pairing,station")
    out["coverage by township"] = lambda s: gaps.coverage(s, asof, "township")
    out["coverage by city"] = lambda s: gaps.coverage(s, asof, "city")
    # One city's list, as its organisation department asks it: the first city, looked up in the warm-up run.
    city_of: dict[int, str | None] = {}

    def one_city(s: Any) -> object:
        if id(s) not in city_of:
            city_of[id(s)] = _first_city(s)
        return gaps.unpaired(s, asof, city=city_of[id(s)])

    out["unpaired in one city"] = one_city
    return out


def _first_city(store: Any) -> str | None:
    from graph import explore

    return min((p.city for p in explore.places(store) if p.city), default=None)


def bench(scale: str, seed: int, runs: int, asof: dt.date) -> None:
    from graph import synth
    from graph.store import LadybugStore

    t0 = time.perf_counter()
    dataset = synth.generate(scale, seed)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "bench.lbug")
        store.load(dataset)
        t2 = time.perf_counter()
        counts = dataset.counts()
        print(
            f"\n{scale} (seed {seed}): {counts['Village']} villages, {sum(counts.values())} nodes and links; "
            f"generated in {t1 - t0:.1f} s, loaded in {t2 - t1:.1f} s; as of {asof}"
        )
        print(f"{'query':28} {'median ms':>10} {'min ms':>8} {'rows':>7}")
        try:
            for name, run in cases(asof).items():
                rows = run(store)  # warm-up: the first run of a query compiles it
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    rows = run(store)
                    times.append((time.perf_counter() - start) * 1000)
                median = statistics.median(times)
                target = TARGET_MS.get(name)
                flag = "" if target is None else ("  ok" if median <= target else f"  OVER {target:.0f} ms target")
                n = len(rows) if isinstance(rows, list) else 0
                print(f"{name:28} {median:10.1f} {min(times):8.1f} {n:7d}{flag}")
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", nargs="+", default=["county", "province"], choices=["county", "city", "province"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--asof", type=dt.date.fromisoformat, default=dt.date(2026, 11, 1))
    args = parser.parse_args()
    for scale in args.scale:
        bench(scale, args.seed, args.runs, args.asof)


if __name__ == "__main__":
    main()
