"""County-layout benchmark: a province-scale programme written as a county keeps its workbook, read and loaded.

The synthetic province (`graph.synth`, about 80k villages and 450k rows) is written by
`tools.county_workbook` with every quirk (county sheet names, title rows, two-level merged headers,
township cells merged down, footers, hidden sheet and column, the county's headers and value words,
month-only dates, terms in one cell, names instead of ids, a combined cadre roster). A child process
then times `graph.interchange.inspect` (what `pairing validate` does) and the load into a fresh Ladybug
store, and reports its peak memory (max RSS); another child reads the same programme in the interchange
format (a CSV folder), for the ratio. Issue 12's floor: under 90 s and 3 GB; its aim: 30 s and 1.5 GB.

    python bench/county.py [--scale county|city|province] [--seed 42] [--keep DIR] [--cache DIR]

With --cache DIR the workbook and CSV folder are generated once per scale and seed (every quirk) and reused
from DIR on later runs: generating the province takes a minute or two, longer than reading it.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child_county(workbook: Path, db: Path) -> dict[str, Any]:
    from graph import interchange
    from graph.store import LadybugStore

    t0 = time.perf_counter()
    # A province ledger is beyond the upload limits (graph/interchange/_limits.py); this one is trusted.
    reading = interchange.inspect(workbook, limits=interchange.LIMITS.scaled(10))
    t1 = time.perf_counter()
    out: dict[str, Any] = {
        "inspect_s": t1 - t0,
        "problems": reading.total,
        "first_problems": [str(p) for p in reading.problems[:5]],
        "notes": len(reading.report.notes),
    }
    if reading.ok:
        store = LadybugStore(db)
        store.load(reading.dataset)
        out["rows"] = sum(store.counts().values())
        store.close()
        out["store_s"] = time.perf_counter() - t1
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def child_interchange(folder: Path) -> dict[str, Any]:
    from graph import interchange

    t0 = time.perf_counter()
    dataset = interchange.read(folder, limits=interchange.LIMITS.scaled(10))
    return {
        "read_s": time.perf_counter() - t0,
        "rows": sum(dataset.counts().values()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_write(scale: str, seed: int, workbook: Path, folder: Path) -> dict[str, Any]:
    """Generate and write, in a process of its own: a reading child forked from a large parent would count
    the parent's memory in its peak (Linux keeps the high-water mark across fork and exec)."""
    from graph import interchange, synth
    from tools import county_workbook

    t0 = time.perf_counter()
    dataset = synth.generate(scale, seed)
    t1 = time.perf_counter()
    written = county_workbook.write(dataset, workbook, county_workbook.Quirks.every(), filled_by="XX省委组织部")
    t2 = time.perf_counter()
    interchange.write_folder(written.expected, folder)
    return {
        "generate_s": t1 - t0,
        "write_s": t2 - t1,
        "size_mb": workbook.stat().st_size / 1e6,
        "villages": len(dataset.nodes["Village"]),
        "rows": sum(dataset.counts().values()),
        "month_dates": written.month_dates,
    }


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"failed": f"exit {done.returncode}: " + " | ".join(tail)}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", default="province", choices=["county", "city", "province"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, help="write the workbook and the CSV folder here and keep them")
    parser.add_argument("--cache", type=Path, help="reuse the workbook and CSV folder generated here before")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        if kind == "write":
            found = child_write(args.scale, args.seed, Path(paths[0]), Path(paths[1]))
        elif kind == "county":
            found = child_county(Path(paths[0]), Path(paths[1]))
        else:
            found = child_interchange(Path(paths[0]))
        print(json.dumps(found))
        return

    with tempfile.TemporaryDirectory() as tmp:
        where = args.cache or args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        stem = f"{args.scale}-{args.seed}-every"
        workbook, folder = where / f"{stem}-county-layout.xlsx", where / f"{stem}-interchange"
        facts = where / f"{stem}.json"
        if args.cache and facts.exists() and workbook.exists() and folder.is_dir():
            made = json.loads(facts.read_text())
        else:
            scale = ["--scale", args.scale, "--seed", str(args.seed)]
            made = run_child(*scale, "--child", "write", str(workbook), str(folder))
            if "failed" in made:
                print(f"writing the workbook failed: {made['failed']}")
                return
            if args.cache:
                facts.write_text(json.dumps(made))
        county = run_child("--child", "county", str(workbook), str(where / "bench.lbug"))
        csv = run_child("--child", "interchange", str(folder))
    print(
        f"scale {args.scale} (seed {args.seed}): {made['villages']:,} villages, {made['rows']:,} nodes and links, "
        f"generated in {made['generate_s']:.1f} s; county workbook ({made['size_mb']:.0f} MB, every quirk, "
        f"{made['month_dates']:,} month-only dates) written in {made['write_s']:.1f} s"
    )
    if "failed" in county:
        print(f"county workbook: the reading process failed: {county['failed']}")
    else:
        print(f"{'step':34} {'seconds':>8}")
        print(f"{'inspect county workbook':34} {county['inspect_s']:8.2f}   (floor < 90 s, aim < 30 s)")
        if "store_s" in county:
            print(f"{'write into Ladybug':34} {county['store_s']:8.2f}")
            total = county["inspect_s"] + county["store_s"]
            print(f"{'validate + load':34} {total:8.2f}   ({county['rows']:,} nodes and links)")
        else:
            print(f"{'write into Ladybug':34}  not run: {county['problems']:,} problems, e.g.")
            for line in county["first_problems"]:
                print(f"    {line[:150]}")
        print(f"{'peak memory (MB)':34} {county['peak_mb']:8.0f}   (floor < 3072 MB, aim < 1536 MB)")
        print(f"{'report notes':34} {county['notes']:8,}")
    if "failed" in csv:
        print(f"interchange format: the reading process failed: {csv['failed']}")
    else:
        print(f"{'read same data, interchange CSV':34} {csv['read_s']:8.2f}   (peak {csv['peak_mb']:.0f} MB)")
        if "failed" not in county:
            print(f"{'ratio county / interchange':34} {county['inspect_s'] / csv['read_s']:8.1f}x")


if __name__ == "__main__":
    main()
