"""From a sheet and its mapping to interchange `Table`s: the cells of each field, one sequence per column.

(The first version: the mapped columns of the sheet's own table, as they are.)
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from graph.errors import Problem
from graph.interchange._headers import Table, blank, column_letter, file_columns, show
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import Report, SheetMapping
from graph.interchange._sources import Sheet


def normalise(
    sheet: Sheet,
    mapping: SheetMapping,
    report: Report,
    values: dict[str, dict[str, str]],
    problems: ProblemLog,
    broken: set[str],
) -> list[Table]:
    """The tables the sheet holds (a cadre roster holds two); problems such as a missing required column.

    `values` are a template's value words per model column (`Template.values`).
    """
    key = mapping.table
    if key is None:
        return []
    table = Table(sheet.file, key, list(mapping.data_rows), sheet.text_only)
    if not mapping.header_rows:
        return [table]
    start = sheet.numbers.index(mapping.header_rows[-1]) + 1
    data = sheet.rows[start : start + len(mapping.data_rows)]
    fill = "" if sheet.text_only else None
    cells = list(zip_longest(*data, fillvalue=fill)) if data else []
    for match in mapping.columns:
        column: Any = cells[match.index] if match.index < len(cells) else (fill,) * len(data)
        table.columns[match.ref.field] = (match.header, column)
    header = list(sheet.rows[start - 1])
    _lost_cells(sheet, mapping, header, problems)
    for prop in file_columns(key):
        if prop.required and prop.name not in table.columns:
            also = " / ".join(dict.fromkeys(s for s in (prop.zh, *prop.headers) if s))
            problems.append(Problem(sheet.file, None, None, None, f"missing required column {prop.name} ({also})"))
            if prop.name == "id":
                broken.add(key)
    return [table]


def _lost_cells(sheet: Sheet, mapping: SheetMapping, header: list[Any], problems: ProblemLog) -> None:
    """Workbook cells whose value is not in the file: formulas never computed, merged ranges.

    openpyxl reads both as blank, which would silently drop the value the user sees in Excel. Only
    the header and data rows of the columns the model reads count: a title row's formula or a
    bookkeeping column's =ROW()-1 loses nothing the graph keeps.
    """
    header_row = mapping.header_rows[-1]
    read = {c.index for c in mapping.columns}

    def column(index: int) -> str:
        written = header[index] if index < len(header) else None
        return column_letter(index) if blank(written) else str(written).strip()

    for number, index, formula in sheet.formulas:
        if number < header_row or index not in read:
            continue
        reason = "a formula with no saved value (the workbook was not last saved by Excel): save it in Excel"
        problems.append(Problem(sheet.file, number, column(index), show(formula), reason))
    for ref, first_row, index, last_row, last_index in sheet.merged:
        if last_row > header_row and read.intersection(range(index, last_index + 1)):
            reason = f"merged cells {ref}: only the first has the value, the others read as blank: unmerge, fill"
            problems.append(Problem(sheet.file, max(first_row, header_row + 1), column(index), None, reason))
