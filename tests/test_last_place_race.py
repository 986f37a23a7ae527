"""Two app servers on one store race for the last place of a unit: exactly one wins, on every round.

Each planner is its own OS process with its own store (`tests/_race_worker.py`), as two app servers
are: on Neo4j its own driver, on Ladybug its own Database on the one file. Neo4j reads at read committed,
so a capacity check that only reads would let both see the free place and both write; the check takes
the nodes' write locks first (`graph.writes.lock`, and `graph.proposals.apply` for the matching page), so
the second planner waits, then sees the place taken. On Ladybug the file's writers' lock
(`graph.store.locks`) makes the second writer wait for the first's commit: the same outcome.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterator
from typing import Any

import pytest

from graph import audit, check, claims
from graph.dataset import Dataset, Row
from graph.model import NODE_BY_LABEL
from graph.store import GraphStore
from tests import _race_worker
from tests.fixtures import StoreFactory, village

ROUNDS = 20
ASOF = dt.date(2040, 1, 1)
# Long enough for both planners' answers on a loaded machine; a lost worker fails the test, not hangs it.
ANSWER = 120.0

pytestmark = pytest.mark.slow


def _unit(id: str, capacity: int | None) -> Row:
    row: Row = {p.name: [] if p.is_list else None for p in NODE_BY_LABEL["CityCommunity"].stored}
    return row | {"id": id, "name": f"社区{id}", "county": _race_worker.COUNTY, "capacity": capacity}


def _programme(capacity: int | None = 1) -> Dataset:
    """A unit with one free place per round, and two weak villages nobody helps for each round."""
    data = Dataset()
    data.nodes["CityCommunity"] = [_unit(f"U{r:02}", capacity) for r in range(ROUNDS)]
    weak = {"county": _race_worker.COUNTY, "township": "镇", "tier": "weak", "weak_reasons": ["economy"]}
    data.nodes["Village"] = [village(f"V{i:02}", f"村{i:02}", **weak) for i in range(2 * ROUNDS)]
    return data


@pytest.fixture
def planners(any_store: StoreFactory) -> Iterator[tuple[GraphStore, Any, Any, list[Any]]]:
    """An empty store on the engine and two planner processes on it: the barrier each round starts at, the
    answers, their task queues."""
    store = any_store()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    queues = [context.Queue(), context.Queue()]
    workers = [
        context.Process(target=_race_worker.serve, args=(store.location, barrier, q, results), daemon=True)
        for q in queues
    ]
    for w in workers:
        w.start()
    yield store, barrier, results, queues
    for q in queues:
        q.put(None)
    for w in workers:
        w.join(timeout=30)
        if w.is_alive():
            w.kill()


def _pairings(store: GraphStore) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in store.read("export/paired_with"):
        out.setdefault(row["src"], []).append(row["dst"])
    return out


@pytest.mark.parametrize("path", ["links", "matching"])
def test_the_last_place_goes_to_exactly_one_of_two_servers(planners, path: str) -> None:
    store, barrier, results, queues = planners
    store.load(_programme())
    for r in range(ROUNDS):
        unit, mine = f"U{r:02}", (f"V{2 * r:02}", f"V{2 * r + 1:02}")
        for q, v in zip(queues, mine, strict=True):
            q.put((path, unit, v, ASOF))
        answers = dict((v, (outcome, message)) for v, outcome, message in (results.get(timeout=ANSWER) for _ in mine))
        winners = [v for v in mine if answers[v][0] == "ok"]
        assert len(winners) == 1, f"round {r}: {answers}"
        loser = next(v for v in mine if v not in winners)
        assert answers[loser][0] == "ConflictError", f"round {r}: {answers}"
        assert _pairings(store).get(unit) == winners, f"round {r}"
        assert not barrier.broken
    paired = _pairings(store)
    assert sorted(paired) == [f"U{r:02}" for r in range(ROUNDS)]
    assert all(len(v) == 1 for v in paired.values()), paired
    # One audit entry per accepted write, none for the refused ones.
    action = "pairing.create" if path == "links" else "match.apply"
    assert len(audit.entries(store, action=action)) == ROUNDS
    assert check.run(store) == []


def test_a_village_chooses_one_of_two_claimants_once_whoever_asks_first(planners) -> None:
    """群众选对 from two servers at once: two planners each record the village choosing another claimant.

    The need is locked before its claims are read, so the second choice finds its claim not chosen any
    more and is refused; without it both went through, each marking the other not chosen, both paired.
    """
    store, barrier, results, queues = planners
    store.load(_programme(capacity=None))
    for r in range(ROUNDS):
        village, units = f"V{r:02}", (f"U{2 * r % ROUNDS:02}", f"U{(2 * r + 1) % ROUNDS:02}")
        need = claims.post_need(store, village, f"需求{r}", posted=ASOF, actor="village")
        for unit in units:
            claims.claim(store, unit, need, claimed=ASOF, actor=unit)
        for q, unit in zip(queues, units, strict=True):
            q.put(("choose", unit, need, ASOF))
        outcomes = [results.get(timeout=ANSWER)[1:] for _ in units]
        kinds = sorted(outcome for outcome, _ in outcomes)
        assert kinds in (["QueryError", "ok"], ["ConflictError", "ok"]), (r, outcomes)
        paired = [row["src"] for row in store.read("export/paired_with") if row["dst"] == village]
        assert len(paired) == 1 and paired[0] in units, (r, paired)
        assert not barrier.broken
    assert len(audit.entries(store, action="claim.choose")) == ROUNDS
    assert check.run(store) == []
