"""Copy one store into another in batches: usually the embedded Ladybug file into a Neo4j server.

The copy reads each label and type through the `export/` queries and writes it through the
same `load/` queries (and the same `merge_nodes` / `merge_links` code) that `GraphStore.load`
uses, so a migrated graph is exactly what loading the ledger into Neo4j would give. Nodes go first,
label by label, then relationships type by type, since a link needs both its ends; last the
system nodes (accounts and audit entries), so that the server keeps who may log in and who changed what.

Unlike `load`, each batch is its own transaction: one transaction holding a province (a few hundred
thousand rows) would strain a Neo4j server's heap, and every load query is an idempotent MERGE,
so a migration that stops half-way is finished by running it again with `resume=True`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graph.dataset import Row
from graph.errors import StoreError
from graph.model import NODES, RELS
from graph.progress import OnProgress
from graph.store import GraphStore
from graph.store.base import BATCH, merge_links, merge_nodes, write_system_rows


@dataclass(frozen=True)
class MigrationReport:
    source: dict[str, int]
    target: dict[str, int]
    batches: int
    system: dict[str, int]

    @property
    def complete(self) -> bool:
        return all(self.target.get(k, 0) == v for k, v in self.source.items())


def chunks(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _node_rows(source: GraphStore, file: str, list_props: list[str]) -> list[Row]:
    rows = source.read(f"export/{file}")
    for row in rows:
        for name in list_props:
            # Lists are never null in the model; a Neo4j source may hold no property instead.
            if row.get(name) is None:
                row[name] = []
    return rows


def migrate(
    source: GraphStore,
    target: GraphStore,
    batch_size: int = BATCH,
    progress: OnProgress | None = None,
    resume: bool = False,
) -> MigrationReport:
    """Copy every node and link of `source` into `target`; return both stores' counts.

    Refuses a target that already holds data unless `resume` (re-running a stopped migration);
    the MERGE queries make re-copying what is already there harmless.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    before = source.counts()
    if not resume and not target.is_empty():
        raise StoreError(
            f"{target.location} already holds data; migrate into an empty store, or finish an interrupted "
            "migration with resume (`pairing migrate --resume`)"
        )
    label_of: dict[str, str] = {}
    batches = 0
    for node in NODES:
        rows = _node_rows(source, node.file, [p.name for p in node.stored if p.is_list])
        for row in rows:
            label_of[row["id"]] = node.label
        for chunk in chunks(rows, batch_size):
            with target.transaction() as tx:
                merge_nodes(tx, node, chunk, progress)
            batches += 1
    for rel in RELS:
        by_ends: dict[tuple[str, str], list[Row]] = {}
        for row in source.read(f"export/{rel.type.lower()}"):
            by_ends.setdefault((label_of[row["src"]], label_of[row["dst"]]), []).append(row)
        for (src, dst), rows in by_ends.items():
            for chunk in chunks(rows, batch_size):
                with target.transaction() as tx:
                    merge_links(tx, rel, src, dst, chunk, progress)
                batches += 1
    system_rows = source.system_rows()
    system = {label: len(rows) for label, rows in system_rows.items()}
    for label, rows in system_rows.items():
        for chunk in chunks(rows, batch_size):
            with target.transaction() as tx:
                write_system_rows(tx, {label: chunk})
            batches += 1
            if progress:
                progress(label, len(chunk))
    target.refresh_statistics()  # a server plans the next queries on the copied graph, not on an empty one
    report = MigrationReport(before, target.counts(), batches, system)
    if not report.complete:
        short = {k: (v, report.target.get(k, 0)) for k, v in before.items() if report.target.get(k, 0) != v}
        raise StoreError(f"migration finished but the counts differ (source, target): {short}")
    return report
