"""Ladybug and Neo4j side by side: the load, each gap list and matching propose + apply, in one run.

    python bench/side_by_side.py                          # county, city and province
    python bench/side_by_side.py --scales county city --json /tmp/side.json

The Neo4j server is the one NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD name (`make bench` starts one of its own
when NEO4J_URI is unset). The bench empties it: it refuses a server that holds data unless
PAIRING_NEO4J_WIPE=1 says the server is disposable, as the tests do (tools/neo4j/with-neo4j.sh sets it).

For each scale (`graph.synth.generate(scale, 42)`) each engine runs in a child process of its own, Ladybug first,
then Neo4j, so the two measurements of a step are minutes apart at most. Building the dataset is not timed.

- load: Ladybug into a fresh file (open, load, close: the close is its checkpoint); Neo4j into the emptied server
  (`Neo4jStore.load`: one transaction; the wipe before it is not timed). Should the one transaction fail (a heap
  too small for the whole ledger), the failure is recorded and the load is timed as a department would have to do
  it: in transactions of 5,000 rows through the same load queries, as `pairing migrate` writes.
- each gap list: the lists bench/queries.py times, on the loaded store, warm (run twice first), median of a few
  runs; the two engines' answers are compared in full (a hash of the rows).
- matching: `graph.proposals.propose` (read the graph, build the problem, OR-Tools), warm, median of a few runs,
  then `graph.proposals.apply` of all its proposals once (it writes: a second apply would find nothing to do).

It prints one line per step, `STEP @ SCALE: ladybug X, neo4j Y, ratio Y/X`, and with `--json` writes the
measurements and the markdown section that bench/run_all.py puts into bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from queries import cases  # noqa: E402  (bench/queries.py: the gap lists it times)
from run_all import digest, timed  # noqa: E402

SCALES = ("county", "city", "province")
ENGINES = ("ladybug", "neo4j")
ASOF = dt.date(2026, 11, 1)  # graph.synth.REFERENCE_DATE: the synthetic data's "today"
# Timed runs per step. A province load into Neo4j takes tens of seconds (and a wipe before each), so once there.
LOAD_RUNS = {"county": 3, "city": 3, "province": 1}
QUERY_RUNS = {"county": 5, "city": 5, "province": 3}
PROPOSE_RUNS = {"county": 3, "city": 3, "province": 2}
# Untimed runs before the timed ones: the first plans the query and fills the caches; Neo4j's JIT wants a second.
WARMUPS = 2
CHILD_TIMEOUT_S = 3600
LOAD_BATCH = 5_000  # rows a transaction when the load must go in batches: graph.migrate's default
# Step names in the order they are printed and tabled; the gap lists sit between load and propose.
FIRST_STEPS = ("load",)
# What the figures mean, from the measurements and the code: kept with the script so that a re-run keeps the
# explanation next to the numbers (say which run it describes, and update it when the numbers change).
SIDE_NOTES = """
**Reading the ratios** (the run above: `make bench ARGS=--side-by-side-only`, 12.4 minutes with a Neo4j the
Makefile started with a 6 GB heap; load average 10–16 on the 2 cores throughout. A whole `make bench` would take
more than 15 minutes on this shared machine, so only this section was rewritten: the sections above are from the
full run they name).

- **Load: Neo4j 5–7× slower** (province 142 s against 20 s). Ladybug COPYs each table into its file; Neo4j
  MERGEs 5,000 rows per `UNWIND` over Bolt, and its time includes the statistics refresh after the commit (about
  1 s at province). The province went in one transaction on the 6 GB heap. On the launcher's 2 GB default it does
  not (checked separately the same day, 15:30 UTC: `MemoryPoolOutOfMemoryError` after 80 s, at the 1.4 GiB of
  `dbms.memory.transaction.total.max`), while 124 transactions of 5,000 rows loaded the same province, all 560,193
  nodes and links, in 42.6 s, and `Neo4jStore.wipe` (10,000 nodes a transaction) emptied it in 10 s. With a heap
  that small a department loads a province with `pairing migrate` (5,000 rows a transaction) or the `neo4j-admin`
  bulk import (docs/neo4j.md); should the one transaction fail here, this script times that batched path instead
  and says so above. The one big transaction is not only the hungrier but also the slower way (142 s against
  42.6 s, though in different runs of a noisy machine). County's 11.8 s on Neo4j is the first load into a freshly
  started server (a cold JVM).
- **Gap lists: Neo4j 2.5–7× slower at province for most lists, the same rows in the same order** for every list
  at every scale (the outliers: expiring cadres 13× and unit load 32×, 0.7 s and 1.9 s against 56 and 61 ms).
  At county and city both engines answer in a few to a hundred-odd milliseconds, where per-query costs (a Bolt
  round trip, the driver building rows) and the shared machine dominate: ratios there swing between runs (the
  unpaired list at city measured 2.7× and 60× in two runs of the same day), so read them as "both are instant",
  not as a ranking.
- **A bug this benchmark found and that is fixed:** right after a bulk load Neo4j planned queries from the index
  samples of the empty store (estimated rows 0), and the unpaired-gap list on a fresh province scanned every
  village once per weak village: more than ten minutes instead of 0.9 s. `Neo4jStore.load`, `load_removing`,
  `replace_all` and `migrate` now run graph/cypher/load/replan.cypher (`db.prepareForReplanning`) afterwards.
- **Matching: propose 2.4×, apply 1.3× at province** (2,357 pairings written in one transaction with their locks,
  permission and freshness checks and the audit entry). Both engines proposed the same pairs.
"""
LAST_STEPS = ("propose", "apply")


def gap_cases() -> dict[str, Callable[[Any], object]]:
    # The very lists bench/queries.py times (the gap-list registry and two usual filters).
    return cases(ASOF)


# ---------------------------------------------------------------- child side


def load_in_batches(store: Any, dataset: Any, size: int = LOAD_BATCH) -> int:
    """Write `dataset` as `graph.migrate` does, `size` rows a transaction through the load queries; how many."""
    from graph.model import NODES, RELS
    from graph.store.base import batches, link_rows, merge_links, merge_nodes

    count = 0
    for node in NODES:
        for chunk in batches(dataset.nodes.get(node.label, []), size):
            with store.transaction() as tx:
                merge_nodes(tx, node, chunk, None)
            count += 1
    for rel in RELS:
        for (src, dst), rows in link_rows(dataset, rel.type).items():
            for chunk in batches(rows, size):
                with store.transaction() as tx:
                    merge_links(tx, rel, src, dst, chunk, None)
                count += 1
    store.refresh_statistics()  # as `Neo4jStore.load` and `migrate` do after their writes
    return count


def open_neo4j() -> Any:
    from graph.store import Neo4jStore

    uri = os.environ.get("NEO4J_URI")
    if not uri:
        raise SystemExit("no Neo4j server: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD, or run `make bench`")
    store = Neo4jStore(uri)
    if not os.environ.get("PAIRING_NEO4J_WIPE") and not store.is_empty():
        store.close()
        raise SystemExit(
            f"{uri} holds data and the bench empties it: use a scratch server (`make bench` starts one) "
            "or set PAIRING_NEO4J_WIPE=1 if this one is disposable"
        )
    return store


def progress(text: str) -> None:
    """A line on stderr, which the parent echoes as it comes (stdout carries the result)."""
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def child(engine: str, scale: str) -> list[dict[str, Any]]:
    from graph import proposals, synth
    from graph.store import LadybugStore

    dataset = synth.generate(scale, 42)
    base = {"scale": scale, "engine": engine, "villages": len(dataset.nodes["Village"])}
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-side-") as tmp:
        store: Any
        if engine == "ladybug":
            paths: list[Path] = []

            def load_once() -> None:
                path = Path(tmp) / f"load-{len(paths)}.lbug"
                paths.append(path)
                fresh = LadybugStore(path)
                fresh.load(dataset)
                fresh.close()

            seconds, _ = timed(load_once, LOAD_RUNS[scale])
            progress(f"loaded in {seconds:.2f} s (median of {LOAD_RUNS[scale]})")
            out.append({**base, "step": "load", "seconds": seconds, "how": "one transaction"})
            store = LadybugStore(paths[-1])
        else:
            store = open_neo4j()
            how, failure, times = "one transaction", None, []
            for _ in range(LOAD_RUNS[scale]):
                store.wipe()
                start = time.perf_counter()
                if failure is None:
                    try:
                        store.load(dataset)
                    except Exception as exc:  # the server's memory limit, told through the driver
                        failed_after = time.perf_counter() - start
                        failure = f"{type(exc).__name__} after {failed_after:.0f} s: {str(exc).splitlines()[0][:300]}"
                        progress(f"one transaction failed: {failure}")
                        store.wipe()
                        start = time.perf_counter()
                if failure is not None:
                    n = load_in_batches(store, dataset)
                    how = f"{n:,} transactions of up to {LOAD_BATCH:,} rows"
                times.append(time.perf_counter() - start)
                progress(f"loaded in {times[-1]:.2f} s ({how})")
            out.append({**base, "step": "load", "seconds": statistics.median(times), "how": how, "failure": failure})
        try:
            for name, run in gap_cases().items():
                for _ in range(WARMUPS):
                    run(store)
                seconds, rows = timed(functools.partial(run, store), QUERY_RUNS[scale])
                n = len(rows) if isinstance(rows, list) else 0
                out.append({**base, "step": name, "seconds": seconds, "rows": n, "digest": digest(rows)})
                progress(f"{name}: {fmt(seconds)}")
            for _ in range(WARMUPS):
                proposals.propose(store, ASOF)
            seconds, match = timed(lambda: proposals.propose(store, ASOF), PROPOSE_RUNS[scale])
            pairs = sorted((p.unit_id, p.village_id) for p in match.result.proposals)
            out.append({**base, "step": "propose", "seconds": seconds, "rows": len(pairs), "digest": digest(pairs)})
            progress(f"propose: {fmt(seconds)}, {len(pairs):,} proposals")
            start = time.perf_counter()
            written = proposals.apply(store, match, actor="bench")
            out.append({**base, "step": "apply", "seconds": time.perf_counter() - start, "rows": written})
        finally:
            store.close()
    return out


def server_info() -> dict[str, str]:
    """The Neo4j server's version and its JVM's maximum heap, as it reports them (not what we asked for)."""
    import neo4j

    info = {"neo4j": "?", "heap": "?"}
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return info
    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    # Administrative procedures of the server, not queries of the application: hence not in graph/cypher/.
    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
        try:
            rows, _, _ = driver.execute_query("CALL dbms.components() YIELD versions, edition RETURN versions, edition")
            info["neo4j"] = f"{rows[0]['versions'][0]} {rows[0]['edition']}"
            rows, _, _ = driver.execute_query(
                "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                "RETURN attributes.HeapMemoryUsage.value.properties.max AS max"
            )
            info["heap"] = f"{int(rows[0]['max']) / 2**30:.1f} GiB"
        except Exception as exc:  # an older server or one without the procedures: say so, measure anyway
            info["heap"] = f"unknown ({type(exc).__name__})"
    return info


# ---------------------------------------------------------------- parent side


def run_child(engine: str, scale: str, failures: list[str]) -> list[dict[str, Any]]:
    """One engine at one scale in its own process; its progress (stderr) is echoed as it comes, its rows returned."""
    cmd = [sys.executable, __file__, "--child", engine, scale]
    started = time.perf_counter()
    child_process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # A province on Neo4j takes minutes: a timer ends a child that hangs (a server that stopped answering).
    timer = threading.Timer(CHILD_TIMEOUT_S, child_process.kill)
    timer.start()
    said: list[str] = []
    assert child_process.stderr is not None and child_process.stdout is not None
    for text in child_process.stderr:  # stdout is one JSON line: it waits in its pipe meanwhile
        said.append(text.rstrip())
        print(f"    {engine} {scale}: {text.rstrip()}", flush=True)
    stdout = child_process.stdout.read()
    returncode = child_process.wait()
    timer.cancel()
    if returncode != 0:
        last = (said or [f"exit status {returncode}"])[-1]
        if returncode == -signal.SIGKILL:
            last = f"no result within {CHILD_TIMEOUT_S} s"
        failures.append(f"{engine} at {scale} failed (exit {returncode}): {last}")
        print(f"  side by side {engine:8} {scale:9} FAILED", flush=True)
        return []
    rows: list[dict[str, Any]] = json.loads(stdout.strip().splitlines()[-1])
    print(f"  side by side {engine:8} {scale:9} {time.perf_counter() - started:6.1f} s wall", flush=True)
    return rows


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def steps(rows: list[dict[str, Any]]) -> list[str]:
    middle = [r["step"] for r in rows if r["engine"] == "ladybug" and r["step"] not in (*FIRST_STEPS, *LAST_STEPS)]
    return [*FIRST_STEPS, *dict.fromkeys(middle), *LAST_STEPS]


def pair(rows: list[dict[str, Any]], step: str, scale: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    by = {(r["step"], r["engine"], r["scale"]): r for r in rows}
    return by.get((step, "ladybug", scale)), by.get((step, "neo4j", scale))


def line(rows: list[dict[str, Any]], step: str, scale: str) -> str | None:
    a, b = pair(rows, step, scale)
    if a is None and b is None:
        return None
    x = "—" if a is None else fmt(a["seconds"])
    y = "—" if b is None else fmt(b["seconds"])
    ratio = f"{b['seconds'] / a['seconds']:.2f}" if a and b and a["seconds"] else "—"
    return f"{step} @ {scale}: ladybug {x}, neo4j {y}, ratio {ratio}"


def run(scales: list[str]) -> dict[str, Any]:
    """Every scale on both engines; prints the lines and returns what `render` needs."""
    info = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": f"{os.getloadavg()[0]:.1f}",
        **server_info(),
    }
    print(f"side by side at {', '.join(scales)}: Neo4j {info['neo4j']}, heap {info['heap']}", flush=True)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    failures: list[str] = []
    for scale in scales:
        scale_rows: list[dict[str, Any]] = []
        for engine in ENGINES:
            scale_rows += run_child(engine, scale, failures)
        for step in steps(scale_rows):
            text = line(scale_rows, step, scale)
            if text:
                print(text, flush=True)
        rows += scale_rows
    saved = {"rows": rows, "info": info, "failures": failures, "total_s": time.perf_counter() - started}
    saved["markdown"] = render(saved)
    return saved


def render(saved: dict[str, Any]) -> str:
    """The "Ladybug and Neo4j side by side" section of bench/results.md."""
    rows, info, failures = saved["rows"], saved["info"], saved["failures"]
    scales = [s for s in SCALES if any(r["scale"] == s for r in rows)]
    villages = {r["scale"]: r["villages"] for r in rows}
    out = [
        "## Ladybug and Neo4j side by side",
        "",
        f"bench/side_by_side.py on {info['date']} (load average {info['load']} at its start), "
        f"{saved['total_s'] / 60:.1f} minutes: the embedded store in a fresh file against a Neo4j {info['neo4j']} "
        f"server on the same machine (the test launcher, tools/neo4j, reached over Bolt on 127.0.0.1) with a "
        f"**heap of {info['heap']}** (the JVM's maximum, as the server reports it; page cache at Neo4j's default). "
        "Data: `graph.synth.generate(scale, 42)`, "
        + ", ".join(f"{s} {villages[s]:,} villages" for s in scales)
        + f"; as-of date {ASOF}. The machine is shared (2 cores, other work running): absolute times vary "
        "between runs by up to 2×, so the ratios below were all measured in this one run, each scale's two "
        "engines one after the other.",
        "",
        f"Each cell: Ladybug, Neo4j, and the ratio Neo4j / Ladybug (above 1: Neo4j is slower). Load: median of "
        f"{', '.join(f'{s} {LOAD_RUNS[s]}' for s in scales)} runs (Ladybug: open, load, close a fresh file; Neo4j: "
        "`Neo4jStore.load` into the emptied server). Gap lists: warm (run twice first), median of "
        f'{", ".join(f"{s} {QUERY_RUNS[s]}" for s in scales)} runs; "same" says both engines returned the same '
        "rows in the same order (compared in full through a hash). Propose: `graph.proposals.propose` (reading "
        "the graph, building the problem, OR-Tools) warm, median of "
        f"{', '.join(f'{s} {PROPOSE_RUNS[s]}' for s in scales)} runs; apply: `graph.proposals.apply` of every "
        "proposal, one transaction, once.",
        "",
        *(["**Steps that failed:** " + "; ".join(failures) + ".", ""] if failures else []),
        "| step | " + " | ".join(scales) + " |",
        "| --- | " + " | ".join("---" for _ in scales) + " |",
    ]
    notes: list[str] = []
    for step in steps(rows):
        cells = []
        for s in scales:
            a, b = pair(rows, step, s)
            if a is None or b is None:
                cells.append("—")
                continue
            cell = f"{fmt(a['seconds'])}, {fmt(b['seconds'])}, **{b['seconds'] / a['seconds']:.1f}×**"
            if "digest" in a:
                same = "same" if a["digest"] == b.get("digest") else "DIFFERENT"
                cell += f" ({same}, {a['rows']:,} row{'' if a['rows'] == 1 else 's'})"
            elif step == "apply":
                cell += f" ({a['rows']:,} / {b['rows']:,} written)"
            if step == "load" and b.get("failure"):
                cell += f" (in batches: {b['how']})"
                notes.append(
                    f"- **The Neo4j load at {s} could not go in one transaction** on this heap: "
                    f"`Neo4jStore.load` failed with `{b['failure']}`. The time shown is the load as a department "
                    f"with this server would have to do it: the same `load/` queries, {b['how']} "
                    "(what `pairing --db FILE.lbug migrate --to bolt://…` does, with the rows taken from the "
                    "dataset in memory instead of a Ladybug file), so not atomic. See docs/neo4j.md, "
                    '"Getting the data in".'
                )
            cells.append(cell)
        out.append(f"| {step} | " + " | ".join(cells) + " |")
    different = [
        f"{step} at {s}"
        for step in steps(rows)
        for s in scales
        if (ab := pair(rows, step, s))[0] is not None
        and ab[1] is not None
        and "digest" in ab[0]
        and ab[0]["digest"] != ab[1].get("digest")
    ]
    if different:
        notes.append("- **The engines returned different answers for: " + ", ".join(different) + ".**")
    if notes:
        out += ["", *notes]
    out += ["", SIDE_NOTES.strip()]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scales", nargs="+", choices=SCALES, default=list(SCALES))
    parser.add_argument("--json", type=Path, default=None, help="write the measurements and the section here")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, scale = args.child
        print(json.dumps(child(engine, scale)))
        return
    saved = run(args.scales)
    if args.json:
        args.json.write_text(json.dumps(saved, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
