"""Export a graph as CSV files for `neo4j-admin database import full`, Neo4j's offline bulk importer.

The header format follows the Neo4j Operations Manual ("Import" → "CSV header format"):
each file has its own header file (`<name>_header.csv`) holding one line of `<name>:<field_type>`
fields. Node files carry `id:ID` (the id is also kept as the `id` property, which the schema's
uniqueness constraints and every query use) and `:LABEL`; relationship files carry `:START_ID`,
`:END_ID` and `:TYPE`. Our ids are unique across labels, so one (the default) ID space serves.
Property types come from `graph.model`: INT64 → `long`, DOUBLE → `double`, BOOLEAN → `boolean`,
DATE → `date`, STRING[] → `string[]` (items joined by `;`, the importer's default array delimiter),
STRING → no suffix (the importer's default is string).

An empty, unquoted field is "no value": the importer sets no property, as our null means.
An empty list is written the same way, so on Neo4j it reads back as null, not `[]`.
"""

from __future__ import annotations

import csv
import datetime as dt
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.dataset import Dataset, Row
from graph.errors import PairingError
from graph.model import NODES, RELS, Prop, PType
from graph.progress import OnProgress

ARRAY_DELIMITER = ";"
FIELD_TYPES = {
    PType.STRING: "",
    PType.INT: "long",
    PType.FLOAT: "double",
    PType.BOOL: "boolean",
    PType.DATE: "date",
    PType.STRINGS: "string[]",
}


class ExportError(PairingError):
    """The graph cannot be written in the importer's format as it stands."""


@dataclass
class ImportFiles:
    """What `write` produced: the header and data file of each label and type, in import order."""

    folder: Path
    nodes: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    relationships: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    multiline: bool = False
    rows: dict[str, int] = field(default_factory=dict)

    def command(self, database: str = "neo4j") -> list[str]:
        """The `neo4j-admin` command line that imports these files into an empty `database`."""
        args = [
            "neo4j-admin",
            "database",
            "import",
            "full",
            # From Neo4j 5.19 the database name must precede the multi-value options.
            database,
            "--overwrite-destination=true",
            f"--array-delimiter={ARRAY_DELIMITER}",
        ]
        if self.multiline:
            args.append("--multiline-fields=true")
        for label, (header, data) in self.nodes.items():
            args.append(f"--nodes={label}={header},{data}")
        for rel_type, (header, data) in self.relationships.items():
            args.append(f"--relationships={rel_type}={header},{data}")
        return args

    def command_line(self, database: str = "neo4j") -> str:
        return " ".join(shlex.quote(a) for a in self.command(database))


def field_name(prop: Prop) -> str:
    suffix = FIELD_TYPES[prop.type]
    return f"{prop.name}:{suffix}" if suffix else prop.name


def node_header(label: str) -> list[str]:
    node = next(n for n in NODES if n.label == label)
    return [("id:ID" if p.name == "id" else field_name(p)) for p in node.stored] + [":LABEL"]


def rel_header(rel_type: str) -> list[str]:
    rel = next(r for r in RELS if r.type == rel_type)
    return [":START_ID", ":END_ID", ":TYPE", *(field_name(p) for p in rel.props)]


def cell(value: Any, ptype: PType) -> str:
    if value is None:
        return ""
    if ptype is PType.STRINGS:
        items = [str(v) for v in value]
        bad = [v for v in items if ARRAY_DELIMITER in v]
        if bad:
            raise ExportError(f"list item {bad[0]!r} contains the array delimiter {ARRAY_DELIMITER!r}")
        return ARRAY_DELIMITER.join(items)
    if ptype is PType.BOOL:
        # The importer reads exactly `true` as true and anything else as false.
        return "true" if value else "false"
    if ptype is PType.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        return str(value.isoformat())
    if ptype is PType.FLOAT:
        return repr(float(value))
    return str(value)


def _write_file(path: Path, rows: Iterable[list[str]]) -> bool:
    """Write CSV rows; return whether a value spans lines (the importer then needs --multiline-fields)."""
    multiline = False
    # Not graph.formats.csv_text: these files are read by neo4j-admin, never a spreadsheet, and a
    # neutralising apostrophe would land in the database as part of the value.
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for row in rows:
            if not multiline and any("\n" in c or "\r" in c for c in row):
                multiline = True
            writer.writerow(row)
    return multiline


def check_ids(dataset: Dataset) -> None:
    """One ID space needs ids unique across labels; the store keys them per label only."""
    seen: dict[str, str] = {}
    for label, rows in dataset.nodes.items():
        for row in rows:
            other = seen.setdefault(row["id"], label)
            if other != label:
                raise ExportError(f"id {row['id']!r} is both a {other} and a {label}; ids must be unique")


def write(dataset: Dataset, folder: Path, progress: OnProgress | None = None) -> ImportFiles:
    """Write header and data files per label and relationship type into `folder` (created if needed).

    Labels and types without rows get no files, which keeps the command line short.
    """
    check_ids(dataset)
    folder.mkdir(parents=True, exist_ok=True)
    out = ImportFiles(folder)
    for node in NODES:
        rows: list[Row] = dataset.nodes.get(node.label, [])
        if not rows:
            continue
        header, data = folder / f"{node.label}_header.csv", folder / f"{node.label}.csv"
        _write_file(header, [node_header(node.label)])
        props = node.stored
        lines = ([*(cell(r.get(p.name), p.type) for p in props), node.label] for r in rows)
        out.multiline |= _write_file(data, lines)
        out.nodes[node.label] = (header, data)
        out.rows[node.label] = len(rows)
        if progress:
            progress(node.label, len(rows))
    for rel in RELS:
        rows = dataset.links.get(rel.type, [])
        if not rows:
            continue
        header, data = folder / f"{rel.type}_header.csv", folder / f"{rel.type}.csv"
        _write_file(header, [rel_header(rel.type)])
        lines = ([r["src"], r["dst"], rel.type, *(cell(r.get(p.name), p.type) for p in rel.props)] for r in rows)
        out.multiline |= _write_file(data, lines)
        out.relationships[rel.type] = (header, data)
        out.rows[rel.type] = len(rows)
        if progress:
            progress(rel.type, len(rows))
    return out
