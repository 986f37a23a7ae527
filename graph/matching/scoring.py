"""Score parts for (village, unit) pairs, vectorised over arrays of pair indices.

`Scorer.score` is the one place a score is computed: candidate generation calls it on millions of
pairs, explanations call it on one, so what the solver optimised and what the planner is shown
cannot drift apart.

Parts, each in [0, 1]:
- complementarity: coverage ratio |needs ∩ resources| / |needs| (not Jaccard: a unit offering more
  than the village asks for should not be penalised for it). Where the village has open needs
  (需求清单) and the unit offers resources (资源清单), those lists are compared, by kind and by name;
  otherwise the tag lists (`needs`, `resources`). A village with no needs recorded either way
  scores a neutral 0.5 with every unit.
- industry: Jaccard |A ∩ B| / |A ∪ B| of industries; 0 when either side has none (no evidence).
- distance: max(0, 1 - km / max_km); 0.5 when either end lacks coordinates.
- locality: 1 same township, 0.5 same county, 0 otherwise or unknown.
- capacity: the share of the unit's capacity still free, (capacity - active) / capacity.
- kind_fit: the profile's kind_fit table, averaged over the village's weak reasons; 0.5 when none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.matching.geo import haversine_km
from graph.matching.problem import MatchProblem
from graph.matching.profile import PARTS, UNIT_KINDS, Profile
from graph.model import WEAK_REASONS

# Costs are integers for the solvers: cost = round((1 - score) * SCALE). 1e4 keeps four decimals of
# the score, more than the inputs justify, while the nation-scale objective stays far inside int64.
SCALE = 10_000
NEUTRAL = 0.5

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class PairScores:
    """Scores of pairs (village[i], unit[i]); every array has one entry per pair."""

    village: IntArray
    unit: IntArray
    parts: dict[str, FloatArray]
    score: FloatArray
    cost: IntArray
    distance_km: FloatArray  # NaN where either end lacks coordinates

    def __len__(self) -> int:
        return len(self.village)


def cost_of(score: FloatArray) -> IntArray:
    """round((1 - score) * SCALE), clipped to [0, SCALE]."""
    cost = np.subtract(1.0, score)
    cost *= SCALE
    np.rint(cost, out=cost)
    np.clip(cost, 0, SCALE, out=cost)
    return cost.astype(np.int64)


def penalty_cost(profile: Profile) -> int:
    """Cost of one empty partner slot, on the same integer scale as pair costs."""
    return round(profile.unmatched_penalty * SCALE)


class Scorer:
    """Per-problem, per-profile lookups computed once, then `score()` on any pair arrays."""

    def __init__(self, problem: MatchProblem, profile: Profile) -> None:
        self.problem = problem
        self.profile = profile
        self.weights = np.array([profile.weights[p] for p in PARTS], dtype=np.float64)
        # Bitset words as separate contiguous arrays: 1-D gathers are much faster than 2-D fancy indexing.
        self.needs = _words(problem.village_needs)
        self.resources = _words(problem.unit_resources)
        self.village_industries = _words(problem.village_industries)
        self.unit_industries = _words(problem.unit_industries)
        need_count = _popcount_rows(problem.village_needs)
        self.need_count = need_count
        # complementarity = covered * inv_need + neutral_need: 1 / count, or 0 and a neutral 0.5 when no needs.
        self.inv_need = np.divide(1.0, need_count, out=np.zeros(problem.n_villages), where=need_count > 0)
        self.neutral_need = np.where(need_count > 0, 0.0, NEUTRAL)
        self.open_needs = _words(problem.village_open_needs)
        self.offers = _words(problem.unit_offers)
        open_count = _popcount_rows(problem.village_open_needs)
        self.inv_open = np.divide(1.0, open_count, out=np.zeros(problem.n_villages), where=open_count > 0)
        self.has_open = open_count > 0
        self.has_offers = _popcount_rows(problem.unit_offers) > 0
        self.village_industry_count = _popcount_rows(problem.village_industries)
        self.unit_industry_count = _popcount_rows(problem.unit_industries)
        # Unknown county or township: -1 for villages, -2 for units, so an unknown never equals anything.
        self.village_county = problem.village_county
        self.unit_county = np.where(problem.unit_county < 0, -2, problem.unit_county)
        self.village_township = problem.village_township
        self.unit_township = np.where(problem.unit_township < 0, -2, problem.unit_township)

        capacity = problem.capacity(profile.default_capacity)
        free = problem.free_capacity(profile.default_capacity)
        self.capacity_share = np.divide(
            free, capacity, out=np.zeros(problem.n_units, dtype=np.float64), where=capacity > 0
        )

        # kind_fit per (village, unit kind): mean of the table rows of the village's weak reasons.
        table = np.array([[profile.kind_fit[r][k] for k in UNIT_KINDS] for r in WEAK_REASONS], dtype=np.float64)
        has = (problem.village_reasons[:, None] >> np.arange(len(WEAK_REASONS))) & 1
        count = has.sum(axis=1)
        fit = np.divide(
            has @ table,
            count[:, None],
            out=np.full((problem.n_villages, len(UNIT_KINDS)), NEUTRAL),
            where=count[:, None] > 0,
        )
        # Flattened so one gather `fit[v * kinds + kind]` serves millions of pairs.
        self.kind_fit = fit.ravel()

    def score(self, village: IntArray, unit: IntArray, distance_km: FloatArray | None = None) -> PairScores:
        """Score pairs; `distance_km` may be passed when the caller already has it (the k-d tree does)."""
        p = self.problem
        village = np.asarray(village, dtype=np.int64)
        unit = np.asarray(unit, dtype=np.int64)
        if distance_km is None:
            distance_km = haversine_km(
                p.village_lat[village], p.village_lon[village], p.unit_lat[unit], p.unit_lon[unit]
            )
        distance_km = np.asarray(distance_km, dtype=np.float64)

        # In-place arithmetic throughout: at province scale this runs on ~18M pairs, and each avoided
        # temporary is a full pass over memory.
        covered = _shared_bits(self.needs, village, self.resources, unit)
        complementarity = covered * self.inv_need[village]
        complementarity += self.neutral_need[village]
        lists = self.has_open[village] & self.has_offers[unit]
        if lists.any():
            met = _shared_bits(self.open_needs, village[lists], self.offers, unit[lists])
            complementarity[lists] = met * self.inv_open[village[lists]]

        shared = _shared_bits(self.village_industries, village, self.unit_industries, unit)
        union = self.village_industry_count[village]
        union += self.unit_industry_count[unit]
        union -= shared
        # union is 0 only when shared is 0 too, so dividing by max(union, 1) gives 0 there.
        industry = np.divide(shared, np.maximum(union, 1, out=union), dtype=np.float64)

        distance = np.multiply(distance_km, -1.0 / self.profile.max_km)
        distance += 1.0
        np.maximum(distance, 0.0, out=distance)  # NaN (no coordinates) passes through ...
        np.nan_to_num(distance, copy=False, nan=NEUTRAL)  # ... and becomes the neutral value here

        # Township codes include the county, so the same township implies the same county: 1, 0.5 or 0.
        same = (self.village_county[village] == self.unit_county[unit]).view(np.uint8)
        same += (self.village_township[village] == self.unit_township[unit]).view(np.uint8)
        locality = np.multiply(same, 0.5, dtype=np.float64)

        capacity = self.capacity_share[unit]
        kind = village * len(UNIT_KINDS)
        kind += p.unit_kind[unit]
        kind_fit = self.kind_fit[kind]

        parts = {
            "complementarity": complementarity,
            "industry": industry,
            "distance": distance,
            "locality": locality,
            "capacity": capacity,
            "kind_fit": kind_fit,
        }
        score = np.zeros(len(village), dtype=np.float64)
        term = np.empty(len(village), dtype=np.float64)
        for weight, name in zip(self.weights, PARTS, strict=True):
            if weight:
                np.multiply(parts[name], weight, out=term)
                score += term
        return PairScores(village, unit, parts, score, cost_of(score), distance_km)


def score_pairs(
    problem: MatchProblem, profile: Profile, village: IntArray, unit: IntArray, distance_km: FloatArray | None = None
) -> PairScores:
    """Score pairs given as village and unit index arrays (see `MatchProblem.pair_indices`)."""
    return Scorer(problem, profile).score(village, unit, distance_km)


def _popcount(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.asarray(np.bitwise_count(x), dtype=np.uint8)
    # numpy 1.x: byte-wise lookup table.
    as_bytes = np.ascontiguousarray(x).view(np.uint8).reshape(*x.shape, 8)
    return np.asarray(_BYTE_POPCOUNT[as_bytes].sum(axis=-1, dtype=np.uint8))


_BYTE_POPCOUNT = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)


def _popcount_rows(bits: npt.NDArray[np.uint64]) -> IntArray:
    counts: IntArray = _popcount(bits).sum(axis=1, dtype=np.int64)
    return counts


def _words(bits: npt.NDArray[np.uint64]) -> list[npt.NDArray[np.uint64]]:
    return [np.ascontiguousarray(bits[:, w]) for w in range(bits.shape[1])]


def _shared_bits(
    a: list[npt.NDArray[np.uint64]], ia: IntArray, b: list[npt.NDArray[np.uint64]], ib: IntArray
) -> IntArray:
    """|a[ia] ∩ b[ib]| per pair, word by word."""
    total = _popcount(a[0][ia] & b[0][ib]).astype(np.int64)
    for w in range(1, len(a)):
        total += _popcount(a[w][ia] & b[w][ib])
    return total
