"""Ledger import and export against a store: validate, preview, load atomically, export.

What a load changes is computed once, row by row, by `graph.import_changes` (`preview`): the dry run,
the app's preview, the guards below and the import's audit entry all read that one diff.

A replace deletes whatever the ledger does not hold, so three guards stand before it (docs/security.md,
"Data loss"): a ledger without a single row is refused outright (`refuse_empty`); a replace that would
shrink the store a lot needs an explicit confirmation (`removal`, `SHRINK_SHARE`); and the store is
backed up into its backups folder before it is replaced (`graph.backup.keep`). A county replace
(`replace_county`) has the same guards, measured on the county's part of the store.

A load never overwrites a hand edit made after the ledger's date without saying so: `NewerEditsRefused`
names each one, unless `overwrite_newer`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import audit, backup, interchange
from graph import import_changes as changes_mod
from graph.dataset import Dataset, Row
from graph.errors import PairingError, Problem, ValidationError
from graph.import_changes import COUNTY, MERGE, REPLACE, Changes, NewerEdit
from graph.model import NODES, REL_BY_TYPE
from graph.progress import OnProgress
from graph.store import GraphStore, Tx

# The shrink rule, stated once: a replace that would leave the store with fewer than this share of
# its current nodes of some label, or links of some type, is a shrink and needs a confirmation.
SHRINK_SHARE = 0.5
# How many of the villages a replace would remove a preview names (the counts are always complete).
PREVIEW_VILLAGES = 20
# The ledger's 填报日期 is a day in the departments' own time (China Standard Time): an edit made on that
# day or later counts as newer than the ledger.
LEDGER_ZONE = dt.timezone(dt.timedelta(hours=8))
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


class NewerEditsRefused(PairingError):
    """The load would overwrite hand edits made after the ledger's date and was not confirmed; nothing was changed."""

    def __init__(self, edits: list[NewerEdit], since: dt.datetime | None) -> None:
        self.edits = edits
        when = since.isoformat(timespec="seconds") if since is not None else "an unknown date"
        super().__init__(
            f"refusing to load: it would overwrite {len(edits)} change(s) made in the store after the ledger's "
            f"date ({when}); nothing was changed. What would be reverted:\n" + "\n".join(e.line() for e in edits)
        )


@dataclass(frozen=True)
class LoadReport:
    before: dict[str, int]
    after: dict[str, int]
    rows: dict[str, int]
    # A replace's: what it removed, and the backup of the store it replaced (None: empty store or no backup).
    removal: Removal | None = None
    backup: Path | None = field(default=None)
    # What the load changed, row by row, and the newer hand edits it overwrote (with `overwrite_newer`).
    changes: Changes | None = None
    overwritten: list[NewerEdit] = field(default_factory=list)

    @property
    def added(self) -> dict[str, int]:
        return {k: self.after[k] - self.before.get(k, 0) for k in self.after}


def known_nodes(store: GraphStore | None, current: Dataset | None = None) -> interchange.KnownNodes | None:
    """The store's nodes a ledger may name, with their townships, counties and tiers: a county ledger names a
    stored 幸福村 with its township, and only those narrow it to one of the county's three.

    `current`: the store's dump, when the caller has it already (a preview diffs against it too)."""
    if store is None or store.is_empty():
        return None
    return interchange.KnownNodes.from_dataset(current if current is not None else store.dump())


def refuse_empty(dataset: Dataset, path: Path) -> None:
    """A ledger with no row at all is a mistake (a wrong folder, a ZIP of something else, headers only)."""
    if dataset.is_empty():
        raise ValidationError([Problem(Path(path).name, None, None, None, EMPTY_REASON)])


def read(
    path: Path,
    store: GraphStore | None = None,
    *,
    template: interchange.Template | None = None,
    current: Dataset | None = None,
) -> interchange.Reading:
    """Read and check a ledger, with what the reader decided (`Reading.report`); raises ValidationError on problems."""
    reading = inspect(path, store, template=template, current=current)
    if not reading.ok:
        raise ValidationError(reading.problems, reading.total, report=reading.report)
    return reading


def validate(path: Path, store: GraphStore | None = None, *, template: interchange.Template | None = None) -> Dataset:
    """Read and check a ledger; raises ValidationError listing every problem (an empty ledger is one)."""
    dataset: Dataset = read(path, store, template=template).dataset
    return dataset


def ledger_time(reading: interchange.Reading, path: Path, file_time: bool = True) -> dt.datetime | None:
    """The ledger's own date: its 填报日期 (start of that day), else the file's modification time, else None.

    A folder's time is its newest file's. The app passes `file_time=False`: an upload's file is written
    when it arrives, so its time says nothing of the ledger (None: every hand edit counts as newer).
    """
    filled = reading.report.metadata.get("filled_on")
    if filled:
        try:
            return dt.datetime.combine(dt.date.fromisoformat(filled), dt.time.min, LEDGER_ZONE)
        except ValueError:
            pass
    if not file_time:
        return None
    path = Path(path)
    try:
        files = [f for f in path.rglob("*") if f.is_file()] if path.is_dir() else [path]
        stamp = max((f.stat().st_mtime for f in files), default=path.stat().st_mtime)
    except OSError:
        return None
    return dt.datetime.fromtimestamp(stamp, dt.UTC)


def inspect(
    path: Path,
    store: GraphStore | None = None,
    *,
    template: interchange.Template | None = None,
    current: Dataset | None = None,
) -> interchange.Reading:
    """Read a ledger like `validate` and say what reading decided (the mapping, the notes), problems or not."""
    reading = interchange.inspect(path, known_nodes(store, current), template=template)
    if reading.dataset is not None and reading.dataset.is_empty():
        return interchange.Reading(None, [Problem(Path(path).name, None, None, None, EMPTY_REASON)], 1, reading.report)
    return reading


def _link_key(row: Row, key: tuple[str, ...]) -> tuple[Any, ...]:
    return changes_mod.link_key(row, key)


def removal_of(changes: Changes) -> Removal:
    """The removal side of a diff, with the shrink verdict on the part of the store the load may remove."""
    removed = {k: len(t.removed) for k, t in changes.tables.items()}
    after = {k: n - removed[k] + len(changes.tables[k].added) for k, n in changes.scope.items()}
    return Removal(dict(changes.scope), after, removed, changes.removed_villages(PREVIEW_VILLAGES))


def removal(store: GraphStore, dataset: Dataset) -> Removal:
    """What replacing the store's graph with `dataset` would delete; the one rule both the CLI and the app use."""
    return removal_of(changes_mod.diff(store.dump(), dataset, REPLACE))


def county_problems(path: Path, current: Dataset, dataset: Dataset, county: str) -> list[Problem]:
    """A county replace takes the county's rows only: every other row of the ledger is a problem."""
    out = []
    for file, row, why in changes_mod.other_counties(dataset, current, county):
        column = "county" if file in {n.file for n in NODES} else "village"
        value = row.get("county") if column == "county" else row.get("dst")
        what = row.get("id") or f"{row.get('src')} -> {row.get('dst')}"
        reason = f"{what}: {why}; a replace of {county} takes only that county's rows"
        out.append(Problem(f"{Path(path).name}:{file}", None, column, None if value is None else str(value), reason))
    return out


@dataclass(frozen=True)
class Preview:
    """What a load would do, computed before it runs: the diff, the removal, the newer hand edits it overwrites."""

    dataset: Dataset
    reading: interchange.Reading
    changes: Changes
    removal: Removal | None  # a replace's or a county replace's
    newer: list[NewerEdit]
    since: dt.datetime | None  # the ledger's date the newer edits are measured from (None: unknown)
    remove: Dataset | None = None  # a county replace's rows to delete


def _mode(replace: bool, county: str | None) -> str:
    if replace and county:
        raise PairingError("choose either a replace of the whole store or of one county, not both")
    return COUNTY if county else REPLACE if replace else MERGE


def _plan(
    store: GraphStore,
    path: Path,
    reading: interchange.Reading,
    mode: str,
    county: str | None,
    file_time: bool,
    current: Dataset | None = None,
) -> Preview:
    dataset: Dataset = reading.dataset
    current = current if current is not None else store.dump()
    scope = None
    if mode == COUNTY and county:
        problems = county_problems(path, current, dataset, county)
        if problems:
            raise ValidationError(problems)
        scope = changes_mod.county_scope(current, county, dataset)
    changes = changes_mod.diff(current, dataset, mode, scope=scope, county=county)
    since = ledger_time(reading, path, file_time)
    newer = changes_mod.newer_edits(changes, audit.entries(store), since) if not store.is_empty() else []
    remove = _removed_rows(current, changes) if mode == COUNTY else None
    return Preview(dataset, reading, changes, removal_of(changes) if mode != MERGE else None, newer, since, remove)


def preview(
    store: GraphStore,
    path: Path,
    *,
    replace: bool = False,
    replace_county: str | None = None,
    template: interchange.Template | None = None,
    file_time: bool = True,
) -> Preview:
    """Validate a ledger and say what loading it would change (raises like `validate`); changes nothing."""
    mode = _mode(replace, replace_county)
    current = store.dump()  # once: the names a ledger may use, and what it is compared with
    reading = read(path, None if mode == REPLACE else store, template=template, current=current)
    return _plan(store, path, reading, mode, replace_county, file_time, current)


def load(
    store: GraphStore,
    path: Path,
    replace: bool = False,
    progress: OnProgress | None = None,
    *,
    actor: str | None = None,
    allow_shrink: bool = False,
    keep_backup: bool = True,
    replace_county: str | None = None,
    overwrite_newer: bool = False,
    template: interchange.Template | None = None,
    file_time: bool = True,
) -> LoadReport:
    """Validate completely, then apply completely or not at all, with its audit entry in the same transaction.

    A replace is refused (`ShrinkRefused`) when it shrinks the store beyond SHRINK_SHARE, unless
    `allow_shrink`; before it runs, a non-empty store is backed up into its backups folder unless
    `keep_backup` is False (a Neo4j store's is a portable file read through the driver, `graph.backup`).

    `replace_county` replaces one county's part of the store (`import_changes.county_scope`) with the
    ledger, which must hold that county's rows only, and leaves every other county as it was.
    A load that would overwrite hand edits made after the ledger's date (`ledger_time`) is refused
    (`NewerEditsRefused`) unless `overwrite_newer`. The audit entry records the changes row by row
    (`Changes.audit_detail`).
    """
    mode = _mode(replace, replace_county)
    reading = read(path, None if mode == REPLACE else store, template=template)
    # One hold over the diff, the backup and the load: a write of another app session in between would
    # otherwise be in neither the backup nor the new graph, or slip past the shrink rule.
    with store.exclusive():
        plan = _plan(store, path, reading, mode, replace_county, file_time)
        dataset, changes, removed = plan.dataset, plan.changes, plan.removal
        before = store.counts()
        rows = dataset.counts()
        saved: Path | None = None
        if removed is not None and removed.shrinks and not allow_shrink:
            raise ShrinkRefused(removed)
        if plan.newer and not overwrite_newer:
            raise NewerEditsRefused(plan.newer, plan.since)
        if mode != MERGE and keep_backup and any(before.values()):
            saved = backup.keep(store, "replace", ledger=Path(path).name, actor=actor)

        def record(tx: Tx) -> None:
            audit.record(
                tx,
                actor or audit.default_actor(),
                "import",
                Path(path).name,
                # The backup's name, so that the trail says where the replaced graph went.
                {
                    "counts": before,
                    "replace": mode == REPLACE,
                    **({"county": replace_county} if mode == COUNTY else {}),
                    **({"backup": saved.name} if saved else {}),
                },
                {
                    "rows": rows,
                    "changes": changes.audit_detail(),
                    **(
                        {"overwritten": [e.as_json() for e in plan.newer[: changes_mod.AUDIT_ROWS]]}
                        if plan.newer
                        else {}
                    ),
                },
            )

        if mode == COUNTY:
            store.load_removing(dataset, plan.remove or Dataset(), progress=progress, on_tx=record)
        else:
            store.load(dataset, replace=mode == REPLACE, progress=progress, on_tx=record)
    return LoadReport(before, store.counts(), rows, removed, saved, changes, plan.newer)


def _removed_rows(current: Dataset, changes: Changes) -> Dataset:
    """The rows a county replace deletes, as `GraphStore.load_removing` takes them (links with their ends' labels)."""
    out = Dataset()
    for node in NODES:
        out.nodes[node.label] = [{"id": k[0]} for k in changes.tables[node.label].removed]
    for rel in REL_BY_TYPE.values():
        gone = set(changes.tables[rel.type].removed)
        if gone:
            out.links[rel.type] = [r for r in current.links.get(rel.type, []) if _link_key(r, rel.key) in gone]
    return out


def export(store: GraphStore, path: Path) -> Path:
    """Write the whole store in the interchange format: a folder of CSV files, or one .xlsx workbook."""
    dataset = store.dump()
    if path.suffix.lower() == ".xlsx":
        interchange.write_xlsx(dataset, path)
    else:
        interchange.write_folder(dataset, path)
    return path
