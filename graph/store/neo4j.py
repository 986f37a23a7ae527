"""The server store: Neo4j 5 through the official driver (server, cluster or Aura)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from graph import schema
from graph.dataset import Dataset, Row
from graph.errors import StoreError
from graph.progress import OnProgress
from graph.store.base import (
    GraphStore,
    Params,
    ReadFn,
    Tx,
    TxHook,
    call_query,
    dump_with,
    log,
    native,
    query_text,
    read_system_rows,
)

T = TypeVar("T")
# How many times a backup reads the whole store again when a write committed while it read, pausing
# SNAPSHOT_PAUSE seconds, doubled each time, in between (a planner's writes come in bursts).
SNAPSHOT_TRIES = 6
SNAPSHOT_PAUSE = 0.05
# Nodes a wipe deletes per transaction: a DETACH DELETE of a whole province in one transaction needs more heap
# than a 2 GB server has; 10,000 nodes with their links is a few MB.
WIPE_BATCH = 10_000
# A load of at least this many nodes and links refreshes the planner's statistics (load/replan): below it a plan
# made for the store before can cost little (a county's gap lists stay in milliseconds), and the refresh's 0.03-0.4 s
# would add up over the many small loads of the test suite. A city's ledger (about 22,000 rows) is above it.
REPLAN_MIN_ROWS = 10_000
URI_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(location: str) -> bool:
    return location.startswith(URI_SCHEMES)


def _rows(records: Any) -> list[Row]:
    return [{k: native(v) for k, v in record.items()} for record in records]


class _Neo4jTx(Tx):
    def __init__(self, tx: Any, mode: str = "write") -> None:
        self.tx = tx
        self.mode = mode

    def run(self, name: str, params: Params | None = None) -> list[Row]:
        import neo4j.exceptions

        return call_query(
            "neo4j",
            self.mode,
            name,
            lambda: _rows(self.tx.run(query_text(name), dict(params or {}))),
            (neo4j.exceptions.Neo4jError,),
        )


def _in_read(session: Any, work: Callable[[ReadFn], T]) -> T:
    """`work` in one transaction of `session` that writes nothing; its commit updates the session's bookmark."""
    tx = session.begin_transaction()
    try:
        out = work(_Neo4jTx(tx, "snapshot").run)
    except BaseException:
        tx.rollback()
        raise
    tx.commit()
    return out


class Neo4jStore(GraphStore):
    engine = "neo4j"

    def __init__(self, uri: str, user: str | None = None, password: str | None = None, database: str | None = None):
        import neo4j

        self.location = uri
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        auth = (user or os.environ.get("NEO4J_USER", "neo4j"), password or os.environ.get("NEO4J_PASSWORD", ""))
        try:
            # A graph need not hold every label and type of the model (a county without cadres, a fresh server):
            # the server's "does not exist" warnings would flood every command's output.
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                notifications_disabled_classifications=[neo4j.NotificationDisabledClassification.UNRECOGNIZED],
            )
            self._driver.verify_connectivity()
        except Exception as exc:  # the driver raises several unrelated types for a bad address or login
            raise StoreError(f"cannot connect to Neo4j at {uri}: {exc}") from exc
        self.init_schema()

    def init_schema(self) -> None:
        for statement in schema.neo4j_ddl():
            self._driver.execute_query(statement, database_=self.database)

    def read(self, name: str, params: Params | None = None) -> list[Row]:
        import neo4j
        import neo4j.exceptions

        def run() -> list[Row]:
            records, _, _ = self._driver.execute_query(
                query_text(name), dict(params or {}), database_=self.database, routing_=neo4j.RoutingControl.READ
            )
            return _rows(records)

        return call_query("neo4j", "read", name, run, (neo4j.exceptions.Neo4jError,))

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        # The driver's shared bookmark manager: a read routed to a follower right after this write
        # (through `execute_query`) waits until the follower has it.
        bookmarks = self._driver.execute_query_bookmark_manager
        with self._driver.session(database=self.database, bookmark_manager=bookmarks) as session:
            tx = session.begin_transaction()
            try:
                yield _Neo4jTx(tx)
            except BaseException:
                tx.rollback()
                raise
            tx.commit()

    def snapshot(self) -> tuple[Dataset, dict[str, list[Row]]]:
        """Everything read in one read transaction that no commit overlapped, tried SNAPSHOT_TRIES times.

        Neo4j reads at read committed: one transaction alone may see a write that commits halfway
        through it. A bookmark names the last transaction committed when it was returned, so equal
        bookmarks before and after the read prove that it saw one state. The session goes to the
        leader (write access, though it only reads), so that both bookmarks come from one server.
        """
        for attempt in range(SNAPSHOT_TRIES):
            if attempt:
                time.sleep(SNAPSHOT_PAUSE * 2 ** (attempt - 1))
            with self._driver.session(database=self.database) as session:
                _in_read(session, lambda read: read("stats/counts", None))
                before = session.last_bookmarks().raw_values
                taken = _in_read(session, lambda read: (dump_with(read), read_system_rows(read)))
                if session.last_bookmarks().raw_values == before:
                    return taken
        raise StoreError(
            f"the Neo4j store {self.location} changed during each of {SNAPSHOT_TRIES} attempts to read it whole; "
            "back it up again when fewer planners are writing"
        )

    def load(
        self, dataset: Dataset, replace: bool = False, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        # One transaction for the whole import keeps it atomic; departments importing millions of
        # rows use `neo4j-admin database import` instead (see docs/neo4j.md).
        self._load_in_one_transaction(dataset, replace, progress, on_tx)
        self._after_bulk_write(dataset)

    def load_removing(
        self, dataset: Dataset, remove: Dataset, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        super().load_removing(dataset, remove, progress, on_tx)
        self._after_bulk_write(dataset, remove)

    def replace_all(self, dataset: Dataset, system: Mapping[str, list[Row]], on_tx: TxHook | None = None) -> None:
        super().replace_all(dataset, system, on_tx)
        self._after_bulk_write(dataset)

    def _after_bulk_write(self, *written: Dataset) -> None:
        if sum(sum(d.counts().values()) for d in written) >= REPLAN_MIN_ROWS:
            self.refresh_statistics()

    def refresh_statistics(self) -> None:
        """Resample the indexes and clear the plan cache (load/replan), so that queries are planned on today's sizes.

        Neo4j plans from index samples taken in the background; right after a bulk load they still describe
        the store before it, and a plan made for an empty store can take minutes on a province. The data is
        committed already: a server that refuses the procedure (a user without the right) is logged, not raised.
        """
        try:
            self.write("load/replan")
        except StoreError as exc:
            log.warning("could not refresh the planner's statistics on %s: %s", self.location, exc)

    def wipe(self) -> None:
        """Delete everything, accounts and audit entries included, WIPE_BATCH nodes a transaction.

        Not atomic, unlike the embedded store's: a wipe interrupted half-way is finished by wiping again.
        """
        while int(self.write("load/clear_batch", {"size": WIPE_BATCH})[0]["deleted"]):
            pass

    def close(self) -> None:
        self._driver.close()
