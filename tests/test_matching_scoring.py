"""Score parts: hand-computed values against the vectorised scorer, and distances against known ones."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from graph.errors import ValidationError
from graph.matching import PARTS, SCALE, MatchProblem, build_candidates, haversine_km, load_profile, score_pairs
from graph.matching.synthetic import SCALES, synthetic_frames

BEIJING = (39.9042, 116.4074)
SHANGHAI = (31.2304, 121.4737)


def units_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": "U1", "name": "茶业公司", "kind": "Enterprise", "county": "A", "township": "T1",
                "lat": 30.1, "lon": 114.0, "resources": ["funds", "technology", "jobs"], "industries": ["tea"],
                "capacity": 4, "active": 1,
            },
            {
                "id": "U2", "name": "城东社区", "kind": "CityCommunity", "county": "B", "township": "T1",
                "lat": None, "lon": None, "resources": "venue", "industries": [], "capacity": None, "active": 0,
            },
        ]
    )  # fmt: skip


def villages_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": "V1", "name": "上村", "county": "A", "township": "T1", "lat": 30.0, "lon": 114.0,
                "needs": ["funds", "technology", "venue"], "industries": np.array(["tea", "tourism"]),
                "weak_reasons": ["economy", "venue"], "needed": 1,
            },
            {
                "id": "V2", "name": "下村", "county": "A", "township": "T2", "lat": 30.0, "lon": 114.5,
                "needs": [], "industries": None, "weak_reasons": [], "needed": 2,
            },
        ]
    )  # fmt: skip


def hand_score(parts: dict[str, float]) -> float:
    weights = load_profile().weights
    return sum(weights[p] * parts[p] for p in PARTS)


def test_haversine_known_distances() -> None:
    d = float(haversine_km(*BEIJING, *SHANGHAI))
    assert 1060 < d < 1075  # Beijing-Shanghai, about 1,068 km
    # One degree of latitude is about 111.2 km; zero distance is zero; missing is NaN.
    assert float(haversine_km(30.0, 114.0, 31.0, 114.0)) == pytest.approx(111.19, abs=0.05)
    assert float(haversine_km(30.0, 114.0, 30.0, 114.0)) == 0.0
    assert math.isnan(float(haversine_km(np.nan, 114.0, 30.0, 114.0)))


def test_parts_by_hand() -> None:
    problem = MatchProblem.from_frames(units_frame(), villages_frame())
    profile = load_profile()
    # Pairs: (V1, U1), (V1, U2), (V2, U1), (V2, U2) as village / unit index arrays.
    scores = score_pairs(problem, profile, np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]))
    km_v1_u1 = float(haversine_km(30.0, 114.0, 30.1, 114.0))
    km_v2_u1 = float(haversine_km(30.0, 114.5, 30.1, 114.0))
    expected = [
        {  # V1-U1: 2 of 3 needs; industries {tea} vs {tea, tourism}; same township; 3 of 4 free;
            # enterprise for economy (1.0) and venue (0.5) weakness.
            "complementarity": 2 / 3,
            "industry": 1 / 2,
            "distance": 1 - km_v1_u1 / profile.max_km,
            "locality": 1.0,
            "capacity": 3 / 4,
            "kind_fit": (1.0 + 0.5) / 2,
        },
        {  # V1-U2: 1 of 3 needs; no industry; no coordinates (neutral); township T1 but county B;
            # capacity unknown -> default 2, none active; community for economy (0.3) and venue (1.0).
            "complementarity": 1 / 3,
            "industry": 0.0,
            "distance": 0.5,
            "locality": 0.0,
            "capacity": 1.0,
            "kind_fit": (0.3 + 1.0) / 2,
        },
        {  # V2-U1: no needs recorded (neutral); no village industries; same county only; no reasons.
            "complementarity": 0.5,
            "industry": 0.0,
            "distance": 1 - km_v2_u1 / profile.max_km,
            "locality": 0.5,
            "capacity": 3 / 4,
            "kind_fit": 0.5,
        },
        {
            "complementarity": 0.5,
            "industry": 0.0,
            "distance": 0.5,
            "locality": 0.0,
            "capacity": 1.0,
            "kind_fit": 0.5,
        },
    ]
    for n, parts in enumerate(expected):
        for name, value in parts.items():
            assert scores.parts[name][n] == pytest.approx(value, abs=1e-12), (n, name)
        assert scores.score[n] == pytest.approx(hand_score(parts), abs=1e-12)
        assert scores.cost[n] == round((1 - hand_score(parts)) * SCALE)
    assert scores.distance_km[0] == pytest.approx(km_v1_u1)
    assert math.isnan(scores.distance_km[1])


def test_distance_limit_and_zero_weight() -> None:
    problem = MatchProblem.from_frames(units_frame(), villages_frame())
    profile = load_profile()
    far = score_pairs(problem, profile, np.array([0]), np.array([0]), np.array([250.0]))
    assert far.parts["distance"][0] == 0.0  # beyond max_km the part bottoms out at 0, never negative


def test_vectorised_equals_one_by_one() -> None:
    units, villages = synthetic_frames(SCALES["county"])
    problem = MatchProblem.from_frames(units, villages)
    profile = load_profile()
    vi, ui = (a.ravel() for a in np.meshgrid(np.arange(problem.n_villages), np.arange(problem.n_units)))
    batch = score_pairs(problem, profile, vi, ui)
    for n in range(0, len(vi), 97):
        one = score_pairs(problem, profile, vi[n : n + 1], ui[n : n + 1])
        assert one.score[0] == batch.score[n]
        assert one.cost[0] == batch.cost[n]
    for name in PARTS:
        assert ((batch.parts[name] >= 0) & (batch.parts[name] <= 1)).all(), name
    assert ((batch.score >= 0) & (batch.score <= 1 + 1e-12)).all()


def test_candidate_distances_match_haversine() -> None:
    units, villages = synthetic_frames(SCALES["county"])
    problem = MatchProblem.from_frames(units, villages)
    profile = load_profile()
    cands = build_candidates(problem, profile, k=problem.n_units)
    exact = haversine_km(
        problem.village_lat[cands.village],
        problem.village_lon[cands.village],
        problem.unit_lat[cands.unit],
        problem.unit_lon[cands.unit],
    )
    located = ~np.isnan(exact)
    np.testing.assert_allclose(cands.distance_km[located], exact[located], atol=1e-6)
    assert (exact[located] <= profile.max_km + 1e-9).all()
    # The k-d tree's distances give the same scores as recomputing them.
    again = score_pairs(problem, profile, cands.village, cands.unit)
    assert (np.abs(again.cost - cands.cost) <= 1).all()


def test_from_frames_reports_every_problem() -> None:
    units = units_frame()
    units.loc[1, "kind"] = "Cadre"
    units.loc[1, "id"] = "U1"
    villages = villages_frame()
    villages.loc[0, "weak_reasons"] = ["laziness"]
    villages.loc[1, "lat"] = 95.0
    villages.loc[1, "needed"] = -1
    with pytest.raises(ValidationError) as caught:
        MatchProblem.from_frames(units, villages)
    text = str(caught.value)
    for fragment in ("Cadre", "repeated", "laziness", "95", "needed"):
        assert fragment in text
    with pytest.raises(ValidationError, match="required column"):
        MatchProblem.from_frames(units.drop(columns=["kind"]), villages_frame())


def test_free_capacity_and_lists() -> None:
    problem = MatchProblem.from_frames(units_frame(), villages_frame())
    assert list(problem.free_capacity(2)) == [3, 2]
    assert list(problem.free_capacity(0)) == [3, 0]
    # Lists given as a ';' string or a numpy array decode to the same tags.
    assert problem.tag_names(problem.unit_resources[1]) == ("venue",)
    assert problem.tag_names(problem.village_industries[0]) == ("tea", "tourism")
