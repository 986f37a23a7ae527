"""Getting raw rows out of a CSV folder, a ZIP of CSVs or an XLSX workbook.

Nothing here knows about columns or types: each source becomes a list of `Sheet`s (the
non-empty rows of one table with their row numbers), plus problems such as an unknown
sheet name or a file that is not text in any encoding a Chinese ledger comes in.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from graph.errors import Problem
from graph.model import FILES, NODES, RELS

# Uploads are read into memory; this bounds what a small ZIP may claim to expand into.
MAX_UNPACKED = 1 << 30
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

_EXTRA_NAMES = {
    "村": "villages",
    "社区": "communities",
    "单位": "organisations",
    "干部": "cadres",
    "结对": "pairings",
}


def _fold_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


# Sheet or file name (without .csv) -> model file name; Chinese names come from the model.
SHEET_NAMES: dict[str, str] = {
    **{f: f for f in FILES},
    **{n.zh: n.file for n in NODES},
    **{r.zh: r.file for r in RELS if r.file in FILES and r.type != "SENT_BY"},
    **_EXTRA_NAMES,
}
_BY_FOLDED = {_fold_name(k): v for k, v in SHEET_NAMES.items()}


def file_key(name: str) -> str | None:
    """The model file a sheet or CSV stem stands for, or None."""
    return _BY_FOLDED.get(_fold_name(name))


@dataclass
class Sheet:
    file: str  # as shown in problems: "villages.csv" or "ledger.xlsx:行政村"
    key: str  # the model file name: "villages"
    rows: list[Sequence[Any]]  # the non-empty rows, header included
    numbers: list[int]  # 1-based row number of each
    text_only: bool  # every cell is a str (CSV), which allows the fast column paths


@dataclass
class Loaded:
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Tables that exist but could not be read: references into them are not reported as unknown.
    broken: set[str] = field(default_factory=set)

    def add(self, sheet: Sheet) -> None:
        for other in self.sheets:
            if other.key == sheet.key:
                reason = f"the {sheet.key} table again (already read from {other.file})"
                self.problems.append(Problem(sheet.file, None, None, None, reason))
                return
        self.sheets.append(sheet)


def unknown_name(file: str) -> Problem:
    expected = ", ".join(FILES)
    return Problem(file, None, None, None, f"unknown table name (expected one of {expected}, or their Chinese names)")


def decode(data: bytes) -> str | None:
    """Text of a CSV file: UTF-8 with or without BOM, UTF-16 (Excel's 'Unicode text'), else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    first = text[: text.find("\n")] if "\n" in text else text
    return "\t" if "\t" in first and "," not in first else ","


def parse_csv(data: bytes, file: str, key: str, loaded: Loaded) -> None:
    text = decode(data)
    if text is None:
        reason = "not text in UTF-8 or GB18030 (GBK); save it as CSV UTF-8"
        loaded.problems.append(Problem(file, None, None, None, reason))
        loaded.broken.add(key)
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records: list[Sequence[Any]] = list(reader)
    except csv.Error as exc:
        reason = f"cannot read line {reader.line_num} as CSV ({exc})"
        loaded.problems.append(Problem(file, None, None, None, reason))
        loaded.broken.add(key)
        return
    if _unclosed_quote(records, text):
        reason = 'a quoted cell (starting with ") is never closed, so the rest of the file ran into it'
        loaded.problems.append(Problem(file, len(records), None, None, reason))
        loaded.broken.add(key)
        return
    rows, numbers = _non_blank(records)
    loaded.add(Sheet(file, key, rows, numbers, text_only=True))


def _unclosed_quote(records: list[Sequence[Any]], text: str) -> bool:
    """A quote never closed swallows the rest of the file into the last cell; the lenient parser does not say so."""
    if not records or not records[-1]:
        return False
    last_cell = records[-1][-1]
    return ("\n" in last_cell or "\r" in last_cell) and not text.rstrip().endswith('"')


def _non_blank(records: list[Sequence[Any]]) -> tuple[list[Sequence[Any]], list[int]]:
    """The rows with any content, and their row numbers (blank rows still count in the numbering)."""
    content = list(map(str.strip, map("".join, records)))
    if all(content):
        return records, list(range(1, len(records) + 1))
    kept = [i for i, text in enumerate(content) if text]
    return [records[i] for i in kept], [i + 1 for i in kept]


def read_folder(folder: Path, loaded: Loaded) -> None:
    paths = sorted(folder.iterdir())
    if not any(p.suffix.casefold() == ".csv" for p in paths):
        books = [p.name for p in paths if p.suffix.casefold() in (".xlsx", ".xlsm", ".xls")]
        if books:
            reason = f"no CSV files here, only {', '.join(books)}; give the workbook's own path to read it"
            loaded.problems.append(Problem(folder.name, None, None, None, reason))
    for path in paths:
        if path.suffix.casefold() != ".csv" or path.name.startswith(("~$", ".")) or not path.is_file():
            continue
        key = file_key(path.stem)
        if key is None:
            loaded.problems.append(unknown_name(path.name))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            loaded.problems.append(Problem(path.name, None, None, None, f"cannot read the file ({exc.strerror})"))
            loaded.broken.add(key)
            continue
        parse_csv(data, path.name, key, loaded)


def read_csv_file(path: Path, loaded: Loaded) -> None:
    key = file_key(path.stem)
    if key is None:
        loaded.problems.append(unknown_name(path.name))
        return
    parse_csv(path.read_bytes(), path.name, key, loaded)


def _member_name(info: zipfile.ZipInfo) -> str:
    # Without the UTF-8 flag, zipfile decodes names as cp437; Chinese Windows wrote them in GBK.
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _too_big(infos: Iterable[zipfile.ZipInfo]) -> bool:
    return sum(i.file_size for i in infos) > MAX_UNPACKED


def read_zip(data: bytes, name: str, loaded: Loaded) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # damaged archives raise more than BadZipFile
        loaded.problems.append(Problem(name, None, None, None, f"not a readable ZIP file ({exc})"))
        return
    if _too_big(infos):
        loaded.problems.append(Problem(name, None, None, None, "unpacks to more than 1 GiB"))
        return
    with archive:
        for info in infos:
            member = PurePosixPath(_member_name(info).replace("\\", "/"))
            if info.is_dir() or "__MACOSX" in member.parts or member.name.startswith((".", "~$")):
                continue
            if member.suffix.casefold() != ".csv":
                continue
            file = f"{name}:{member}"
            key = file_key(member.stem)
            if key is None:
                loaded.problems.append(unknown_name(file))
                continue
            try:
                content = archive.read(info)
            except Exception as exc:  # zipfile raises many types for damaged or encrypted members
                loaded.problems.append(Problem(file, None, None, None, f"cannot unpack ({exc})"))
                loaded.broken.add(key)
                continue
            parse_csv(content, file, key, loaded)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(data: bytes, name: str, loaded: Loaded) -> None:
    if data.startswith(OLE_MAGIC):
        reason = "an old .xls workbook or a password-protected one; save it as an unprotected .xlsx"
        loaded.problems.append(Problem(name, None, None, None, reason))
        return
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:
        loaded.problems.append(Problem(name, None, None, None, f"not an XLSX workbook ({exc})"))
        return
    if _too_big(infos):
        loaded.problems.append(Problem(name, None, None, None, "unpacks to more than 1 GiB"))
        return
    import openpyxl  # slow to import; only workbook uploads need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on damaged files
        loaded.problems.append(Problem(name, None, None, None, f"not a readable XLSX workbook ({exc})"))
        return
    try:
        for sheet in workbook.worksheets:
            _read_sheet(sheet, name, loaded)
    finally:
        workbook.close()


def _read_sheet(sheet: Any, name: str, loaded: Loaded) -> None:
    file = f"{name}:{sheet.title}"
    key = file_key(sheet.title)
    rows: list[Sequence[Any]] = []
    numbers: list[int] = []
    try:
        # Some writers put a wrong size in the sheet; without it, openpyxl reads every row there is.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            if not all(_blank(v) for v in row):
                rows.append(row)
                numbers.append(number)
    except Exception as exc:
        loaded.problems.append(Problem(file, None, None, None, f"cannot read this sheet ({exc})"))
        if key is not None:
            loaded.broken.add(key)
        return
    if key is None:
        # Default workbooks carry empty sheets such as Sheet2; those are no one's data.
        if rows:
            loaded.problems.append(unknown_name(file))
        return
    loaded.add(Sheet(file, key, rows, numbers, text_only=False))
