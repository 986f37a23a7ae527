"""Ledger import and export against a store: validate, load atomically, export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph import audit, interchange
from graph.dataset import Dataset
from graph.progress import OnProgress
from graph.store import GraphStore, Tx


@dataclass(frozen=True)
class LoadReport:
    before: dict[str, int]
    after: dict[str, int]
    rows: dict[str, int]

    @property
    def added(self) -> dict[str, int]:
        return {k: self.after[k] - self.before.get(k, 0) for k in self.after}


def known_nodes(store: GraphStore | None) -> interchange.KnownNodes | None:
    return interchange.KnownNodes(store.node_names()) if store is not None and not store.is_empty() else None


def validate(path: Path, store: GraphStore | None = None) -> Dataset:
    """Read and check a ledger; raises ValidationError listing every problem."""
    return interchange.read(path, known_nodes(store))


def load(
    store: GraphStore,
    path: Path,
    replace: bool = False,
    progress: OnProgress | None = None,
    *,
    actor: str | None = None,
) -> LoadReport:
    """Validate completely, then apply completely or not at all, with its audit entry in the same transaction."""
    dataset = interchange.read(path, None if replace else known_nodes(store))
    before = store.counts()
    rows = dataset.counts()

    def record(tx: Tx) -> None:
        audit.record(
            tx,
            actor or audit.default_actor(),
            "import",
            Path(path).name,
            {"counts": before, "replace": replace},
            rows,
        )

    store.load(dataset, replace=replace, progress=progress, on_tx=record)
    return LoadReport(before, store.counts(), rows)


def export(store: GraphStore, path: Path) -> Path:
    """Write the whole store in the interchange format: a folder of CSV files, or one .xlsx workbook."""
    dataset = store.dump()
    if path.suffix.lower() == ".xlsx":
        interchange.write_xlsx(dataset, path)
    else:
        interchange.write_folder(dataset, path)
    return path
