"""Threads sharing one LadybugStore: racing planners never take a unit beyond its capacity.

`graph.writes.create_pairing_checked` reads the unit's capacity and overlapping pairings under
the unit's lock in the transaction that creates the link, so of writers racing for the last
places exactly as many succeed as there are places, and the others get a ConflictError.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

import pytest

from graph import audit, check, writes
from graph.accounts import Account
from graph.dataset import Dataset
from graph.errors import ConflictError
from graph.store import GraphStore
from tests.fixtures import seed_dataset

START = dt.date(2040, 1, 1)
ROUNDS = 4


def _store_with_free_places(make_store, places: int, units: int) -> tuple[GraphStore, list[str], list[str]]:
    """A seed store where each of `units` communities has exactly `places` free places from START."""
    data: Dataset = seed_dataset()
    chosen = data.nodes["CityCommunity"][:units]
    for unit in chosen:
        taken = sum(
            1
            for p in data.links["PAIRED_WITH"]
            if p["src"] == unit["id"] and (p["until"] is None or p["until"] >= START)
        )
        unit["capacity"] = taken + places
    villages = [v["id"] for v in data.nodes["Village"] if v["tier"] == "weak"]
    return make_store(data), [u["id"] for u in chosen], villages


def _race(workers: list[Callable[[], None]]) -> list[BaseException | None]:
    barrier = threading.Barrier(len(workers))
    results: list[BaseException | None] = [None] * len(workers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            workers[i]()
        except BaseException as exc:  # collected and judged by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _planner(name: str, store: GraphStore) -> Account:
    counties = tuple(sorted({v["county"] for v in store.read("export/villages") if v["county"]}))
    return Account(name, "planner", counties)


def _overloaded(store: GraphStore, units: list[str]) -> list[str]:
    """Which of `units` hold more pairings than their capacity on START (the seed has overloaded units of its own)."""
    rows = store.read("gaps/unit_load", {"asof": START, "county": None})
    return [r["unit_id"] for r in rows if r["status"] == "overloaded" and r["unit_id"] in units]


def _creator(store: GraphStore, unit: str, village: str, account: Account) -> Callable[[], None]:
    return lambda: writes.create_pairing_checked(store, unit, village, START, account=account)


def test_two_planners_race_for_the_last_place(make_store) -> None:
    store, units, villages = _store_with_free_places(make_store, places=1, units=ROUNDS)
    alice, bob = _planner("alice", store), _planner("bob", store)
    for round_, unit in enumerate(units):
        v1, v2 = villages[2 * round_], villages[2 * round_ + 1]
        results = _race([_creator(store, unit, v1, alice), _creator(store, unit, v2, bob)])
        failures = [r for r in results if r is not None]
        assert len(failures) == 1, results
        assert isinstance(failures[0], ConflictError) and "is full" in str(failures[0])
    assert _overloaded(store, units) == []
    # One audit entry per pairing made, none for the refused ones.
    assert len(audit.entries(store, action="pairing.create")) == ROUNDS
    assert check.run(store) == []


def test_many_writers_and_readers_share_one_store(make_store) -> None:
    store, units, villages = _store_with_free_places(make_store, places=2, units=1)
    unit = units[0]
    planner = _planner("p", store)

    def reader() -> None:
        for _ in range(20):
            assert store.counts()["Village"] > 0
            store.read("gaps/unit_load", {"asof": START, "county": None})

    results = _race([_creator(store, unit, v, planner) for v in villages[:6]] + [reader, reader])
    outcome = Counter(type(r).__name__ for r in results)
    assert outcome == Counter({"NoneType": 4, "ConflictError": 4}), results
    assert _overloaded(store, units) == []


def test_a_bounded_span_frees_its_place(make_store) -> None:
    store, units, villages = _store_with_free_places(make_store, places=1, units=1)
    unit = units[0]
    writes.create_pairing_checked(store, unit, villages[0], START, until=START + dt.timedelta(days=30))
    with pytest.raises(ConflictError):
        writes.create_pairing_checked(store, unit, villages[1], START + dt.timedelta(days=10))
    # After the first pairing ends, the place is free again.
    before = store.counts()["PAIRED_WITH"]
    writes.create_pairing_checked(store, unit, villages[1], START + dt.timedelta(days=31))
    assert store.counts()["PAIRED_WITH"] == before + 1
