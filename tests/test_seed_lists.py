"""The demo seed's practical projects and 三张清单 (seed/activities.csv, needs, resources, projects).

The documented lists of `seed/expected_gaps.json` are recomputed here from the CSV files with the definitions
of issue #17, written out again in plain Python: a second statement of each rule beside seed/make_seed.py's.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from graph.dataset import Dataset
from graph.interchange import read
from graph.model import NODE_BY_LABEL, REL_BY_TYPE
from tests.fixtures import SEED

ASOF = date(2026, 11, 1)
DAYS_90 = ASOF - timedelta(days=90)


@pytest.fixture(scope="module")
def seed_data() -> Dataset:
    return read(SEED)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEED / "expected_gaps.json").read_text(encoding="utf-8"))
    return data


def test_the_lists_hold_values_of_the_model(seed_data: Dataset) -> None:
    for label in ("Need", "Resource"):
        spec = NODE_BY_LABEL[label]
        assert seed_data.nodes[label], label
        for row in seed_data.nodes[label]:
            assert row["kind"] in spec.prop("kind").choices, row
    assert {n["status"] for n in seed_data.nodes["Need"]} == {"open", "claimed", "done", "withdrawn"}
    assert {c["status"] for c in seed_data.links["CLAIMED"]} == set(
        next(p for p in REL_BY_TYPE["CLAIMED"].props if p.name == "status").choices
    )
    assert {a["status"] for a in seed_data.links["ACTIVITY"]} == {None, "planned", "ongoing", "done"}
    # Every need has its village and every resource its unit; a unit claims a need once.
    assert Counter(r["src"] for r in seed_data.links["NEED_OF"]) == Counter(n["id"] for n in seed_data.nodes["Need"])
    assert len(seed_data.links["OFFERED_BY"]) == len(seed_data.nodes["Resource"])
    assert max(Counter((c["src"], c["dst"]) for c in seed_data.links["CLAIMED"]).values()) == 1
    keys = Counter((a["src"], a["dst"], a["date"], a["title"]) for a in seed_data.links["ACTIVITY"])
    assert max(keys.values()) == 1
    # Needs of one item in many villages: a 项目清单 names its need by item and village.
    assert max(Counter(n["name"] for n in seed_data.nodes["Need"]).values()) > 5


def test_most_older_pairings_did_something_in_the_last_year(seed_data: Dataset, expected: dict[str, Any]) -> None:
    cutoff = ASOF - timedelta(days=365)
    older = [
        p for p in seed_data.links["PAIRED_WITH"] if p["since"] <= cutoff and (p["until"] is None or p["until"] >= ASOF)
    ]
    recent = {
        (a["src"], a["dst"])
        for a in seed_data.links["ACTIVITY"]
        if a["status"] in (None, "done") and cutoff <= a["date"] <= ASOF
    }
    did = [p for p in older if (p["src"], p["dst"]) in recent]
    assert len(did) == len(older) - len(expected["inactive_pairings"])
    assert len(did) / len(older) > 0.9


def test_needs_lists_and_rates_match_the_definitions(seed_data: Dataset, expected: dict[str, Any]) -> None:
    village = {r["src"]: r["dst"] for r in seed_data.links["NEED_OF"]}
    county = {v["id"]: v["county"] for v in seed_data.nodes["Village"]}
    live: dict[str, list[dict[str, Any]]] = {}
    for c in seed_data.links["CLAIMED"]:
        if c["status"] != "not_chosen":
            live.setdefault(c["dst"], []).append(c)
    stale = sorted(
        n["id"]
        for n in seed_data.nodes["Need"]
        if n["status"] == "open" and n["id"] not in live and n["posted"] <= DAYS_90
    )
    assert stale == expected["stale_needs"]
    claims = [c for cs in live.values() for c in cs]
    overdue = sorted([c["src"], c["dst"]] for c in claims if c["status"] in ("claimed", "ongoing") and c["due"] < ASOF)
    assert overdue == expected["overdue_projects"]
    idle = sorted(
        [c["src"], c["dst"]]
        for c in claims
        if c["status"] == "claimed"
        and c["claimed"] <= DAYS_90
        and not any(
            a["src"] == c["src"] and a["dst"] == village[c["dst"]] and c["claimed"] <= a["date"] <= ASOF
            for a in seed_data.links["ACTIVITY"]
        )
    )
    assert idle == expected["idle_claimers"]
    counts: dict[str, Counter[str]] = {}
    for n in seed_data.nodes["Need"]:
        if n["status"] == "withdrawn":
            continue
        c = counts.setdefault(county[village[n["id"]]], Counter())
        c["needs"] += 1
        c["claimed"] += n["id"] in live or n["status"] in ("claimed", "done")
        c["done"] += n["status"] == "done" or any(x["status"] == "done" for x in live.get(n["id"], []))
    assert {k: dict(v) for k, v in counts.items()} == expected["claim_counts"]
    assert set(expected["claim_counts"]) == {"石砚区", "澄溪县", "青岚县"}


def test_several_claims_end_in_one_choice_and_a_chosen_pairing(seed_data: Dataset) -> None:
    by_need: dict[str, list[dict[str, Any]]] = {}
    for c in seed_data.links["CLAIMED"]:
        by_need.setdefault(c["dst"], []).append(c)
    village = {r["src"]: r["dst"] for r in seed_data.links["NEED_OF"]}
    forms = {
        (p["src"], p["dst"]): p["form"]
        for p in seed_data.links["PAIRED_WITH"]
        if p["since"] <= ASOF and (p["until"] is None or p["until"] >= ASOF)
    }
    several = {n: cs for n, cs in by_need.items() if len(cs) > 1}
    assert len(several) == 3
    for need, cs in several.items():
        chosen = [c for c in cs if c["status"] != "not_chosen"]
        assert len(chosen) == 1 and len(cs) == 3, need
        assert forms[chosen[0]["src"], village[need]] == "chosen"


def test_a_claim_done_is_a_practical_project(seed_data: Dataset) -> None:
    village = {r["src"]: r["dst"] for r in seed_data.links["NEED_OF"]}
    done = {(a["src"], a["dst"], a["date"]) for a in seed_data.links["ACTIVITY"] if a["status"] == "done"}
    finished = [c for c in seed_data.links["CLAIMED"] if c["status"] == "done"]
    assert finished
    assert all((c["src"], village[c["dst"]], c["done"]) in done for c in finished)
