"""Synthetic weak villages and helper units with a realistic geography, for benchmarks, tests and demos.

County seats spread over a region, townships around each seat, villages around townships; units
cluster at county seats (communities, departments, most enterprises) or in townships (strong
villages, rural enterprises), so distance limits bite the way they do in a real province. Fixed
seeds make every instance reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scale:
    """Size and region of a synthetic instance (lat and lon are the bounding box of county seats)."""

    name: str
    villages: int
    units: int
    counties: int
    townships_per_county: int
    lat: tuple[float, float]
    lon: tuple[float, float]


SCALES = {
    # Jiangxia-like: one county about 50 km across.
    "county": Scale("county", 100, 60, 1, 14, (30.15, 30.55), (114.05, 114.55)),
    # Shandong-like: 16,000 weak villages, 10,000 units, 137 counties.
    "province": Scale("province", 16_000, 10_000, 137, 12, (34.4, 38.3), (114.8, 122.7)),
    "nation": Scale("nation", 200_000, 120_000, 2_800, 12, (21.0, 47.0), (98.0, 125.0)),
}

NEEDS = (
    "funds", "technology", "marketing", "ecommerce", "training", "education",
    "medical", "venue", "legal", "infrastructure", "cadres", "culture", "jobs",
)  # fmt: skip
INDUSTRIES = (
    "grain", "vegetables", "fruit", "tea", "livestock", "aquaculture", "tourism", "food_processing",
    "textiles", "logistics", "forestry", "herbs", "crafts", "building_materials", "machinery",
)  # fmt: skip
# What each kind of unit tends to offer.
KIND_RESOURCES = {
    "CityCommunity": ("venue", "culture", "education", "marketing", "training", "medical"),
    "Enterprise": ("funds", "technology", "marketing", "ecommerce", "jobs", "infrastructure", "training"),
    "Organisation": ("cadres", "training", "legal", "funds", "education", "medical", "infrastructure"),
    "Village": ("technology", "marketing", "training", "jobs", "cadres"),
}
KIND_SHARE = {"CityCommunity": 0.15, "Enterprise": 0.45, "Organisation": 0.25, "Village": 0.15}
KIND_CAPACITY = {"CityCommunity": (1, 3), "Enterprise": (1, 3), "Organisation": (2, 5), "Village": (1, 2)}
REASONS = ("economy", "organisation", "poverty", "venue")
KM_PER_DEGREE = 111.0


def synthetic_frames(scale: Scale, seed: int = 42, missing_coords: float = 0.01) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units and weak-village frames in the shape `MatchProblem.from_frames` takes.

    `missing_coords` is the share of rows (of each frame) left without coordinates.
    """
    rng = np.random.default_rng(seed)
    seats = np.column_stack([rng.uniform(*scale.lat, scale.counties), rng.uniform(*scale.lon, scale.counties)])
    n_town = scale.counties * scale.townships_per_county
    town_county = np.repeat(np.arange(scale.counties), scale.townships_per_county)
    towns = seats[town_county] + rng.normal(0, 15 / KM_PER_DEGREE, (n_town, 2))

    def near(centres: np.ndarray, km: float) -> np.ndarray:
        return centres + rng.normal(0, km / KM_PER_DEGREE, centres.shape)

    def pick(pool: tuple[str, ...], low: int, high: int, n: int) -> list[list[str]]:
        sizes = rng.integers(low, high + 1, n)
        return [list(rng.choice(pool, size=s, replace=False)) for s in sizes]

    def blank_some(xy: np.ndarray) -> np.ndarray:
        xy = xy.copy()
        xy[rng.random(len(xy)) < missing_coords] = np.nan  # a few ledgers lack coordinates
        return xy

    # Villages: around township centres.
    v_town = rng.integers(0, n_town, scale.villages)
    v_xy = blank_some(near(towns[v_town], 4))
    reason_sets = [list(rng.choice(REASONS, size=s, replace=False)) for s in rng.integers(1, 3, scale.villages)]
    villages = pd.DataFrame(
        {
            "id": [f"V{j:06d}" for j in range(scale.villages)],
            "name": [f"village {j}" for j in range(scale.villages)],
            "county": [f"county {c}" for c in town_county[v_town]],
            "township": [f"township {t}" for t in v_town],
            "lat": v_xy[:, 0],
            "lon": v_xy[:, 1],
            "needs": pick(NEEDS, 1, 3, scale.villages),
            "industries": pick(INDUSTRIES, 1, 2, scale.villages),
            "weak_reasons": reason_sets,
            "needed": np.where(rng.random(scale.villages) < 0.2, 2, 1),
        }
    )

    # Units: urban kinds at county seats, strong villages and some enterprises out in townships.
    kinds = rng.choice(list(KIND_SHARE), size=scale.units, p=list(KIND_SHARE.values()))
    u_town = rng.integers(0, n_town, scale.units)
    rural = (kinds == "Village") | ((kinds == "Enterprise") & (rng.random(scale.units) < 0.4))
    centres = np.where(rural[:, None], towns[u_town], seats[town_county[u_town]])
    u_xy = blank_some(near(centres, 4))
    resources = []
    industries: list[list[str]] = []
    capacity: list[int | None] = []
    active = []
    for kind in kinds:
        pool = KIND_RESOURCES[str(kind)]
        resources.append(list(rng.choice(pool, size=int(rng.integers(2, 5)), replace=False)))
        n_ind = {"Enterprise": 1, "Village": int(rng.integers(1, 3))}.get(str(kind), 0)
        industries.append(list(rng.choice(INDUSTRIES, size=n_ind, replace=False)))
        low, high = KIND_CAPACITY[str(kind)]
        cap = int(rng.integers(low, high + 1))
        capacity.append(None if rng.random() < 0.1 else cap)
        # Up to half the capacity already in use: free capacity ends up ~15% above the slots needed,
        # tight enough that units compete, loose enough that coverage depends on the solver.
        active.append(int(rng.integers(0, cap // 2 + 1)))
    units = pd.DataFrame(
        {
            "id": [f"U{i:06d}" for i in range(scale.units)],
            "name": [f"unit {i}" for i in range(scale.units)],
            "kind": kinds,
            "county": [f"county {c}" for c in town_county[u_town]],
            "township": [f"township {t}" for t in u_town],
            "lat": u_xy[:, 0],
            "lon": u_xy[:, 1],
            "resources": resources,
            "industries": industries,
            "capacity": pd.array(capacity, dtype="Int64"),
            "active": active,
        }
    )
    return units, villages
