"""Reports a superior can open: XLSX and CSV lists with Chinese (or English) headers.

One entry point, `write_report`, serves the CLI and the app. An XLSX report has a title row
naming the list, the as-of date and the filters, a frozen bold header row with an autofilter,
column widths fitted to the text, dates as dates and list cells joined with "、". A CSV report
is UTF-8 with a BOM (so that Excel reads the Chinese) with the header row and the data only.
Text that a spreadsheet would run as a formula (starting with = + - @) is neutralised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from graph import model

# One neutralisation for every CSV and XLSX cell we write: graph.formats' (`reports.neutralise` is it).
from graph.formats import Number, neutralise
from graph.formats import csv_text as _write_csv

LANGS = ("zh", "en")
REPORT_FORMATS = ("xlsx", "csv")
LIST_SEPARATOR = "、"
_MIN_WIDTH, _MAX_WIDTH = 6, 60
NO_RATE = "—"

# Filters whose values are codes, and the vocabulary (graph.model) that words them in a title.
FILTER_VOCABULARIES = {"policy": "support_kind", "status": "unit_status", "mode": "match_mode"}


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    # Values are codes (kinds, tiers, statuses…) shown by their words in `graph.model`.
    coded: bool = False
    # A fraction shown as a percentage.
    percent: bool = False

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _c(key: str, zh: str, en: str, coded: bool = False, percent: bool = False) -> Column:
    return Column(key, zh, en, coded, percent)


# The columns that name a village, shared by the lists about villages (`graph.gap_lists`, proposals).
VILLAGE_COLUMNS = (
    _c("village_id", "村编号", "Village ID"),
    _c("village", "村名", "Village"),
    _c("county", "所属县", "County"),
    _c("township", "所属乡镇", "Township"),
)

# The matching lists' columns (the gap lists' are declared with the lists, in `graph.gap_lists`).
PROPOSAL_COLUMNS = (
    *VILLAGE_COLUMNS[:2],
    _c("unit_id", "建议单位编号", "Unit ID"),
    _c("unit", "建议结对单位", "Unit"),
    _c("unit_kind", "单位类型", "Unit kind", coded=True),
    _c("score", "匹配得分", "Score"),
    _c("complementarity", "优势互补", "Complementarity"),
    _c("industry", "产业相近", "Industry"),
    _c("distance", "距离得分", "Distance score"),
    _c("locality", "同县同乡", "Locality"),
    _c("capacity", "余力", "Free capacity"),
    _c("kind_fit", "类型适配", "Kind fit"),
    _c("distance_km", "距离(公里)", "Distance (km)"),
)
UNMATCHED_COLUMNS = (
    *VILLAGE_COLUMNS,
    _c("missing", "缺少结对数", "Partners missing"),
    _c("reason", "原因", "Reason", coded=True),
)

# The matching lists' titles, shared by the CLI's files and the app's downloads so that both are the same report.
TITLES: dict[str, tuple[str, str]] = {
    "proposals": ("结对建议名单", "Proposed pairings"),
    "unmatched": ("未能匹配的后进村", "Weak villages left unmatched"),
}


def title(list_name: str, lang: str) -> str:
    zh, en = TITLES[list_name]
    return zh if lang == "zh" else en


def as_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows as dicts: dataclass rows (with their `rate` where they have one) or mappings."""
    out = []
    for row in rows:
        if dataclasses.is_dataclass(row) and not isinstance(row, type):
            item = dataclasses.asdict(row)
            if "rate" not in item and isinstance(getattr(type(row), "rate", None), property):
                item["rate"] = getattr(row, "rate")  # noqa: B009  (a property that asdict leaves out)
            out.append(item)
        else:
            out.append(dict(row))
    return out


def _code(value: Any, coded: bool, lang: str) -> str:
    return model.display(value, lang) if coded else str(value)


def display(value: Any, column: Column, lang: str = "zh") -> Any:
    """A cell's value for a report: numbers and dates as they are, everything else as neutralised text.

    A rate that has none (an empty denominator) is "—", not a blank that reads as missing data.
    """
    if value is None:
        return NO_RATE if column.percent else None
    if isinstance(value, bool):
        yes_no = ("是", "否") if lang == "zh" else ("yes", "no")
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return neutralise(LIST_SEPARATOR.join(_code(v, column.coded, lang) for v in value))
    return neutralise(_code(value, column.coded, lang))


def text(value: Any) -> str:
    """A display value as text (CSV cells, terminal tables)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def cell_text(value: Any, column: Column, lang: str = "zh") -> str:
    """A cell as text for CSV files and terminal tables."""
    shown = display(value, column, lang)
    if column.percent and isinstance(shown, float):
        return Number(f"{shown:.1%}")
    # Numbers and dates are ours to format; text was neutralised by `display` (and is again by the writer).
    if isinstance(shown, int | float | dt.date) and not isinstance(shown, bool):
        return Number(text(shown))
    return text(shown)


def display_rows(rows: Sequence[Any], columns: Sequence[Column], lang: str = "zh") -> list[dict[str, str]]:
    """Rows keyed by the localised headers with text cells, for a terminal table."""
    headers = [c.header(lang) for c in columns]
    return [
        {h: cell_text(r.get(c.key), c, lang) for h, c in zip(headers, columns, strict=True)} for r in as_dicts(rows)
    ]


def title_line(
    title: str, lang: str = "zh", asof: dt.date | None = None, filters: Mapping[str, Any] | None = None
) -> str:
    """The list's name, its as-of date and the filters that were applied, in one line."""
    parts = []
    if asof is not None:
        parts.append(f"截至 {asof.isoformat()}" if lang == "zh" else f"as of {asof.isoformat()}")
    names_zh = {
        "city": "市",
        "county": "县",
        "township": "乡镇",
        "policy": "覆盖要求",
        "days": "天数",
        "by": "汇总",
        "status": "状态",
        "mode": "匹配方式",
        "since": "起始日期",
        "until": "截止日期",
        "period": "期间",
    }
    for key, value in (filters or {}).items():
        if value in (None, "", (), []):
            continue
        kind = FILTER_VOCABULARIES.get(key)
        words = [
            model.display(v, lang, kind) if kind else str(v)
            for v in (value if isinstance(value, list | tuple) else [value])
        ]
        shown = (LIST_SEPARATOR if lang == "zh" else ",").join(words)
        parts.append(f"{names_zh.get(key, key)}：{shown}" if lang == "zh" else f"{key}: {shown}")
    if not parts:
        return title
    return f"{title}（{'；'.join(parts)}）" if lang == "zh" else f"{title} ({'; '.join(parts)})"


def _width(value: Any) -> int:
    # Chinese characters are about two Latin characters wide in Excel too.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text(value))


@dataclass(frozen=True)
class Sheet:
    """One list of a workbook: its rows, columns and title, with the as-of date and filters its title line names."""

    rows: Sequence[Any]
    columns: Sequence[Column]
    title: str
    asof: dt.date | None = None
    filters: Mapping[str, Any] | None = None


# The row number column (序号) that a 通报's tables carry first.
NUMBER_COLUMN = Column("序号", "序号", "No.")


def xlsx_bytes(
    rows: Sequence[Any],
    columns: Sequence[Column],
    title: str,
    lang: str = "zh",
    asof: dt.date | None = None,
    filters: Mapping[str, Any] | None = None,
) -> bytes:
    return workbook_bytes([Sheet(rows, columns, title, asof, filters)], lang)


def workbook_bytes(sheets: Sequence[Sheet], lang: str = "zh", numbered: bool = False) -> bytes:
    """A workbook of one sheet per list, each laid out as `xlsx_bytes` lays one; `numbered` puts 序号 first."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    used: set[str] = set()
    for sheet in sheets:
        # Sheet names cannot hold []:*?/\ and are at most 31 characters, and are unique in a workbook.
        name = "".join(ch for ch in sheet.title if ch not in "[]:*?/\\")[:31] or "report"
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]}_{n}"
        used.add(name)
        _fill(wb.create_sheet(name), sheet, lang, numbered)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill(ws: Any, sheet: Sheet, lang: str, numbered: bool) -> None:
    columns = [NUMBER_COLUMN, *sheet.columns] if numbered else list(sheet.columns)
    ncols = max(len(columns), 1)
    # The title names the filters (a county's name is ledger text): neutralised like every text cell.
    title = neutralise(title_line(sheet.title, lang, sheet.asof, sheet.filters))
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    if ncols > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    widths = []
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=j, value=neutralise(col.header(lang)))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths.append(_width(col.header(lang)))
    data = as_dicts(sheet.rows)
    for i, row in enumerate(data, start=3):
        if numbered:
            row = {NUMBER_COLUMN.key: i - 2, **row}
        for j, col in enumerate(columns, start=1):
            value = display(row.get(col.key), col, lang)
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif col.percent and isinstance(value, float):
                cell.number_format = "0.0%"
            widths[j - 1] = max(widths[j - 1], _width(value))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH)
    # Title and header stay in view while scrolling; the filter covers the header and the data.
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{len(data) + 2}"


def csv_text(rows: Sequence[Any], columns: Sequence[Column], lang: str = "zh") -> str:
    """The report as CSV text (CRLF, as Excel writes it), through the package's one CSV writer."""
    cells = ([cell_text(row.get(c.key), c, lang) for c in columns] for row in as_dicts(rows))
    return _write_csv([c.header(lang) for c in columns], cells, line_end="\r\n")


def write_report(
    rows: Sequence[Any],
    columns: Sequence[Column],
    target: str | Path | IO[bytes],
    fmt: str = "xlsx",
    title: str = "",
    lang: str = "zh",
    asof: dt.date | None = None,
    filters: Mapping[str, Any] | None = None,
) -> None:
    """Write `rows` as an XLSX or CSV report to a path or a binary stream (e.g. a download buffer)."""
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r}: choose one of {', '.join(LANGS)}")
    if fmt == "xlsx":
        data = xlsx_bytes(rows, columns, title, lang, asof, filters)
    elif fmt == "csv":
        # The BOM makes Excel read the file as UTF-8.
        data = csv_text(rows, columns, lang).encode("utf-8-sig")
    else:
        raise ValueError(f"report format {fmt!r}: choose one of {', '.join(REPORT_FORMATS)}")
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
