"""A fast reader of worksheet XML, giving exactly what openpyxl's read-only `iter_rows(values_only=True)` gives.

openpyxl turns every cell into a dict and every inline string into a `Text` object through several layers of
descriptors, and opening a workbook read-only parses each sheet once just to find its size when the sheet
does not state it: a province ledger (2.8 million cells) took over a minute. Here the same `ElementTree`
parser openpyxl uses is driven directly, and only the values are built. The workbook-level parts (the sheet
list, shared strings, styles and the 1904 flag) are still read by openpyxl's own readers, so that what a
cell means is decided by the same tables.

Anything this reader does not understand (a row element holding something other than cells, a cell with
more than one plain text in an inline string, a malformed row or cell reference, an index past the shared
strings, any value openpyxl would refuse) raises `Unsupported`; the caller then reads the sheet with
openpyxl itself, which gives its own answer or its own error. Bounds are the caller's: the archive has been
scanned and counted by `_sources._scan_workbook` before this runs, and rows are yielded one at a time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import IO, Any
from xml.etree.ElementTree import Element, iterparse

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE = _NS + "row", _NS + "c", _NS + "v", _NS + "is"
_SHARED = _NS + "si"
_TEXT, _RUN, _PHONETIC, _PHONETIC_PR = _NS + "t", _NS + "r", _NS + "rPh", _NS + "phoneticPr"
_DIGITS = "0123456789"


class Unsupported(Exception):
    """Something the fast reader leaves to openpyxl."""


@dataclass
class SheetPart:
    title: str
    state: str  # "visible", "hidden" or "veryHidden"
    path: str  # the worksheet part inside the archive


@dataclass
class Book:
    """What reading a sheet's cells needs from its workbook, read by openpyxl's own part readers."""

    sheets: list[SheetPart]
    strings: Sequence[str]
    dates: frozenset[int]  # cell style indexes whose number format is a date or time
    durations: frozenset[int]  # ...and of those, the elapsed-time formats ([h]:mm)
    epoch: Any  # datetime of day 0: 1899-12-30, or 1904-01-01 for a workbook with the 1904 flag


def open_book(data: bytes) -> Book:
    """The sheets and tables of a workbook, as openpyxl's `load_workbook(read_only=True)` would read them,
    without its scan of each sheet for its size. Raises whatever openpyxl raises on a damaged workbook."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        _read_strings(reader)
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        valid = set(reader.valid_files)
        sheets = [
            SheetPart(str(sheet.name), str(sheet.state or "visible"), str(rel.target))
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in valid and "chartsheet" not in str(rel.Type)
        ]
        workbook = reader.wb
        return Book(
            sheets,
            reader.shared_strings,
            frozenset(getattr(workbook, "_date_formats", ())),
            frozenset(getattr(workbook, "_timedelta_formats", ())),
            workbook.epoch,
        )
    finally:
        reader.archive.close()


def _read_strings(reader: Any) -> None:
    """The shared strings into READER, as its own `read_strings` reads them (each through openpyxl's `Text`
    objects: seconds for a province's names), or by it if any is one this reader leaves to openpyxl."""
    from openpyxl.xml.constants import SHARED_STRINGS

    found = reader.package.find(SHARED_STRINGS)
    if found is None:
        return
    path = found.PartName[1:]
    try:
        with reader.archive.open(path) as source:
            reader.shared_strings = shared_strings(source)
    except Unsupported:
        reader.read_strings()


def shared_strings(source: IO[bytes]) -> list[str]:
    """The texts of a shared-strings part (openpyxl's `read_string_table`: runs joined, "x005F_" removed)."""
    strings = []
    for _, element in iterparse(source):
        if element.tag == _SHARED:
            text = _inline(element)
            strings.append("" if text is None else text.replace("x005F_", ""))
            element.clear()
    return strings


def _number(text: str) -> int | float:
    # openpyxl's rule (worksheet._reader._cast_number).
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _inline(element: Element | None) -> str | None:
    """An inline or shared string's text: its plain text, then its runs' texts, phonetic runs left out (as
    openpyxl's `Text.content`)."""
    if element is None:
        return None
    if element.attrib:
        raise Unsupported("a string with attributes")
    plain: list[str] = []
    runs: list[str] = []
    for child in element:
        tag = child.tag
        if tag == _TEXT:
            plain.append(child.text or "")
        elif tag == _RUN:
            if child.attrib:
                raise Unsupported("a run with attributes")
            texts = [t.text or "" for t in child if t.tag == _TEXT]
            if len(texts) > 1:
                raise Unsupported("a run with more than one text")
            runs += texts
        elif tag not in (_PHONETIC, _PHONETIC_PR):
            raise Unsupported(f"a string holding {tag}")
    if len(plain) > 1:
        raise Unsupported("a string with more than one plain text")
    return "".join(plain + runs)


@cache
def _columns() -> dict[str, int]:
    """Column letters (upper case only, as openpyxl reads them) -> 1-based index."""
    from openpyxl.utils.cell import get_column_letter

    return {get_column_letter(i): i for i in range(1, 18_279)}


def rows(source: IO[bytes], book: Book) -> Iterator[Sequence[Any]]:
    """Every row of one sheet's XML, as openpyxl's read-only `iter_rows(values_only=True)` yields them after
    `reset_dimensions()`: a tuple per row element as wide as its last cell, `[]` for each row it skips."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    strings, dates, durations, epoch = book.strings, book.dates, book.durations, book.epoch
    columns = _columns()
    row_counter = 0
    counter = 1  # the next row number to yield
    for _, element in iterparse(source):
        if element.tag != _ROW:
            continue
        r = element.get("r")
        if r is not None:
            try:
                row_counter = int(r)
            except ValueError:
                raise Unsupported(f"row number {r!r}") from None
        else:
            row_counter += 1
        column = 0
        found: list[tuple[int, Any]] = []
        for cell in element:
            if cell.tag != _CELL:
                raise Unsupported(f"a row holding {cell.tag}")
            coordinate = cell.get("r")
            if coordinate:
                letters = coordinate.rstrip(_DIGITS)
                if len(letters) == len(coordinate) or letters not in columns:
                    raise Unsupported(f"cell reference {coordinate!r}")
                column = columns[letters]
            else:
                column += 1
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                found.append((column, _inline(cell.find(_INLINE))))
                continue
            value: Any = cell.findtext(_VALUE) or None
            if value is not None:
                if kind == "n":
                    value = _number(value)
                    style = cell.get("s")
                    index: int | str = 0 if style is None else (int(style) if style else "")
                    if index in dates:
                        try:
                            value = from_excel(value, epoch, timedelta=index in durations)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"  # what openpyxl reads (with a warning) for a date out of range
                elif kind == "s":
                    value = strings[int(value)]
                elif kind == "b":
                    value = bool(int(value))
                elif kind == "d":
                    value = from_ISO8601(value)  # type: ignore[no-untyped-call,unused-ignore]
            found.append((column, value))
        element.clear()
        for _ in range(counter, row_counter):
            counter += 1
            yield []
        if counter <= row_counter:
            counter += 1
            if not found:
                yield ()
                continue
            width = found[-1][0]
            values: list[Any] = [None] * width
            for at, value in found:
                if 1 <= at <= width:
                    values[at - 1] = value
            yield tuple(values)
