"""Ledger import and export against a store: validate, load atomically, export.

A replace deletes whatever the ledger does not hold, so three guards stand before it (docs/security.md,
"Data loss"): a ledger without a single row is refused outright (`refuse_empty`); a replace that would
shrink the store a lot needs an explicit confirmation (`removal`, `SHRINK_SHARE`); and the store is
backed up into `<store>.backups/` before it is replaced (`graph.backup.keep`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import audit, backup, interchange
from graph.dataset import Dataset, Row
from graph.errors import PairingError, Problem, StoreError, ValidationError
from graph.model import NODES, RELS
from graph.progress import OnProgress
from graph.store import GraphStore, Tx

# The shrink rule, stated once: a replace that would leave the store with fewer than this share of
# its current nodes of some label, or links of some type, is a shrink and needs a confirmation.
SHRINK_SHARE = 0.5
# How many of the villages a replace would remove a preview names (the counts are always complete).
PREVIEW_VILLAGES = 20
EMPTY_REASON = (
    "the ledger holds no rows in any table (no known table, or only header rows); "
    "refused, because loading it would change nothing, and replacing with it would delete everything"
)


@dataclass(frozen=True)
class Removal:
    """What a replace would delete: the store's rows that the ledger does not hold, and the shrink verdict."""

    before: dict[str, int]  # the store's counts, per label and type
    after: dict[str, int]  # the ledger's counts: what the store holds after the replace
    removed: dict[str, int]  # store nodes (by id) and links (by both ends and key) absent from the ledger
    villages: list[tuple[str, str]]  # (id, name) of the first PREVIEW_VILLAGES removed villages

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    @property
    def shrinking(self) -> list[str]:
        """The labels and types of which the store would keep fewer than SHRINK_SHARE of its rows."""
        return [k for k, n in self.before.items() if n and self.after.get(k, 0) < SHRINK_SHARE * n]

    @property
    def shrinks(self) -> bool:
        return bool(self.shrinking)

    def lines(self) -> list[str]:
        """The preview in words (the CLI's; the app shows the same figures as tables)."""
        out = [
            f"  {k}: {self.removed[k]} of {self.before.get(k, 0)} removed, {self.after.get(k, 0)} after"
            for k in self.removed
            if self.removed[k]
        ]
        if self.villages:
            more = self.removed.get("Village", 0) - len(self.villages)
            names = ", ".join(f"{vid} {name}" for vid, name in self.villages)
            out.append(f"  villages removed: {names}" + (f" and {more} more" if more > 0 else ""))
        return out or ["  nothing is removed"]


class ShrinkRefused(PairingError):
    """A replace would shrink the store beyond SHRINK_SHARE and was not confirmed; nothing was changed."""

    def __init__(self, removal: Removal) -> None:
        self.removal = removal
        kinds = ", ".join(removal.shrinking)
        super().__init__(
            f"refusing to replace: the store would keep fewer than {SHRINK_SHARE:.0%} of its {kinds}; "
            "nothing was changed. What would be removed:\n" + "\n".join(removal.lines())
        )


@dataclass(frozen=True)
class LoadReport:
    before: dict[str, int]
    after: dict[str, int]
    rows: dict[str, int]
    # A replace's: what it removed, and the backup of the store it replaced (None: empty store or no backup).
    removal: Removal | None = None
    backup: Path | None = field(default=None)

    @property
    def added(self) -> dict[str, int]:
        return {k: self.after[k] - self.before.get(k, 0) for k in self.after}


def known_nodes(store: GraphStore | None) -> interchange.KnownNodes | None:
    return interchange.KnownNodes(store.node_names()) if store is not None and not store.is_empty() else None


def refuse_empty(dataset: Dataset, path: Path) -> None:
    """A ledger with no row at all is a mistake (a wrong folder, a ZIP of something else, headers only)."""
    if dataset.is_empty():
        raise ValidationError([Problem(Path(path).name, None, None, None, EMPTY_REASON)])


def validate(path: Path, store: GraphStore | None = None, *, template: interchange.Template | None = None) -> Dataset:
    """Read and check a ledger; raises ValidationError listing every problem (an empty ledger is one)."""
    dataset = interchange.read(path, known_nodes(store), template=template)
    refuse_empty(dataset, path)
    return dataset


def inspect(
    path: Path, store: GraphStore | None = None, *, template: interchange.Template | None = None
) -> interchange.Reading:
    """Read a ledger like `validate` and say what reading decided (the mapping, the notes), problems or not."""
    reading = interchange.inspect(path, known_nodes(store), template=template)
    if reading.dataset is not None and reading.dataset.is_empty():
        return interchange.Reading(None, [Problem(Path(path).name, None, None, None, EMPTY_REASON)], 1, reading.report)
    return reading


def _link_key(row: Row, key: tuple[str, ...]) -> tuple[Any, ...]:
    return (row["src"], row["dst"], *(row.get(k) for k in key))


def removal(store: GraphStore, dataset: Dataset) -> Removal:
    """What replacing the store's graph with `dataset` would delete; the one rule both the CLI and the app use."""
    if store.is_empty():
        return Removal(store.counts(), dataset.counts(), {}, [])
    current = store.dump()
    removed: dict[str, int] = {}
    villages: list[tuple[str, str]] = []
    for node in NODES:
        keep = {r["id"] for r in dataset.nodes.get(node.label, [])}
        gone = [r for r in current.nodes.get(node.label, []) if r["id"] not in keep]
        removed[node.label] = len(gone)
        if node.label == "Village":
            villages = [(r["id"], r["name"]) for r in sorted(gone, key=lambda r: r["id"])[:PREVIEW_VILLAGES]]
    for rel in RELS:
        keep_links = {_link_key(r, rel.key) for r in dataset.links.get(rel.type, [])}
        removed[rel.type] = sum(_link_key(r, rel.key) not in keep_links for r in current.links.get(rel.type, []))
    return Removal(current.counts(), dataset.counts(), removed, villages)


def preview(store: GraphStore, path: Path, *, template: interchange.Template | None = None) -> tuple[Dataset, Removal]:
    """Validate a ledger for a replace and say what the replace would remove (raises like `validate`)."""
    dataset = validate(path, template=template)
    return dataset, removal(store, dataset)


def load(
    store: GraphStore,
    path: Path,
    replace: bool = False,
    progress: OnProgress | None = None,
    *,
    actor: str | None = None,
    allow_shrink: bool = False,
    keep_backup: bool = True,
    template: interchange.Template | None = None,
) -> LoadReport:
    """Validate completely, then apply completely or not at all, with its audit entry in the same transaction.

    A replace is refused (`ShrinkRefused`) when it shrinks the store beyond SHRINK_SHARE, unless
    `allow_shrink`; before it runs, a non-empty store is backed up into its backups folder unless
    `keep_backup` is False. A Neo4j store cannot be backed up as a file: its replace is refused
    unless `keep_backup` is False (dump the database with neo4j-admin first).
    """
    dataset = interchange.read(path, None if replace else known_nodes(store), template=template)
    refuse_empty(dataset, path)
    if replace and keep_backup and not backup.can_keep(store):
        raise StoreError(
            f"a replace keeps a backup of what it replaces, and the Neo4j store {store.location} cannot be "
            "copied as a file: dump it first (`neo4j-admin database dump`), then replace without the backup "
            "(`pairing load --replace --no-backup`)"
        )
    # One hold over the diff, the backup and the load: a write of another app session in between would
    # otherwise be in neither the backup nor the new graph, or slip past the shrink rule.
    with store.exclusive():
        before = store.counts()
        rows = dataset.counts()
        removed: Removal | None = None
        saved: Path | None = None
        if replace:
            removed = removal(store, dataset)
            if removed.shrinks and not allow_shrink:
                raise ShrinkRefused(removed)
            if keep_backup and any(before.values()):
                saved = backup.keep(store, "replace", ledger=Path(path).name, actor=actor)

        def record(tx: Tx) -> None:
            audit.record(
                tx,
                actor or audit.default_actor(),
                "import",
                Path(path).name,
                # The backup's name, so that the trail says where the replaced graph went.
                {"counts": before, "replace": replace, **({"backup": saved.name} if saved else {})},
                rows,
            )

        store.load(dataset, replace=replace, progress=progress, on_tx=record)
    return LoadReport(before, store.counts(), rows, removed, saved)


def export(store: GraphStore, path: Path) -> Path:
    """Write the whole store in the interchange format: a folder of CSV files, or one .xlsx workbook."""
    dataset = store.dump()
    if path.suffix.lower() == ".xlsx":
        interchange.write_xlsx(dataset, path)
    else:
        interchange.write_folder(dataset, path)
    return path
