"""Load benchmark: a synthetic ledger of a given scale into a fresh embedded store.

Prints the time to read and validate the CSV folder, the time to write it into the store, and
the peak memory of the loading process (measured in a child process, so generation does not count).
Target at province scale: under 15 s and under 2 GB.

    python bench/load.py [--scale county|city|province|nation] [--seed 42]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(folder: Path, db: Path) -> dict[str, float]:
    from graph import interchange
    from graph.store import LadybugStore

    t0 = time.perf_counter()
    # A nation-scale ledger is beyond the upload limits (graph/interchange/_limits.py); this one is trusted.
    dataset = interchange.read(folder, limits=interchange.LIMITS.scaled(10))
    t1 = time.perf_counter()
    store = LadybugStore(db)
    store.load(dataset)
    counts = store.counts()
    store.close()
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"read_s": t1 - t0, "store_s": t2 - t1, "total_s": t2 - t0, "peak_mb": peak_mb, "rows": sum(counts.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", choices=["county", "city", "province", "nation"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return

    from graph import interchange, synth

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ledger"
        t0 = time.perf_counter()
        interchange.write_folder(synth.generate(args.scale, args.seed), folder)
        generated = time.perf_counter() - t0
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(folder), str(Path(tmp) / "bench.lbug")],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
    rows = int(r["rows"])
    print(f"scale {args.scale} (seed {args.seed}): {rows:,} nodes and links; ledger written in {generated:.1f} s")
    print(f"{'step':28} {'seconds':>8}")
    print(f"{'read + validate CSV':28} {r['read_s']:8.2f}")
    print(f"{'write into Ladybug':28} {r['store_s']:8.2f}")
    print(f"{'total':28} {r['total_s']:8.2f}   (target < 15 s at province scale)")
    print(f"{'peak memory (MB)':28} {r['peak_mb']:8.0f}   (target < 2048 MB)")


if __name__ == "__main__":
    main()
