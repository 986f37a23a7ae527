"""Benchmark of the matching engine on synthetic county, province and nation instances.

    python bench/matching.py             # county and province
    python bench/matching.py --nation    # and nation (200k villages, 120k units; several GB, minutes)
    python bench/matching.py --scale county --json    # one scale, machine-readable

Each scale runs in its own process so the peak memory (max RSS) is that scale's alone. Instances
come from `graph.matching.synthetic` with seed 42 (units clustered at county seats and townships,
so the distance limit matters).
End-to-end time is `MatchProblem.from_frames` plus `solve` (scoring, OR-Tools, result building);
generating the frames is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.matching import MatchProblem, load_profile, solve
from graph.matching.synthetic import SCALES, synthetic_frames


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_scale(name: str, missing_coords: float) -> dict[str, Any]:
    scale = SCALES[name]
    profile = load_profile()
    units, villages = synthetic_frames(scale, missing_coords=missing_coords)
    rss_before = max_rss_mb()

    started = time.perf_counter()
    cpu_started = time.process_time()
    problem = MatchProblem.from_frames(units, villages)
    framed = time.perf_counter()
    best = solve(problem, profile, "ortools")
    end_to_end = time.perf_counter() - started
    end_to_end_cpu = time.process_time() - cpu_started
    rss_peak = max_rss_mb()

    greedy = solve(problem, profile, "greedy")
    row: dict[str, Any] = {
        "scale": name,
        "villages": problem.n_villages,
        "units": problem.n_units,
        "slots": int(problem.village_needed.sum()),
        "free": int(problem.free_capacity(profile.default_capacity).sum()),
        "arcs": best.n_arcs,
        "frames_s": framed - started,
        "score_s": best.timings["score_s"],
        "solve_s": best.timings["solve_s"],
        "e2e_s": end_to_end,
        "e2e_cpu_s": end_to_end_cpu,
        "result_s": best.timings["result_s"],
        "rss_before_mb": rss_before,
        "rss_peak_mb": rss_peak,
        "objective": best.objective,
        "greedy_objective": greedy.objective,
        "vs_greedy_pct": 100.0 * (greedy.objective - best.objective) / best.objective if best.objective else 0.0,
        "matched": best.matched_slots,
        "greedy_matched": greedy.matched_slots,
        "greedy_solve_s": greedy.timings["solve_s"],
        "reasons": pd.Series([u.reason for u in best.unmatched], dtype=object).value_counts().to_dict(),
        "networkx_s": None,
    }
    if name == "county":
        reference = solve(problem, profile, "networkx")
        row["networkx_s"] = reference.timings["solve_s"]
        if reference.objective != best.objective:
            raise AssertionError(f"networkx {reference.objective} != ortools {best.objective}")
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'scale':<9}{'villages':>9}{'units':>8}{'arcs':>10}{'score s':>9}{'solve s':>9}{'e2e s':>8}{'(cpu s)':>9}"
        f"{'peak MB':>9}{'vs greedy':>11}{'matched':>16}{'networkx s':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        nx_s = "-" if r["networkx_s"] is None else f"{r['networkx_s']:.3f}"
        matched = f"{r['matched']}/{r['greedy_matched']}"
        print(
            f"{r['scale']:<9}{r['villages']:>9}{r['units']:>8}{r['arcs']:>10}{r['score_s']:>9.2f}{r['solve_s']:>9.2f}"
            f"{r['e2e_s']:>8.2f}{r['e2e_cpu_s']:>9.2f}{r['rss_peak_mb']:>9.0f}{r['vs_greedy_pct']:>+10.1f}%{matched:>16}{nx_s:>12}"
        )
    print()
    print(
        "e2e: MatchProblem.from_frames + solve (scoring, OR-Tools, result); wall clock, then CPU time of the process."
    )
    print("vs greedy: how much higher greedy's objective (cost + unmatched penalty) is than the optimum.")
    print("matched: slots filled by OR-Tools / by greedy. peak MB: max RSS of the scale's own process.")
    for r in rows:
        print(
            f"{r['scale']}: {r['slots']} slots, {r['free']} free capacity; from_frames {r['frames_s']:.2f}s; "
            f"result {r['result_s']:.2f}s; greedy solve {r['greedy_solve_s']:.2f}s; "
            f"RSS before matching {r['rss_before_mb']:.0f} MB; "
            f"unmatched reasons {r['reasons']}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nation", action="store_true", help="also run the nation scale")
    parser.add_argument("--scale", choices=list(SCALES), help="run one scale in this process")
    parser.add_argument("--json", action="store_true", help="with --scale: print the row as JSON")
    parser.add_argument(
        "--missing", type=float, default=0.01, help="share of villages and units without coordinates (default 0.01)"
    )
    args = parser.parse_args(argv)
    if args.scale:
        row = run_scale(args.scale, args.missing)
        print(json.dumps(row) if args.json else row)
        return
    load = os.getloadavg()[0]
    print(
        f"load average before the run: {load:.1f} on {os.cpu_count()} CPUs; {args.missing:.1%} of rows lack coordinates"
    )
    rows = []
    for name in ["county", "province", *(["nation"] if args.nation else [])]:
        out = subprocess.run(
            [sys.executable, __file__, "--scale", name, "--json", "--missing", str(args.missing)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print_table(rows)


if __name__ == "__main__":
    main()
