"""Every benchmark at every scale in one run, written to bench/results.md (`make bench`).

    python bench/run_all.py                       # county, city, province (about 10 minutes on 2 cores)
    python bench/run_all.py --nation              # and nation (500k villages; much longer, several GB)
    python bench/run_all.py --scales county --out /tmp/r.md --runs 2
    python bench/run_all.py --side-by-side-only   # only "Ladybug and Neo4j side by side" (NEO4J_URI set)

Each (step, engine, scale) runs in a child process of its own, so its peak memory (max RSS) is
that step's alone. A child first builds its inputs (the synthetic dataset of `graph.synth`, the
store or the networkx graph), which is not timed, then times the step `runs` times and reports the
median. The comparisons are measured in the same run, on the same machine and data:

- load: `LadybugStore.load` of the dataset into a fresh file against building the networkx graph
  that `tools.reference` computes on (the in-memory equivalent of "having the data loaded");
- each gap list: the Cypher query on a warm store (run once before timing) against
  `tools.reference`'s computation of the same definition on a networkx graph already in memory;
  the two answers are compared, and a difference is reported;
- matching: the exact min-cost-flow matcher (OR-Tools) against the greedy baseline on the same
  instance, time and objective;
- app: bench/app.py or bench/app_pages.py (Streamlit AppTest renders), if present, as it prints.
- county: bench/county.py at the largest scale run (a county-layout workbook read and loaded), as it prints.
- side by side: bench/side_by_side.py at county, city and province (those of them run): load, the gap lists and
  matching propose + apply on Ladybug and on the Neo4j server of NEO4J_URI (`make bench` starts one when it is
  unset), with their ratio. `--side-by-side-only` runs just that and rewrites only its section of --out.

The growth section fits time ~ a·n^k over the scales run (least squares on log-log), n = villages.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALES = ("county", "city", "province", "nation")
SIDE_BY_SIDE = ROOT / "bench" / "side_by_side.py"
SIDE_TITLE = "## Ladybug and Neo4j side by side"
# A nation in one Neo4j on this machine is a bulk import's job (docs/neo4j.md), not a benchmark of `load`.
SIDE_SCALES = ("county", "city", "province")
CHILD_TIMEOUT_S = 1800
RUNS = {"county": 5, "city": 5, "province": 5, "nation": 1}
ASOF = dt.date(2026, 11, 1)  # graph.synth.REFERENCE_DATE: the synthetic data's "today"
QUERIES = (
    "unpaired",
    "support",
    "coverage",
    "inactive",
    "first_year",
    "expiring",
    "unit_load",
    "org_setting",
    "stale_needs",
    "overdue_projects",
    "idle_claimers",
    "claim_rates",
)
QUERY_TITLES = {
    "unpaired": "gaps: unpaired weak villages",
    "support": "gaps: support kinds (pairing,station)",
    "coverage": "gaps: coverage by township",
    "inactive": "gaps: inactive pairings",
    "expiring": "gaps: expiring cadres (90 d)",
    "unit_load": "gaps: unit load",
    "org_setting": "gaps: org setting",
    "first_year": "gaps: first-year pairings",
    "stale_needs": "三张清单: stale needs (90 d)",
    "overdue_projects": "三张清单: overdue projects",
    "idle_claimers": "三张清单: idle claimers (90 d)",
    "claim_rates": "三张清单: claim rates by township",
}
# Matching instances (weak villages needing a partner, helper units). county, province and nation are
# bench/matching.py's; city sits between them with the same village:unit ratio.
MATCH_SIZES = {
    "county": (100, 60, 1),
    "city": (1_000, 600, 10),
    "province": (16_000, 10_000, 137),
    "nation": (200_000, 120_000, 2_800),
}
GROWTH_STEPS = (
    ("load", "ladybug"),
    ("load", "networkx"),
    ("unpaired", "ladybug"),
    ("unpaired", "networkx"),
    ("matching", "ortools"),
    ("matching", "greedy"),
)
# What the fitted exponents mean, from reading the measurements and the code (kept with the script
# so that a re-run keeps the explanation next to the numbers it explains).
GROWTH_NOTES = """
**Reading the exponents** (the run above: 2026-11-21 with `--nation`, load average 1.3 at its start; the
2 cores are shared, so absolute times vary by up to 2× between runs: trust the ratios within a run).

- **Load, Ladybug: ~n^0.99 from province to nation: linear.** Below a province, fixed costs dominate (creating
  the file and its schema, a CHECKPOINT, the rename). An earlier run put the city load at 6 s (~n^0.78 overall):
  tables under `COPY_MIN_ROWS = 2000` rows went through `UNWIND … MERGE` at ~0.27 ms a row, while `COPY` costs
  ~0.03 s a statement on ladybug 0.22; with the threshold at 100 the city load is 0.73 s.
- **Unpaired-gap query, Ladybug: ~n^0.99 from province to nation: linear.** Over all scales the exponent is
  lower because a warm query still costs ~10–20 ms at county and city (per-query overhead). From a province up
  the store beats the networkx computation of the same definition (0.45× and 0.43× the time) and needs less
  memory at nation (1.5 GB for the whole process against 2.8 GB for the graph).
- **Matching, OR-Tools end to end: ~n^0.98 from province to nation: linear.** An earlier run measured ~n^1.14:
  `graph/matching/candidates.py` paired a village without coordinates with every unit of the nation (and a unit
  without coordinates with every village), a quadratic term with 1% of rows unlocated (nation scoring 152.6 s,
  34.7 s with those rows dropped). Now the county stands in for the distance limit where an end has no
  coordinates, and the nation instance runs end to end in 37 s instead of 113 s.
- **Exact matcher vs greedy:** greedy's own solve is quicker, but both share the candidate stage, so end to end
  they cost about the same; greedy's plan is 14–34% worse by the objective and fills fewer slots. The exact
  solver is worth its cost.
- **networkx:** building the graph and the reference gap computations grow ~n^1.0: linear, as they should
  (each walks every weak village's in-links once).
"""


# ---------------------------------------------------------------- child side


def rss_mb() -> float:
    """Peak RSS since the last `reset_peak` (Linux's VmHWM), else since the process started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def current_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mb()


def reset_peak() -> float:
    """Start a step's peak memory from what is resident now, so that building its inputs does not count.

    Writing 5 to /proc/self/clear_refs resets VmHWM (Linux 4.0+); returns the RSS at that point.
    """
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return current_mb()


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def digest(rows: Any) -> str:
    """A fingerprint of a result, to compare the store's answer with the reference's across processes."""
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def gap_cases(target: Any, store: bool) -> dict[str, Callable[[], Any]]:
    from graph import gaps, lists
    from tools import reference

    m: Any = gaps if store else reference
    programme: Any = lists if store else reference
    return {
        "unpaired": lambda: m.unpaired(target, ASOF),
        "support": lambda: m.support(target, ASOF, "pairing,station"),
        "coverage": lambda: m.coverage(target, ASOF, "township"),
        "inactive": lambda: m.inactive(target, ASOF),
        "expiring": lambda: m.expiring(target, ASOF, 90),
        "unit_load": lambda: m.unit_load(target, ASOF),
        "org_setting": lambda: m.org_setting(target),
        "first_year": lambda: m.first_year(target, ASOF),
        "stale_needs": lambda: programme.stale_needs(target, ASOF),
        "overdue_projects": lambda: programme.overdue_projects(target, ASOF),
        "idle_claimers": lambda: programme.idle_claimers(target, ASOF),
        "claim_rates": lambda: lists.rates(target, "township") if store else reference.claim_rates(target, "township"),
    }


def child(step: str, engine: str, scale: str, runs: int) -> list[dict[str, Any]]:
    if step == "matching":
        return [child_matching(engine, scale, runs)]
    from graph import synth
    from graph.store import LadybugStore
    from tools import reference

    dataset = synth.generate(scale, 42)
    villages = len(dataset.nodes["Village"])
    base = {"scale": scale, "villages": villages, "engine": engine}
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if step == "load":
            before = reset_peak()
            if engine == "ladybug":

                def load_once() -> None:
                    path = Path(tmp) / f"load-{time.perf_counter_ns()}.lbug"
                    store = LadybugStore(path)
                    store.load(dataset)
                    store.close()

                seconds, _ = timed(load_once, runs)
            else:
                seconds, _ = timed(lambda: reference.build(dataset), runs)
            out.append({**base, "step": "load", "seconds": seconds, "rss_before_mb": before, "rss_mb": rss_mb()})
        elif step == "queries":
            target: Any
            if engine == "ladybug":
                target = LadybugStore(Path(tmp) / "q.lbug")
                target.load(dataset)
            else:
                target = reference.build(dataset)
            del dataset
            for name, run in gap_cases(target, engine == "ladybug").items():
                if engine == "ladybug":
                    run()  # warm-up: the first run of a query compiles it and fills the buffer pool
                before = reset_peak()
                seconds, rows = timed(run, runs)
                out.append(
                    {
                        **base,
                        "step": name,
                        "seconds": seconds,
                        "rows": len(rows),
                        "digest": digest(rows),
                        "rss_before_mb": before,
                        "rss_mb": rss_mb(),
                    }
                )
            if engine == "ladybug":
                target.close()
    return out


def child_matching(solver: str, scale: str, runs: int) -> dict[str, Any]:
    from graph.matching import MatchProblem, load_profile, solve
    from graph.matching import synthetic as ms

    villages, units, counties = MATCH_SIZES[scale]
    spec = ms.SCALES.get(scale) or ms.Scale(scale, villages, units, counties, 12, (34.4, 35.6), (116.8, 118.4))
    profile = load_profile()
    unit_frame, village_frame = ms.synthetic_frames(spec)
    before = reset_peak()

    def run() -> Any:
        problem = MatchProblem.from_frames(unit_frame, village_frame)
        return solve(problem, profile, solver)  # type: ignore[arg-type]

    seconds, result = timed(run, runs)
    return {
        "scale": scale,
        "villages": villages,
        "engine": solver,
        "step": "matching",
        "seconds": seconds,
        "solve_s": result.timings["solve_s"],
        "objective": result.objective,
        "matched": result.matched_slots,
        "arcs": result.n_arcs,
        "rss_before_mb": before,
        "rss_mb": rss_mb(),
    }


# ---------------------------------------------------------------- parent side


def run_child(step: str, engine: str, scale: str, runs: int, failures: list[str]) -> list[dict[str, Any]]:
    """One step in its own process; a failure (out of memory, a crash) is recorded and the run goes on."""
    cmd = [sys.executable, __file__, "--child", step, engine, scale, "--runs", str(runs)]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        failures.append(f"{step} ({engine}) at {scale}: no result within {CHILD_TIMEOUT_S} s")
        print(f"  {step:9} {engine:9} {scale:9} TIMED OUT", flush=True)
        return []
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        failures.append(f"{step} ({engine}) at {scale} failed (exit {done.returncode}): {last}")
        print(f"  {step:9} {engine:9} {scale:9} FAILED\n{done.stderr[-2000:]}", flush=True)
        return []
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {step:9} {engine:9} {scale:9} {time.perf_counter() - started:6.1f} s wall", flush=True)
    return rows


def run_app(scales: list[str]) -> dict[str, Any] | None:
    # The app's benchmark was bench/app.py and is now bench/app_pages.py; take whichever is there.
    script = next((p for p in (ROOT / "bench" / "app.py", ROOT / "bench" / "app_pages.py") if p.exists()), None)
    if script is None:
        return None
    cmd = [sys.executable, str(script), "--repeat", "3"]
    if "province" not in scales:
        cmd.append("--no-province")
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=1800)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds = time.perf_counter() - started
    print(f"  app       streamlit {'+'.join(s for s in scales if s in ('county', 'province')):9} {seconds:6.1f} s wall")
    return {
        "seconds": seconds,
        "rc": done.returncode,
        # RUSAGE_CHILDREN is the largest child so far; it only says something if the app was the largest.
        "rss_mb": after / 1024 if after > before else None,
        "script": script.name,
        "lines": done.stdout.strip().splitlines() + ([done.stderr.strip()[-1500:]] if done.returncode else []),
    }


def run_county(scales: list[str]) -> dict[str, Any] | None:
    """bench/county.py at the largest scale run: a county-layout workbook read (inspect) and loaded."""
    script = ROOT / "bench" / "county.py"
    scale = next((s for s in ("province", "city", "county") if s in scales), None)
    if not script.exists() or scale is None:
        return None
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script), "--scale", scale], capture_output=True, text=True, check=False, timeout=1800
    )
    seconds = time.perf_counter() - started
    print(f"  county    workbook  {scale:9} {seconds:6.1f} s wall", flush=True)
    return {
        "seconds": seconds,
        "rc": done.returncode,
        "scale": scale,
        "lines": done.stdout.strip().splitlines() + ([done.stderr.strip()[-1500:]] if done.returncode else []),
    }


def run_side_by_side(scales: list[str]) -> dict[str, Any]:
    """bench/side_by_side.py in a child process (its own children per engine and scale), printing as it goes."""
    wanted = [s for s in scales if s in SIDE_SCALES]
    if not os.environ.get("NEO4J_URI"):
        why = "NEO4J_URI is unset: `make bench` starts a Neo4j of its own, or point NEO4J_URI at a scratch server"
        print(f"  side by side NOT RUN: {why}", flush=True)
        return {"markdown": f"{SIDE_TITLE}\n\n**Not run:** {why}.\n"}
    with tempfile.TemporaryDirectory(prefix="bench-side-") as tmp:
        out = Path(tmp) / "side.json"
        cmd = [sys.executable, str(SIDE_BY_SIDE), "--scales", *wanted, "--json", str(out)]
        done = subprocess.run(cmd, check=False, timeout=3 * 3600)
        if done.returncode != 0 or not out.exists():
            why = f"bench/side_by_side.py failed (exit {done.returncode}); its output above says why"
            return {"markdown": f"{SIDE_TITLE}\n\n**Failed:** {why}.\n"}
        saved: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return saved


def replace_section(text: str, section: str) -> str:
    """`text` with its side-by-side section replaced by `section` (added before the county workbook's if absent)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip() == SIDE_TITLE), None)
    if start is None:
        at = next((i for i, ln in enumerate(lines) if ln.startswith("## County-layout")), len(lines))
        return "".join(lines[:at]) + section + "\n" + "".join(lines[at:])
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(lines[:start]) + section + ("\n" if end < len(lines) else "") + "".join(lines[end:])


def fit(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) on log(n): the k in time ~ n^k."""
    pts = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def shape(k: float | None) -> str:
    if k is None:
        return "n/a"
    if k < 0.85:
        return "sublinear (fixed costs still dominate at the small scales)"
    if k < 1.1:
        return "linear"
    if k < 1.35:
        return "slightly superlinear (n log n, or a growing term: see below)"
    return "superlinear: worse than the work requires"


def machine() -> dict[str, str]:
    mem_kb = 0
    cpu = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import ladybug

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu or "unknown",
        "load": f"{os.getloadavg()[0]:.1f}",
        "python": platform.python_version(),
        "ladybug": getattr(ladybug, "__version__", "?"),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def mb(row: dict[str, Any]) -> str:
    return f"{row['rss_mb']:.0f}"


def render(
    rows: list[dict[str, Any]],
    app: dict[str, Any] | None,
    info: dict[str, str],
    total_s: float,
    failures: list[str] | None = None,
    county: dict[str, Any] | None = None,
    side: dict[str, Any] | None = None,
) -> str:
    scales = [s for s in SCALES if any(r["scale"] == s for r in rows)]
    by = {(r["step"], r["engine"], r["scale"]): r for r in rows}
    villages = {r["scale"]: r["villages"] for r in rows if r["step"] != "matching"}
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/run_all.py) on {info['date']}: {info['cores']} cores ({info['cpu']}), "
        f"{info['memory']} memory, load average {info['load']} at the start (the cores are shared); "
        f"Python {info['python']}, ladybug {info['ladybug']}. The whole run took {total_s / 60:.1f} minutes "
        "(on this machine `make bench` takes about 4–6 minutes for county, city and province, and "
        "`make bench ARGS=--nation` about 17, without the side by side of Ladybug and Neo4j, which adds 10–13).",
        "",
        "Data: `graph.synth.generate(scale, 42)`; "
        + ", ".join(f"{s} {villages[s]:,} villages" for s in scales if s in villages)
        + f"; as-of date {ASOF}. Times are medians ({', '.join(f'{s} {RUNS[s]}' for s in scales)} runs); "
        "each cell is the median time, then the peak memory (RSS) of the step's own process during the timed "
        "step, and in brackets its RSS when the step began: its inputs already in memory (the dataset; the "
        "store or the networkx graph). Peak minus that is what the step itself needed.",
        "",
        *(["**Steps that failed:** " + "; ".join(failures) + ".", ""] if failures else []),
        "## Median time and peak memory",
        "",
        "| step | engine | " + " | ".join(scales) + " |",
        "| --- | --- | " + " | ".join("---" for _ in scales) + " |",
    ]

    def cells(step: str, engine: str) -> str:
        parts = []
        for s in scales:
            r = by.get((step, engine, s))
            parts.append("—" if r is None else f"{ms(r['seconds'])}, {mb(r)} MB ({r['rss_before_mb']:.0f})")
        return " | ".join(parts)

    out.append(f"| load (fresh file) | Ladybug | {cells('load', 'ladybug')} |")
    out.append(f"| load (build graph) | networkx | {cells('load', 'networkx')} |")
    for q in QUERIES:
        out.append(f"| {QUERY_TITLES[q]} | Ladybug, warm | {cells(q, 'ladybug')} |")
        out.append(f"| {QUERY_TITLES[q]} | networkx reference | {cells(q, 'networkx')} |")
    out.append(f"| matching | OR-Tools min-cost flow | {cells('matching', 'ortools')} |")
    out.append(f"| matching | greedy | {cells('matching', 'greedy')} |")

    out += [
        "",
        "## Comparisons measured in the same run",
        "",
        "Store vs networkx: the time ratio Ladybug / networkx (below 1: the store is faster), and whether "
        "both computed the same answer (rows compared in full through a hash).",
        "",
        "| step | " + " | ".join(scales) + " |",
        "| --- | " + " | ".join("---" for _ in scales) + " |",
    ]
    mismatches = []
    for step in ("load", *QUERIES):
        parts = []
        for s in scales:
            a, b = by.get((step, "ladybug", s)), by.get((step, "networkx", s))
            if a is None or b is None:
                parts.append("—")
                continue
            ratio = a["seconds"] / b["seconds"] if b["seconds"] else float("inf")
            same = ""
            if "digest" in a:
                same = ", same answer" if a["digest"] == b["digest"] else ", DIFFERENT answer"
                if a["digest"] != b["digest"]:
                    mismatches.append(f"{step} at {s}")
                same += f" ({a['rows']:,} rows)"
            parts.append(f"{ratio:.2f}×{same}")
        title = "load" if step == "load" else QUERY_TITLES[step]
        out.append(f"| {title} | " + " | ".join(parts) + " |")
    if mismatches:
        out += ["", "**The store and the reference disagree on: " + ", ".join(mismatches) + ".**"]

    out += [
        "",
        "Exact matcher vs greedy on the same instance (villages needing a partner / helper units; "
        "objective = cost + penalty for unmatched slots, lower is better). Times are end to end "
        "(`MatchProblem.from_frames`, scoring, candidates, solving, result); the solver alone in brackets.",
        "",
        "| scale | instance | arcs | OR-Tools (solve only) | greedy (solve only) | greedy objective vs optimum "
        "| slots matched (OR-Tools / greedy) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in scales:
        a, b = by.get(("matching", "ortools", s)), by.get(("matching", "greedy", s))
        if a is None or b is None:
            continue
        v, u, _ = MATCH_SIZES[s]
        worse = 100.0 * (b["objective"] - a["objective"]) / a["objective"] if a["objective"] else 0.0
        out.append(
            f"| {s} | {v:,} / {u:,} | {a['arcs']:,} | {ms(a['seconds'])} ({ms(a['solve_s'])}) "
            f"| {ms(b['seconds'])} ({ms(b['solve_s'])}) | {worse:+.1f}% "
            f"| {a['matched']:,} / {b['matched']:,} |"
        )

    out += [
        "",
        "## Growth",
        "",
        "Time ~ n^k, k fitted by least squares on log(time) against log(n) over the scales above "
        "(n = villages in the dataset; for matching, weak villages in the instance). "
        "The last column is the slope between the two largest scales, where fixed costs matter least.",
        "",
        "| step | k (all scales) | k (two largest) | reading |",
        "| --- | --- | --- | --- |",
    ]
    for step, engine in GROWTH_STEPS:
        pts = []
        for s in scales:
            r = by.get((step, engine, s))
            if r is not None:
                pts.append((float(r["villages"]), float(r["seconds"])))
        k = fit(pts)
        k2 = fit(pts[-2:]) if len(pts) >= 2 else None
        k_s = "n/a" if k is None else f"{k:.2f}"
        k2_s = "n/a" if k2 is None else f"{k2:.2f}"
        out.append(f"| {step} ({engine}) | {k_s} | {k2_s} | ~n^{k2_s}: {shape(k2)} |")
    out += ["", "GROWTH_NOTES", ""]

    if side is not None:
        out += [side["markdown"]]
    if county is not None:
        out += [
            f"## County-layout workbook (bench/county.py, {county['scale']})",
            "",
            "The synthetic programme written as a county keeps its ledger (tools/county_workbook.py, every quirk), "
            f"then `graph.interchange.inspect` and the load timed in a child process; {ms(county['seconds'])} "
            "for the whole script including writing the workbook"
            + ("." if county["rc"] == 0 else f"; it FAILED (exit {county['rc']})."),
            "",
            "```",
            *county["lines"],
            "```",
            "",
        ]
    if app is not None:
        out += [
            f"## App (bench/{app['script']})",
            "",
            f"Streamlit AppTest renders (server side, no browser), median of 3; {ms(app['seconds'])} for the "
            "whole script including building its stores"
            + ("" if app["rss_mb"] is None else f"; peak {app['rss_mb']:.0f} MB")
            + ("." if app["rc"] == 0 else f"; it FAILED (exit {app['rc']})."),
            "",
            "```",
            *app["lines"],
            "```",
            "",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--nation", action="store_true", help="also run the nation scale")
    parser.add_argument("--scales", nargs="+", choices=SCALES, default=None)
    parser.add_argument("--runs", type=int, default=None, help="runs per timing (default: by scale)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--no-app", action="store_true", help="skip bench/app.py")
    parser.add_argument("--no-county", action="store_true", help="skip bench/county.py")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw measurements here")
    parser.add_argument("--render", type=Path, default=None, help="re-write --out from a --json file")
    parser.add_argument("--no-side-by-side", action="store_true", help="skip bench/side_by_side.py")
    parser.add_argument(
        "--side-by-side-only", action="store_true", help="run only bench/side_by_side.py; rewrite only its section"
    )
    parser.add_argument("--child", nargs=3, metavar=("STEP", "ENGINE", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, engine, scale = args.child
        print(json.dumps(child(step, engine, scale, args.runs or RUNS[scale])))
        return

    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        text = render(
            saved["rows"],
            saved["app"],
            saved["info"],
            saved["total_s"],
            saved.get("failures"),
            saved.get("county"),
            saved.get("side"),
        )
        args.out.write_text(text.replace("GROWTH_NOTES", GROWTH_NOTES.strip()), encoding="utf-8")
        print(f"wrote {args.out} from {args.render}")
        return
    scales = args.scales or ["county", "city", "province", *(["nation"] if args.nation else [])]
    if args.side_by_side_only:
        only = run_side_by_side(scales)
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmark results\n\n"
        args.out.write_text(replace_section(old, only["markdown"]), encoding="utf-8")
        if args.json:
            args.json.write_text(json.dumps(only, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"wrote the side-by-side section of {args.out}")
        return
    info = machine()
    print(f"benchmarks at {', '.join(scales)}; {info['cores']} cores, load {info['load']}", flush=True)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    failures: list[str] = []
    for scale in scales:
        runs = args.runs or RUNS[scale]
        for step, engines in (
            ("load", ("ladybug", "networkx")),
            ("queries", ("ladybug", "networkx")),
            ("matching", ("ortools", "greedy")),
        ):
            for engine in engines:
                rows += run_child(step, engine, scale, runs, failures)
    county = None if args.no_county else run_county(scales)
    app = None if args.no_app else run_app(scales)
    side = None if args.no_side_by_side else run_side_by_side(scales)
    total_s = time.perf_counter() - started
    text = render(rows, app, info, total_s, failures, county, side)
    args.out.write_text(text.replace("GROWTH_NOTES", GROWTH_NOTES.strip()), encoding="utf-8")
    if args.json:
        saved = {
            "rows": rows,
            "app": app,
            "info": info,
            "total_s": total_s,
            "failures": failures,
            "county": county,
            "side": side,
        }
        args.json.write_text(json.dumps(saved, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
