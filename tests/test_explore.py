"""The explorer (graph.explore) and the consistency check (graph.check) answer alike on both engines.

One store on the Neo4j server, compared with the same graph on a Ladybug file: the seed, with faults the
check must name (reversed dates of three link types, an id on two labels, bad accounts) and a village with
no county or township (the engines order nulls differently). The engines give a UNION's rows in their own
order; the explorer's links and the check's issues must come out in one order all the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from graph import check, explore
from graph.dataset import Dataset
from graph.model import REL_RANK
from graph.store import GraphStore
from tests import fixtures
from tests.fixtures import StoreFactory

REVERSED = ("PAIRED_WITH", "LEADS", "STATIONED_IN")


def faulty_seed() -> Dataset:
    data = fixtures.seed_dataset()
    # Three reversed spans of each of three types, an enterprise with a village's id, a village of no place.
    for rel in REVERSED:
        for row in data.links[rel][:3]:
            row["until"] = row["since"] - dt.timedelta(days=1)
    data.nodes["Enterprise"].append(dict(data.nodes["Enterprise"][0], id=data.nodes["Village"][0]["id"]))
    data.nodes["Village"].append(fixtures.village("V_NOWHERE", "无处村", tier="weak"))
    return data


def bad_accounts(store: GraphStore) -> None:
    rows = [
        {"username": "x", "password_hash": "h", "role": "root", "counties": [], "created": ""},
        {"username": "p", "password_hash": "h", "role": "planner", "counties": [], "created": ""},
    ]
    with store.transaction() as tx:
        tx.run("accounts/load", {"rows": rows})


@pytest.mark.neo4j
def test_the_explorer_and_the_check_on_neo4j_equal_ladybugs(neo4j_store: GraphStore, make_store: StoreFactory) -> None:
    data = faulty_seed()
    neo4j_store.load(data)
    ladybug = make_store(data)
    for store in (neo4j_store, ladybug):
        bad_accounts(store)

    def same(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`call(store, *args, **kwargs)` answers the same on both stores; the answer."""
        want = call(ladybug, *args, **kwargs)
        assert call(neo4j_store, *args, **kwargs) == want, (call.__name__, args, kwargs)
        return want

    # The check: every fault named, in the same order (dangling links cannot exist in Ladybug's typed tables).
    issues = same(check.run)
    assert [i.kind for i in issues] == ["duplicate_id"] + ["reversed_dates"] * 9 + ["bad_account"] * 2
    ranks = [REL_RANK[i.target.split()[0]] for i in issues if i.kind == "reversed_dates"]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(REVERSED)

    # The explorer: places, each scope, neighbourhoods of nodes of every label at every depth, capped or not.
    places = same(explore.places)
    assert ("", "") in {(p.county, p.township) for p in places}
    for place in places:
        same(explore.scope, place.county, place.township)
    same(explore.scope, "", "", cap=50)
    # Two nodes of each label the explorer draws: the first and one from the middle.
    drawn = [data.nodes[label] for label in explore.DETAIL_QUERIES if label not in ("Need", "Resource")]
    ids = [rows[i]["id"] for rows in drawn for i in (0, len(rows) // 2)]
    truncated = 0
    for node_id in ids:
        # Each depth once; then the deepest (its first hops are the shallower ones'), capped too.
        for depth in range(1, explore.MAX_DEPTH + 1) if node_id == ids[0] else (explore.MAX_DEPTH,):
            graph = same(explore.neighbourhood, node_id, depth)
            assert graph.nodes
        capped = same(explore.neighbourhood, node_id, explore.MAX_DEPTH, cap=12)
        truncated += capped.truncated
        node = explore.node(ladybug, node_id)
        assert node is not None
        same(explore.details, node)
    # Where the cap cuts, the nodes found first are kept: the same ones only if the links come in one order.
    assert truncated
    for text in ("村", "社区", "有限公司", data.nodes["Village"][0]["id"], "无"):
        same(explore.search, text)
    for place in places[:3]:
        same(explore.village_points, place.county, place.township)
    same(explore.village_points)
