"""Which table a sheet is, which row is its header and which column is which field: a `SheetMapping`.

(The first version: a sheet is the table its name says, its header the first of its first rows that
is mostly known headers; every column is matched by the model's spellings.)
"""

from __future__ import annotations

import difflib
from typing import Any

from graph.errors import Problem
from graph.interchange._headers import (
    HEADERS,
    IGNORED,
    SPELLINGS,
    blank,
    column_letter,
    file_columns,
    fold_header,
    show,
)
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import ColumnMatch, FieldRef, SheetMapping, SheetTemplate, SkippedColumn
from graph.interchange._sources import Sheet, unknown_name

# Unknown headers get a "did you mean" suggestion (difflib, slow) for the first few only.
_SUGGESTED = 50


def _header_row(sheet: Sheet, key: str) -> int:
    """Index of the header row: ledgers often start with a title row or two above it."""
    lookup = HEADERS[key]
    for index, row in enumerate(sheet.rows[:5]):
        cells = [c for c in row if not blank(c)]
        recognised = sum(fold_header(c) in lookup for c in cells)
        if recognised and recognised * 2 >= len(cells):
            return index
    return 0


def _unknown_header(key: str, folded: str) -> str:
    spellings = SPELLINGS[key]
    near = difflib.get_close_matches(folded, list(spellings), n=1, cutoff=0.5)
    if near:
        return f"unknown column; did you mean {spellings[near[0]][1]}?"
    return "unknown column (expected " + ", ".join(p.name for p in file_columns(key)) + " or their Chinese names)"


def _template_header(sheet: Sheet, rows: list[int], problems: ProblemLog) -> tuple[int, list[Any]] | None:
    """The index of a template's (last) header row and the header it gives, two levels joined by "/"."""
    if any(r not in sheet.numbers for r in rows):
        missing = next(r for r in rows if r not in sheet.numbers)
        problems.append(Problem(sheet.file, missing, None, None, "the template's header row is empty"))
        return None
    first, last = sheet.numbers.index(rows[0]), sheet.numbers.index(rows[-1])
    if first == last:
        return last, list(sheet.rows[last])
    parents, children = list(sheet.rows[first]), list(sheet.rows[last])
    width = max(len(parents), len(children))
    header: list[Any] = []
    parent: Any = None
    for index in range(width):
        above = parents[index] if index < len(parents) else None
        below = children[index] if index < len(children) else None
        # A parent merged over its children is written once, in its first column.
        parent = above if not blank(above) else parent if not blank(below) else None
        if blank(below):
            header.append(above)
        elif blank(parent) or str(parent).strip() == str(below).strip():
            header.append(below)
        else:
            header.append(f"{str(parent).strip()}/{str(below).strip()}")
    return last, header


def _how(header: str, name: str) -> str:
    return "exact" if fold_header(header) == fold_header(name) else "alias"


def detect(sheet: Sheet, template: SheetTemplate | None, problems: ProblemLog) -> SheetMapping:
    """The sheet's mapping; problems with its header (a column of values with no header, a column twice).

    A template's sheet overrides the table (None: skip the sheet), the header rows and any column by its header.
    """
    key = sheet.key if template is None else template.table
    mapping = SheetMapping(sheet.file, sheet.title, key)
    if key is None:
        if template is not None:
            mapping.skipped = "sheet_template"
        else:
            mapping.skipped = "sheet_unmatched"
            problems.append(unknown_name(sheet.file))
        return mapping
    if not sheet.rows:
        return mapping
    rows = template.header_rows if template is not None else None
    given = _template_header(sheet, rows, problems) if rows else None
    if rows and given is None:
        return mapping
    if rows and given is not None:
        start, header = given
        mapping.header_rows = list(rows)
    else:
        start = _header_row(sheet, key)
        header = list(sheet.rows[start])
        mapping.header_rows = [sheet.numbers[start]]
    data = sheet.rows[start + 1 :]
    mapping.data_rows = sheet.numbers[start + 1 :]
    chosen = template.columns if template is not None else {}
    lookup = HEADERS[key]
    width = max([len(header), *map(len, data)]) if data else len(header)
    unknown = 0
    taken: dict[str, str] = {}
    taken_refs: dict[FieldRef, str] = {}
    for index in range(width):
        written = header[index] if index < len(header) else None
        if blank(written):
            filled = next((i for i, row in enumerate(data) if index < len(row) and not blank(row[index])), None)
            if filled is not None:
                reason = f"column {column_letter(index)} has values but no header"
                problems.append(Problem(sheet.file, mapping.data_rows[filled], None, show(data[filled][index]), reason))
            continue
        text = str(written).strip()
        if text in chosen:
            field = chosen[text]
            if field is None:
                mapping.skipped_columns.append(SkippedColumn(index, text, "column_template"))
                continue
            ref = FieldRef.parse(field, key)
            if ref in taken_refs:
                problems.append(Problem(sheet.file, None, text, None, f"the same column as {taken_refs[ref]}"))
                mapping.skipped_columns.append(SkippedColumn(index, text, "column_duplicate"))
                continue
            taken_refs[ref] = text
            if ref.table == key:
                taken[ref.field] = text
            # "template" only where the template changes what detection reads.
            auto = lookup.get(fold_header(text))
            how = "template" if ref != FieldRef(key, auto or "") else _how(text, auto or "")
            mapping.columns.append(ColumnMatch(index, text, ref, how))
            continue
        folded = fold_header(text)
        name = lookup.get(folded)
        if name is None and folded in IGNORED:
            mapping.skipped_columns.append(SkippedColumn(index, text, "column_ignored"))
            continue
        if name is None:
            unknown += 1
            reason = _unknown_header(key, folded) if unknown <= _SUGGESTED else "unknown column"
            problems.append(Problem(sheet.file, None, text, None, reason))
            mapping.skipped_columns.append(SkippedColumn(index, text, "column_unknown"))
        elif name in taken or FieldRef(key, name) in taken_refs:
            problems.append(Problem(sheet.file, None, text, None, f"the same column as {taken[name]}"))
            mapping.skipped_columns.append(SkippedColumn(index, text, "column_duplicate"))
        else:
            taken[name] = text
            taken_refs[FieldRef(key, name)] = text
            how = _how(text, name)
            mapping.columns.append(ColumnMatch(index, text, FieldRef(key, name), how))
    known = len(mapping.columns)
    mapping.score = known / (known + unknown) if known + unknown else 0.0
    return mapping
