"""Complementarity from the 三张清单: a village's open needs against the resources a unit offers.

Where both sides have lists they decide (by kind, and by name for a need without a kind); where either
side has none the tag lists (`needs` on villages, `resources` on units) do, as before.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import proposals
from graph.errors import ValidationError
from graph.matching import MatchProblem, load_profile, score_pairs, solve
from graph.matching.explain import explain
from graph.store import GraphStore
from tests.fixtures import SEED, StoreFactory, seed_dataset

HOSTILE = "<script>alert(1)</script>'; MATCH (n) DETACH DELETE n //"


def unit(uid: str, offers: Any, resources: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": uid, "name": uid, "kind": "Enterprise", "county": "A", "township": "T1", "lat": 30.0, "lon": 114.0,
        "resources": resources or [], "industries": [], "capacity": 2, "active": 0, "offers": offers,
    }  # fmt: skip


def village(vid: str, open_needs: Any, needs: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": vid, "name": vid, "county": "A", "township": "T1", "lat": 30.0, "lon": 114.0,
        "needs": needs or [], "industries": [], "weak_reasons": [], "needed": 1, "open_needs": open_needs,
    }  # fmt: skip


def complementarity(units: list[dict[str, Any]], villages: list[dict[str, Any]]) -> list[list[float]]:
    """complementarity[village][unit] for every pair."""
    problem = MatchProblem.from_frames(pd.DataFrame(units), pd.DataFrame(villages))
    vi, ui = np.divmod(np.arange(len(villages) * len(units)), len(units))
    parts = score_pairs(problem, load_profile(), vi, ui).parts["complementarity"]
    return [[float(x) for x in parts[j * len(units) : (j + 1) * len(units)]] for j in range(len(villages))]


def test_a_unit_offering_the_kind_a_village_needs_scores_higher() -> None:
    needs = [{"kind": "health", "name": "村卫生室设备更新"}, {"kind": "infrastructure", "name": "通组道路硬化"}]
    units = [
        unit("U1", [{"kind": "health", "name": "巡回义诊"}]),  # one of the two kinds
        unit("U2", [{"kind": "health", "name": "巡回义诊"}, {"kind": "infrastructure", "name": "工程建设支持"}]),
        # Tags say it offers everything, but its 资源清单 says culture only: the list decides.
        unit("U3", [{"kind": "culture", "name": "文艺演出进村"}], resources=["医疗", "基础设施"]),
    ]
    assert complementarity(units, [village("V1", needs, needs=["医疗", "基础设施"])]) == [[0.5, 1.0, 0.0]]
    problem = MatchProblem.from_frames(pd.DataFrame(units), pd.DataFrame([village("V1", needs)]))
    result = solve(problem, load_profile())
    assert [(p.village_id, p.unit_id) for p in result.proposals] == [("V1", "U2")]
    why = explain(problem, load_profile(), result.proposals[0])
    assert why.covered_needs == ("health care", "infrastructure") and why.uncovered_needs == ()


def test_a_need_without_a_kind_meets_a_resource_of_its_name() -> None:
    needs = [{"kind": None, "name": HOSTILE}, {"kind": "market", "name": "=SUM(A1:A9)"}]
    units = [
        unit("U1", [{"kind": "capital", "name": HOSTILE}]),
        unit("U2", [{"kind": "market", "name": "农产品定向采购"}]),
        unit("U3", [{"kind": None, "name": "=SUM(A1:A9)"}]),  # the name of a need that has a kind: no match
    ]
    assert complementarity(units, [village("V1", needs)]) == [[0.5, 0.5, 0.0]]


def test_the_tag_lists_drive_it_where_there_are_no_lists() -> None:
    units = [
        unit("U1", [], resources=["资金", "技术"]),
        unit("U2", [], resources=["文化"]),
        unit("U3", [{"kind": "capital", "name": "帮扶资金"}], resources=["资金"]),  # lists, but the village has none
    ]
    villages = [
        village("V1", [], needs=["资金", "技术"]),
        village("V2", None, needs=["技术", "文化", "教育"]),
        village("V3", [{"kind": "capital", "name": "启动资金"}], needs=["文化"]),  # lists, but U1 and U2 have none
        village("V4", []),  # nothing recorded: neutral
    ]
    assert complementarity(units, villages) == [
        [1.0, 0.0, 0.5],
        [1 / 3, 1 / 3, 0.0],
        [0.0, 1.0, 1.0],
        [0.5, 0.5, 0.5],
    ]


def test_malformed_lists_are_problems() -> None:
    with pytest.raises(ValidationError) as err:
        MatchProblem.from_frames(pd.DataFrame([unit("U1", "health")]), pd.DataFrame([village("V1", [["health"]])]))
    assert sorted((p.file, p.column) for p in err.value.problems) == [("units", "offers"), ("villages", "open_needs")]


def test_the_store_gives_open_needs_and_offers(engine: str, any_store: StoreFactory, seed_store: GraphStore) -> None:
    # Ladybug reads the session's seed store; Neo4j loads the seed once.
    store = seed_store if engine == "ladybug" else any_store("seed")
    asof = dt.date(2026, 11, 1)
    units, villages = proposals.build(store, asof, county="石砚区")
    seed = seed_dataset()
    village_of = {r["src"]: r["dst"] for r in seed.links["NEED_OF"]}
    unit_of = {r["src"]: r["dst"] for r in seed.links["OFFERED_BY"]}

    def entries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"kind": r["kind"], "name": r["name"]} for r in sorted(rows, key=lambda r: (r["name"], r["kind"]))]

    # Each village nobody helps with its open needs (claimed, done or withdrawn ones are not open).
    needs = dict(zip(villages["id"], villages["open_needs"], strict=True))
    assert needs == {
        v: entries([n for n in seed.nodes["Need"] if village_of[n["id"]] == v and n["status"] == "open"]) for v in needs
    }
    # The seed's stale needs in villages nobody helps (seed/README.md) are among them.
    stale = {village_of[n] for n in json.loads((SEED / "expected_gaps.json").read_text("utf-8"))["stale_needs"]}
    assert stale & set(needs)
    assert all(needs[v] for v in stale & set(needs))
    offers = dict(zip(units["id"], units["offers"], strict=True))
    assert offers == {u: entries([r for r in seed.nodes["Resource"] if unit_of[r["id"]] == u]) for u in offers}
    assert any(offers.values()) and all(o == [] for uid, o in offers.items() if uid.startswith("V"))


KINDS = ("industry", "health", "capital", None)
NAMES = ("巡回义诊", "帮扶资金", HOSTILE, None)
entry = st.fixed_dictionaries({"kind": st.sampled_from(KINDS), "name": st.sampled_from(NAMES)})
TAGS = ("资金", "技术", "医疗")


def plain(needs: list[dict[str, Any]], offers: list[dict[str, Any]], tags_v: list[str], tags_u: list[str]) -> float:
    """Complementarity as docs say it, one pair at a time: the lists where both sides have them, else the tags."""
    asked = {("kind", n["kind"]) if n["kind"] else ("item", n["name"]) for n in needs if n["kind"] or n["name"]}
    given = {("kind", o["kind"]) for o in offers if o["kind"]} | {("item", o["name"]) for o in offers if o["name"]}
    if asked and given:
        return len(asked & given) / len(asked)
    if not tags_v:
        return 0.5
    return len(set(tags_v) & set(tags_u)) / len(set(tags_v))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(entry, max_size=3), st.lists(st.sampled_from(TAGS), max_size=3, unique=True)),
        min_size=1,
        max_size=4,
    ),
    st.lists(
        st.tuples(st.lists(entry, max_size=3), st.lists(st.sampled_from(TAGS), max_size=3, unique=True)),
        min_size=1,
        max_size=4,
    ),
)
def test_the_scorer_agrees_with_the_plain_rule(
    villages: list[tuple[list[dict[str, Any]], list[str]]], units: list[tuple[list[dict[str, Any]], list[str]]]
) -> None:
    got = complementarity(
        [unit(f"U{i}", offers, resources=tags) for i, (offers, tags) in enumerate(units)],
        [village(f"V{j}", needs, needs=tags) for j, (needs, tags) in enumerate(villages)],
    )
    want = [[plain(n, o, tv, tu) for o, tu in units] for n, tv in villages]
    assert [x for row in got for x in row] == pytest.approx([x for row in want for x in row], abs=1e-12)
