"""From raw sheets to a validated `Dataset`: headers, cell conversion, ids, references, links.

Work is column by column (see `_columns`), so that a province-sized folder (~450,000 rows)
is read in seconds; problems are collected across every file, never raised one by one.
"""

from __future__ import annotations

import difflib
import gc
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat, zip_longest
from typing import Any

from graph.dataset import Dataset, Row
from graph.errors import Problem, ValidationError
from graph.interchange._cells import CONTROL_CHARS, TEXT, Bad, fold, parser
from graph.interchange._columns import convert_column
from graph.interchange._limits import ProblemLog
from graph.interchange._sources import Loaded, Sheet
from graph.model import (
    FILES,
    IGNORED_HEADERS,
    NODE_BY_FILE,
    NODES,
    REL_BY_FILE,
    REL_BY_TYPE,
    NodeSpec,
    Prop,
    RelSpec,
)

_SHOWN = 200  # characters of a cell kept in a problem


@dataclass
class KnownNodes:
    """What the target store already holds, so that ledgers may name existing nodes.

    `nodes` maps a label to its nodes' (id, name) pairs.
    """

    nodes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> KnownNodes:
        return cls({label: [(r["id"], r["name"]) for r in rows] for label, rows in dataset.nodes.items()})


def fold_header(header: Any) -> str:
    """Headers match whatever the spacing, full-width forms or English letter case."""
    return "".join(unicodedata.normalize("NFKC", str(header)).split()).casefold()


def file_columns(key: str) -> tuple[Prop, ...]:
    """The columns of one interchange file, in file order."""
    node = NODE_BY_FILE.get(key)
    return node.props if node else REL_BY_FILE[key].columns


def _spellings(key: str) -> dict[str, tuple[str, str]]:
    """Folded header -> (column name, the spelling as the model writes it)."""
    table: dict[str, tuple[str, str]] = {}
    for prop in file_columns(key):
        for spelling in (prop.name, prop.zh, *prop.headers):
            if spelling:
                table.setdefault(fold_header(spelling), (prop.name, spelling))
    return table


_SPELLINGS = {key: _spellings(key) for key in FILES}
# Per file: every accepted header, folded, -> column name.
HEADERS: dict[str, dict[str, str]] = {key: {k: v[0] for k, v in table.items()} for key, table in _SPELLINGS.items()}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: Any) -> str:
    """A cell as a problem quotes it: as written, without surrounding spaces, and not too long."""
    text = CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value).strip())
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


@dataclass
class Table:
    file: str
    key: str
    numbers: list[int]  # row number of each data row
    text_only: bool
    columns: dict[str, tuple[str, Sequence[Any]]] = field(default_factory=dict)  # name -> (header, cells)

    def __len__(self) -> int:
        return len(self.numbers)


def _header_row(sheet: Sheet) -> int:
    """Index of the header row: ledgers often start with a title row or two above it."""
    lookup = HEADERS[sheet.key]
    for index, row in enumerate(sheet.rows[:5]):
        cells = [c for c in row if not _blank(c)]
        recognised = sum(fold_header(c) in lookup for c in cells)
        if recognised and recognised * 2 >= len(cells):
            return index
    return 0


# Bookkeeping columns nearly every Chinese ledger has; they carry nothing the graph keeps.
_IGNORED = frozenset(fold_header(h) for h in IGNORED_HEADERS)


def _unknown_header(key: str, folded: str) -> str:
    spellings = _SPELLINGS[key]
    near = difflib.get_close_matches(folded, list(spellings), n=1, cutoff=0.5)
    if near:
        return f"unknown column; did you mean {spellings[near[0]][1]}?"
    return "unknown column (expected " + ", ".join(p.name for p in file_columns(key)) + " or their Chinese names)"


# Unknown headers get a "did you mean" suggestion (difflib, slow) for the first few only.
_SUGGESTED = 50


def make_table(sheet: Sheet, problems: ProblemLog, broken: set[str]) -> Table:
    """Match the header row to the model's columns; the cells stay raw, one sequence per column."""
    if not sheet.rows:
        return Table(sheet.file, sheet.key, [], sheet.text_only)
    start = _header_row(sheet)
    header = list(sheet.rows[start])
    data = sheet.rows[start + 1 :]
    table = Table(sheet.file, sheet.key, sheet.numbers[start + 1 :], sheet.text_only)
    fill = "" if sheet.text_only else None
    cells = list(zip_longest(*data, fillvalue=fill)) if data else []
    lookup = HEADERS[sheet.key]
    unknown = 0
    read: set[int] = set()  # indexes of the columns the model reads
    for index in range(max(len(header), len(cells))):
        written = header[index] if index < len(header) else None
        column: Sequence[Any] = cells[index] if index < len(cells) else (fill,) * len(data)
        if _blank(written):
            filled = next((i for i, v in enumerate(column) if not _blank(v)), None)
            if filled is not None:
                reason = f"column {column_letter(index)} has values but no header"
                problems.append(Problem(sheet.file, table.numbers[filled], None, show(column[filled]), reason))
            continue
        text = str(written).strip()
        name = lookup.get(fold_header(text))
        if name is None and fold_header(text) in _IGNORED:
            continue
        if name is None:
            unknown += 1
            reason = _unknown_header(sheet.key, fold_header(text)) if unknown <= _SUGGESTED else "unknown column"
            problems.append(Problem(sheet.file, None, text, None, reason))
        elif name in table.columns:
            problems.append(Problem(sheet.file, None, text, None, f"the same column as {table.columns[name][0]}"))
        else:
            table.columns[name] = (text, column)
            read.add(index)
    _lost_cells(sheet, sheet.numbers[start], header, read, problems)
    for prop in file_columns(sheet.key):
        if prop.required and prop.name not in table.columns:
            also = " / ".join(dict.fromkeys(s for s in (prop.zh, *prop.headers) if s))
            problems.append(Problem(sheet.file, None, None, None, f"missing required column {prop.name} ({also})"))
            if prop.name == "id":
                broken.add(sheet.key)
    return table


def _lost_cells(sheet: Sheet, header_row: int, header: list[Any], read: set[int], problems: ProblemLog) -> None:
    """Workbook cells whose value is not in the file: formulas never computed, merged ranges.

    openpyxl reads both as blank, which would silently drop the value the user sees in Excel. Only
    the header and data rows of the columns the model reads count: a title row's formula or a
    bookkeeping column's =ROW()-1 loses nothing the graph keeps.
    """

    def column(index: int) -> str:
        written = header[index] if index < len(header) else None
        return column_letter(index) if _blank(written) else str(written).strip()

    for number, index, formula in sheet.formulas:
        if number < header_row or index not in read:
            continue
        reason = "a formula with no saved value (the workbook was not last saved by Excel): save it in Excel"
        problems.append(Problem(sheet.file, number, column(index), show(formula), reason))
    for ref, first_row, index, last_row, last_index in sheet.merged:
        if last_row > header_row and read.intersection(range(index, last_index + 1)):
            reason = f"merged cells {ref}: only the first has the value, the others read as blank: unmerge, fill"
            problems.append(Problem(sheet.file, max(first_row, header_row + 1), column(index), None, reason))


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
    def __init__(self, loaded: Loaded, known: KnownNodes | None) -> None:
        self.loaded = loaded
        self.known = known
        self.problems: ProblemLog = loaded.problems
        self.dataset = Dataset()
        self.broken_labels: set[str] = set()

    def run(self) -> Dataset:
        tables = {sheet.key: make_table(sheet, self.problems, self.loaded.broken) for sheet in self.loaded.sheets}
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
            order = {sheet.file: FILES.index(sheet.key) for sheet in self.loaded.sheets}
            listing = self.problems.listing(lambda p: (order.get(p.file, -1), p.row or 0))
            raise ValidationError(listing, total=len(self.problems))
        return self.dataset

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


def assemble(loaded: Loaded, known: KnownNodes | None) -> Dataset:
    """The validated Dataset of everything loaded, or a ValidationError listing every problem."""
    return Assembler(loaded, known).run()


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
