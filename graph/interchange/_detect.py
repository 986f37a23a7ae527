"""Which table a sheet is, which row(s) are its header and which column is which field: a `SheetMapping`.

A county's workbook names its sheets its own way, puts title rows above the header, two-level
headers (结对单位 over 名称 | 类型), footers (合计, 注：…, 填表人) below the data, hidden helper columns
beside it. A sheet is recognised by its header's content: every candidate header among its first
rows is scored against every table's spellings (`_headers.FIELDS`); the sheet's name is only a hint.
Everything read in an unusual way is a note in the report; what cannot be read is a Problem.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.errors import Problem
from graph.interchange._headers import (
    FIELDS,
    IGNORED,
    ROSTER,
    Spelling,
    blank,
    column_letter,
    fold_header,
    fold_unit,
    show,
)
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import (
    ColumnMatch,
    FieldRef,
    Report,
    SheetMapping,
    SheetTemplate,
    SkippedColumn,
)
from graph.interchange._sources import Sheet
from graph.model import FILES, NODE_BY_FILE, REL_BY_FILE

# Rows looked at for the header: title rows above it are rarely more than three or four.
_SCAN = 15
# Unknown headers get a "did you mean" suggestion (difflib, slow) for the first few only.
_SUGGESTED = 50
# A link field carried by a roster counts a little less than the sheet's own: a sheet that names a
# cadre, a village and a term is a stations sheet, not a roster without the cadres' own fields.
_CARRIED_WEIGHT = 0.9
# The sheet's name says this table: enough to win a tie, never to beat a better header.
_HINT = 0.5
# Near matches (a header close to a known spelling but not one) need this similarity.
_FUZZY_CUTOFF = 0.75
# Data rows looked at to tell a link sheet from a table of counts.
_SAMPLE = 20
_SUMMARY = re.compile(r"汇总|统计表|合计|小结")
# Rows at the bottom looked at for footers.
_FOOTER_SCAN = 30

_TOTAL = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计)\s*(?:$|[:：(（\s])")
_FOOTER = re.compile(
    r"^(?:注\s*\d*\s*[:：.、]|说\s*明\s*[:：]?|备\s*注\s*[:：]|(?:单位)?(?:填表人|填报人|审核人|制表人|负责人|联系人|联系电话|填表日期)"
    r"|审\s*核\s*[:：]|制\s*表\s*[:：])"
)
_DATE = r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?"
_FILLED_ON = re.compile(r"(?:填报|填表|报送)日期\s*[:：]?\s*" + _DATE)
_FILLED_ON_LABEL = re.compile(r"(?:填报|填表|报送)日期\s*[:：]?\s*$")
_FILLED_BY = re.compile(
    r"填报单位\s*(?:[（(]\s*盖\s*章\s*[)）])?\s*[:：]\s*(.*?)\s*(?=\s{2,}|(?:填报|填表|报送)日期|填表人|联系人|负责人|$)"
)
_SEAL = re.compile(r"\s*[（(]\s*盖\s*章\s*[)）]\s*")


@dataclass(frozen=True)
class _Cell:
    index: int
    header: str  # as written: "村名", or "结对单位/名称"
    parent: str | None  # folded, None for a one-level header (or a cell merged down over both rows)
    child: str  # folded


@dataclass
class _Candidate:
    table: str
    rows: tuple[int, ...]  # indexes into sheet.rows
    cells: list[_Cell]
    # For two header rows: 1 if the upper row is a header row itself (its cells matched alone too), so
    # that a header merged over its children is read as their parent; -1 if it is a title above them.
    layered: int = 0
    matched: dict[int, tuple[Spelling, str]] = field(default_factory=dict)  # index -> (spelling, level)
    count: float = 0.0
    fraction: float = 0.0
    lookup: dict[str, Spelling] = field(default_factory=dict)

    def key(self, hint: str | None) -> tuple[float, ...]:
        bonus = _HINT if hint == self.table else 0.0
        return (self.count + bonus, self.fraction, self.layered, -self.rows[0], -FILES.index(self.table))

    @property
    def acceptable(self) -> bool:
        return self.count >= 1.5 and self.fraction >= 0.5


def _find(lookup: dict[str, Spelling], folded: str) -> Spelling | None:
    """The field a folded header names, its unit aside (户籍人口（人） is 户籍人口), unless the units differ."""
    found = lookup.get(folded)
    if found is not None:
        return found
    bare, unit = fold_unit(folded)
    found = lookup.get(bare)
    if found is not None and (unit is None or found.unit is None or found.unit == unit):
        return found
    return None


def _match(lookup: dict[str, Spelling], cell: _Cell) -> tuple[Spelling, str] | None:
    """The pair (parent, child) first, then the child, then the parent."""
    if cell.parent is not None:
        pair = lookup.get(f"{cell.parent}/{cell.child}")
        if pair is None:
            bare = fold_unit(cell.child)[0]
            pair = lookup.get(f"{cell.parent}/{bare}")
        if pair is not None:
            return pair, "pair"
    found = _find(lookup, cell.child)
    if found is not None:
        return found, "child"
    if cell.parent is not None:
        found = _find(lookup, cell.parent)
        if found is not None:
            return found, "parent"
    return None


def _text(value: Any) -> str:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _fold(header: str) -> str:
    """A header folded for matching; the marks templates put on required columns (*村名) do not count."""
    return fold_header(header).strip("*※★") or fold_header(header)


def _cells(sheet: Sheet, rows: tuple[int, ...], skip: set[int]) -> list[_Cell]:
    """The header cells of the candidate header ROWS (one or two), the hidden columns left out."""
    child_row = sheet.rows[rows[-1]]
    parent_row: Sequence[Any] = sheet.rows[rows[0]] if len(rows) == 2 else ()
    if parent_row and sheet.text_only:
        parent_row = _spread(parent_row)
    width = max(len(child_row), len(parent_row))
    cells = []
    for index in range(width):
        if index in skip:
            continue
        child = child_row[index] if index < len(child_row) else None
        parent = parent_row[index] if index < len(parent_row) else None
        if blank(child):
            child, parent = parent, None
        if blank(child):
            continue
        written = _text(child)
        folded = _fold(written)
        parent_text = None if blank(parent) else _text(parent)
        if parent_text is not None and _fold(parent_text) == folded:
            parent_text = None  # merged down over both rows: a one-level header
        header = written if parent_text is None else f"{parent_text}/{written}"
        cells.append(_Cell(index, header, None if parent_text is None else _fold(parent_text), folded))
    return cells


def _score(candidate: _Candidate) -> None:
    lookup = candidate.lookup
    counted = [c for c in candidate.cells if c.child not in IGNORED or c.parent is not None]
    fields: dict[FieldRef, float] = {}
    for cell in counted:
        found = _match(lookup, cell)
        if found is None:
            continue
        candidate.matched[cell.index] = found
        ref = found[0].ref
        fields[ref] = 1.0 if ref.table == candidate.table else _CARRIED_WEIGHT
    candidate.count = sum(fields.values())
    candidate.fraction = len(candidate.matched) / len(counted) if counted else 0.0


def _two_level(sheet: Sheet, index: int) -> bool:
    """Row INDEX is a parent row: a cell of it is merged across columns over the next row's cells."""
    if index + 1 >= len(sheet.rows) or sheet.numbers[index + 1] != sheet.numbers[index] + 1:
        return False
    if sheet.text_only:
        # A CSV saved from a workbook keeps a merged parent in its first cell, blanks after: 结对单位,,帮扶情况,,
        row = sheet.rows[index]
        return any(not blank(a) and blank(b) for a, b in itertools.pairwise(row))
    number = sheet.numbers[index]
    return any(first == last == number and right > left for _, first, left, last, right in sheet.merged)


def _spread(row: Sequence[Any]) -> list[Any]:
    """A CSV parent row with each parent over the blank cells after it, as its merged cell was."""
    spread: list[Any] = []
    for value in row:
        spread.append(spread[-1] if blank(value) and spread else value)
    return spread


def _candidates(sheet: Sheet, tables: Sequence[str], header_rows: list[int] | None) -> list[_Candidate]:
    skip = set(sheet.hidden_columns)
    if header_rows:
        rows = [tuple(sheet.numbers.index(n) for n in header_rows if n in sheet.numbers)]
        rows = [r for r in rows if r]
    else:
        rows = []
        for index in range(min(_SCAN, len(sheet.rows))):
            rows.append((index,))
            if _two_level(sheet, index):
                rows.append((index, index + 1))
    found: list[_Candidate] = []
    single: dict[tuple[int, str], _Candidate] = {}
    for at in rows:
        cells = _cells(sheet, at, skip)
        for table in tables:
            candidate = _Candidate(table, at, cells, lookup=ROSTER[table])
            _score(candidate)
            if candidate.lookup is not FIELDS[table] and not _carries(candidate):
                # The carried fields count only on a roster, which names the carried link's other end.
                candidate = _Candidate(table, at, cells, lookup=FIELDS[table])
                _score(candidate)
            if len(at) == 1:
                single[at[0], table] = candidate
            else:
                upper = single.get((at[0], table))
                # A data row under a header is no header's children: its cells match nothing under their parents.
                children = any(
                    c.parent is not None and candidate.matched.get(c.index, (0, "parent"))[1] != "parent" for c in cells
                )
                candidate.layered = 1 if upper is not None and upper.matched and children else -1
            found.append(candidate)
    return found


def _carries(candidate: _Candidate) -> bool:
    node = NODE_BY_FILE.get(candidate.table)
    if node is None:
        return False
    ends = {FieldRef(other, "village") for other in node.carries}
    return any(spelling.ref in ends for spelling, _ in candidate.matched.values())


def detect(
    sheet: Sheet, template: SheetTemplate | None, problems: ProblemLog, report: Report | None = None
) -> SheetMapping:
    """The sheet's mapping, its notes into REPORT; problems with its header (values with no header, a column twice)."""
    report = report if report is not None else Report()
    mapping = SheetMapping(sheet.file, sheet.title, None)
    if template is not None and template.table is None:
        return _skip(mapping, "sheet_template", report)
    if sheet.hidden and template is None:
        return _skip(mapping, "sheet_hidden", report)
    if not sheet.rows:
        return _skip(mapping, "sheet_empty", report)
    tables = [template.table] if template is not None and template.table else FILES
    if template is not None and template.header_rows:
        empty = [n for n in template.header_rows if n not in sheet.numbers]
        for number in empty:
            problems.append(Problem(sheet.file, number, None, None, "the template's header row is empty"))
        if empty:
            mapping.table = template.table
            return mapping
    found = _candidates(sheet, tables, template.header_rows if template else None)
    if not found:
        return _skip(mapping, "sheet_unmatched", report)
    if template is None:
        found = [c for c in found if c.acceptable or (c.count >= 1 and c.table == sheet.key)]
        if _SUMMARY.search(sheet.title):
            # A summary sheet's columns are counts by township, which may be headed like a table's (强村, 后进村).
            found = [c for c in found if c.fraction == 1.0 and c.count >= 3]
        found = [c for c in found if c.table == sheet.key or not _counts_in_references(sheet, c)]
    if not found:
        return _skip(mapping, "sheet_unmatched", report)
    best = max(found, key=lambda c: c.key(sheet.key))
    mapping.table = best.table
    mapping.header_rows = [sheet.numbers[i] for i in best.rows]
    mapping.score = best.fraction
    footer = _footer(sheet, best.rows[-1] + 1)
    _columns(sheet, best, footer, mapping, template, problems, report)
    _rows(sheet, best, footer, mapping, report)
    _merged_notes(sheet, mapping, report)
    rows = "、".join(map(str, mapping.header_rows))
    report.note("sheet_table", sheet.file, detail={"table": best.table, "rows": rows})
    if mapping.metadata and not report.metadata:
        report.metadata.update(mapping.metadata)
    return mapping


def _merged_notes(sheet: Sheet, mapping: SheetMapping, report: Report) -> None:
    """One note per read column with cells merged down in the data: each such cell read with the first's value."""
    if not sheet.merged or not mapping.data_rows:
        return
    header_row = mapping.header_rows[-1]
    found: dict[int, list[tuple[str, int]]] = {}
    for ref, first_row, left, last_row, right in sheet.merged:
        if last_row > first_row and first_row > header_row:
            for column in range(left, right + 1):
                found.setdefault(column, []).append((ref, first_row))
    for match in mapping.columns:
        ranges = found.get(match.index)
        if ranges:
            ref, row = min(ranges, key=lambda r: r[1])
            report.note(
                "merged_filled", sheet.file, row=row, column=match.header, detail={"range": ref}, count=len(ranges)
            )


def _counts_in_references(sheet: Sheet, candidate: _Candidate) -> bool:
    """A link sheet whose reference columns hold small numbers is a table of counts (强村 3, 后进村 5), not links."""
    rel = REL_BY_FILE.get(candidate.table)
    if rel is None:
        return False
    ends = {rel.src.name, rel.dst.name}
    columns = [i for i, (s, _) in candidate.matched.items() if s.ref.table == candidate.table and s.ref.field in ends]
    sample = sheet.rows[candidate.rows[-1] + 1 : candidate.rows[-1] + 1 + _SAMPLE]
    for index in columns:
        values = [row[index] for row in sample if index < len(row) and not blank(row[index])]
        if values and all(_small_number(v) for v in values):
            return True
    return False


def _small_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return abs(value) < 10000
    text = str(value).strip()
    return len(text) <= 4 and text.replace(".", "", 1).isdigit()


def _skip(mapping: SheetMapping, code: str, report: Report) -> SheetMapping:
    mapping.skipped = code
    report.note(code, mapping.file)
    return mapping


def _columns(
    sheet: Sheet,
    best: _Candidate,
    footer: int,
    mapping: SheetMapping,
    template: SheetTemplate | None,
    problems: ProblemLog,
    report: Report,
) -> None:
    table = best.table
    start = best.rows[-1] + 1
    data = sheet.rows[start:footer]
    by_index = {c.index: c for c in best.cells}
    width = max(len(sheet.rows[best.rows[-1]]), max(map(len, data), default=0))
    written = template.columns if template is not None else {}
    # A field the template gives a column is that column's, whatever another header says.
    assigned = {FieldRef.parse(t, table) for t in written.values() if t is not None}
    taken: dict[FieldRef, str] = {}
    taken_at: dict[FieldRef, int] = {}
    matches: dict[int, ColumnMatch] = {}
    skipped: dict[int, SkippedColumn] = {}
    later: list[_Cell] = []  # matched by their parent only, or not at all: after every sure match
    for index in range(width):
        cell = by_index.get(index)
        if index in sheet.hidden_columns:
            header = _hidden_header(sheet, best, index)
            skipped[index] = SkippedColumn(index, header, "column_hidden")
            continue
        if cell is None:
            _no_header(sheet, mapping, data, start, index, problems)
            continue
        if cell.header in written:
            text = written[cell.header]
            if text is None:
                skipped[index] = SkippedColumn(index, cell.header, "column_template")
            else:
                ref = FieldRef.parse(text, table)
                taken.setdefault(ref, cell.header)
                matches[index] = ColumnMatch(index, cell.header, ref, "template")
            continue
        found = best.matched.get(index)
        if found is None and cell.child in IGNORED and cell.parent is None:
            skipped[index] = SkippedColumn(index, cell.header, "column_ignored")
            continue
        if found is None or found[1] == "parent" or found[0].ref in assigned:
            later.append(cell)
            continue
        spelling = found[0]
        if spelling.ref in taken and _same_merge(sheet, best, taken_at[spelling.ref], index):
            # One header cell merged across two columns (村名 over B:C): the second is under the first's header.
            skipped[index] = SkippedColumn(index, cell.header, "column_merged")
            continue
        if spelling.ref in taken:
            reason = f"the same column as {taken[spelling.ref]}"
            problems.append(Problem(sheet.file, None, cell.header, None, reason))
            continue
        taken[spelling.ref] = cell.header
        taken_at[spelling.ref] = index
        how = "exact" if cell.child == fold_header(spelling.ref.field) and cell.parent is None else "alias"
        matches[index] = ColumnMatch(index, cell.header, spelling.ref, how)
    unknown = 0
    for cell in later:
        found = best.matched.get(cell.index)
        if found is not None and found[0].ref not in taken:
            taken[found[0].ref] = cell.header
            matches[cell.index] = ColumnMatch(cell.index, cell.header, found[0].ref, "alias")
            continue
        near = _fuzzy(best.lookup, cell, taken)
        if near is not None:
            taken[near] = cell.header
            matches[cell.index] = ColumnMatch(cell.index, cell.header, near, "fuzzy")
            report.note("header_fuzzy", sheet.file, column=cell.header, detail={"field": near.text(table)})
            continue
        unknown += 1
        skipped[cell.index] = SkippedColumn(cell.index, cell.header, "column_unknown")
        hint = _hint(best.lookup, cell) if unknown <= _SUGGESTED else ""
        report.note("column_unknown", sheet.file, column=cell.header, detail={"hint": hint})
    mapping.columns = [matches[i] for i in sorted(matches)]
    mapping.skipped_columns = [skipped[i] for i in sorted(skipped)]
    for column in mapping.skipped_columns:
        if column.reason != "column_unknown":
            report.note(column.reason, sheet.file, column=column.header or column_letter(column.index))
    if template is None:
        known = len(best.matched)
        mapping.score = known / (known + unknown) if known + unknown else 0.0


def _same_merge(sheet: Sheet, best: _Candidate, left: int, right: int) -> bool:
    """Columns LEFT and RIGHT are under one merged cell of the (lower) header row."""
    number = sheet.numbers[best.rows[-1]]
    return any(first <= number <= last and low <= left and right <= high for _, first, low, last, high in sheet.merged)


def _hidden_header(sheet: Sheet, best: _Candidate, index: int) -> str:
    return next((c.header for c in _cells(sheet, best.rows, set()) if c.index == index), "")


def _no_header(
    sheet: Sheet, mapping: SheetMapping, data: list[Sequence[Any]], start: int, index: int, problems: ProblemLog
) -> None:
    """A column with values but no header is a problem: its values would be dropped without a word."""
    filled = next((i for i, row in enumerate(data) if index < len(row) and not blank(row[index])), None)
    if filled is None:
        return
    number = sheet.numbers[start + filled]
    reason = f"column {column_letter(index)} has values but no header"
    problems.append(Problem(sheet.file, number, None, show(data[filled][index]), reason))


def _fuzzy(lookup: dict[str, Spelling], cell: _Cell, taken: dict[FieldRef, str]) -> FieldRef | None:
    """A known spelling the header contains or nearly is, of a field no other column has: one field, or None."""
    bare = fold_unit(cell.child)[0]
    if len(bare) < 2:
        return None
    free = {k: s.ref for k, s in lookup.items() if "/" not in k and s.ref not in taken and len(fold_unit(k)[0]) >= 2}
    within = [(len(k), ref) for k, ref in free.items() if (bare_k := fold_unit(k)[0]) in bare or bare in bare_k]
    if within:
        longest = max(n for n, _ in within)
        refs = {ref for n, ref in within if n == longest}
        if len(refs) == 1:
            return refs.pop()
    near = difflib.get_close_matches(bare, list(free), n=3, cutoff=_FUZZY_CUTOFF)
    refs = {free[k] for k in near}
    return refs.pop() if len(refs) == 1 else None


def _hint(lookup: dict[str, Spelling], cell: _Cell) -> str:
    near = difflib.get_close_matches(cell.child, [k for k in lookup if "/" not in k], n=1, cutoff=0.5)
    return f" ({lookup[near[0]].written}?)" if near else ""


def _row_text(row: Sequence[Any]) -> str:
    """A row's distinct texts in order: a merged cell filled across the row counts once."""
    return "  ".join(dict.fromkeys(_text(v) for v in row if not blank(v)))


def _first_text(row: Sequence[Any]) -> str:
    """The first non-blank cell among the row's first three: where a 合计 or 注： stands."""
    for value in row[:3]:
        if not blank(value):
            return _text(value)
    return ""


def _footer(sheet: Sheet, start: int) -> int:
    """Index of the first footer row (len(rows) if none). From the bottom up: a footer's first line is a
    total or a 注/说明/填表人 line; the lines after it (注's "2. …", a signature line) belong to it."""
    end = len(sheet.rows)
    footer = end
    for i in range(end - 1, max(start, end - _FOOTER_SCAN) - 1, -1):
        first = _first_text(sheet.rows[i])
        if _TOTAL.match(first) or _FOOTER.match(first):
            footer = i
        elif not _one_text(sheet.rows[i]):
            break
    return footer


def _rows(sheet: Sheet, best: _Candidate, footer: int, mapping: SheetMapping, report: Report) -> None:
    """Title rows above the header, footers below the data and subtotals within it; the rest is data."""
    header_start, start = best.rows[0], best.rows[-1] + 1
    end = len(sheet.rows)
    skipped: list[tuple[int, str, str]] = []
    titles = [_row_text(row) for row in sheet.rows[:header_start]]
    skipped += [(n, "title_row", t) for n, t in zip(sheet.numbers[:header_start], titles, strict=True)]
    footers = [(sheet.numbers[i], "footer_row", _row_text(sheet.rows[i])) for i in range(footer, end)]
    used = [c.index for c in mapping.columns]
    numbers = sheet.numbers
    inside = sheet.rows[start:footer]
    # Only rows that may be a subtotal (a 计 in their first cells) or blank in the mapped columns (no more
    # cells filled than there are unmapped columns) are looked at one by one; the rest, at C speed.
    suspects = _marked(inside, start)
    width = max(map(len, inside), default=0)
    if len(used) < width:
        lens = list(map(len, inside))
        filled = map(operator.sub, lens, map(operator.methodcaller("count", None), inside))
        filled = map(operator.sub, filled, map(operator.methodcaller("count", ""), inside))
        loose = map(operator.le, filled, map(operator.sub, lens, itertools.repeat(len(used))))
        suspects |= set(itertools.compress(range(start, footer), loose))
    dropped: set[int] = set()
    for i in sorted(suspects):
        row = sheet.rows[i]
        if _TOTAL.match(_first_text(row)):
            skipped.append((numbers[i], "footer_row", _row_text(row)))
            dropped.add(i)
        elif all(blank(row[c]) for c in used if c < len(row)):
            skipped.append((numbers[i], "row_blank", _row_text(row)))
            dropped.add(i)
    data = numbers[start:footer]
    if dropped:
        data = [numbers[i] for i in range(start, footer) if i not in dropped]
    mapping.data_rows = data
    mapping.skipped_rows = skipped + footers
    mapping.metadata = _metadata([*titles, *(t for _, _, t in footers)], sheet.rows[:header_start])
    for number, code, text in mapping.skipped_rows:
        report.note(code, sheet.file, row=number, value=text)
    for name, value in mapping.metadata.items():
        said = {"filled_on": "填报日期", "filled_by": "填报单位"}[name]
        report.note("metadata", sheet.file, detail={"name": said}, value=value)


def _marked(inside: list[Sequence[Any]], start: int) -> set[int]:
    """Indexes (from START) of the rows with 计 (合计, 小计…) in one of their first three cells; each column
    is first looked at as one text, which in most ledgers holds no 计 at all."""
    found: set[int] = set()
    for column in range(3):
        try:
            cells = list(map(operator.itemgetter(column), inside))
        except IndexError:
            cells = [row[column] if len(row) > column else "" for row in inside]
        try:
            texts, joined = cells, "\x00".join(cells)
        except TypeError:  # numbers, dates: a workbook's
            texts = list(map(str, cells))
            joined = "\x00".join(texts)
        if "计" in joined:
            found.update(i for i, text in enumerate(texts, start) if "计" in text)
    return found


def _one_text(row: Sequence[Any]) -> bool:
    """A line of text (a note's next line, merged across the table): one distinct value, a text."""
    values = {v for v in row if not blank(v)}
    return len(values) == 1 and isinstance(next(iter(values)), str)


def _metadata(lines: list[str], rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """填报日期 (ISO) and 填报单位 (its seal mark dropped) from a ledger's title or footer lines."""
    found: dict[str, str] = {}
    for line in lines:
        when = _FILLED_ON.search(line)
        if when and "filled_on" not in found:
            year, month, day = map(int, when.groups())
            with contextlib.suppress(ValueError):
                found["filled_on"] = date(year, month, day).isoformat()
        by = _FILLED_BY.search(line)
        if by and "filled_by" not in found:
            name = _SEAL.sub("", by.group(1)).strip(" ：:")
            if name:
                found["filled_by"] = name
    if "filled_on" not in found:
        # "填报日期：" in one cell, the date as a date in the next.
        for row in rows:
            cells = [v for v in row if not blank(v)]
            for label, value in itertools.pairwise(cells):
                if isinstance(label, str) and _FILLED_ON_LABEL.search(label) and isinstance(value, date):
                    found["filled_on"] = (value.date() if isinstance(value, datetime) else value).isoformat()
                    return found
    return found
