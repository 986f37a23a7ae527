"""The storage interface every engine implements, and what they share."""

from __future__ import annotations

import contextlib
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from graph import queries
from graph.cypher_gen import delete_links_query, delete_nodes_query, load_query
from graph.dataset import Dataset, Row
from graph.errors import StoreError
from graph.model import NODES, RELS, NodeSpec, RelSpec
from graph.progress import OnProgress

Params = Mapping[str, Any]
# Runs one named query: `GraphStore.read`, or a read inside an open transaction (a snapshot's).
ReadFn = Callable[[str, "Params | None"], list[Row]]
BATCH = 5_000
# Runs inside a load's transaction, after the data: how `graph.ledger` records the import in the audit.
TxHook = Callable[["Tx"], None]
# System nodes by label, with the query that reads them all and the one that writes them back.
SYSTEM_QUERIES = {"Account": ("accounts/all", "accounts/load"), "AuditEntry": ("audit/entries", "audit/load")}
_ALL_AUDIT = {"since": "", "actor": "", "action": ""}
log = logging.getLogger("graph.store")


class Tx(ABC):
    """An open write transaction: run named queries in it; the store commits or rolls back."""

    @abstractmethod
    def run(self, name: str, params: Params | None = None) -> list[Row]: ...


def batches(rows: list[Row], size: int = BATCH) -> Iterator[list[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def link_rows(dataset: Dataset, rel_type: str) -> dict[tuple[str, str], list[Row]]:
    """Split one type's links by (start label, end label): each pair has its own load query."""
    out: dict[tuple[str, str], list[Row]] = {}
    for row in dataset.links.get(rel_type, []):
        out.setdefault((row["src_label"], row["dst_label"]), []).append(row)
    return out


def complete(rows: list[Row], columns: list[str]) -> list[Row]:
    """Rows with exactly the query's columns: the load queries read every one of them."""
    return [{c: row.get(c) for c in columns} for row in rows]


class GraphStore(ABC):
    """A graph store that runs the named queries of `graph/cypher/`.

    Reads go through `read` (routed as reads where the engine routes); every write runs in an
    explicit transaction: `write` for one query, `transaction()` for several that must apply together.
    """

    engine: str
    location: str

    @abstractmethod
    def read(self, name: str, params: Params | None = None) -> list[Row]: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Tx]: ...

    @abstractmethod
    def init_schema(self) -> None: ...

    @abstractmethod
    def load(
        self, dataset: Dataset, replace: bool = False, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        """Apply a whole dataset atomically: all of it or, on any failure, none of it.

        `on_tx` runs in the same transaction after the data (the audit entry of the import).
        `replace` replaces the graph only: accounts and audit entries stay.
        """

    @abstractmethod
    def close(self) -> None: ...

    def exclusive(self) -> AbstractContextManager[object]:
        """Hold off this process's other writers over several steps (a replace's diff, backup and load).

        A no-op here: a server orders concurrent writers itself. The embedded store holds its lock.
        """
        return contextlib.nullcontext()

    def write(self, name: str, params: Params | None = None) -> list[Row]:
        with self.transaction() as tx:
            return tx.run(name, params)

    def counts(self) -> dict[str, int]:
        rows = self.read("stats/counts")
        return {k: int(v) for k, v in rows[0].items()} if rows else {}

    def is_empty(self) -> bool:
        return not any(self.counts().values())

    def system_rows(self) -> dict[str, list[Row]]:
        """Accounts and audit entries as stored, by label: what a bulk reload carries over and a backup holds."""
        return read_system_rows(self.read)

    def snapshot(self) -> tuple[Dataset, dict[str, list[Row]]]:
        """The graph (`dump`) and the system rows as of one moment: what a portable backup holds.

        Here under `exclusive()`, which holds off every other writer (on the embedded store, those of other
        processes too: its writers' lock) while the reads run.
        """
        with self.exclusive():
            return self.dump(), self.system_rows()

    def replace_all(self, dataset: Dataset, system: Mapping[str, list[Row]], on_tx: TxHook | None = None) -> None:
        """Make the store hold exactly `dataset` and `system` (a restore): one transaction, all of it or none.

        Everything goes first, accounts and audit included; then the graph through the `load/` queries
        (a link whose end is missing fails it all), the system rows, and the caller's hook (its audit entry).
        """
        with self.exclusive(), self.transaction() as tx:
            tx.run("load/clear")
            self._merge_load(tx, dataset, None)
            write_system_rows(tx, system)
            if on_tx is not None:
                on_tx(tx)

    def wipe(self) -> None:
        """Delete everything, accounts and audit entries included (tests; a restore into a server)."""
        self.write("load/clear")

    def refresh_statistics(self) -> None:
        """After a bulk write (a load, a restore, a migration): let the query planner see the graph's new sizes.

        A no-op here: the embedded store plans from its live table sizes. A server may plan from samples.
        """
        return None

    def node_names(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {n.label: [] for n in NODES}
        for row in self.read("stats/node_names"):
            out[row["label"]].append((row["id"], row["name"]))
        return out

    def dump(self) -> Dataset:
        """The whole graph as a Dataset, for export and for comparing stores."""
        return dump_with(self.read)

    def _load_in_one_transaction(
        self, dataset: Dataset, replace: bool, progress: OnProgress | None, on_tx: TxHook | None
    ) -> None:
        """The whole load as one transaction: clear the graph for a replace, upsert, then the caller's hook."""
        with self.transaction() as tx:
            if replace:
                clear_graph(tx)
            self._merge_load(tx, dataset, progress)
            if on_tx is not None:
                on_tx(tx)

    def load_removing(
        self, dataset: Dataset, remove: Dataset, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        """Delete the rows of `remove` (nodes by id, with their links; links by identity), then upsert `dataset`.

        One transaction, on the MERGE path on both engines (Ladybug's COPY cannot follow deletions):
        a county replace (`graph.ledger`), all of it or none of it, with the caller's hook (its audit entry).
        """
        with self.transaction() as tx:
            for rel in RELS:
                for (src, dst), rows in link_rows(remove, rel.type).items():
                    columns = ["src", "dst", *rel.key]
                    for chunk in batches(rows):
                        tx.run(delete_links_query(rel.type, src, dst), {"rows": complete(chunk, columns)})
            for node in NODES:
                ids = [r[node.key] for r in remove.nodes.get(node.label, [])]
                for i in range(0, len(ids), BATCH):
                    tx.run(delete_nodes_query(node), {"ids": ids[i : i + BATCH]})
            self._merge_load(tx, dataset, progress)
            if on_tx is not None:
                on_tx(tx)

    def _merge_load(self, tx: Tx, dataset: Dataset, progress: OnProgress | None) -> None:
        """Upsert through the shared `load/` queries in batches, inside the caller's transaction."""
        for node in NODES:
            merge_nodes(tx, node, dataset.nodes.get(node.label, []), progress)
        for rel in RELS:
            for (src, dst), rows in link_rows(dataset, rel.type).items():
                merge_links(tx, rel, src, dst, rows, progress)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def dump_with(read: ReadFn) -> Dataset:
    """`GraphStore.dump` through `read`."""
    data = Dataset()
    label_of: dict[str, str] = {}
    for node in NODES:
        rows = read(f"export/{node.file}", None)
        for row in rows:
            for prop in node.stored:
                if prop.is_list and row.get(prop.name) is None:
                    row[prop.name] = []
            label_of[row["id"]] = node.label
        data.nodes[node.label] = rows
    for rel in RELS:
        rows = read(f"export/{rel.type.lower()}", None)
        for row in rows:
            row["src_label"] = label_of[row["src"]]
            row["dst_label"] = label_of[row["dst"]]
        data.links[rel.type] = rows
    return data


def read_system_rows(read: ReadFn) -> dict[str, list[Row]]:
    """`GraphStore.system_rows` through `read`."""
    return {
        label: read(query, _ALL_AUDIT if label == "AuditEntry" else None)
        for label, (query, _write) in SYSTEM_QUERIES.items()
    }


def clear_graph(tx: Tx) -> None:
    """Delete the graph's nodes and links, keeping the system nodes (accounts, audit)."""
    for node in NODES:
        tx.run(f"load/clear_{node.file}")


def write_system_rows(tx: Tx, system: Mapping[str, list[Row]]) -> None:
    for label, rows in system.items():
        _read, write = SYSTEM_QUERIES[label]
        for chunk in batches(rows):
            tx.run(write, {"rows": chunk})


def merge_nodes(tx: Tx, node: NodeSpec, rows: list[Row], progress: OnProgress | None) -> None:
    columns = [p.name for p in node.stored]
    for chunk in batches(rows):
        tx.run(f"load/{node.file}", {"rows": complete(chunk, columns)})
        if progress:
            progress(node.label, len(chunk))


def merge_links(tx: Tx, rel: RelSpec, src: str, dst: str, rows: list[Row], progress: OnProgress | None) -> None:
    columns = ["src", "dst", *(p.name for p in rel.props)]
    for chunk in batches(rows):
        result = tx.run(load_query(rel.type, src, dst), {"rows": complete(chunk, columns)})
        written = int(result[0]["written"]) if result else 0
        if written != len(chunk):
            # A link whose end is missing would otherwise vanish without a word.
            raise StoreError(
                f"{rel.type} {src}->{dst}: {len(chunk) - written} of {len(chunk)} links name a node "
                "that is not in the store; nothing was loaded"
            )
        if progress:
            progress(rel.type, len(chunk))


def call_query(
    engine: str, mode: str, name: str, run: Callable[[], list[Row]], engine_errors: tuple[type[Exception], ...]
) -> list[Row]:
    """Every named query crosses into an engine here, so that both engines report alike.

    An engine's own error becomes a `StoreError` naming the query; at debug level the query's name,
    its row count and its time are logged (`logging.getLogger("graph.store")`).
    """
    start = time.perf_counter()
    try:
        rows = run()
    except engine_errors as exc:
        raise StoreError(f"query {name} failed: {exc}") from exc
    log.debug("%s %s %s: %d rows in %.1f ms", engine, mode, name, len(rows), (time.perf_counter() - start) * 1e3)
    return rows


def query_text(name: str) -> str:
    return queries.get(name).text


def native(value: Any) -> Any:
    """Engine values to plain Python (Neo4j returns its own date type)."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        return to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    return value
