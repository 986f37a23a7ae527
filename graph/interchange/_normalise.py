"""From a sheet and its mapping to interchange `Table`s: the cells of each field, one sequence per column.

Cells are still raw here (`_assemble` converts and validates them), but read the way a county writes
them: 暂无 is blank, 2023年3月 is 2023-03-01, 至今 is no end, a term in one cell is its since and its
until, a department's own value words are the codes they stand for. Each rewrite is decided once per
distinct cell and said once per column in the report. A cadre roster (驻村第一书记花名册) holds two
tables, cadres and their stations; a node sheet without ids gets them (`_ids`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import zip_longest
from typing import Any

from graph.errors import Problem
from graph.interchange._cells import (
    NOTHING_WORDS,
    OPEN_END_WORDS,
    Bad,
    fold,
    month_date,
    native_date,
    parse_date,
    parser,
    split_list,
    split_term,
    word_of,
)
from graph.interchange._headers import Table, blank, column_letter, file_columns, fold_header, fold_unit, show
from graph.interchange._ids import give_ids, key_text, merge_cadres
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import Report, SheetMapping
from graph.interchange._references import SOFT, unit_label
from graph.interchange._sources import Sheet
from graph.model import FILES, NODE_BY_FILE, REL_BY_FILE, Prop, PType

# Columns naming a node (ids, names, references): a name that says 无 is a name, not a blank.
_LITERAL = frozenset({"id", "name"})
_END_COLUMNS = frozenset({"until"})
# A cell longer than this (spaces around it included) is no value word.
_LONGEST_WORD = 8
# Every character of a value word, as written before folding (／ is / folded, － is -).
_WORD_CHARS = frozenset("".join(NOTHING_WORDS | OPEN_END_WORDS) + "／－")


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
    if not mapping.header_rows:
        return [Table(sheet.file, key, list(mapping.data_rows), sheet.text_only)]
    data = _data_rows(sheet, mapping)
    fill = "" if sheet.text_only else None
    cells = list(zip_longest(*data, fillvalue=fill)) if data else []
    tables = {
        name: Table(sheet.file, name, list(mapping.data_rows), sheet.text_only)
        for name in mapping.tables
        if name in FILES
    }
    for match in mapping.columns:
        column: Any = cells[match.index] if match.index < len(cells) else (fill,) * len(data)
        table = tables.get(match.ref.table)
        if table is None:  # a template's typo: say so rather than drop the column without a word
            reason = f"no table {match.ref.table} (expected one of {', '.join(FILES)})"
            problems.append(Problem(sheet.file, None, match.header, match.ref.text(key), reason))
            continue
        reference, dot, prop = match.ref.field.partition(".")
        if dot:
            table.context.setdefault(reference, {})[prop] = (match.header, column)
        else:
            table.columns[match.ref.field] = (match.header, column)
    _lost_cells(sheet, mapping, problems)
    for table in tables.values():
        _share_places(table)
    for table in tables.values():
        _read_words(table, report, values, problems)
        for reference, props in table.context.items():
            if "label" in props:
                _unit_kinds(table, reference, values.get(f"{reference}.label", {}), report)
    cadres, stations = tables.get("cadres"), tables.get("stations")
    county = stations.context.get("village", {}).get("county") if stations is not None else None
    if cadres is not None and stations is not None and give_ids(cadres, report, problems, county and county[1]):
        # A roster row (驻村第一书记花名册) is a station of the row's own cadre.
        stations.columns["cadre"] = (cadres.columns["id"][0], merge_cadres(cadres, problems, report))
    for table in tables.values():
        if table.key in NODE_BY_FILE:
            give_ids(table, report, problems)  # without a name column either, the missing id is reported below
        _missing(table, problems, broken)
    return list(tables.values())


# Where the nodes a link row names lie: a column of these, headed by no end (街道（乡镇）, not 带领村所在乡镇), is
# the row's, and so a hint for every end whose context the model declares it for.
_PLACES = ("county", "township")


def _share_places(table: Table) -> None:
    """The row's own place columns as a hint (`SOFT` + prop) for the ends that have no such column of their own.

    A 强村带弱村 sheet has one 街道（乡镇） column: both villages lie there, as they mostly do (a township's strong
    village leads its weak one); a 结对共建台账's 县（市、区） is the county of the village and of the unit paired
    with it. A hint only narrows: a leader or unit found elsewhere is still found, where it is the only one.
    """
    rel = REL_BY_FILE.get(table.key)
    if rel is None:
        return
    for prop in _PLACES:
        spellings = _PLACE_SPELLINGS[prop]
        row_own = next(
            (
                found
                for props in table.context.values()
                if (found := props.get(prop)) is not None and _bare_header(found[0]) in spellings
            ),
            None,
        )
        if row_own is None:
            continue
        for reference, declared in rel.context:
            if declared.name == prop and prop not in table.context.get(reference, {}):
                table.context.setdefault(reference, {})[SOFT + prop] = row_own


def _bare_header(header: str) -> str:
    return fold_unit(fold_header(header).strip("*※★"))[0]


_PLACE_SPELLINGS = {
    prop.name: frozenset(_bare_header(s) for s in (prop.name, prop.zh, *prop.headers) if s)
    for prop in (NODE_BY_FILE["villages"].prop(p) for p in _PLACES)
}


def _data_rows(sheet: Sheet, mapping: SheetMapping) -> list[Sequence[Any]]:
    start = sheet.numbers.index(mapping.header_rows[-1]) + 1
    count = len(mapping.data_rows)
    if sheet.numbers[start : start + count] == mapping.data_rows:
        return sheet.rows[start : start + count]
    # Detection left out footers, blank or repeated header rows in between: take exactly its rows.
    at = {number: i for i, number in enumerate(sheet.numbers)}
    return [sheet.rows[at[number]] for number in mapping.data_rows]


def _missing(table: Table, problems: ProblemLog, broken: set[str]) -> None:
    for prop in file_columns(table.key):
        if prop.required and prop.name not in table.columns:
            also = " / ".join(dict.fromkeys(s for s in (prop.zh, *prop.headers) if s))
            problems.append(Problem(table.file, None, None, None, f"missing required column {prop.name} ({also})"))
            if prop.name == "id":
                broken.add(table.key)


def _props(key: str) -> dict[str, Prop]:
    return {p.name: p for p in file_columns(key)}


def _references(key: str) -> frozenset[str]:
    rel = REL_BY_FILE.get(key)
    if rel is not None:
        return frozenset({rel.src.name, rel.dst.name})
    node = NODE_BY_FILE.get(key)
    return frozenset(node.link_columns) if node is not None else frozenset()


Change = Callable[[Any], tuple[Any, str] | None]


def _rewrite(table: Table, name: str, change: Change, report: Report, *, words_only: bool = False) -> None:
    """Rewrite a column's cells, deciding once per distinct cell; one note per kind of rewrite.

    `words_only`: only value words (暂无, 至今) can change: a column without their characters is left
    after one scan, as a province's number and text columns have tens of thousands of distinct cells.
    """
    header, cells = table.columns[name]
    distinct: Any = set(cells)
    if words_only:
        distinct = [v for v in distinct if type(v) is str and len(v) <= _LONGEST_WORD]
        joined = "".join(distinct)
        if not any(c in joined for c in _WORD_CHARS):
            return
    changes: dict[Any, tuple[Any, str]] = {}
    for value in distinct:
        found = change(value)
        if found is not None:
            changes[value] = found
    if not changes:
        return
    out = list(cells)
    seen: dict[str, list[int]] = {}
    for i, value in enumerate(cells):
        if value in changes:
            new, code = changes[value]
            out[i] = new
            seen.setdefault(code, []).append(i)
    table.columns[name] = (header, out)
    for code, rows in seen.items():
        written = show(cells[rows[0]])
        report.note(code, table.file, row=table.numbers[rows[0]], column=header, value=written, count=len(rows))


def _read_words(table: Table, report: Report, values: dict[str, dict[str, str]], problems: ProblemLog) -> None:
    props = _props(table.key)
    literal = _LITERAL | _references(table.key)
    fill = "" if table.text_only else None
    if "since" in table.columns and "since" in props and "until" in props:
        _split_terms(table, report, problems)
    for name in list(table.columns):
        prop = props.get(name)
        if prop is None:
            continue
        change = _change(prop, fill, name in literal, name in _END_COLUMNS)
        if change is not None:
            _rewrite(table, name, change, report, words_only=prop.type is not PType.DATE)
        if prop.choices:
            _coded(table, prop, values.get(prop.name, {}), report)


def _change(prop: Prop, fill: Any, literal: bool, end: bool) -> Change | None:
    if literal:
        return None
    is_bool, is_date = prop.type is PType.BOOL, prop.type is PType.DATE

    def change(raw: Any) -> tuple[Any, str] | None:
        if type(raw) is not str:
            month = month_date(raw) if is_date else None  # an XLSX number 2023.3 in a date column
            return None if month is None else (month, "month_date")
        word = word_of(raw)
        if word in NOTHING_WORDS and not (is_bool and word == "无"):  # 无 in a yes/no column is 否
            return fill, "nothing_word"
        if end and word in OPEN_END_WORDS:
            return fill, "open_end"
        if is_date:
            month = month_date(raw)
            if month is not None:
                return month, "month_date"
        return None

    return change


def _split_terms(table: Table, report: Report, problems: ProblemLog) -> None:
    """A since cell holding the whole term (2024.01-2026.01): since, and the until where it is blank."""
    header, cells = table.columns["since"]
    terms = {value: split_term(value) for value in set(cells)}
    if not any(terms.values()):
        return
    fill = "" if table.text_only else None
    until_header, until = table.columns.get("until", (header, [fill] * len(table)))
    since, until = list(cells), list(until)
    split = [i for i, value in enumerate(cells) if terms[value] is not None]
    for i in split:
        start, end = terms[cells[i]] or ("", None)
        since[i] = start
        if end is None:
            continue
        if blank(until[i]):
            until[i] = end
        elif _date(until[i]) != _date(end):
            reason = f"the term in {header} ({show(cells[i])}) ends on another day"
            problems.append(Problem(table.file, table.numbers[i], until_header, show(until[i]), reason))
    table.columns["since"] = (header, since)
    table.columns["until"] = (until_header, until)
    report.note(
        "term_split",
        table.file,
        row=table.numbers[split[0]],
        column=header,
        value=show(cells[split[0]]),
        count=len(split),
    )


def _date(raw: Any) -> Any:
    try:
        if isinstance(raw, str):
            return parse_date(month_date(raw) or fold(raw.strip()))
        return native_date(raw)
    except Bad:
        return raw


def _coded(table: Table, prop: Prop, words: dict[str, str], report: Report) -> None:
    """A department's own words for a coded column (its template's), and every word read, for the report."""
    header, cells = table.columns[prop.name]
    if words:
        own = {fold(w).casefold(): code for w, code in words.items()}

        def change(raw: Any) -> tuple[Any, str] | None:
            word = word_of(raw)
            if word is None:
                return None
            if prop.is_list:
                parts = split_list(word)
                if any(p.casefold() in own for p in parts):
                    return ";".join(own.get(p.casefold(), p) for p in parts), ""
                return None
            code = own.get(word.casefold())
            return None if code is None else (code, "")

        changed = {v: change(v) for v in set(cells)}
        if any(changed.values()):
            cells = [found[0] if (found := changed[v]) else v for v in cells]
            table.columns[prop.name] = (header, cells)
        for w, code in words.items():
            report.words.setdefault(prop.name, {})[w] = code
    read = parser(prop)
    for value in set(cells):
        word = word_of(value)
        if word is None:
            continue
        for part in split_list(word) if prop.is_list else [word]:
            try:
                code = read.parse(part)
            except Bad:
                continue
            code = code[0] if isinstance(code, list) else code
            known = prop.vocab.term(code) if prop.vocab is not None else None
            # The code and its display word need no template; the department's other words are worth keeping.
            if part.casefold() != code and (known is None or part != known.zh):
                report.words.setdefault(prop.name, {})[part] = code


def _unit_kinds(table: Table, reference: str, words: dict[str, str], report: Report) -> None:
    """A unit's 类型 column: a template's words for it (两新组织 -> Enterprise), and every word read, for the report."""
    header, cells = table.context[reference]["label"]
    key = f"{reference}.label"
    if words:
        own = {key_text(w): label for w, label in words.items()}
        read = {v: own.get(key_text(v), v) for v in set(cells)}
        cells = [read[v] for v in cells]
        table.context[reference]["label"] = (header, cells)
        report.words.setdefault(key, {}).update(words)
    for value in set(cells):
        label = unit_label(value)
        if label is not None and key_text(value) != key_text(label):
            report.words.setdefault(key, {})[str(value).strip()] = label


def _lost_cells(sheet: Sheet, mapping: SheetMapping, problems: ProblemLog) -> None:
    """Workbook cells whose value is not in the file: formulas never computed, merged ranges not filled.

    openpyxl reads both as blank, which would silently drop the value the user sees in Excel. Only
    the header and data rows of the columns the model reads count: a title row's formula or a
    bookkeeping column's =ROW()-1 loses nothing the graph keeps. A merged range whose cells the
    reader filled with its first cell's value (`_sources`) loses nothing either.
    """
    header_row = mapping.header_rows[-1]
    header = list(sheet.rows[sheet.numbers.index(header_row)])
    read = {c.index for c in mapping.columns}

    def column(index: int) -> str:
        written = header[index] if index < len(header) else None
        return column_letter(index) if blank(written) else str(written).strip()

    for number, index, formula in sheet.formulas:
        if number < header_row or index not in read:
            continue
        reason = "a formula with no saved value (the workbook was not last saved by Excel): save it in Excel"
        problems.append(Problem(sheet.file, number, column(index), show(formula), reason))
    if not sheet.merged:
        return
    at = {number: i for i, number in enumerate(sheet.numbers)}

    def cell(number: int, index: int) -> Any:
        row = sheet.rows[at[number]] if number in at else ()
        return row[index] if index < len(row) else None

    for ref, first_row, index, last_row, last_index in sheet.merged:
        if last_row <= header_row or not read.intersection(range(index, last_index + 1)):
            continue
        top = cell(first_row, index)
        spans = [
            (r, c) for r in range(max(first_row, header_row + 1), last_row + 1) for c in range(index, last_index + 1)
        ]
        if blank(top) or all(cell(r, c) == top for r, c in spans):
            continue
        reason = f"merged cells {ref}: only the first has the value, the others read as blank: unmerge, fill"
        problems.append(Problem(sheet.file, max(first_row, header_row + 1), column(index), None, reason))
