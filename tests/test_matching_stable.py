"""Stable mode (群众选对): deferred acceptance leaves no blocking pair and respects capacities and quotas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import ValidationError
from graph.matching import (
    MatchProblem,
    MatchResult,
    build_candidates,
    load_profile,
    profile_from_mapping,
    score_pairs,
    solve,
    stable,
)
from graph.matching.profile import DEFAULT_PROFILE_PATH, _read_toml
from graph.matching.synthetic import SCALES, synthetic_frames

Rank = Callable[[str, str], float]  # (owner, other) -> rank; lower is better


def blocking_pairs(
    result: MatchResult,
    village_lists: Mapping[str, Sequence[str]],
    unit_rank: Rank,
    unit_accepts: Callable[[str, str], bool],
    quota: Mapping[str, int],
    capacity: Mapping[str, int],
) -> list[tuple[str, str]]:
    """Pairs (village, unit), unpaired and acceptable to both, that would both rather be together.

    The village would: it has an empty slot, or ranks the unit above one of its partners.
    The unit would: it has room, or ranks the village above one of its villages.
    """
    partners: dict[str, set[str]] = defaultdict(set)
    villages_of: dict[str, set[str]] = defaultdict(set)
    for v, u in zip(result.table["village_id"], result.table["unit_id"], strict=True):
        partners[v].add(u)
        villages_of[u].add(v)
    found = []
    for v, units in village_lists.items():
        rank_v = {u: r for r, u in enumerate(units)}
        for u in units:
            if u in partners[v] or not unit_accepts(u, v):
                continue
            village_wants = len(partners[v]) < quota[v] or any(rank_v[u] < rank_v[p] for p in partners[v])
            unit_wants = len(villages_of[u]) < capacity[u] or any(
                unit_rank(u, v) < unit_rank(u, w) for w in villages_of[u]
            )
            if village_wants and unit_wants:
                found.append((v, u))
    return found


def check_quotas(problem: MatchProblem, result: MatchResult, capacity: Mapping[str, int]) -> None:
    per_unit = result.table["unit_id"].value_counts()
    per_village = result.table["village_id"].value_counts()
    assert all(per_unit[u] <= capacity[u] for u in per_unit.index)
    short = {u.village_id: u.missing for u in result.unmatched}
    for j, v in enumerate(problem.village_id):
        got = int(per_village.get(v, 0))
        assert got <= problem.village_needed[j]
        assert short.get(v, 0) == problem.village_needed[j] - got
    assert not result.table.duplicated(["village_id", "unit_id"]).any()


@st.composite
def preference_instances(draw: st.DrawFn) -> tuple[MatchProblem, dict[str, list[str]], dict[str, list[str]] | None]:
    n_units = draw(st.integers(1, 6))
    n_villages = draw(st.integers(1, 7))
    units = [f"U{i}" for i in range(n_units)]
    villages = [f"V{j}" for j in range(n_villages)]
    problem = MatchProblem.from_frames(
        pd.DataFrame(
            {
                "id": units,
                "kind": [draw(st.sampled_from(["Enterprise", "Organisation", "Village"])) for _ in units],
                "capacity": [draw(st.integers(0, 3)) for _ in units],
                "active": [0] * n_units,
                "lat": [30.0 + draw(st.floats(0, 0.3)) for _ in units],
                "lon": [114.0] * n_units,
            }
        ),
        pd.DataFrame(
            {
                "id": villages,
                "needed": [draw(st.integers(1, 3)) for _ in villages],
                "lat": [30.0 + draw(st.floats(0, 0.3)) for _ in villages],
                "lon": [114.0] * n_villages,
            }
        ),
    )

    def ranking(items: list[str]) -> list[str]:
        """Some of `items`, best first; the rest are unacceptable."""
        return draw(st.permutations(items))[: draw(st.integers(0, len(items)))]

    village_prefs = {v: ranking(units) for v in villages}
    unit_prefs = {u: ranking(villages) for u in units} if draw(st.booleans()) else None
    return problem, village_prefs, unit_prefs


@pytest.mark.slow  # ~4 s: 150 instances, every pair checked for blocking
@settings(max_examples=150, deadline=None)
@given(preference_instances())
def test_no_blocking_pair_with_explicit_preferences(
    case: tuple[MatchProblem, dict[str, list[str]], dict[str, list[str]] | None],
) -> None:
    problem, village_prefs, unit_prefs = case
    profile = load_profile()
    result = stable(problem, village_prefs, unit_prefs, profile)
    capacity = dict(zip(problem.unit_id, problem.free_capacity(profile.default_capacity).tolist(), strict=True))
    quota = dict(zip(problem.village_id, problem.village_needed.tolist(), strict=True))
    if unit_prefs is None:
        # Units rank villages by the pair's score (its cost, lower is better), ties to the lower index;
        # every village is acceptable.
        vi, ui = (a.ravel() for a in np.meshgrid(np.arange(problem.n_villages), np.arange(problem.n_units)))
        costs = score_pairs(problem, profile, vi, ui).cost
        rank = {(problem.unit_id[i], problem.village_id[j]): c * problem.n_villages + j
                for j, i, c in zip(vi.tolist(), ui.tolist(), costs.tolist(), strict=True)}  # fmt: skip
    else:
        rank = {(u, v): r for u, vs in unit_prefs.items() for r, v in enumerate(vs)}

    def unit_rank(u: str, v: str) -> float:
        return float(rank[(u, v)])

    def unit_accepts(u: str, v: str) -> bool:
        return (u, v) in rank

    check_quotas(problem, result, capacity)
    for v, u in zip(result.table["village_id"], result.table["unit_id"], strict=True):
        assert u in village_prefs[v] and unit_accepts(u, v)
    assert blocking_pairs(result, village_prefs, unit_rank, unit_accepts, quota, capacity) == []
    assert {u.reason for u in result.unmatched} <= {"no_candidate", "all_full", "declined"}
    for u in result.unmatched:
        own = result.table["unit_id"][result.table["village_id"] == u.village_id]
        if u.reason == "no_candidate":  # its list is exhausted by its own partners
            assert set(village_prefs[u.village_id]) <= set(own)


def test_default_preferences_are_stable_and_match_greedy() -> None:
    problem = MatchProblem.from_frames(*synthetic_frames(SCALES["county"]))
    profile = load_profile()
    result = stable(problem, profile=profile)
    cands = build_candidates(problem, profile)
    lists: dict[str, list[str]] = defaultdict(list)
    cost = {}
    for j, i, c in zip(cands.village.tolist(), cands.unit.tolist(), cands.cost.tolist(), strict=True):
        lists[problem.village_id[j]].append(problem.unit_id[i])  # already best first
        cost[(problem.unit_id[i], problem.village_id[j])] = c * problem.n_villages + j
    capacity = dict(zip(problem.unit_id, problem.free_capacity(profile.default_capacity).tolist(), strict=True))
    quota = dict(zip(problem.village_id, problem.village_needed.tolist(), strict=True))
    check_quotas(problem, result, capacity)
    assert result.matched_slots > 0 and result.solver == "stable"
    assert blocking_pairs(result, lists, lambda u, v: cost[(u, v)], lambda u, v: True, quota, capacity) == []
    # With one score ranking both sides, the stable matching is unique and equals best-score-first.
    greedy = solve(problem, profile, "greedy")
    pairs = set(zip(result.table["village_id"], result.table["unit_id"], strict=True))
    assert pairs == set(zip(greedy.table["village_id"], greedy.table["unit_id"], strict=True))
    assert result.objective == greedy.objective


def test_kept_pairs_and_bad_ids() -> None:
    units = pd.DataFrame({"id": ["U0", "U1"], "kind": ["Organisation", "Enterprise"], "capacity": [1, 1]})
    villages = pd.DataFrame({"id": ["V0", "V1"], "needed": [1, 1]})
    data = _read_toml(DEFAULT_PROFILE_PATH)
    data["kept"] = [["U1", "V0"]]
    profile = profile_from_mapping(data)
    problem = MatchProblem.from_frames(units, villages)
    result = stable(problem, {"V0": ["U0", "U1"], "V1": ["U1", "U0"]}, profile=profile)
    rows = set(zip(result.table["village_id"], result.table["unit_id"], result.table["kept"], strict=True))
    assert rows == {("V0", "U1", True), ("V1", "U0", False)}  # U1 is taken by the kept pair
    with pytest.raises(ValidationError, match="unknown unit"):
        stable(problem, {"V0": ["U7"]})
    with pytest.raises(ValidationError, match="unknown village"):
        stable(problem, unit_prefs={"U0": ["V7"]})
