"""Candidate pairs: every (village, unit) pair inside the hard limits, then the best k per village.

Hard limits: distance <= max_km (only where both ends have coordinates), same county when the
profile asks for it (only where both counties are known), excluded pairs, and units the caller
rules out (no free capacity). Pairs are generated village chunk by village chunk, so memory is
bounded by the chunk, not by villages x units:
- both ends located: a k-d tree over unit positions on the unit sphere returns exactly the pairs
  within the chord matching max_km, so a province never builds its 160M-pair distance matrix;
- either end unlocated: the distance cannot be checked, so the county stands in for it: such a
  village is paired with the units of its own county (and those whose county is unknown), and such
  a unit with the villages of its county. Without that stand-in every unlocated village met every
  unit of a nation, a quadratic term that made matching grow ~n^1.15 instead of linearly.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from graph.matching.geo import chord_for_km, km_for_chord, unit_vectors
from graph.matching.problem import MatchProblem, Pair
from graph.matching.profile import Profile
from graph.matching.scoring import SCALE, Scorer

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Pairs formed per chunk, roughly: bounds memory, and keeps scoring's temporaries near the CPU caches.
_CHUNK_PAIRS = 250_000


@dataclass(frozen=True, eq=False)
class Candidates:
    """The solver's arcs: for each village its best `k` admissible units, sorted by village then cost.

    `within_limits[j]` counts village j's admissible units before the top-k cut.
    """

    village: IntArray
    unit: IntArray
    cost: IntArray
    score: FloatArray
    distance_km: FloatArray
    within_limits: IntArray
    k: int
    timings: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.village)

    def keys(self, n_units: int) -> IntArray:
        """One int per pair, village * n_units + unit, for fast membership tests."""
        return self.village * n_units + self.unit


class LimitFilter:
    """Hard limits prepared once (k-d tree, excluded pair keys), then applied chunk by chunk."""

    def __init__(
        self,
        problem: MatchProblem,
        profile: Profile,
        unit_ok: BoolArray | None = None,
        extra_excluded: Iterable[Pair] = (),
    ) -> None:
        p = problem
        self.problem = problem
        self.same_county_only = profile.same_county_only
        ok = np.ones(p.n_units, dtype=bool) if unit_ok is None else np.asarray(unit_ok, dtype=bool)
        self.village_located = ~(np.isnan(p.village_lat) | np.isnan(p.village_lon))
        unit_located = ~(np.isnan(p.unit_lat) | np.isnan(p.unit_lon))
        self.units_located = np.flatnonzero(ok & unit_located)
        self.units_unlocated = np.flatnonzero(ok & ~unit_located)
        self.units_ok = np.flatnonzero(ok)
        self.radius = chord_for_km(profile.max_km)
        self.tree = cKDTree(unit_vectors(p.unit_lat[self.units_located], p.unit_lon[self.units_located]))
        vi, ui = p.pair_indices([*p.excluded, *profile.excluded, *extra_excluded])
        self.excluded_keys = np.unique(vi * p.n_units + ui)

    def _same_county(self, county: int, units: IntArray) -> IntArray:
        """The units a pair with an unlocated end may use: same county, or either county unknown."""
        if county < 0:
            return units
        uc = self.problem.unit_county[units]
        kept: IntArray = units[(uc == county) | (uc < 0)]
        return kept

    def pairs_per_located_village(self) -> float:
        """Typical pair count of a located village: k-d tree counts on an even sample, plus unlocated units."""
        located = np.flatnonzero(self.village_located)
        if not len(located) or not len(self.units_located):
            return float(len(self.units_unlocated))
        sample = located[np.linspace(0, len(located) - 1, min(256, len(located))).astype(np.int64)]
        p = self.problem
        counts = self.tree.query_ball_point(
            unit_vectors(p.village_lat[sample], p.village_lon[sample]), self.radius, return_length=True
        )
        return float(np.mean(counts)) + len(self.units_unlocated)

    def pairs(self, villages: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
        """Admissible (village, unit, km) for the given villages; km is NaN where unlocated."""
        p = self.problem
        located = self.village_located[villages]
        geo_v = villages[located]
        out_v: list[IntArray] = []
        out_u: list[IntArray] = []
        out_d: list[FloatArray] = []
        if len(geo_v) and len(self.units_located):
            chunk_tree = cKDTree(unit_vectors(p.village_lat[geo_v], p.village_lon[geo_v]))
            near = chunk_tree.sparse_distance_matrix(self.tree, self.radius, output_type="ndarray")
            out_v.append(geo_v[near["i"]].astype(np.int64, copy=False))
            out_u.append(self.units_located[near["j"]].astype(np.int64, copy=False))
            out_d.append(km_for_chord(near["v"]))
        for vs, us in ((geo_v, self.units_unlocated), (villages[~located], self.units_ok)):
            if not (len(vs) and len(us)):
                continue
            counties = p.village_county[vs]
            for county in np.unique(counties):
                group = vs[counties == county]
                near_units = self._same_county(int(county), us)
                if len(near_units):
                    out_v.append(np.repeat(group, len(near_units)))
                    out_u.append(np.tile(near_units, len(group)))
                    out_d.append(np.full(len(group) * len(near_units), np.nan))
        if not out_v:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        vi, ui, km = np.concatenate(out_v), np.concatenate(out_u), np.concatenate(out_d)

        keep = None
        if self.same_county_only:
            vc = p.village_county[vi]
            uc = p.unit_county[ui]
            # An unknown county cannot be checked, like a missing coordinate: the limit does not apply.
            keep = (vc == uc) | (vc < 0) | (uc < 0)
        if len(self.excluded_keys):
            keys = vi * p.n_units + ui
            pos = np.minimum(np.searchsorted(self.excluded_keys, keys), len(self.excluded_keys) - 1)
            allowed = self.excluded_keys[pos] != keys
            keep = allowed if keep is None else keep & allowed
        if keep is None:
            return vi, ui, km
        return vi[keep], ui[keep], km[keep]

    def chunks(self, villages: IntArray) -> Iterator[tuple[IntArray, IntArray, IntArray, FloatArray]]:
        """(chunk of villages, village, unit, km) for successive chunks of `villages`.

        Located villages come first, in Z-order (Morton order) of their coordinates: a chunk of
        neighbouring villages lets the dual k-d tree search prune whole regions and keeps the unit
        lookups in cache, where a chunk scattered across a nation was several times slower.
        Unlocated villages (paired with every unit) follow, in chunks sized by the number of units.
        """
        p = self.problem
        located = self.village_located[villages]
        near = villages[located]
        near = near[np.argsort(_morton(p.village_lat[near], p.village_lon[near]), kind="stable")]
        groups = ((near, self.pairs_per_located_village()), (villages[~located], float(len(self.units_ok))))
        for group, per_village in groups:
            size = int(np.clip(_CHUNK_PAIRS // max(per_village, 1.0), 16, 8192))
            for start in range(0, len(group), size):
                chunk = group[start : start + size]
                yield (chunk, *self.pairs(chunk))


def _morton(lat: FloatArray, lon: FloatArray) -> IntArray:
    """Z-order code of points: interleaved bits of 16-bit grid positions (about 300 m cells for China)."""

    def spread(v: IntArray) -> IntArray:
        v = v & 0xFFFF
        v = (v | (v << 8)) & 0x00FF00FF
        v = (v | (v << 4)) & 0x0F0F0F0F
        v = (v | (v << 2)) & 0x33333333
        return (v | (v << 1)) & 0x55555555

    def grid(x: FloatArray) -> IntArray:
        low, high = (float(x.min()), float(x.max())) if len(x) else (0.0, 1.0)
        return ((x - low) / max(high - low, 1e-9) * 0xFFFF).astype(np.int64)

    return spread(grid(lat)) | (spread(grid(lon)) << 1)


def build_candidates(
    problem: MatchProblem,
    profile: Profile,
    k: int | None = None,
    villages: IntArray | None = None,
    unit_ok: BoolArray | None = None,
    extra_excluded: Iterable[Pair] = (),
    scorer: Scorer | None = None,
) -> Candidates:
    """Best `k` (default: the profile's) admissible units for each of `villages` (default: all).

    Ties in cost go to the lower unit index, so the candidate set is deterministic.
    """
    k = profile.k if k is None else k
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    scorer = scorer or Scorer(problem, profile)
    villages = np.arange(problem.n_villages) if villages is None else np.asarray(villages, dtype=np.int64)
    started = time.perf_counter()
    limits = LimitFilter(problem, profile, unit_ok, extra_excluded)
    within = np.zeros(problem.n_villages, dtype=np.int64)
    best: list[tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray]] = []
    local_of = np.zeros(problem.n_villages, dtype=np.int64)
    for chunk, vi, ui, km in limits.chunks(villages):
        if not len(vi):
            continue
        scores = scorer.score(vi, ui, km)
        within += np.bincount(vi, minlength=problem.n_villages)
        local_of[chunk] = np.arange(len(chunk))
        top = _top_k(local_of[vi], len(chunk), ui, scores.cost, k, problem.n_units)
        best.append((vi[top], ui[top], scores.cost[top], scores.score[top], km[top]))
    if best:
        vi, ui, cost, score, km = (np.concatenate(cols) for cols in zip(*best, strict=True))
        # Chunks follow space, not index: restore village order (stable keeps each village's arcs by cost).
        order = np.argsort(vi, kind="stable")
        vi, ui, cost, score, km = vi[order], ui[order], cost[order], score[order], km[order]
    else:
        vi = ui = cost = np.zeros(0, dtype=np.int64)
        score = km = np.zeros(0)
    return Candidates(vi, ui, cost, score, km, within, k, {"candidates_s": time.perf_counter() - started})


_BUCKETS = 128


def _top_k(local: IntArray, n_local: int, ui: IntArray, cost: IntArray, k: int, n_units: int) -> IntArray:
    """Positions of each village's k cheapest pairs (ties to the lower unit), ordered by village then cost.

    `local` numbers the chunk's villages 0..n_local-1. Sorting all of a chunk's pairs dominated the
    run time, so a linear pass first finds, per village, the cost bucket holding its k-th cheapest
    pair (a histogram over 128 buckets of cost); only pairs up to that bucket, about k plus one
    bucket's worth, are then sorted exactly.
    """
    bucket = cost * _BUCKETS // (SCALE + 1)
    hist = np.bincount(local * _BUCKETS + bucket, minlength=n_local * _BUCKETS).reshape(n_local, _BUCKETS)
    reached = np.cumsum(hist, axis=1) >= k
    # First bucket where the count reaches k; villages with fewer than k pairs keep them all.
    limit = np.where(reached.any(axis=1), reached.argmax(axis=1), _BUCKETS - 1)
    survivors = np.flatnonzero(bucket <= limit[local])
    key = (local[survivors] * (SCALE + 1) + cost[survivors]) * n_units + ui[survivors]
    order = np.argsort(key)
    ranked = local[survivors[order]]
    counts = np.bincount(ranked, minlength=n_local)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = np.arange(len(order)) - starts[ranked]
    return survivors[order[rank < k]]
