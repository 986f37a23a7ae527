"""Stable mode (群众选对): village-proposing deferred acceptance with capacities on both sides.

The hospital-residents problem generalised to many-to-many: village j seeks `needed[j]` distinct
units, unit i takes at most its free capacity. Villages propose down their preference lists; a
full unit keeps the villages it ranks best and rejects the worst. The result has no blocking pair:
no unpaired (village, unit), acceptable to each other, where the village has an empty slot or
prefers the unit to one of its partners and the unit has room or prefers the village to one of its
villages. Village-proposing makes it the stable matching villages like best.

By default both sides rank by the pair score (ties to the lower index): villages over their top-k
candidates, units over the villages that propose to them. Explicit lists replace either side; a
unit or village missing from a list is unacceptable to its owner. Explicit lists skip the distance
and county limits (the villagers chose) but not excluded pairs or capacities.
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from graph.errors import Problem, ValidationError
from graph.matching.geo import haversine_km
from graph.matching.kept import open_candidates, preassign_kept
from graph.matching.problem import MatchProblem
from graph.matching.profile import Profile, load_profile
from graph.matching.result import MatchResult, assemble, timed
from graph.matching.scoring import Scorer

IntArray = npt.NDArray[np.int64]
Prefs = Mapping[str, Sequence[str]]


def stable(
    problem: MatchProblem,
    village_prefs: Prefs | None = None,
    unit_prefs: Prefs | None = None,
    profile: Profile | None = None,
    k: int | None = None,
) -> MatchResult:
    """Deferred acceptance; `village_prefs` maps village id -> unit ids best first, `unit_prefs`
    unit id -> village ids best first. Kept pairs are pre-assigned as in `solve`."""
    profile = profile if profile is not None else load_profile()
    started = time.perf_counter()
    scorer = Scorer(problem, profile)
    pre = preassign_kept(problem, profile)
    n_units = problem.n_units

    if village_prefs is None:
        cands = open_candidates(problem, profile, pre, scorer, k)
        vi, ui, cost = cands.village, cands.unit, cands.cost  # sorted by village, then cost, unit
        pool = None
    else:
        vi, ui = _explicit_village_lists(problem, profile, village_prefs, pre.pairs)
        cost = scorer.score(vi, ui).cost
        pool = (vi, ui)
    unit_rank = None if unit_prefs is None else _unit_ranks(problem, unit_prefs)
    scored = time.perf_counter()

    lists: list[list[tuple[int, int]]] = [[] for _ in range(problem.n_villages)]
    for j, i, c in zip(vi.tolist(), ui.tolist(), cost.tolist(), strict=True):
        lists[j].append((i, c))
    matched_v, matched_u = _deferred_acceptance(
        lists, pre.need.tolist(), pre.free.tolist(), unit_rank, problem.n_villages
    )
    solved = time.perf_counter()

    village = np.concatenate((pre.village, matched_v))
    unit = np.concatenate((pre.unit, matched_u))
    km = haversine_km(
        problem.village_lat[village], problem.village_lon[village], problem.unit_lat[unit], problem.unit_lon[unit]
    )
    kept = np.arange(len(village)) < len(pre.village)
    free_after = pre.free - np.bincount(matched_u, minlength=n_units)
    result = assemble(
        problem,
        profile,
        scorer,
        "stable",
        village,
        unit,
        km,
        kept,
        free_after,
        vi * n_units + ui,
        len(vi),
        pre.issues,
        pool,
    )
    return timed(result, started, scored, solved)


def _deferred_acceptance(
    lists: list[list[tuple[int, int]]],
    need: list[int],
    free: list[int],
    unit_rank: list[dict[int, int]] | None,
    n_villages: int,
) -> tuple[IntArray, IntArray]:
    """Many-to-many village-proposing DA; returns the matched (village, unit) index arrays."""
    # held[i] is a max-heap (negated keys) of the villages unit i holds, worst on top.
    held: list[list[tuple[int, int]]] = [[] for _ in free]
    nxt = [0] * len(lists)
    queue = deque(j for j, lst in enumerate(lists) if need[j] > 0 and lst)
    while queue:
        j = queue.popleft()
        lst = lists[j]
        while need[j] > 0 and nxt[j] < len(lst):
            i, cost = lst[nxt[j]]
            nxt[j] += 1
            if unit_rank is None:
                key = cost * n_villages + j  # the unit ranks by pair score, ties to the lower village index
            else:
                rank = unit_rank[i].get(j)
                if rank is None:
                    continue  # the unit does not accept this village
                key = rank
            heap = held[i]
            if len(heap) < free[i]:
                heapq.heappush(heap, (-key, j))
                need[j] -= 1
            elif heap and -heap[0][0] > key:
                _, rejected = heapq.heapreplace(heap, (-key, j))
                need[j] -= 1
                need[rejected] += 1
                queue.append(rejected)  # it resumes down its list after the last unit it asked
    pairs = [(j, i) for i, heap in enumerate(held) for _, j in heap]
    pairs.sort()
    v = np.array([p[0] for p in pairs], dtype=np.int64)
    u = np.array([p[1] for p in pairs], dtype=np.int64)
    return v, u


def _explicit_village_lists(
    problem: MatchProblem, profile: Profile, prefs: Prefs, kept_pairs: Sequence[tuple[str, str]]
) -> tuple[IntArray, IntArray]:
    problems: list[Problem] = []
    skip = problem.excluded | profile.excluded | set(kept_pairs)
    vi: list[int] = []
    ui: list[int] = []
    for village_id, unit_ids in prefs.items():
        j = problem.village_index.get(village_id)
        if j is None:
            problems.append(Problem("village_prefs", None, "village", village_id, "unknown village"))
            continue
        for unit_id in dict.fromkeys(unit_ids):
            i = problem.unit_index.get(unit_id)
            if i is None:
                problems.append(Problem("village_prefs", None, village_id, unit_id, "unknown unit"))
            elif (unit_id, village_id) not in skip:
                vi.append(j)
                ui.append(i)
    if problems:
        raise ValidationError(problems)
    return np.array(vi, dtype=np.int64), np.array(ui, dtype=np.int64)


def _unit_ranks(problem: MatchProblem, prefs: Prefs) -> list[dict[int, int]]:
    problems: list[Problem] = []
    ranks: list[dict[int, int]] = [{} for _ in range(problem.n_units)]
    for unit_id, village_ids in prefs.items():
        i = problem.unit_index.get(unit_id)
        if i is None:
            problems.append(Problem("unit_prefs", None, "unit", unit_id, "unknown unit"))
            continue
        for village_id in village_ids:
            j = problem.village_index.get(village_id)
            if j is None:
                problems.append(Problem("unit_prefs", None, unit_id, village_id, "unknown village"))
            else:
                ranks[i].setdefault(j, len(ranks[i]))
    if problems:
        raise ValidationError(problems)
    return ranks
