"""Rendering rows for a terminal, a pipe or a file: table, csv, json; and the one CSV writer.

Every CSV file the package writes (`pairing … --format csv`, the reports, the app's downloads) goes
through `csv_text`, which neutralises text that a spreadsheet would run as a formula; the XLSX
reports use the same `neutralise` on every text cell (graph.reports).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from graph.dataset import Row

FORMATS = ("table", "csv", "json")
# A spreadsheet runs a cell starting with these as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)); tab and
# carriage return are stripped by some before they look.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Number(str):
    """The text of a number (or a date, a yes/no) as we formatted it: left as it is by `csv_text`.

    Everything else is text that may have come from a user, a ledger or a name, and is neutralised;
    a number must not be, or "-3" would reach the spreadsheet as the text "'-3".
    """

    __slots__ = ()


def neutralise(text: str) -> str:
    """Stop a spreadsheet from running text as a formula (CSV/formula injection): a leading apostrophe."""
    if isinstance(text, Number):
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], line_end: str = "\n") -> str:
    """The only CSV writer of the package: every cell but a `Number` goes through `neutralise`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=line_end)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buf.getvalue()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return Number("true" if value else "false")
    if isinstance(value, float):
        return Number(f"{value:g}")
    if isinstance(value, int):
        return Number(str(value))
    if isinstance(value, dt.date):
        return Number(value.isoformat())
    return str(value)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: Sequence[Row], columns: Sequence[str]) -> str:
    cells = [[cell_text(r.get(c)) for c in columns] for r in rows]
    widths = [max([_width(c), *(_width(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    return csv_text(columns, ([cell_text(r.get(c)) for c in columns] for r in rows))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(rows: Sequence[Row], columns: Sequence[str]) -> str:
    return json.dumps(
        [{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2, default=_json_default
    )


def render(rows: Sequence[Row], columns: Sequence[str], fmt: str) -> str:
    if fmt == "table":
        return table(rows, columns)
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "json":
        return to_json(rows, columns)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
