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
from graph.interchange._cells import LIST_SEPARATORS, TEXT, Bad, fold, parser, split_list
from graph.interchange._columns import convert_column
from graph.interchange._detect import detect
from graph.interchange._headers import Table, blank, show
from graph.interchange._ids import item_id, key_text
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import CONTEXT_PROPS, Reading, Report, Template
from graph.interchange._normalise import normalise
from graph.interchange._references import SOFT, Places, tier_code, unit_label
from graph.interchange._report_text import preview_rows
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
    # Optional: id -> the properties a reference's context may name (township, county, tier, birth_year), so
    # that a ledger naming a stored 幸福村 with its township finds the right one. Without it, nothing narrows.
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> KnownNodes:
        facts = {
            r["id"]: {p: r.get(p) for p in (*CONTEXT_PROPS, "name") if p in r}
            for rows in dataset.nodes.values()
            for r in rows
        }
        # A stored need's village and where it lies: next month's 项目清单 alone names it by item and village.
        for link in dataset.links.get("NEED_OF", []):
            village = facts.get(link["dst"], {})
            facts.setdefault(link["src"], {}).update(
                village=link["dst"], township=village.get("township"), county=village.get("county")
            )
        return cls({label: [(r["id"], r["name"]) for r in rows] for label, rows in dataset.nodes.items()}, facts)


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


def _telling(labels: Sequence[str]) -> str:
    """What would tell the nodes of one name apart, in a problem."""
    if "Village" in labels:
        return "add its township (街道/乡镇) column or write the id"
    if "Cadre" in labels:
        return "add the birth year (出生年份) or sending unit (派出单位) column, or write the id"
    if len(labels) > 1:
        return "add the unit's type (类型) column or write the id"
    return "write the id instead"


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
        self._facts: dict[str, dict[str, Any]] | None = None
        self._places: Places | None = None
        # Each cadre's sending unit as its row wrote it (id or name): a roster may tell cadres apart by it.
        self.sent_by: dict[str, Any] = {}
        # Each need's village, and where it lies: a 项目清单 names a need by its item, its village and township.
        self.item_facts: dict[str, dict[str, Any]] = {}

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

    @property
    def facts(self) -> dict[str, dict[str, Any]]:
        """Id -> the properties a reference's context names (township, county, tier, birth_year) of the ledger's nodes.

        Nodes only in the store are not here: their facts are unknown, which narrows nothing.
        """
        if self._facts is None:
            ledger: dict[str, dict[str, Any]] = {}
            for rows in self.nodes.values():
                for row in rows:
                    ledger.setdefault(row["id"], {p: row.get(p) for p in (*CONTEXT_PROPS, "name") if p in row})
            for node_id, fact in self.item_facts.items():
                ledger[node_id] = {**ledger.get(node_id, {}), **fact}
            self._facts = {**(self.known.facts if self.known is not None else {}), **ledger}
        return self._facts

    def add_facts(self, facts: dict[str, dict[str, Any]]) -> None:
        """Facts the nodes' own rows do not hold (a need's village, township, county), for context to narrow by."""
        self.item_facts.update(facts)
        self._facts = self._places = None

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = Places(self.facts)
        return self._places

    def ambiguous(self, values: Any, labels: tuple[str, ...]) -> bool:
        """Whether some distinct cell is a name (not an id) that several nodes of `labels` have: only then is a
        hint worth its cost (a province's ledger of ids never builds the name index for it)."""
        names = [v for v in set(values) if v is not None and self.label.get(v) not in labels]
        if not names:
            return False
        index = self.names
        return any(sum(len(index[label].get(v, ())) for label in labels) > 1 for v in names)

    def knows(self, value: str, labels: tuple[str, ...]) -> bool:
        """Whether a cell names a node of `labels`, by id or by name (however many have it)."""
        value = value.strip()
        if any(self.label.get(v) in labels for v in (value, fold(value))):
            return True
        return any(value in self.names[label] for label in labels)

    def resolve(self, value: str, labels: tuple[str, ...], context: dict[str, Any] | None = None) -> tuple[str, str]:
        if context and not blank(context.get("label")):
            named = unit_label(context["label"])
            labels = (named,) if named in labels else labels
        for candidate in (value, fold(value)):
            label = self.label.get(candidate)
            if label in labels:
                return candidate, label
        ids = [node_id for label in labels for node_id in self.names[label].get(value, ())]
        if context and ids:
            narrowed = self._narrow(ids, context)
            if not narrowed:
                for prop in ("township", "county"):
                    readings = self.places.readings(prop, key_text(context.get(prop)))
                    if readings:
                        said = " or ".join(readings)
                        raise Bad(f"{show(context[prop])} may be {said}: write it in full ({self._listed(ids)})")
                said = "、".join(
                    show(context[p])
                    for p in ("city", "county", "township", "tier", "birth_year", "sent_by", "village")
                    if not blank(context.get(p))
                )
                raise Bad(f"no {_labels_text(labels)} of this name in {said} ({self._listed(ids)})")
            ids = narrowed
        if len(ids) == 1:
            return ids[0], self.label[ids[0]]
        if ids:
            raise Bad(f"{len(ids)} nodes have this name ({self._listed(ids)}); {_telling(labels)}")
        other = self.label.get(value) or self.label.get(fold(value))
        if other is not None:
            raise Bad(f"this is a {other}, expected {_labels_text(labels)}")
        raise _Unknown(f"no {_labels_text(labels)} has this id or name")

    def _listed(self, ids: list[str]) -> str:
        ids = sorted(ids)
        shown = []
        for node_id in ids[:10]:
            fact = self.facts.get(node_id, {})
            where = "、".join(str(fact[p]) for p in ("city", "county", "township") if fact.get(p))
            shown.append(f"{node_id} in {where}" if where else node_id)
        return ", ".join(shown) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")

    def _narrow(self, ids: list[str], context: dict[str, Any]) -> list[str]:
        """The candidates the context fits; those whose facts are unknown (only in the store) if none is known to."""
        facts = self.facts
        for prop, wanted in context.items():
            if prop == "label" or blank(wanted) or prop.startswith(SOFT):
                continue
            if prop in ("township", "county"):
                there = self.places.ids(prop, wanted)
                ids = [i for i in ids if i in there] or [i for i in ids if facts.get(i, {}).get(prop) is None]
                continue
            fits = [(i, self._fits(i, prop, wanted)) for i in ids]
            ids = [node_id for node_id, fit in fits if fit] or [node_id for node_id, fit in fits if fit is None]
        # Hints last, among what the facts left: they prefer, they never rule out.
        for prop, wanted in context.items():
            if prop.startswith(SOFT) and not blank(wanted) and len(ids) > 1:
                there = self.places.ids(prop[len(SOFT) :], wanted)
                ids = [i for i in ids if i in there] or ids
        return ids

    def _fits(self, node_id: str, prop: str, wanted: Any) -> bool | None:
        """Whether a candidate has the tier, birth year or sending unit the row says; None: not known."""
        fact = self.facts.get(node_id)
        if fact is None:
            return None
        if prop == "village":
            village = fact.get("village")
            if village is None:
                return None
            return key_text(wanted) in {key_text(village), key_text(self.facts.get(village, {}).get("name"))}
        if prop == "sent_by":
            if node_id not in self.sent_by:
                return None
            unit = self.sent_by[node_id]
            named = {key_text(unit)}
            unit_id = str(unit).strip() if not blank(unit) else None
            if unit_id in self.label:
                named.add(unit_id.casefold())
                named.add(key_text(self.facts.get(unit_id, {}).get("name")))
            return key_text(wanted) in named
        held = fact.get(prop)
        if held is None:
            return None
        if prop == "tier":
            code = tier_code(wanted)
            return None if code is None else code == held
        return key_text(wanted) == key_text(held)

    def column(
        self, values: list[Any], labels: tuple[str, ...], context: dict[str, list[Any]] | None = None
    ) -> tuple[list[Any], list[Any], dict[int, Bad]]:
        """Each cell's node id and label (None where unresolved), and the cells that failed.

        A link file names the same nodes over and over: each distinct cell is looked up once (with its
        context: the township, county, kind of unit in the row's other columns).
        """
        if context:
            return self._in_context(values, labels, context)
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

    def _in_context(
        self, values: list[Any], labels: tuple[str, ...], context: dict[str, list[Any]]
    ) -> tuple[list[Any], list[Any], dict[int, Bad]]:
        props = list(context)
        keys = list(zip(values, *context.values(), strict=True))
        found: dict[tuple[Any, ...], Any] = {}
        shared: dict[tuple[type, str], Bad] = {}
        for key in set(keys):
            value = key[0]
            if value is None:
                continue
            try:
                found[key] = self.resolve(value, labels, dict(zip(props, key[1:], strict=True)))
            except Bad as exc:
                found[key] = shared.setdefault((type(exc), exc.reason), exc.with_traceback(None))
        ends = [found.get(key) for key in keys]
        failures = {i: end for i, end in enumerate(ends) if isinstance(end, Bad)}
        for i in failures:
            ends[i] = None
        return [e and e[0] for e in ends], [e and e[1] for e in ends], failures


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
        self._several: dict[str, int] = {}  # tables kept on more than one sheet: their link keys are kept
        self._link_keys: dict[str, dict[tuple[Any, ...], tuple[str, int]]] = {}
        self.report = Report()
        # Per link type, the node ids each row's ends resolved to (None where not): (sources, targets).
        self.ends: dict[str, tuple[list[Any], list[Any]]] = {}

    def _tables(self) -> dict[str, list[Table]]:
        """Every sheet's mapping (into the report) and the tables it holds, per table in sheet order.

        A county may keep one table on several sheets (a sheet per township, or per year): each is read on
        its own, so that its problems name its own sheet, and their rows are one table.
        """
        tables: dict[str, list[Table]] = {}
        for sheet in self.loaded.sheets:
            mapping = detect(sheet, self.template.sheets.get(sheet.title), self.problems, self.report)
            mapping.preview = preview_rows(sheet.rows, sheet.numbers, mapping)
            self.report.mappings.append(mapping)
            if mapping.table is None:
                continue
            found = normalise(sheet, mapping, self.report, self.template.values, self.problems, self.loaded.broken)
            for table in found:
                tables.setdefault(table.key, []).append(table)
        # A template's sheet the file does not have (renamed since?) is not applied: say so.
        titles = {sheet.title for sheet in self.loaded.sheets}
        for title in self.template.sheets:
            if title not in titles:
                self.report.note("template_sheet_unused", "template", value=title)
        if any(s.rows for s in self.loaded.sheets) and not tables and not self.problems:
            # Every sheet with rows skipped: an empty Dataset would load as "nothing", or replace everything
            # with it. (Sheets without rows are an empty ledger, which `graph.ledger` refuses in its own words.)
            first = self.loaded.sheets[0].file
            source = first.rpartition(":")[0] or first
            named = "、".join(s.title for s in self.loaded.sheets)
            reason = f"no sheet or file is read as a ledger table ({named}): their headers match none"
            self.problems.append(Problem(source, None, None, None, reason))
        return tables

    def run(self) -> Reading:
        tables = self._tables()
        self._several = {key: len(found) for key, found in tables.items()}
        self.broken_labels = {n.label for n in NODES if n.file in self.loaded.broken}
        node_tables = [self._nodes(table, spec) for spec in NODES for table in tables.get(spec.file, [])]
        resolver = Resolver(self.dataset.nodes, self.known)
        # A need's village and a resource's unit before the link sheets: a 项目清单 names a need by its item and
        # village, and a need's id may be derived from its village's. (A cadre's unit comes after: see below.)
        items = [t for t in node_tables if t.spec.label != "Cadre"]
        for node_table in items:
            for name, column in node_table.links.items():
                self._column_links(node_table, name, column, resolver)
        if any(t.table.derived for t in items):
            resolver = Resolver(self.dataset.nodes, self.known)  # the derived ids are the nodes' ids now
        resolver.add_facts(self._need_places(resolver))
        self._check_ids(node_tables)
        for node_table in node_tables:
            if "sent_by" in node_table.links:
                pairs = zip(node_table.rows, node_table.links["sent_by"].values, strict=True)
                resolver.sent_by.update((row["id"], unit) for row, unit in pairs if row["id"] is not None)
        for key, rel in REL_BY_FILE.items():
            for table in tables.get(key, []):
                self._links(table, rel, resolver)
        # After the link sheets: where a cadre is stationed hints at which unit of its name sent it.
        for node_table in node_tables:
            if node_table in items:
                continue
            for name, column in node_table.links.items():
                self._column_links(node_table, name, column, resolver)
        if self.problems:
            order = {table.file: FILES.index(table.key) for found in tables.values() for table in found}
            listing = self.problems.listing(lambda p: (order.get(p.file, -1), p.row or 0))
            return Reading(None, listing, len(self.problems), self.report)
        return Reading(self.dataset, [], 0, self.report)

    def _nodes(self, table: Table, spec: NodeSpec) -> _NodeTable:
        stored = spec.stored
        columns = [convert(table, prop, self.problems).values for prop in stored]
        links = {name: convert(table, spec.prop(name), self.problems, reference=True) for name in spec.link_columns}
        names = [p.name for p in stored]
        rows: list[Row] = list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))
        self.dataset.nodes[spec.label] += [r for r in rows if r["id"] is not None]
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
        self,
        table: Table,
        column: Column,
        labels: tuple[str, ...],
        resolver: Resolver,
        name: str | None = None,
        hints: dict[str, list[Any]] | None = None,
    ) -> tuple[list[Any], list[Any]]:
        written = table.context.get(name or "", {})
        context = {prop: list(cells) for prop, (_, cells) in written.items()} if column.header else {}
        if hints and column.header:
            context.update(hints)
        if any(p.startswith(SOFT) for p in context) and not resolver.ambiguous(column.values, labels):
            context = {p: cells for p, cells in context.items() if not p.startswith(SOFT)}  # nothing to prefer
        ids, node_labels, failures = resolver.column(column.values, labels, context)
        for i, exc in failures.items():
            if isinstance(exc, _Unknown) and self.broken_labels.intersection(labels):
                continue  # the table that would hold it is unreadable, and reported already
            value = show(column.values[i])
            self.problems.append(Problem(table.file, table.numbers[i], column.header, value, exc.reason))
        return ids, node_labels

    def _column_links(self, node_table: _NodeTable, name: str, column: Column, resolver: Resolver) -> None:
        """Links written as a column of a node file: each cadre's sending unit, each need's village, each resource's
        unit."""
        spec = node_table.spec
        rel = next(r for r in REL_BY_TYPE.values() if r.file == spec.file and r.dst.name == name)
        hints = None
        if spec.label == "Cadre" and resolver.ambiguous(column.values, rel.dst_labels):
            hints = self._stationed_county(node_table, resolver)
        ids, labels = self._resolved(node_table.table, column, rel.dst_labels, resolver, name, hints)
        if node_table.table.derived:
            for row, end in zip(node_table.rows, ids, strict=True):
                if row["id"] is not None and end is not None:
                    row["id"] = item_id(node_table.table.key, end, row["name"])
        out = self.dataset.links[rel.type]
        for row, end, label in zip(node_table.rows, ids, labels, strict=True):
            if row["id"] is not None and end is not None:
                out.append({"src": row["id"], "src_label": spec.label, "dst": end, "dst_label": label})

    def _need_places(self, resolver: Resolver) -> dict[str, dict[str, Any]]:
        """Each need's village and the village's township and county, as facts of the need."""
        out: dict[str, dict[str, Any]] = {}
        for link in self.dataset.links["NEED_OF"]:
            village = resolver.facts.get(link["dst"], {})
            out[link["src"]] = {
                "village": link["dst"],
                "township": village.get("township"),
                "county": village.get("county"),
            }
        return out

    def _county_of(
        self, table: Table, rel: RelSpec, dst_ids: list[Any], resolver: Resolver
    ) -> dict[str, list[Any]] | None:
        """The county of each row's target (its village), as a hint for the source where the model says the two
        lie in one county (a pairing stays within its county) and the sheet has no county column for the source."""
        if (rel.src.name, "county") not in {(column, prop.name) for column, prop in rel.context}:
            return None
        written = table.context.get(rel.src.name, {})
        if "county" in written or SOFT + "county" in written:
            return None
        county = {i: resolver.facts.get(i, {}).get("county") for i in set(dst_ids) if i is not None}
        if not any(county.values()):
            return None
        return {SOFT + "county": list(map(county.get, dst_ids))}

    def _stationed_county(self, node_table: _NodeTable, resolver: Resolver) -> dict[str, list[Any]] | None:
        """Each cadre's county, where its stations are all in one: a unit sends its cadres to villages of its own
        county, so that of two 幸福社区 in a city's ledger, the one in the county of the cadre's village sent it."""
        stations = REL_BY_FILE["stations"]
        if stations.type not in self.ends:
            return None
        counties: dict[Any, set[Any]] = {}
        for cadre, village in set(zip(*self.ends[stations.type], strict=True)):
            county = resolver.facts.get(village, {}).get("county") if village is not None else None
            if cadre is not None and county is not None:
                counties.setdefault(cadre, set()).add(county)
        one = {cadre: found.pop() for cadre, found in counties.items() if len(found) == 1}
        if not one:
            return None
        return {SOFT + "county": [one.get(row["id"]) for row in node_table.rows]}

    def _links(self, table: Table, rel: RelSpec, resolver: Resolver) -> None:
        written = table
        for end, labels in ((rel.src, rel.src_labels), (rel.dst, rel.dst_labels)):
            table = self._split_cells(table, end.name, labels, resolver)
        if table is written:
            self._link_rows(table, rel, resolver)
            return
        # A row made several by a cell of several units has its problems once, not once per unit.
        outer, self.problems = self.problems, ProblemLog()
        try:
            self._link_rows(table, rel, resolver)
        finally:
            inner, self.problems = self.problems, outer
            for problem in dict.fromkeys(inner.kept):
                outer.append(problem)
            for (file, column), more in inner._more.items():
                outer.more(file, column, more.count, more.reason)

    def _link_rows(self, table: Table, rel: RelSpec, resolver: Resolver) -> None:
        src = convert(table, rel.src, self.problems, reference=True)
        dst = convert(table, rel.dst, self.problems, reference=True)
        # The village first: where it lies hints at where the unit, enterprise or leader of its row lies.
        dst_ids, dst_labels = self._resolved(table, dst, rel.dst_labels, resolver, rel.dst.name)
        hints = (
            self._county_of(table, rel, dst_ids, resolver) if resolver.ambiguous(src.values, rel.src_labels) else None
        )
        src_ids, src_labels = self._resolved(table, src, rel.src_labels, resolver, rel.src.name, hints)
        self.ends[rel.type] = (src_ids, dst_ids)
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
        # Keys of the type's earlier sheets (a table kept on several): a link may repeat across them too.
        earlier = self._link_keys.setdefault(rel.type, {})
        if len(set(keys)) < len(keys) or (earlier and not earlier.keys().isdisjoint(keys)):
            self._duplicates(table, rel, keys, earlier)
        elif self._several.get(rel.file, 0) > 1:
            earlier.update((key, (table.file, n)) for key, n in zip(keys, table.numbers, strict=True))
        self.dataset.links[rel.type] += rows if complete else [r for r in rows if r["src"] and r["dst"]]

    def _split_cells(self, table: Table, name: str, labels: tuple[str, ...], resolver: Resolver) -> Table:
        """Several units in one cell (区财政局、区教育局): one row each, the others copied, where each part names
        a node and the whole does not. The rows keep the sheet's row number, for problems."""
        if name not in table.columns:
            return table
        header, cells = table.columns[name]
        split: dict[Any, list[str]] = {}
        texts = [v for v in set(cells) if type(v) is str]
        joined = "\n".join(texts)
        if not any(c in joined for c in LIST_SEPARATORS):
            return table  # the usual ledger: one unit a cell, told in one scan
        for value in texts:
            if not any(c in value for c in LIST_SEPARATORS):
                continue
            parts = split_list(value)
            if len(parts) > 1 and not resolver.knows(value, labels) and all(resolver.knows(p, labels) for p in parts):
                split[value] = parts
        if not split:
            return table
        rows = [i for i, value in enumerate(cells) if value in split]
        order = [i for i, value in enumerate(cells) for _ in split.get(value, (value,))]
        parts = [part for value in cells for part in split.get(value, (value,))]

        def spread(column: Any) -> list[Any]:
            return [column[i] for i in order]

        out = Table(table.file, table.key, spread(table.numbers), table.text_only)
        out.columns = {n: (h, parts if n == name else spread(c)) for n, (h, c) in table.columns.items()}
        out.context = {r: {p: (h, spread(c)) for p, (h, c) in props.items()} for r, props in table.context.items()}
        written = show(cells[rows[0]])
        self.report.note(
            "cell_split", table.file, row=table.numbers[rows[0]], column=header, value=written, count=len(rows)
        )
        return out

    def _duplicates(
        self, table: Table, rel: RelSpec, keys: list[tuple[Any, ...]], seen: dict[tuple[Any, ...], tuple[str, int]]
    ) -> None:
        """Links given twice: in this sheet, or in an earlier sheet of the same table (`seen`, updated)."""
        same = ", ".join((rel.src.name, rel.dst.name, *rel.key))
        for key, number in zip(keys, table.numbers, strict=True):
            if key[0] is None or key[1] is None:
                continue
            if key in seen:
                file, row = seen[key]
                where = f"row {row}" if file == table.file else f"{file} row {row}"
                reason = f"duplicate {rel.type} link: same {same} as {where}"
                self.problems.append(Problem(table.file, number, None, None, reason))
            else:
                seen[key] = (table.file, number)

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
