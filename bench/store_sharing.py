"""What sharing the embedded store between processes costs a read and a write (#14).

Before: one read-write Database held for the store object's life (the app held the file's lock for as long
as it ran). After: `LadybugStore` as it is, a read-only Database kept between reads while no one writes,
and a read-write one opened for each write only, under the locks of `graph.store.locks`. Each figure is the
median of REPEAT runs, in ms: a read (`stats/counts`), the first read after a write (a new read-only
Database), and a write (one audit entry in its own transaction), on the seed store and a city store.

    python bench/store_sharing.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ladybug as lb

from graph import audit, interchange, synth
from graph.dataset import Dataset
from graph.store import LadybugStore
from graph.store.ladybug import _execute

SEED = Path(__file__).resolve().parent.parent / "seed"


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def _entry() -> dict[str, object]:
    return audit.new_row("bench", "bench.write", "x", None, None)


def before(path: Path, repeat: int) -> dict[str, float]:
    """The old way: one read-write Database and Connection for the whole run."""
    db = lb.Database(str(path))
    conn = lb.Connection(db)

    def write() -> None:
        conn.execute("BEGIN TRANSACTION")
        _execute(conn, "write", "audit/record", _entry())
        conn.execute("COMMIT")

    def write_then_read() -> None:
        write()
        _execute(conn, "read", "stats/counts", None)

    try:
        return {
            "read": _median_ms(lambda: _execute(conn, "read", "stats/counts", None), repeat),
            "write": _median_ms(write, repeat),
            "write+read": _median_ms(write_then_read, repeat),
        }
    finally:
        conn.close()
        db.close()


def after(path: Path, repeat: int) -> dict[str, float]:
    store = LadybugStore(path)

    def write() -> None:
        with store.transaction() as tx:
            tx.run("audit/record", _entry())

    def write_then_read() -> None:
        write()
        store.counts()

    try:
        store.counts()
        return {
            "read": _median_ms(store.counts, repeat),
            "write": _median_ms(write, repeat),
            "write+read": _median_ms(write_then_read, repeat),
        }
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    scales: dict[str, Dataset] = {"seed": interchange.read(SEED), "city": synth.generate("city", 42)}
    print(f"median of {args.repeat}, ms (ratio after/before)")
    print(f"{'store':<6} {'file MB':>8} {'what':<11} {'before':>8} {'after':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in scales.items():
            path = Path(tmp) / f"{name}.lbug"
            with LadybugStore(path) as store:
                store.load(data)
            size = path.stat().st_size / 1e6
            old, new = before(path, args.repeat), after(path, args.repeat)
            for what in old:
                ratio = new[what] / old[what]
                print(f"{name:<6} {size:>8.1f} {what:<11} {old[what]:>8.1f} {new[what]:>8.1f} {ratio:>6.1f}")


if __name__ == "__main__":
    main()
