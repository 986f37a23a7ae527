"""A planner in its own process for tests/test_last_place_race.py: one app server's store, accepting on command.

`serve(location, barrier, tasks, results)` (a multiprocessing target, spawn context) opens its own
store (a Neo4j driver and its connections, or a Ladybug Database on the file, as a second app server
has) and, for every task `(path, unit, village, asof)`, gets ready, waits at the barrier shared with
the other planner, then accepts the pairing as the app does: "links" through the links page's
`writes.create_link`, "matching" through the matching page's `proposals.apply`, "choose" through the
lists page's `claims.choose` (`village` is then the need the village chooses a claimant of). It puts
back `(village, outcome, message)`, outcome "ok" or the exception's class name. A `None` task stops it.
"""

from __future__ import annotations

import datetime as dt
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from graph import claims, proposals, writes
from graph.accounts import Account
from graph.matching import Proposal
from graph.store import GraphStore, open_store

COUNTY = "赛跑县"


# Long enough for the other planner's matching run on a loaded machine; a hang fails the round instead.
WAIT = 60.0


def accept_now(store: GraphStore, path: str, unit: str, village: str, asof: dt.date, barrier: Barrier) -> None:
    account = Account(f"planner-{village}", "planner", (COUNTY,))
    if path == "links":
        barrier.wait(WAIT)
        writes.create_link(store, "pairing", unit, village, asof, account=account, check_capacity=True)
        return
    if path == "choose":
        barrier.wait(WAIT)
        claims.choose(store, village, unit, on=asof, account=account)
        return
    # The matching page: a run made from what this server read, then the planner's accepted proposal.
    try:
        run = proposals.propose(store, asof, county=COUNTY)
    except BaseException:
        barrier.abort()  # the other planner stops waiting too
        raise
    accepted = Proposal(village, unit, "CityCommunity", 0.0, {}, None, 0)
    barrier.wait(WAIT)
    proposals.apply(store, run, [accepted], account=account)


def serve(location: str, barrier: Barrier, tasks: Queue[Any], results: Queue[Any]) -> None:
    store = open_store(location)
    try:
        while (task := tasks.get()) is not None:
            path, unit, village, asof = task
            try:
                accept_now(store, path, unit, village, asof, barrier)
                results.put((village, "ok", ""))
            except Exception as exc:  # reported to the parent, which judges it
                results.put((village, type(exc).__name__, str(exc)))
    finally:
        store.close()
