"""Period benchmark: how long 本期变化 (`graph.period.changes`) and a 12-month trend (`graph.period.trend`) take.

Builds a Ladybug store from `graph.synth.generate(scale, 42)` in a temporary directory, runs each step once
to warm up, then `--runs` times, and prints the median, for the whole store and for one county.
Aims at province scale: changes under 1 s, the trend under 3 s.

    python bench/period.py [--scale county province] [--runs 3] [--to 2026-11-01]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AIM_S = {"changes": 1.0, "trend (12 months)": 3.0}


def timed(run: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = run()  # warm-up: the first run of a query compiles it
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench(scale: str, runs: int, d2: dt.date) -> None:
    from graph import gaps, period, synth
    from graph.store import LadybugStore

    d1 = d2.replace(year=d2.year - 1)
    t0 = time.perf_counter()
    dataset = synth.generate(scale, 42)
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "bench.lbug")
        try:
            store.load(dataset)
            county = gaps.coverage(store, d2)[0].county
            print(
                f"\n{scale}: {len(dataset.nodes['Village'])} villages, built in {time.perf_counter() - t0:.1f} s; "
                f"period {d1} to {d2}; one county: {county}"
            )
            print(f"{'step':22} {'scope':10} {'median s':>9} {'rows':>9}")
            for scope, where in (("all", None), ("one county", county)):
                cases: dict[str, Callable[[], Any]] = {
                    "changes": partial(period.changes, store, d1, d2, county=where),
                    "trend (12 months)": partial(period.trend, store, d1, d2, county=where),
                }
                for name, run in cases.items():
                    median, result = timed(run, runs)
                    rows = (
                        len(result)
                        if isinstance(result, list)
                        else sum(len(getattr(result, s)) for s in period.SECTIONS)
                    )
                    aim = AIM_S[name]
                    flag = "" if scale != "province" else ("  ok" if median <= aim else f"  OVER the {aim:.0f} s aim")
                    print(f"{name:22} {scope:10} {median:9.3f} {rows:9d}{flag}")
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", nargs="+", default=["county", "province"], choices=["county", "city", "province"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--to", type=dt.date.fromisoformat, default=dt.date(2026, 11, 1))
    args = parser.parse_args()
    for scale in args.scale:
        bench(scale, args.runs, args.to)


if __name__ == "__main__":
    main()
