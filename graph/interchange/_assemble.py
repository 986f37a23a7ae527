"""From raw sheets to a validated `Dataset`: headers, cell conversion, ids, references, links.

Work is column by column (see `_columns`), so that a province-sized folder (~450,000 rows)
is read in seconds; problems are collected across every file, never raised one by one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from graph.dataset import Dataset, Row
from graph.errors import Problem, ValidationError
from graph.interchange._cells import TEXT, Bad, fold, parser
from graph.interchange._columns import convert_column
from graph.interchange._detect import detect
from graph.interchange._headers import Table, show
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import Reading, Report, Template
from graph.interchange._normalise import normalise
from graph.interchange._sources import Loaded
from graph.model import (
    FILES,
    NODES,
    REL_BY_FILE,
    REL_BY_TYPE,
    NodeSpec,
    Prop,
    RelSpec,
)


@dataclass
class KnownNodes:
    """What the target store already holds, so that ledgers may name existing nodes.

    `nodes` maps a label to its nodes' (id, name) pairs.
    """

    nodes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> KnownNodes:
        return cls({label: [(r["id"], r["name"]) for r in rows] for label, rows in dataset.nodes.items()})


@dataclass
class Column:
    values: list[Any]
    header: str | None  # None: the column is not in the file


def convert(table: Table, prop: Prop, problems: ProblemLog, *, reference: bool = False) -> Column:
    """One column's values; every bad cell, and every blank required one, becomes a problem."""
    how = TEXT if reference else parser(prop)
    found = table.columns.get(prop.name)
    if found is None:
        return Column([how.blank() for _ in range(len(table))], None)
    header, cells = found
    values, failures = convert_column(cells, how, table.text_only)
    for i, reason in failures.items():
        problems.append(Problem(table.file, table.numbers[i], header, show(cells[i]), reason))
    problems.more(table.file, header, failures.more, failures.more_reason)
    if prop.required and None in values:
        required = f"{prop.name} is required"
        blank = (i for i, value in enumerate(values) if value is None and i not in failures)
        for i in blank:
            if problems.full(table.file, header, required):
                # Millions of blank cells in a crafted sheet: count them without a Problem each.
                problems.more(table.file, header, 1 + sum(1 for _ in blank), required)
                break
            problems.append(Problem(table.file, table.numbers[i], header, None, required))
    return Column(values, header)


class _Unknown(Bad):
    """No node has this id or name: not reported when the table that would hold it is unreadable."""


def _labels_text(labels: Sequence[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


class Resolver:
    """Finds the node a link cell names, by id or by a name unique among the allowed labels."""

    def __init__(self, nodes: dict[str, list[Row]], known: KnownNodes | None) -> None:
        self.known = known
        self.nodes = nodes
        self.label: dict[str, str] = {}
        if known is not None:
            for label, pairs in known.nodes.items():
                self.label.update(dict.fromkeys((node_id for node_id, _ in pairs), label))
        # Reversed, so that an id given twice (reported elsewhere) keeps its first table's label.
        for label, rows in reversed(nodes.items()):
            self.label.update(dict.fromkeys((row["id"] for row in rows), label))
        self._names: dict[str, dict[str, list[str]]] | None = None

    @property
    def names(self) -> dict[str, dict[str, list[str]]]:
        """Label -> name -> ids; built on the first reference by name, as most ledgers use ids."""
        if self._names is None:
            named: dict[str, tuple[str, str | None]] = {}
            if self.known is not None:
                for label, pairs in self.known.nodes.items():
                    named.update((node_id, (label, name)) for node_id, name in pairs)
            for label, rows in reversed(self.nodes.items()):
                named.update((row["id"], (label, row["name"])) for row in rows)
            self._names = {n.label: {} for n in NODES}
            for node_id, (label, node_name) in named.items():
                if node_name is not None and label in self._names:
                    self._names[label].setdefault(node_name, []).append(node_id)
        return self._names

    def resolve(self, value: str, labels: tuple[str, ...]) -> tuple[str, str]:
        for candidate in (value, fold(value)):
            label = self.label.get(candidate)
            if label in labels:
                return candidate, label
        ids = [node_id for label in labels for node_id in self.names[label].get(value, ())]
        if len(ids) == 1:
            return ids[0], self.label[ids[0]]
        if ids:
            ids.sort()
            listed = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
            raise Bad(f"{len(ids)} nodes have this name ({listed}); write the id instead")
        other = self.label.get(value) or self.label.get(fold(value))
        if other is not None:
            raise Bad(f"this is a {other}, expected {_labels_text(labels)}")
        raise _Unknown(f"no {_labels_text(labels)} has this id or name")

    def column(self, values: list[Any], labels: tuple[str, ...]) -> tuple[list[Any], list[Any], dict[int, Bad]]:
        """Each cell's node id and label (None where unresolved), and the cells that failed.

        A link file names the same nodes over and over: each distinct cell is looked up once.
        """
        found: dict[str, Any] = {}
        shared: dict[tuple[type, str], Bad] = {}
        label_of = self.label.get
        for value in set(values):
            if value is None:
                continue
            label = label_of(value)
            if label in labels:
                found[value] = (value, label)
                continue
            try:
                found[value] = self.resolve(value, labels)
            except Bad as exc:
                # Kept per distinct cell: one exception per reason, without the traceback that
                # would keep a frame alive (a crafted file names half a million unknown nodes).
                found[value] = shared.setdefault((type(exc), exc.reason), exc.with_traceback(None))
        ends = [None if v is None else found[v] for v in values]
        failures = {i: end for i, end in enumerate(ends) if isinstance(end, Bad)}
        for i in failures:
            ends[i] = None
        ids = [None if end is None else end[0] for end in ends]
        node_labels = [None if end is None else end[1] for end in ends]
        return ids, node_labels, failures


@dataclass
class _NodeTable:
    table: Table
    spec: NodeSpec
    rows: list[Row]  # one per data row, aligned with table.numbers, including rows without an id
    links: dict[str, Column]  # the file's link columns, e.g. the cadres' sent_by


class Assembler:
    def __init__(self, loaded: Loaded, known: KnownNodes | None, template: Template | None = None) -> None:
        self.loaded = loaded
        self.known = known
        self.template = template or Template()
        self.problems: ProblemLog = loaded.problems
        self.dataset = Dataset()
        self.broken_labels: set[str] = set()
        self.report = Report()

    def _tables(self) -> dict[str, Table]:
        """Every sheet's mapping (into the report) and the tables it holds."""
        tables: dict[str, Table] = {}
        for sheet in self.loaded.sheets:
            mapping = detect(sheet, self.template.sheets.get(sheet.title), self.problems, self.report)
            self.report.mappings.append(mapping)
            if mapping.table is None:
                continue
            found = normalise(sheet, mapping, self.report, self.template.values, self.problems, self.loaded.broken)
            for table in found:
                if table.key in tables:
                    reason = f"the {table.key} table again (already read from {tables[table.key].file})"
                    self.problems.append(Problem(table.file, None, None, None, reason))
                else:
                    tables[table.key] = table
        if self.loaded.sheets and not tables and not self.problems:
            # Every sheet skipped: an empty Dataset would load as "nothing", or replace everything with it.
            first = self.loaded.sheets[0].file
            source = first.rpartition(":")[0] or first
            titles = "、".join(s.title for s in self.loaded.sheets)
            reason = f"no sheet or file is read as a ledger table ({titles}): their headers match none"
            self.problems.append(Problem(source, None, None, None, reason))
        return tables

    def run(self) -> Reading:
        tables = self._tables()
        self.broken_labels = {n.label for n in NODES if n.file in self.loaded.broken}
        node_tables = [self._nodes(tables[spec.file], spec) for spec in NODES if spec.file in tables]
        self._check_ids(node_tables)
        resolver = Resolver(self.dataset.nodes, self.known)
        for node_table in node_tables:
            for name, column in node_table.links.items():
                self._column_links(node_table, name, column, resolver)
        for key, rel in REL_BY_FILE.items():
            if key in tables:
                self._links(tables[key], rel, resolver)
        if self.problems:
            order = {table.file: FILES.index(table.key) for table in tables.values()}
            listing = self.problems.listing(lambda p: (order.get(p.file, -1), p.row or 0))
            return Reading(None, listing, len(self.problems), self.report)
        return Reading(self.dataset, [], 0, self.report)

    def _nodes(self, table: Table, spec: NodeSpec) -> _NodeTable:
        stored = spec.stored
        columns = [convert(table, prop, self.problems).values for prop in stored]
        links = {name: convert(table, spec.prop(name), self.problems, reference=True) for name in spec.link_columns}
        names = [p.name for p in stored]
        rows: list[Row] = list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))
        self.dataset.nodes[spec.label] = [r for r in rows if r["id"] is not None]
        return _NodeTable(table, spec, rows, links)

    def _check_ids(self, node_tables: list[_NodeTable]) -> None:
        """Ids are unique across all tables, and keep their label if the store has them already."""
        known_label: dict[str, str] = {}
        if self.known is not None:
            known_label = {node_id: label for label, pairs in self.known.nodes.items() for node_id, _ in pairs}
        ids = [row["id"] for t in node_tables for row in t.rows if row["id"] is not None]
        distinct = set(ids)
        if len(distinct) == len(ids) and distinct.isdisjoint(known_label):
            return
        seen: dict[str, tuple[str, int]] = {}
        for node_table in node_tables:
            table, label = node_table.table, node_table.spec.label
            header = table.columns["id"][0] if "id" in table.columns else None
            for row, number in zip(node_table.rows, table.numbers, strict=True):
                node_id = row["id"]
                if node_id is None:
                    continue
                if node_id in seen:
                    file, other = seen[node_id]
                    reason = f"duplicate id (also {file} row {other}); ids are unique across all tables"
                    self.problems.append(Problem(table.file, number, header, node_id, reason))
                    continue
                seen[node_id] = (table.file, number)
                holder = known_label.get(node_id)
                if holder is not None and holder != label:
                    reason = f"this id already belongs to a {holder} in the database"
                    self.problems.append(Problem(table.file, number, header, node_id, reason))

    def _resolved(
        self, table: Table, column: Column, labels: tuple[str, ...], resolver: Resolver
    ) -> tuple[list[Any], list[Any]]:
        ids, node_labels, failures = resolver.column(column.values, labels)
        for i, exc in failures.items():
            if isinstance(exc, _Unknown) and self.broken_labels.intersection(labels):
                continue  # the table that would hold it is unreadable, and reported already
            value = show(column.values[i])
            self.problems.append(Problem(table.file, table.numbers[i], column.header, value, exc.reason))
        return ids, node_labels

    def _column_links(self, node_table: _NodeTable, name: str, column: Column, resolver: Resolver) -> None:
        """Links written as a column of a node file: each cadre's sending unit."""
        spec = node_table.spec
        rel = next(r for r in REL_BY_TYPE.values() if r.file == spec.file and r.dst.name == name)
        ids, labels = self._resolved(node_table.table, column, rel.dst_labels, resolver)
        out = self.dataset.links[rel.type]
        for row, end, label in zip(node_table.rows, ids, labels, strict=True):
            if row["id"] is not None and end is not None:
                out.append({"src": row["id"], "src_label": spec.label, "dst": end, "dst_label": label})

    def _links(self, table: Table, rel: RelSpec, resolver: Resolver) -> None:
        src = convert(table, rel.src, self.problems, reference=True)
        dst = convert(table, rel.dst, self.problems, reference=True)
        src_ids, src_labels = self._resolved(table, src, rel.src_labels, resolver)
        dst_ids, dst_labels = self._resolved(table, dst, rel.dst_labels, resolver)
        props = [convert(table, p, self.problems) for p in rel.props]
        self._check_periods(table, rel, props)
        names = ["src", "src_label", "dst", "dst_label", *(p.name for p in rel.props)]
        columns = [src_ids, src_labels, dst_ids, dst_labels, *(c.values for c in props)]
        rows: list[Row] = []
        if not self.problems:  # else the ledger is refused: its links, maybe millions, are not built
            rows = list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))
        complete = None not in src_ids and None not in dst_ids
        if rel.src_labels == rel.dst_labels:
            for i, (start, end) in enumerate(zip(src_ids, dst_ids, strict=True)):
                if start is not None and start == end:
                    reason = "links a node to itself"
                    self.problems.append(Problem(table.file, table.numbers[i], dst.header, start, reason))
        prop_names = [p.name for p in rel.props]
        key_columns = [[_hashable(v) for v in props[prop_names.index(k)].values] for k in rel.key]
        keys = list(zip(src_ids, dst_ids, *key_columns, strict=True))
        if len(set(keys)) < len(keys):
            self._duplicates(table, rel, keys)
        self.dataset.links[rel.type] += rows if complete else [r for r in rows if r["src"] and r["dst"]]

    def _duplicates(self, table: Table, rel: RelSpec, keys: list[tuple[Any, ...]]) -> None:
        seen: dict[tuple[Any, ...], int] = {}
        same = ", ".join((rel.src.name, rel.dst.name, *rel.key))
        for key, number in zip(keys, table.numbers, strict=True):
            if key[0] is None or key[1] is None:
                continue
            if key in seen:
                reason = f"duplicate {rel.type} link: same {same} as row {seen[key]}"
                self.problems.append(Problem(table.file, number, None, None, reason))
            else:
                seen[key] = number

    def _check_periods(self, table: Table, rel: RelSpec, props: list[Column]) -> None:
        names = [p.name for p in rel.props]
        if "since" not in names or "until" not in names:
            return
        since, until = props[names.index("since")], props[names.index("until")]
        for i, (start, end) in enumerate(zip(since.values, until.values, strict=True)):
            if start is not None and end is not None and end < start:
                written = show(table.columns["until"][1][i])
                reason = f"ends before it starts ({start.isoformat()})"
                self.problems.append(Problem(table.file, table.numbers[i], until.header, written, reason))


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def assemble(loaded: Loaded, known: KnownNodes | None, template: Template | None = None) -> Reading:
    """What reading everything loaded found: the validated Dataset, or every problem; and the report."""
    return Assembler(loaded, known, template).run()


def dataset_of(reading: Reading) -> Dataset:
    """The reading's Dataset, or the ValidationError listing its problems (which carries the report too)."""
    if reading.dataset is None:
        raise ValidationError(reading.problems, total=reading.total, report=reading.report)
    dataset: Dataset = reading.dataset
    return dataset


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while reading.

    Reading creates millions of small lists and dicts, none of them cyclic; the collector would
    otherwise walk the ever-growing heap again and again (40% of the time at province scale).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
