"""Capacitated assignment of units to weak villages, solved exactly as a min-cost flow.

The network, after kept pairs are pre-assigned (see `kept.py`):

    village j (supply need[j]) --cap 1, cost c(j,i)--> unit i --cap free[i], cost 0--> sink (demand sum need)
    village j --cap need[j], cost penalty--> sink                        ("unmatched" arc)

Supplies on the villages replace the usual source -> village arcs of capacity need[j]: every such
arc would be saturated anyway (the unmatched arc keeps the flow feasible), so the optimum is the
same with one arc fewer per village. A flow of 1 on village -> unit is a proposal; the flow on the
unmatched arc is the number of empty slots.

Solvers: `ortools` (production, `SimpleMinCostFlow`), `networkx` (reference, `network_simplex` on
the very same arcs; slow, tests and county scale only) and `greedy` (baseline: arcs by cost
ascending, taken while both ends have room and the arc beats leaving the slot empty).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from graph.matching.candidates import Candidates
from graph.matching.geo import haversine_km
from graph.matching.kept import open_candidates, preassign_kept
from graph.matching.problem import MatchProblem
from graph.matching.profile import Profile, load_profile
from graph.matching.result import MatchResult, assemble, timed
from graph.matching.scoring import Scorer, penalty_cost

IntArray = npt.NDArray[np.int64]
Solver = Literal["ortools", "networkx", "greedy"]
SOLVERS: tuple[str, ...] = ("ortools", "networkx", "greedy")


@dataclass(frozen=True, eq=False)
class FlowNetwork:
    """The arcs of the network above, for one set of candidates. Node ids: villages 0..V-1, units
    V..V+U-1 (only units that appear in an arc), sink V+U."""

    n_nodes: int
    tail: IntArray
    head: IntArray
    capacity: IntArray
    cost: IntArray
    supply: IntArray
    n_pair_arcs: int  # arcs 0..n_pair_arcs-1 are the village -> unit arcs, in candidate order


def solve(
    problem: MatchProblem,
    profile: Profile | None = None,
    solver: Solver = "ortools",
    k: int | None = None,
) -> MatchResult:
    """Propose partners for every village: kept pairs first, then an optimal (or greedy) assignment."""
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, got {solver!r}")
    profile = profile if profile is not None else load_profile()
    started = time.perf_counter()
    scorer = Scorer(problem, profile)
    pre = preassign_kept(problem, profile)
    candidates = open_candidates(problem, profile, pre, scorer, k)
    scored = time.perf_counter()

    penalty = penalty_cost(profile)
    if solver == "greedy":
        chosen = _greedy(candidates, pre.need, pre.free, penalty)
    else:
        network = flow_network(candidates, pre.need, pre.free, penalty)
        chosen = _ortools(network) if solver == "ortools" else _networkx(network)
    solved = time.perf_counter()

    free_after = pre.free - np.bincount(candidates.unit[chosen], minlength=problem.n_units)
    village = np.concatenate((pre.village, candidates.village[chosen]))
    unit = np.concatenate((pre.unit, candidates.unit[chosen]))
    kept_km = haversine_km(
        problem.village_lat[pre.village],
        problem.village_lon[pre.village],
        problem.unit_lat[pre.unit],
        problem.unit_lon[pre.unit],
    )
    km = np.concatenate((kept_km, candidates.distance_km[chosen]))
    kept = np.arange(len(village)) < len(pre.village)
    result = assemble(
        problem,
        profile,
        scorer,
        solver,
        village,
        unit,
        km,
        kept,
        free_after,
        candidates.keys(problem.n_units),
        len(candidates),
        pre.issues,
    )
    return timed(result, started, scored, solved)


def flow_network(candidates: Candidates, need: IntArray, free: IntArray, penalty: int) -> FlowNetwork:
    """The min-cost-flow network for `candidates`, villages needing `need`, units with `free` capacity."""
    villages = np.flatnonzero(need > 0)
    v_node = np.full(len(need), -1, dtype=np.int64)
    v_node[villages] = np.arange(len(villages))
    # Compact unit numbering by a linear pass (np.unique would sort 10^5-10^6 arcs).
    used = np.bincount(candidates.unit, minlength=len(free)) > 0
    units = np.flatnonzero(used)
    u_local = (np.cumsum(used) - 1)[candidates.unit]
    n_v, n_u = len(villages), len(units)
    sink = n_v + n_u
    pair_tail = v_node[candidates.village]
    if (pair_tail < 0).any():
        raise ValueError("a candidate arc starts at a village that needs nobody")
    tail = np.concatenate((pair_tail, n_v + np.arange(n_u), np.arange(n_v)))
    head = np.concatenate((n_v + u_local, np.full(n_u + n_v, sink)))
    capacity = np.concatenate((np.ones(len(candidates), dtype=np.int64), free[units], need[villages]))
    cost = np.concatenate((candidates.cost, np.zeros(n_u, dtype=np.int64), np.full(n_v, penalty, dtype=np.int64)))
    supply = np.concatenate((need[villages], np.zeros(n_u, dtype=np.int64), [-int(need[villages].sum())]))
    return FlowNetwork(sink + 1, tail, head, capacity, cost, supply.astype(np.int64), len(candidates))


def _ortools(network: FlowNetwork) -> IntArray:
    """Positions of the candidate arcs carrying flow in an optimal solution."""
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        network.tail.astype(np.int32), network.head.astype(np.int32), network.capacity, network.cost
    )
    flow.set_nodes_supplies(np.arange(network.n_nodes, dtype=np.int32), network.supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status}")
    flows = np.asarray(flow.flows(np.arange(network.n_pair_arcs, dtype=np.int32)))
    return np.flatnonzero(flows > 0)


def _networkx(network: FlowNetwork) -> IntArray:
    """As `_ortools`, with networkx's network simplex (the reference solver)."""
    graph = nx.DiGraph()
    # networkx's demand is the negative of a supply.
    graph.add_nodes_from((n, {"demand": -int(s)}) for n, s in enumerate(network.supply))
    graph.add_edges_from(
        (int(t), int(h), {"capacity": int(c), "weight": int(w)})
        for t, h, c, w in zip(network.tail, network.head, network.capacity, network.cost, strict=True)
    )
    _, flow = nx.network_simplex(graph)
    pairs = zip(network.tail[: network.n_pair_arcs], network.head[: network.n_pair_arcs], strict=True)
    return np.array([a for a, (t, h) in enumerate(pairs) if flow[int(t)][int(h)] > 0], dtype=np.int64)


def _greedy(candidates: Candidates, need: IntArray, free: IntArray, penalty: int) -> IntArray:
    """Best-score-first: arcs by (cost, village, unit), each taken if both ends still have room."""
    order = np.lexsort((candidates.unit, candidates.village, candidates.cost))
    need_left = need.tolist()
    free_left = free.tolist()
    chosen = []
    villages = candidates.village.tolist()
    units = candidates.unit.tolist()
    costs = candidates.cost.tolist()
    for a in order.tolist():
        if costs[a] >= penalty:
            break  # sorted by cost: no later arc beats an empty slot either
        j, i = villages[a], units[a]
        if need_left[j] > 0 and free_left[i] > 0:
            need_left[j] -= 1
            free_left[i] -= 1
            chosen.append(a)
    return np.array(sorted(chosen), dtype=np.int64)
