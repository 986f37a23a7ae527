"""The stores: atomic and idempotent loads, round trips, transactions (Ladybug; Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import copy
import datetime as dt
import random

import pytest

from graph.dataset import Dataset
from graph.errors import StoreError
from graph.store import GraphStore
from graph.store import ladybug as ladybug_store
from tests.fixtures import SEED_NUMBER, StoreFactory, assert_same_graph

D = dt.date


def small_dataset(rng: random.Random, villages: int = 30) -> Dataset:
    data = Dataset()
    data.nodes["Village"] = [
        {
            "id": f"V{i}",
            "name": f"村{i}",
            "county": rng.choice(["青山县", "云溪县"]),
            "township": rng.choice(["东镇", "西镇"]),
            "tier": rng.choice(["strong", "ordinary", "weak"]),
            "weak_reasons": rng.sample(["economy", "organisation", "poverty", "venue"], rng.randint(0, 2)),
            "population": rng.choice([None, rng.randint(100, 5000)]),
            "party_members": rng.randint(3, 120),
            "party_org_type": rng.choice([None, "branch", "general_branch", "committee"]),
            "leadership_size": rng.randint(1, 7),
            "collective_income": rng.choice([None, round(rng.uniform(0, 300), 2)]),
            "industries": rng.sample(["茶叶", "蔬菜", "乡村旅游"], rng.randint(0, 2)),
            "needs": rng.sample(["资金", "技术", "销路"], rng.randint(0, 3)),
            "lat": rng.uniform(25, 30),
            "lon": rng.choice([None, rng.uniform(105, 110)]),
        }
        for i in range(villages)
    ]
    data.nodes["Enterprise"] = [
        {"id": f"E{i}", "name": f"企业{i}有限公司", "resources": ["资金"], "capacity": 2, "has_party_org": i % 2 == 0}
        for i in range(5)
    ]
    data.nodes["Organisation"] = [{"id": "O1", "name": "县农业农村局", "kind": "department", "capacity": 3}]
    data.nodes["Cadre"] = [
        {"id": f"K{i}", "name": f"干部{i}", "skills": ["规划"], "birth_year": 1985} for i in range(4)
    ]
    for i in range(villages):
        unit = rng.choice([("Enterprise", f"E{rng.randrange(5)}"), ("Organisation", "O1")])
        since = D(2019, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        until = rng.choice([None, since + dt.timedelta(days=rng.randrange(30, 900))])
        data.links["PAIRED_WITH"].append(
            {
                "src": unit[1],
                "src_label": unit[0],
                "dst": f"V{i}",
                "dst_label": "Village",
                "since": since,
                "until": until,
                "form": rng.choice(["assigned", "voluntary", "chosen", None]),
                "funds": rng.choice([None, 5.0, 12.5]),
                "projects": rng.choice([None, 0, 3]),
                "last_activity": rng.choice([None, since + dt.timedelta(days=20)]),
            }
        )
    data.links["LEADS"] = [
        {
            "src": "V0",
            "src_label": "Village",
            "dst": "V1",
            "dst_label": "Village",
            "since": D(2022, 3, 1),
            "until": None,
            "mode": "联合党委",
        }
    ]
    data.links["FUSED_WITH"] = [
        {
            "src": "E1",
            "src_label": "Enterprise",
            "dst": "V2",
            "dst_label": "Village",
            "since": D(2021, 5, 1),
            "until": D(2024, 5, 1),
            "joint_party_org": None,
        }
    ]
    data.links["STATIONED_IN"] = [
        {
            "src": f"K{i}",
            "src_label": "Cadre",
            "dst": f"V{i + 3}",
            "dst_label": "Village",
            "role": "first_secretary",
            "since": D(2024, 1, 1),
            "until": D(2026, 12, 31),
        }
        for i in range(4)
    ]
    data.links["SENT_BY"] = [
        {"src": f"K{i}", "src_label": "Cadre", "dst": "O1", "dst_label": "Organisation"} for i in range(4)
    ]
    return data


# The Neo4j param carries the marker, as the `engine` fixture's does: `-m "not neo4j"` leaves it out, and the
# summary counts it among the server's tests.
@pytest.fixture(params=["ladybug", "ladybug-copy", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, make_store: StoreFactory, monkeypatch: pytest.MonkeyPatch) -> GraphStore:
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_store")
    if request.param == "ladybug-copy":
        # Big loads take Ladybug's COPY path into a fresh file; make every table "big" to test it on small data.
        monkeypatch.setattr(ladybug_store, "COPY_MIN_ROWS", 1)
    return make_store()


def test_load_then_dump_gives_the_same_graph(store: GraphStore) -> None:
    data = small_dataset(random.Random(SEED_NUMBER))
    store.load(data)
    # Every node and every link (both ends, each property: dates, floats, lists, nulls); properties the
    # dataset leaves out come back as None (lists as []).
    assert_same_graph(store.dump(), data, approx=True)


def test_loading_twice_changes_nothing(store: GraphStore) -> None:
    data = small_dataset(random.Random(7))
    store.load(data)
    first = store.dump()
    store.load(data)  # the second load takes the MERGE path on Ladybug
    assert store.dump() == first


def test_incremental_load_adds_and_updates(store: GraphStore) -> None:
    data = small_dataset(random.Random(3))
    store.load(data)
    more = Dataset()
    changed = copy.deepcopy(data.nodes["Village"][0])
    changed["name"] = "改名村"
    more.nodes["Village"] = [changed, {**changed, "id": "V_NEW", "name": "新村", "needs": []}]
    store.load(more)
    villages = {r["id"]: r for r in store.dump().nodes["Village"]}
    assert villages["V0"]["name"] == "改名村"
    assert villages["V_NEW"]["name"] == "新村"
    assert len(villages) == len(data.nodes["Village"]) + 1
    # Nothing else changed: the other villages, every other node and every link are as first loaded.
    expected = copy.deepcopy(data)
    expected.nodes["Village"] = [changed, *data.nodes["Village"][1:], more.nodes["Village"][1]]
    assert_same_graph(store.dump(), expected, approx=True)


class Boom(Exception):
    pass


def _fail_after(label: str):
    def progress(done: str, count: int) -> None:
        if done == label:
            raise Boom(f"stopped after {label}")

    return progress


@pytest.mark.parametrize("stop_after", ["Village", "Cadre", "PAIRED_WITH", "STATIONED_IN"])
def test_a_failure_half_way_leaves_the_store_as_it_was(store: GraphStore, stop_after: str) -> None:
    base = small_dataset(random.Random(1))
    store.load(base)
    before = store.dump()
    other = small_dataset(random.Random(2), villages=40)
    for rows in other.nodes.values():
        for r in rows:
            r["name"] += "·新"
    for replace in (False, True):
        with pytest.raises(Boom):
            store.load(other, replace=replace, progress=_fail_after(stop_after))
        assert store.dump() == before
    # And the store still takes a load afterwards (Ladybug needs a fresh connection after a rollback).
    store.load(other)
    assert len(store.dump().nodes["Village"]) == 40


@pytest.mark.parametrize("copy_min_rows", [1, 10**9])
def test_first_load_fails_atomically_too(
    make_store: StoreFactory, monkeypatch: pytest.MonkeyPatch, copy_min_rows: int
) -> None:
    monkeypatch.setattr(ladybug_store, "COPY_MIN_ROWS", copy_min_rows)
    store = make_store()
    with pytest.raises(Boom):
        store.load(small_dataset(random.Random(5)), progress=_fail_after("LEADS"))
    assert store.is_empty()


def test_link_to_a_missing_node_is_refused_whole(store: GraphStore) -> None:
    store.load(small_dataset(random.Random(9)))
    before = store.dump()
    bad = Dataset()
    bad.nodes["Village"] = [
        {"id": "V_OK", "name": "好村", "tier": "weak", "weak_reasons": [], "industries": [], "needs": []}
    ]
    bad.links["PAIRED_WITH"] = [
        {"src": "E_MISSING", "src_label": "Enterprise", "dst": "V_OK", "dst_label": "Village", "since": D(2024, 1, 1)}
    ]
    with pytest.raises(StoreError, match="not in the store"):
        store.load(bad)
    assert store.dump() == before


def test_replace_swaps_the_whole_graph(store: GraphStore) -> None:
    store.load(small_dataset(random.Random(11)))
    other = small_dataset(random.Random(12), villages=8)
    store.load(other, replace=True)
    assert store.counts()["Village"] == 8
    assert_same_graph(store.dump(), other, approx=True)  # nothing of the first graph is left, links included


def test_transaction_rolls_back_on_error(store: GraphStore) -> None:
    store.load(small_dataset(random.Random(4)))
    before = store.counts()
    more = Dataset()
    more.nodes["Cadre"] = [{"id": "K_T", "name": "临时", "skills": []}]
    with pytest.raises(Boom), store.transaction() as tx:
        tx.run(
            "load/cadres",
            {
                "rows": [
                    {"id": "K_T", "name": "临时"} | {"role": None, "skills": [], "birth_year": None, "education": None}
                ]
            },
        )
        raise Boom("abort")
    assert store.counts() == before
