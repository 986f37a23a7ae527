"""Which table a sheet is, which row is its header and which column is which field: a `SheetMapping`.

(The first version: a sheet is the table its name says, its header the first of its first rows that
is mostly known headers; every column is matched by the model's spellings.)
"""

from __future__ import annotations

import difflib

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
from graph.interchange._sources import Sheet

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


def detect(sheet: Sheet, template: SheetTemplate | None, problems: ProblemLog) -> SheetMapping:
    """The sheet's mapping; problems with its header (a column of values with no header, a column twice)."""
    key = sheet.key
    mapping = SheetMapping(sheet.file, sheet.title, key)
    if key is None:
        mapping.skipped = "sheet_unmatched"
        return mapping
    if not sheet.rows:
        return mapping
    start = _header_row(sheet, key)
    header = list(sheet.rows[start])
    data = sheet.rows[start + 1 :]
    mapping.header_rows = [sheet.numbers[start]]
    mapping.data_rows = sheet.numbers[start + 1 :]
    lookup = HEADERS[key]
    width = max([len(header), *map(len, data)]) if data else len(header)
    unknown = 0
    taken: dict[str, str] = {}
    for index in range(width):
        written = header[index] if index < len(header) else None
        if blank(written):
            filled = next((i for i, row in enumerate(data) if index < len(row) and not blank(row[index])), None)
            if filled is not None:
                reason = f"column {column_letter(index)} has values but no header"
                problems.append(Problem(sheet.file, mapping.data_rows[filled], None, show(data[filled][index]), reason))
            continue
        text = str(written).strip()
        folded = fold_header(text)
        name = lookup.get(folded)
        if name is None and folded in IGNORED:
            mapping.skipped_columns.append(SkippedColumn(index, text, "column_ignored"))
            continue
        if name is None:
            unknown += 1
            reason = _unknown_header(key, folded) if unknown <= _SUGGESTED else "unknown column"
            problems.append(Problem(sheet.file, None, text, None, reason))
        elif name in taken:
            problems.append(Problem(sheet.file, None, text, None, f"the same column as {taken[name]}"))
        else:
            taken[name] = text
            how = "exact" if folded == fold_header(name) else "alias"
            mapping.columns.append(ColumnMatch(index, text, FieldRef(key, name), how))
    known = len(mapping.columns)
    mapping.score = known / (known + unknown) if known + unknown else 0.0
    return mapping
