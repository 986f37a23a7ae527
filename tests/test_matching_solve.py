"""The assignment: exact solvers agree with each other and with brute force, and every output is sound.

Random small instances come from hypothesis; the admissible pairs, the pools behind the unmatched
reasons and the optimum are recomputed here independently of the engine (plain loops, haversine,
scipy's MILP and, for tiny instances, enumeration).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from graph.matching import (
    KEPT_REASONS,
    PARTS,
    SCALE,
    UNIT_KINDS,
    UNMATCHED_REASONS,
    MatchProblem,
    MatchResult,
    Profile,
    build_candidates,
    explain,
    explain_frame,
    haversine_km,
    load_profile,
    profile_from_mapping,
    score_pairs,
    solve,
)
from graph.matching.kept import preassign_kept
from graph.matching.profile import DEFAULT_PROFILE_PATH, _read_toml
from graph.model import WEAK_REASONS

TAGS = ["funds", "technology", "venue", "training"]
INDUSTRIES = ["tea", "rice", "fish"]


def make_profile(**changes: Any) -> Profile:
    data = _read_toml(DEFAULT_PROFILE_PATH)
    for key, value in changes.items():
        if key in ("max_km", "same_county_only", "k"):
            data["limits"][key] = value
        else:
            data[key] = value
    return profile_from_mapping(data)


@st.composite
def instances(draw: st.DrawFn) -> tuple[MatchProblem, Profile]:
    coord = st.one_of(st.just(math.nan), st.floats(30.0, 30.6))
    tags = st.lists(st.sampled_from(TAGS), max_size=3, unique=True)
    industries = st.lists(st.sampled_from(INDUSTRIES), max_size=2, unique=True)
    reasons = st.lists(st.sampled_from(WEAK_REASONS), max_size=2, unique=True)
    county = st.sampled_from(["A", "B", None])
    township = st.sampled_from(["T1", "T2", None])
    n_units = draw(st.integers(1, 6))
    n_villages = draw(st.integers(1, 6))
    lon = st.floats(0, 0.6).map(lambda x: 114.0 + x)

    def column(values: st.SearchStrategy[Any], n: int) -> list[Any]:
        return [draw(values) for _ in range(n)]

    units = pd.DataFrame(
        {
            "id": [f"U{i}" for i in range(n_units)],
            "name": [f"unit {i}" for i in range(n_units)],
            "kind": column(st.sampled_from(UNIT_KINDS), n_units),
            "county": column(county, n_units),
            "township": column(township, n_units),
            "lat": column(coord, n_units),
            "lon": column(lon, n_units),
            "resources": column(tags, n_units),
            "industries": column(industries, n_units),
            "capacity": pd.array(column(st.one_of(st.none(), st.integers(0, 3)), n_units), "Int64"),
            "active": column(st.integers(0, 2), n_units),
        }
    )
    villages = pd.DataFrame(
        {
            "id": [f"V{j}" for j in range(n_villages)],
            "name": [f"village {j}" for j in range(n_villages)],
            "county": column(county, n_villages),
            "township": column(township, n_villages),
            "lat": column(coord, n_villages),
            "lon": column(lon, n_villages),
            "needs": column(tags, n_villages),
            "industries": column(industries, n_villages),
            "weak_reasons": column(reasons, n_villages),
            "needed": column(st.integers(1, 3), n_villages),
        }
    )
    pairs = [(f"U{i}", f"V{j}") for i in range(n_units) for j in range(n_villages)]
    excluded = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
    kept = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
    problem = MatchProblem.from_frames(units, villages, excluded=excluded[:2], kept=kept[:1])
    weights = {p: draw(st.sampled_from([0.0, 0.1, 0.3, 1.0])) for p in PARTS}
    if not any(weights.values()):
        weights["distance"] = 1.0
    profile = make_profile(
        weights=weights,
        max_km=draw(st.floats(5.0, 60.0)),
        same_county_only=draw(st.booleans()),
        k=draw(st.integers(1, 7)),
        unmatched_penalty=draw(st.sampled_from([0.3, 0.8, 1.5, 2.0])),
        default_capacity=draw(st.integers(0, 2)),
        excluded=[list(p) for p in excluded[2:]],
        kept=[list(p) for p in kept[1:] if p not in excluded[2:]],
    )
    return problem, profile


def admissible(problem: MatchProblem, profile: Profile, j: int, i: int) -> bool:
    """The hard limits, restated with plain loops (capacity aside)."""
    if (problem.unit_id[i], problem.village_id[j]) in problem.excluded | profile.excluded:
        return False
    km = float(haversine_km(problem.village_lat[j], problem.village_lon[j], problem.unit_lat[i], problem.unit_lon[i]))
    if not math.isnan(km) and km > profile.max_km:
        return False
    vc, uc = problem.village_county[j], problem.unit_county[i]
    # Where the distance cannot be checked (an end without coordinates), the county stands in for it.
    county_limit = profile.same_county_only or math.isnan(km)
    return not (county_limit and vc >= 0 and uc >= 0 and vc != uc)


def optimum(costs: list[int], arcs: list[tuple[int, int]], need: np.ndarray, free: np.ndarray, penalty: int) -> int:
    """Min cost of choosing arcs (village, unit) within need and free capacity, empty slots at `penalty`."""
    n_arcs, n_v = len(arcs), len(need)
    c = np.array([*costs, *([penalty] * n_v)], dtype=float)
    rows, lo, hi = [], [], []
    for j in range(n_v):
        row = np.zeros(n_arcs + n_v)
        row[[a for a, (v, _) in enumerate(arcs) if v == j]] = 1
        row[n_arcs + j] = 1
        rows.append(row)
        lo.append(need[j])
        hi.append(need[j])
    for i in range(len(free)):
        row = np.zeros(n_arcs + n_v)
        row[[a for a, (_, u) in enumerate(arcs) if u == i]] = 1
        rows.append(row)
        lo.append(0)
        hi.append(free[i])
    res = milp(
        c,
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=np.ones(n_arcs + n_v),
        bounds=Bounds(0, np.array([1] * n_arcs + list(need), dtype=float)),
    )
    assert res.success
    best = round(res.fun)
    if n_arcs <= 10:  # tiny: enumerate every subset of arcs as well
        enumerated = math.inf
        for chosen in itertools.product((0, 1), repeat=n_arcs):
            per_v = np.zeros(n_v, dtype=int)
            per_u = np.zeros(len(free), dtype=int)
            for a, x in enumerate(chosen):
                if x:
                    per_v[arcs[a][0]] += 1
                    per_u[arcs[a][1]] += 1
            if (per_v <= need).all() and (per_u <= free).all():
                total = sum(costs[a] for a, x in enumerate(chosen) if x) + penalty * int((need - per_v).sum())
                enumerated = min(enumerated, total)
        assert enumerated == best
    return best


def check_sound(problem: MatchProblem, profile: Profile, result: MatchResult) -> None:
    """Invariants every mode must keep, and the unmatched rule recomputed from scratch."""
    t = result.table
    pairs = list(zip(t["village_id"], t["unit_id"], strict=True))
    assert len(set(pairs)) == len(pairs), "a pair proposed twice"
    free = problem.free_capacity(profile.default_capacity)
    per_unit = Counter(t["unit_id"])
    per_village = Counter(t["village_id"])
    for uid, n in per_unit.items():
        assert n <= free[problem.unit_index[uid]], f"unit {uid} over capacity"
    for vid, n in per_village.items():
        assert n <= problem.village_needed[problem.village_index[vid]], f"village {vid} over quota"
    excluded = problem.excluded | profile.excluded
    for (vid, uid), kept in zip(pairs, t["kept"], strict=True):
        assert (uid, vid) not in excluded
        if not kept:
            assert admissible(problem, profile, problem.village_index[vid], problem.unit_index[uid])
    # Every village has its partners or is listed short, by exactly the shortfall.
    short = {u.village_id: u for u in result.unmatched}
    for j, vid in enumerate(problem.village_id):
        missing = int(problem.village_needed[j]) - per_village.get(vid, 0)
        if missing > 0:
            assert short[vid].missing == missing and short[vid].reason in UNMATCHED_REASONS
        else:
            assert vid not in short
    penalty = round(profile.unmatched_penalty * SCALE)
    assert result.objective == int(t["cost"].sum()) + penalty * sum(u.missing for u in result.unmatched)
    # Kept pairs: honoured ones are flagged, the others carry a reason.
    wanted = list(dict.fromkeys((*problem.kept, *profile.kept)))
    honoured = {(u, v) for v, u, k in zip(t["village_id"], t["unit_id"], t["kept"], strict=True) if k}
    issues = {(i.unit_id, i.village_id): i.reason for i in result.kept_issues}
    assert honoured | set(issues) == set(wanted) and not honoured & set(issues)
    assert set(issues.values()) <= set(KEPT_REASONS)

    if result.solver == "stable":
        return
    # The unmatched rule, recomputed: pool = units within the limits not already paired with v.
    free_after = free.copy()
    for uid, n in per_unit.items():
        free_after[problem.unit_index[uid]] -= n
    pre = preassign_kept(problem, profile)
    cands = build_candidates(
        problem, profile, villages=np.flatnonzero(pre.need > 0), unit_ok=pre.free > 0, extra_excluded=pre.pairs
    )
    listed = set(zip(cands.village.tolist(), cands.unit.tolist(), strict=True))
    cost = dict(zip(zip(cands.village.tolist(), cands.unit.tolist(), strict=True), cands.cost.tolist(), strict=True))
    matched = {(problem.village_index[v], problem.unit_index[u]) for v, u in pairs}
    for u in result.unmatched:
        j = problem.village_index[u.village_id]
        pool = [i for i in range(problem.n_units) if admissible(problem, profile, j, i) and (j, i) not in matched]
        room = [i for i in pool if free_after[i] > 0]
        if u.reason == "no_candidate":
            assert not pool
        elif u.reason == "all_full":
            assert pool and not room
        elif u.reason == "declined":
            assert any((j, i) in listed and cost[(j, i)] >= penalty for i in room)
        else:
            assert room and not any((j, i) in listed for i in room)


@pytest.mark.slow  # ~4 s: every exact solver and a brute force on 120 instances
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_exact_solvers_agree_with_brute_force(case: tuple[MatchProblem, Profile]) -> None:
    problem, profile = case
    best = solve(problem, profile, "ortools")
    reference = solve(problem, profile, "networkx")
    greedy = solve(problem, profile, "greedy")
    assert best.objective == reference.objective
    assert best.objective <= greedy.objective
    for result in (best, reference, greedy):
        check_sound(problem, profile, result)

    # Brute force over every admissible pair (k reaches all units), after the kept pairs.
    full = solve(problem, profile, "ortools", k=problem.n_units)
    pre = preassign_kept(problem, profile)
    arcs = [
        (j, i)
        for j in range(problem.n_villages)
        for i in range(problem.n_units)
        if pre.need[j] > 0 and pre.free[i] > 0 and admissible(problem, profile, j, i)
        and (problem.unit_id[i], problem.village_id[j]) not in set(pre.pairs)
    ]  # fmt: skip
    vi = np.array([a[0] for a in arcs], dtype=np.int64)
    ui = np.array([a[1] for a in arcs], dtype=np.int64)
    costs = score_pairs(problem, profile, vi, ui).cost.tolist()
    kept_cost = int(score_pairs(problem, profile, pre.village, pre.unit).cost.sum())
    penalty = round(profile.unmatched_penalty * SCALE)
    assert full.objective == kept_cost + optimum(costs, arcs, pre.need, pre.free, penalty)


def two_units_one_village(**profile_changes: Any) -> tuple[MatchProblem, Profile]:
    """V0 needs one partner; U0 is the natural choice (same township, covers its needs), U1 is far off."""
    units = pd.DataFrame(
        {
            "id": ["U0", "U1"], "name": ["near", "far"], "kind": ["Enterprise", "CityCommunity"],
            "county": ["A", "Z"], "township": ["T1", "T9"], "lat": [30.0, 31.5], "lon": [114.0, 114.0],
            "resources": [["funds"], []], "industries": [["tea"], []], "capacity": [1, 1], "active": [0, 0],
        }
    )  # fmt: skip
    villages = pd.DataFrame(
        {
            "id": ["V0"], "name": ["村"], "county": ["A"], "township": ["T1"], "lat": [30.01], "lon": [114.0],
            "needs": [["funds"]], "industries": [["tea"]], "weak_reasons": [["economy"]], "needed": [1],
        }
    )  # fmt: skip
    return MatchProblem.from_frames(units, villages), make_profile(**profile_changes)


def test_kept_pair_is_forced_even_beyond_the_distance_limit() -> None:
    problem, profile = two_units_one_village()
    free_choice = solve(problem, profile)
    assert list(free_choice.table["unit_id"]) == ["U0"]
    problem, profile = two_units_one_village(kept=[["U1", "V0"]])
    for solver in ("ortools", "networkx", "greedy"):
        forced = solve(problem, profile, solver)
        assert list(forced.table["unit_id"]) == ["U1"] and forced.table["kept"].all()
        assert forced.objective > free_choice.objective
        assert forced.table["distance_km"].iloc[0] > profile.max_km  # 167 km, kept anyway
    assert not forced.unmatched and not forced.kept_issues


def test_kept_pairs_that_cannot_be_honoured_are_reported() -> None:
    problem, profile = two_units_one_village(kept=[["U0", "V0"], ["U1", "V0"], ["U9", "V0"], ["U0", "V9"]])
    result = solve(problem, profile)
    assert list(result.table["unit_id"]) == ["U0"] and result.table["kept"].all()
    assert {(i.unit_id, i.reason) for i in result.kept_issues} == {
        ("U1", "village_full"),
        ("U9", "unknown_unit"),
        ("U0", "unknown_village"),
    }


def test_each_unmatched_reason() -> None:
    # no_candidate: the only unit is 167 km away.
    problem, profile = two_units_one_village(max_km=50.0)
    problem = MatchProblem.from_frames(
        pd.DataFrame({"id": ["U1"], "kind": ["Organisation"], "lat": [31.5], "lon": [114.0]}),
        pd.DataFrame({"id": ["V0"], "lat": [30.0], "lon": [114.0], "needed": [1]}),
    )
    assert [u.reason for u in solve(problem, profile).unmatched] == ["no_candidate"]

    # all_full: two villages, one unit with room for one.
    units = pd.DataFrame({"id": ["U0", "U1"], "kind": ["Organisation"] * 2, "lat": [30.0, 30.0], "lon": [114.0, 114.0],
                          "capacity": [1, 0]})  # fmt: skip
    villages = pd.DataFrame({"id": ["V0", "V1"], "lat": [30.0, 30.01], "lon": [114.0, 114.0], "needed": [1, 1]})
    result = solve(MatchProblem.from_frames(units, villages), profile)
    assert [(u.village_id, u.reason) for u in result.unmatched] == [("V1", "all_full")]

    # not_shortlisted: with k = 1 both villages list only U0; U1 has room but is on no list.
    units = pd.DataFrame({"id": ["U0", "U1"], "kind": ["Organisation"] * 2, "lat": [30.0, 30.2], "lon": [114.0, 114.0],
                          "capacity": [1, 1]})  # fmt: skip
    result = solve(MatchProblem.from_frames(units, villages), make_profile(k=1))
    assert [(u.village_id, u.reason) for u in result.unmatched] == [("V1", "not_shortlisted")]
    assert not solve(MatchProblem.from_frames(units, villages), make_profile(k=2)).unmatched

    # declined: an empty slot costs 0.3, less than any pairing here, so none is made.
    result = solve(MatchProblem.from_frames(units, villages), make_profile(unmatched_penalty=0.3))
    assert {u.reason for u in result.unmatched} == {"declined"} and result.matched_slots == 0


def test_result_shape_explanations_and_errors() -> None:
    problem, profile = two_units_one_village(max_km=300.0)
    result = solve(problem, profile)
    assert set(result.timings) == {"score_s", "solve_s", "result_s", "total_s"}
    assert result.n_arcs == 2
    proposal = result.proposals[0]
    assert (proposal.village_id, proposal.unit_id, proposal.unit_kind) == ("V0", "U0", "Enterprise")
    assert set(proposal.parts) == set(PARTS) and proposal.distance_km == pytest.approx(1.11, abs=0.01)
    why = explain(problem, profile, proposal)
    assert sum(why.contributions.values()) == pytest.approx(proposal.score)
    assert why.covered_needs == ("funds",) and why.shared_industries == ("tea",)
    assert "near" in why.text() and "funds" in why.text()
    frame = explain_frame(problem, profile, result)
    assert list(frame["village_id"]) == ["V0"] and frame["why"].iloc[0]
    with pytest.raises(ValueError, match="solver"):
        solve(problem, profile, "simplex")  # type: ignore[arg-type]


def test_default_profile_used_when_none_given() -> None:
    problem, _ = two_units_one_village()
    assert solve(problem).objective == solve(problem, load_profile()).objective
