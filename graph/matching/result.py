"""What every matching mode returns, and the rule that says why a village stayed short.

Unmatched reasons, decided in this order for a village that got fewer partners than `needed`
(its "pool" is every unit inside the hard limits -- distance, county, exclusions -- whatever its
capacity, minus the units already proposed for this village; in stable mode with explicit
preferences, the pool is the village's own preference list):
- `no_candidate`: the pool is empty: no (further) unit lies within the limits.
- `all_full`: every unit in the pool is at capacity after the assignment: it had no free capacity
  to begin with, or it was filled by kept pairs or by assignments the solver judged better.
- `declined`: a unit on the village's candidate list still has room, yet was not used: under
  min-cost flow and greedy that means pairing it scores no better than leaving the slot empty
  (score <= 1 - unmatched_penalty); in stable mode, the unit does not find the village acceptable.
- `not_shortlisted`: units with room exist in the pool, but none made the village's top-k
  candidate list; a larger k would reach them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from graph.matching.candidates import LimitFilter
from graph.matching.kept import KeptIssue
from graph.matching.problem import MatchProblem
from graph.matching.profile import PARTS, UNIT_KINDS, Profile
from graph.matching.scoring import Scorer, penalty_cost

# Declared with their words in graph.model; graph.matching names them from here.
from graph.model import UNMATCHED_REASONS as UNMATCHED_REASONS

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

PROPOSAL_COLUMNS = ("village_id", "unit_id", "unit_kind", "score", "cost", "distance_km", "kept", *PARTS)


@dataclass(frozen=True)
class Proposal:
    """One proposed pairing and the score parts that explain it."""

    village_id: str
    unit_id: str
    unit_kind: str
    score: float
    parts: Mapping[str, float]
    distance_km: float | None  # None when either end lacks coordinates
    cost: int
    kept: bool = False


@dataclass(frozen=True)
class Unmatched:
    """A village left `missing` partners short, and why (one of `UNMATCHED_REASONS`)."""

    village_id: str
    missing: int
    reason: str


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Proposals, villages left short, kept pairs not honoured, objective and timings.

    `table` holds the proposals column by column (`PROPOSAL_COLUMNS`), which is what the store
    writes; `proposals` is the same as objects. `objective` is the total cost the solvers minimise:
    the sum of proposal costs (kept pairs included) plus the penalty for every empty slot, on the
    integer scale of `scoring.SCALE`. `timings` are seconds: `score_s` (kept pairs, candidate
    generation and scoring), `solve_s` (the solver, network building included), `result_s`
    (proposal table and unmatched reasons), `total_s`.
    """

    solver: str
    table: pd.DataFrame
    unmatched: tuple[Unmatched, ...]
    kept_issues: tuple[KeptIssue, ...]
    objective: int
    n_arcs: int
    timings: Mapping[str, float] = field(default_factory=dict)

    @cached_property
    def proposals(self) -> tuple[Proposal, ...]:
        t = self.table
        columns = [t[c].tolist() for c in PROPOSAL_COLUMNS]
        out = []
        for row in zip(*columns, strict=True):
            village_id, unit_id, kind, score, cost, km, kept = row[:7]
            parts = dict(zip(PARTS, row[7:], strict=True))
            distance = None if np.isnan(km) else float(km)
            out.append(Proposal(village_id, unit_id, kind, float(score), parts, distance, int(cost), bool(kept)))
        return tuple(out)

    @property
    def matched_slots(self) -> int:
        return len(self.table)

    @property
    def missing_slots(self) -> int:
        return sum(u.missing for u in self.unmatched)

    def unmatched_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "village_id": [u.village_id for u in self.unmatched],
                "missing": [u.missing for u in self.unmatched],
                "reason": [u.reason for u in self.unmatched],
            }
        )


def timed(result: MatchResult, started: float, scored: float, solved: float) -> MatchResult:
    """The result with its phase timings (perf_counter stamps: start, scores ready, solved; now is done)."""
    done = time.perf_counter()
    timings = {
        "score_s": scored - started,
        "solve_s": solved - scored,
        "result_s": done - solved,
        "total_s": done - started,
    }
    return replace(result, timings=timings)


def assemble(
    problem: MatchProblem,
    profile: Profile,
    scorer: Scorer,
    solver: str,
    village: IntArray,
    unit: IntArray,
    distance_km: FloatArray,
    kept: npt.NDArray[np.bool_],
    free_after: IntArray,
    shortlist_keys: IntArray,
    n_arcs: int,
    kept_issues: tuple[KeptIssue, ...],
    pool: tuple[IntArray, IntArray] | None = None,
) -> MatchResult:
    """Build the result from the chosen pairs (kept ones first), scoring them again for their parts.

    `free_after` is each unit's free capacity left after the assignment; `shortlist_keys` the
    keys (village * n_units + unit) of the arcs the mode could use; `pool` overrides the pool of
    units for the unmatched rule (stable mode with explicit preferences).
    """
    order = np.lexsort((unit, village, ~kept))
    village, unit, distance_km, kept = village[order], unit[order], distance_km[order], kept[order]
    scores = scorer.score(village, unit, distance_km)
    table = pd.DataFrame(
        {
            "village_id": problem.village_id[village],
            "unit_id": problem.unit_id[unit],
            "unit_kind": np.array(UNIT_KINDS, dtype=object)[problem.unit_kind[unit]],
            "score": scores.score,
            "cost": scores.cost,
            "distance_km": scores.distance_km,
            "kept": kept,
            **{p: scores.parts[p] for p in PARTS},
        }
    )
    got = np.bincount(village, minlength=problem.n_villages)
    missing = np.maximum(problem.village_needed - got, 0)
    short = np.flatnonzero(missing > 0)
    reasons = unmatched_reasons(
        problem, profile, short, village * problem.n_units + unit, free_after, shortlist_keys, pool
    )
    unmatched = tuple(Unmatched(problem.village_id[j], int(missing[j]), r) for j, r in zip(short, reasons, strict=True))
    objective = int(scores.cost.sum()) + penalty_cost(profile) * int(missing.sum())
    return MatchResult(solver, table, unmatched, kept_issues, objective, n_arcs)


def unmatched_reasons(
    problem: MatchProblem,
    profile: Profile,
    short: IntArray,
    matched_keys: IntArray,
    free_after: IntArray,
    shortlist_keys: IntArray,
    pool: tuple[IntArray, IntArray] | None = None,
) -> list[str]:
    """The reason for each village in `short`, by the rule in this module's docstring."""
    if not len(short):
        return []
    n_units = problem.n_units
    matched = np.sort(matched_keys)  # duplicates do no harm to a binary search; np.unique is slower
    listed = np.sort(shortlist_keys)

    def any_per_village(vi: IntArray) -> npt.NDArray[np.bool_]:
        return np.bincount(vi, minlength=problem.n_villages)[short] > 0

    def fresh(vi: IntArray, ui: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        keys = vi * n_units + ui
        keep = ~_member(keys, matched)
        return vi[keep], ui[keep], keys[keep]

    if pool is not None:
        in_short = np.isin(pool[0], short)
        vi, ui, keys = fresh(pool[0][in_short], pool[1][in_short])
        room = free_after[ui] > 0
        has_pool = any_per_village(vi)
        has_room = any_per_village(vi[room])
        listed_room = any_per_village(vi[room & _member(keys, listed)])
    else:
        # Units with room are few after a capacity-bound assignment, so look at them first; the
        # whole pool (every unit within the limits) is formed only for villages none of them reach.
        vi, _, keys = fresh(*_within_limits(problem, profile, short, free_after > 0))
        has_room = any_per_village(vi)
        listed_room = any_per_village(vi[_member(keys, listed)])
        has_pool = has_room.copy()
        unreached = short[~has_room]
        if len(unreached):
            vi, _, _ = fresh(*_within_limits(problem, profile, unreached, None))
            has_pool |= any_per_village(vi)
    return [
        "no_candidate" if not p else "all_full" if not r else "declined" if lr else "not_shortlisted"
        for p, r, lr in zip(has_pool, has_room, listed_room, strict=True)
    ]


def _within_limits(
    problem: MatchProblem, profile: Profile, villages: IntArray, unit_ok: npt.NDArray[np.bool_] | None
) -> tuple[IntArray, IntArray]:
    limits = LimitFilter(problem, profile, unit_ok)
    parts = [(vi, ui) for _, vi, ui, _ in limits.chunks(villages)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _member(keys: IntArray, sorted_keys: IntArray) -> npt.NDArray[np.bool_]:
    """keys[i] in sorted_keys, by binary search (np.isin sorts both arrays; this sorts neither)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[pos] == keys)
