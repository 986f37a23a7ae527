"""Kept pairs: the planner's must-have pairings, assigned before any solver runs.

Pre-assigning (rather than giving the arc a very low cost) makes "kept whenever feasible" exact
for every mode alike (min-cost flow, greedy, stable): the pair takes one unit of the village's
need and one of the unit's free capacity, and the solvers see only what is left. A kept pair
overrides the distance and same-county limits (the planner chose it knowingly) but not the
problem's exclusions, capacity or need; a pair that cannot be honoured is reported, not dropped
silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.matching.candidates import Candidates, build_candidates
from graph.matching.problem import MatchProblem, Pair
from graph.matching.profile import Profile
from graph.matching.scoring import Scorer

IntArray = npt.NDArray[np.int64]

KEPT_REASONS = ("unknown_unit", "unknown_village", "excluded", "village_full", "unit_full")


@dataclass(frozen=True)
class KeptIssue:
    """A kept pair that could not be honoured, and why (one of `KEPT_REASONS`)."""

    unit_id: str
    village_id: str
    reason: str


@dataclass(frozen=True, eq=False)
class Preassigned:
    """Kept pairs assigned, and the need and free capacity left for the solvers."""

    village: IntArray
    unit: IntArray
    issues: tuple[KeptIssue, ...]
    need: IntArray
    free: IntArray
    pairs: tuple[Pair, ...]  # the honoured pairs as (unit_id, village_id), to exclude from candidates


def preassign_kept(problem: MatchProblem, profile: Profile) -> Preassigned:
    """Assign `problem.kept` then `profile.kept` in order, as far as need and capacity allow."""
    need = problem.village_needed.copy()
    free = problem.free_capacity(profile.default_capacity).copy()
    vi: list[int] = []
    ui: list[int] = []
    issues: list[KeptIssue] = []
    honoured: list[Pair] = []
    excluded = problem.excluded | profile.excluded
    for pair in dict.fromkeys((*problem.kept, *profile.kept)):
        unit_id, village_id = pair
        i = problem.unit_index.get(unit_id)
        j = problem.village_index.get(village_id)
        if i is None or j is None:
            issues.append(KeptIssue(unit_id, village_id, "unknown_unit" if i is None else "unknown_village"))
            continue
        reason = (
            "excluded"
            if pair in excluded
            else "village_full"
            if need[j] <= 0
            else "unit_full"
            if free[i] <= 0
            else None
        )
        if reason is not None:
            issues.append(KeptIssue(unit_id, village_id, reason))
            continue
        need[j] -= 1
        free[i] -= 1
        vi.append(j)
        ui.append(i)
        honoured.append(pair)
    return Preassigned(
        np.array(vi, dtype=np.int64), np.array(ui, dtype=np.int64), tuple(issues), need, free, tuple(honoured)
    )


def open_candidates(
    problem: MatchProblem, profile: Profile, pre: Preassigned, scorer: Scorer, k: int | None
) -> Candidates:
    """The candidates left once the kept pairs are placed: villages still short, units with room, kept pairs out."""
    return build_candidates(
        problem,
        profile,
        k=k,
        villages=np.flatnonzero(pre.need > 0),
        unit_ok=pre.free > 0,
        extra_excluded=pre.pairs,
        scorer=scorer,
    )
