"""Getting raw rows out of a CSV folder, a ZIP of CSVs or an XLSX workbook.

Nothing here knows about columns or types: each source becomes a list of `Sheet`s (the
non-empty rows of one sheet or CSV file with their row numbers, merged ranges filled, hidden
sheets and columns marked), plus problems such as a file that is not text in any encoding a
Chinese ledger comes in. Every sheet is kept whatever its name: `_detect` decides what it is.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from typing import IO, Any

from graph.errors import Problem
from graph.interchange import _xlsx
from graph.interchange._limits import LIMITS, Limits, ProblemLog, size_text
from graph.model import FILES, NODES, REL_BY_FILE

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Bytes read at a time from a file or an archive member (what one read may decompress to).
_CHUNK = 1 << 16
# CSV rows parsed between two checks of the limits.
_BATCH = 100

_EXTRA_NAMES = {
    "需求清单": "needs",
    "资源清单": "resources",
    "项目清单": "projects",
    "认领清单": "projects",
    "实事项目台账": "activities",
    "办实事": "activities",
    "村": "villages",
    "社区": "communities",
    "单位": "organisations",
    "干部": "cadres",
    "结对": "pairings",
    "村企": "fusions",
    "村基本": "villages",
    "花名册": "cadres",
}


def _fold_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


# Sheet or file name (without .csv) -> model file name; Chinese names come from the model.
SHEET_NAMES: dict[str, str] = {
    **{f: f for f in FILES},
    **{n.zh: n.file for n in NODES},
    **{r.zh: r.file for r in REL_BY_FILE.values()},
    **_EXTRA_NAMES,
}
_BY_FOLDED = {_fold_name(k): v for k, v in SHEET_NAMES.items()}


# Longest first: a name containing 强村带弱村 is leads before it is a 村's.
_BY_LENGTH = sorted(_BY_FOLDED.items(), key=lambda item: -len(item[0]))


def file_key(name: str) -> str | None:
    """The model file a sheet or CSV stem names ("村基本情况" names villages, "结对共建台账" pairings), or None.

    Only a hint to detection, which reads the header: the longest model or ledger word the name contains.
    """
    folded = _fold_name(name)
    exact = _BY_FOLDED.get(folded)
    if exact is not None:
        return exact
    return next((key for word, key in _BY_LENGTH if len(word) > 1 and word in folded), None)


@dataclass
class Sheet:
    file: str  # as shown in problems: "villages.csv" or "ledger.xlsx:行政村"
    key: str | None  # the model file its name says it is ("villages"), if any: a hint for detection
    rows: list[Sequence[Any]]  # the non-empty rows, header included
    numbers: list[int]  # 1-based row number of each
    text_only: bool  # every cell is a str (CSV), which allows the fast column paths
    # XLSX only: formulas with no saved value, as (row number, column index, formula text)...
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    # ...and merged ranges, as (range, first row, first column index, last row, last column index).
    merged: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    title: str = ""  # the sheet's title, or the CSV file's stem: what a template names it by
    hidden: bool = False  # a hidden sheet (drop-down values, helpers)
    hidden_columns: frozenset[int] = frozenset()  # 0-based indexes of hidden columns

    def __post_init__(self) -> None:
        if not self.title:
            self.title = self.file.rpartition(":")[2] if ":" in self.file else Path(self.file).stem


@dataclass
class Loaded:
    sheets: list[Sheet] = field(default_factory=list)
    problems: ProblemLog = field(default_factory=ProblemLog)
    # Tables that exist but could not be read: references into them are not reported as unknown.
    broken: set[str] = field(default_factory=set)
    limits: Limits = LIMITS
    cells: int = 0  # read so far, across every sheet (limits.total_cells)

    def add(self, sheet: Sheet) -> None:
        self.sheets.append(sheet)


class Refused(Exception):
    """Reading a file stops: a limit of `Limits` was reached, or it is not CSV; the reason says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Budget:
    """Bytes one upload may still unpack; shared by the members of an archive."""

    def __init__(self, left: int, what: str) -> None:
        self.left = left
        self.what = what  # "unpacks to" or "is"

    def spend(self, count: int, limit: int) -> None:
        self.left -= count
        if self.left < 0:
            raise Refused(f"{self.what} more than {size_text(limit)}, more than any ledger needs")


class _Runs:
    """Whether a stream, fed a chunk at a time, has a run of more than LIMIT bytes without SEP."""

    def __init__(self, sep: bytes, limit: int) -> None:
        self.sep = sep
        self.limit = limit
        self.run = 0  # bytes since the last SEP

    def exceeded(self, data: bytes) -> bool:
        # In slices of at most LIMIT bytes: a run inside one slice is shorter than LIMIT, and the
        # runs across slices are summed, so two finds a slice decide it.
        for start in range(0, len(data), self.limit):
            piece = data[start : start + self.limit]
            first = piece.find(self.sep)
            if first < 0:
                self.run += len(piece)
            elif self.run + first > self.limit:
                return True
            else:
                self.run = len(piece) - piece.rfind(self.sep) - 1
            if self.run > self.limit:
                return True
        return False


class _Counted(io.RawIOBase):
    """A binary stream that counts what it yields against a budget: archives are not trusted to tell their size.

    It also stops a line longer than LINE bytes, which no ledger row is: the CSV reader would build it whole.
    """

    def __init__(self, raw: IO[bytes], budget: Budget, limit: int, line: int) -> None:
        self.raw = raw
        self.budget = budget
        self.limit = limit
        self.line = line
        self.lines = _Runs(b"\n", line)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(min(len(buffer), _CHUNK))
        if not data:
            _check_whole(self.raw)
        self.budget.spend(len(data), self.limit)
        if self.lines.exceeded(data):
            raise Refused(f"a line longer than {self.line:,} bytes, longer than any ledger row")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def _check_whole(member: IO[bytes]) -> None:
    """At the end of a ZIP member: refuse it if it held more than its declared size.

    zipfile stops at the size the archive declares, and a crafted archive may declare less than
    it holds (with the checksum of what it declares): the rest of the table would be dropped
    without a word. zipfile keeps what is left to read in private fields; without them, nothing is checked.
    """
    compressed_left = getattr(member, "_compress_left", 0)
    decompressor = getattr(member, "_decompressor", None)
    unfinished = decompressor is not None and getattr(decompressor, "eof", True) is False
    if (isinstance(compressed_left, int) and compressed_left > 0) or unfinished:
        raise Refused("holds more than the size the archive declares for it: a damaged or crafted archive")


Opener = Callable[[], IO[bytes]]

# Legacy encodings a CSV may come in: the first is read, the others are named and refused, since
# GB18030 decodes nearly any byte pairs and would turn their text into mojibake with no error.
_LEGACY = ("gb18030", "big5", "cp932")
_LEGACY_NAMES = {
    "gb18030": "GB18030 (GBK)",
    "big5": "Big5 (Traditional Chinese, Taiwan and Hong Kong)",
    "cp932": "Shift-JIS (Japanese)",
}
_SAMPLE = 1 << 18


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


def legacy_encoding(sample: bytes) -> tuple[str, ...]:
    """The legacy encoding text that is not UTF-8 is in: ("gb18030",), or the likelier ones if it may not be.

    Text whose every character is in GB2312 (what nearly all GBK ledgers hold) is GB18030, as it
    always was read. Otherwise charset-normalizer scores each candidate by how chaotic the decoded
    text looks: GB18030 is read only if no other candidate looks as good. A tie, common in short
    files, is not settled by guessing: it is refused, naming the candidates, rather than risk mojibake.
    """
    head = codecs.getincrementaldecoder("gb18030")(errors="strict")
    try:
        text = head.decode(sample, final=False)
    except UnicodeDecodeError:
        return ("gb18030",)  # not GB18030 at all: reading it reports the file as not text
    try:
        text.encode("gb2312")
        return ("gb18030",)
    except UnicodeEncodeError:
        pass
    from charset_normalizer import from_bytes  # only files that are not UTF-8 nor plain GBK need it

    chaos = {m.encoding: m.chaos for m in from_bytes(sample, cp_isolation=list(_LEGACY))}
    ours = chaos.get("gb18030")
    rivals = sorted((c, e) for e, c in chaos.items() if e != "gb18030" and (ours is None or c <= ours))
    if not rivals:
        return ("gb18030",)
    best = [e for c, e in rivals if c == rivals[0][0]]
    return tuple(best) if ours is None or rivals[0][0] < ours else ("gb18030", *best)


def _delimiter(text: str) -> str:
    first = text[: text.find("\n")] if "\n" in text else text
    return "\t" if "\t" in first and "," not in first else ","


@dataclass
class _Read:
    rows: list[Sequence[Any]]
    numbers: list[int]
    cells: int
    last_line: str  # where the last cell spans lines: the text's last character, for the unclosed-quote check


def _open_text(opener: Opener, encoding: str, budget: Budget, limit: int, limits: Limits) -> IO[str]:
    stream = io.BufferedReader(_Counted(opener(), budget, limit, limits.line), _CHUNK)
    return io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")


def _records(opener: Opener, encoding: str, budget: Budget, limit: int, loaded: Loaded) -> _Read:
    """Parse the CSV as it is unpacked and decoded, stopping at the first limit reached."""
    limits = loaded.limits
    records: list[Sequence[Any]] = []
    with _open_text(opener, encoding, budget, limit, limits) as text:
        first = text.readline()
        reader = csv.reader(chain([first], text), delimiter=_delimiter(first))
        most_cells = min(limits.cells, limits.total_cells - loaded.cells)
        cells = 0
        try:
            # In batches, so that the limits are checked often without a Python step per row; a batch
            # is at most _BATCH lines of limits.line bytes.
            while batch := list(islice(reader, _BATCH)):
                widths = list(map(len, batch))
                cells += sum(widths)
                if len(records) + len(batch) > limits.rows or max(widths) > limits.columns or cells > most_cells:
                    number = len(records) + next((i for i, w in enumerate(widths, 1) if w > limits.columns), len(batch))
                    raise Refused(_over(limits, number, max(widths), cells, loaded))
                records += batch
        except csv.Error as exc:
            raise Refused(f"cannot read line {reader.line_num} as CSV ({exc})") from None
    content = list(map(str.strip, map("".join, records)))
    if all(content):
        read = _Read(records, list(range(1, len(records) + 1)), cells, "")
    else:
        kept = [i for i, line in enumerate(content) if line]
        read = _Read([records[i] for i in kept], [i + 1 for i in kept], cells, "")
    if read.rows and read.rows[-1] and ("\n" in read.rows[-1][-1] or "\r" in read.rows[-1][-1]):
        # Rare: the last cell spans lines. Whether its quote was closed shows at the very end of the text.
        with _open_text(opener, encoding, Budget(limit, budget.what), limit, limits) as text:
            while chunk := text.read(_CHUNK):
                if chunk.strip():
                    read.last_line = chunk.rstrip()[-1:] or read.last_line
    return read


def _over(limits: Limits, number: int, width: int, cells: int, loaded: Loaded) -> str:
    """Which limit a table went over, worded for the user."""
    if number > limits.rows:
        return f"more than {limits.rows:,} rows, more than any ledger table needs; split it"
    if width > limits.columns:
        return f"row {number} has more than {limits.columns:,} cells, more than any ledger table needs"
    if cells > limits.cells:
        return f"more than {limits.cells:,} cells, more than any ledger table needs; split it"
    before = f"{loaded.cells:,} before this file"
    return f"the ledger holds more than {limits.total_cells:,} cells in all ({before}); split it"


def parse_csv(data: bytes | Opener, file: str, key: str | None, loaded: Loaded, budget: Budget | None = None) -> None:
    """Read one CSV file (its bytes, or a way to open it) into LOADED, or say what is wrong with it."""
    opener: Opener = (lambda: io.BytesIO(data)) if isinstance(data, bytes) else data
    limit = loaded.limits.unpacked
    if budget is None:
        budget = Budget(limit, "is")
    try:
        with opener() as probe:
            sample = probe.read(_SAMPLE)
        utf16 = sample.startswith((b"\xff\xfe", b"\xfe\xff"))
        tries = ["utf-16"] if utf16 else ["utf-8-sig", "legacy"]
        read: _Read | None = None
        for encoding in tries:
            if encoding == "legacy":
                likely = legacy_encoding(sample)
                if likely != ("gb18030",):
                    _refuse(loaded, file, key, _encoding_reason(likely))
                    return
                encoding = "gb18030"
            attempt = Budget(budget.left, budget.what)
            try:
                read = _records(opener, encoding, attempt, limit, loaded)
            except UnicodeDecodeError:
                continue  # tried again in the next encoding: only the attempt that is kept is charged
            except Refused:
                budget.left = attempt.left
                raise
            budget.left = attempt.left
            break
    except Refused as exc:
        _refuse(loaded, file, key, exc.reason)
        return
    except OSError as exc:
        if budget.what == "is":
            _refuse(loaded, file, key, f"cannot read the file ({exc.strerror or exc})")
            return
        _refuse(loaded, file, key, f"cannot unpack ({exc})")
        return
    except Exception as exc:  # zipfile and zlib raise many types for damaged or encrypted members
        _refuse(loaded, file, key, f"cannot unpack ({exc})")
        return
    if read is None:
        _refuse(loaded, file, key, "not text in UTF-8 or GB18030 (GBK); save it as CSV UTF-8")
        return
    if read.rows and _unclosed_quote(read.rows, read.last_line):
        reason = 'a quoted cell (starting with ") is never closed, so the rest of the file ran into it'
        loaded.problems.append(Problem(file, read.numbers[-1], None, None, reason))
        if key is not None:
            loaded.broken.add(key)
        return
    loaded.cells += read.cells
    loaded.add(Sheet(file, key, read.rows, read.numbers, text_only=True))


def _encoding_reason(likely: tuple[str, ...]) -> str:
    named = " or ".join(_LEGACY_NAMES[e] for e in likely)
    if len(likely) > 1:
        return f"not UTF-8, and the text could be {named}: it cannot be told which; save it as CSV UTF-8"
    return f"looks like text in {named}, not UTF-8 or GB18030 (GBK); save it as CSV UTF-8"


def _refuse(loaded: Loaded, file: str, key: str | None, reason: str) -> None:
    loaded.problems.append(Problem(file, None, None, None, reason))
    if key is not None:
        loaded.broken.add(key)


def _unclosed_quote(records: list[Sequence[Any]], last_line: str) -> bool:
    """A quote never closed swallows the rest of the file into the last cell; the lenient parser does not say so."""
    if not records or not records[-1]:
        return False
    last_cell = records[-1][-1]
    return ("\n" in last_cell or "\r" in last_cell) and not last_line.rstrip().endswith('"')


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
        read_csv_file(path, loaded)


def read_csv_file(path: Path, loaded: Loaded) -> None:
    parse_csv(lambda: path.open("rb"), path.name, file_key(path.stem), loaded)


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


def _declares_too_much(infos: list[zipfile.ZipInfo], limits: Limits) -> bool:
    """An archive that says it unpacks to too much is refused before unpacking anything (what it says may lie
    the other way: `Budget` counts what is really unpacked)."""
    return sum(i.file_size for i in infos) > limits.unpacked


def read_zip(data: bytes, name: str, loaded: Loaded) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # damaged archives raise more than BadZipFile
        loaded.problems.append(Problem(name, None, None, None, f"not a readable ZIP file ({exc})"))
        return
    limit = loaded.limits.unpacked
    if _declares_too_much(infos, loaded.limits):
        loaded.problems.append(Problem(name, None, None, None, f"unpacks to more than {size_text(limit)}"))
        return
    budget = Budget(limit, "unpacks to")
    with archive:
        for info in infos:
            member = PurePosixPath(_member_name(info).replace("\\", "/"))
            if info.is_dir() or "__MACOSX" in member.parts or member.name.startswith((".", "~$")):
                continue
            if member.suffix.casefold() != ".csv":
                continue
            file = f"{name}:{member}"
            key = file_key(member.stem)
            parse_csv(lambda info=info: archive.open(info), file, key, loaded, budget)  # type: ignore[misc]
            if budget.left < 0:
                return  # the archive unpacks to too much (said of this member): the rest are not opened


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# The namespace prefix some writers put on every tag of a sheet (<x:row>): removed before counting.
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*):(?:worksheet|sst)[\s>]")
_MERGE = re.compile(rb"<mergeCell\s[^>]*\bref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
# A hidden column range: <col min="3" max="3" hidden="1"/> (openpyxl's read-only mode does not say).
_COL = re.compile(rb"<col\s[^>]*>")
_COL_ATTRIBUTE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')
_SCAN_CHUNK = 1 << 20
_UNSAVED_FORMULA = re.compile(
    rb'<c(\s[^>]*?\br="([A-Za-z]{1,3}[0-9]{1,7})"[^>]*)>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)'
    rb"\s*(<v\s*/>|<v>\s*</v>)?\s*</c>"
)


def _count_cells(text: bytes) -> int:
    return text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/")


def _count_rows(text: bytes) -> int:
    return text.count(b"<row ") + text.count(b"<row>") + text.count(b"<row/")


@dataclass
class _Part:
    """What a scan of one part of a workbook found."""

    rows: int = 0
    cells: int = 0
    widest: int = 0  # most cells in one row
    # Cells with a formula and no saved value (no <v> at all: `<v></v>` is a saved empty text), as
    # (cell reference, formula): openpyxl reads them as blank, like an empty cell.
    formulas: list[tuple[str, str]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # 1-based (min, max) of hidden <col>s


def _hidden_columns(text: bytes, limit: int) -> list[tuple[int, int]]:
    ranges = []
    for tag in _COL.findall(text):
        attributes = {k: v for k, v in _COL_ATTRIBUTE.findall(tag)}
        if attributes.get(b"hidden", b"").strip().lower() not in (b"1", b"true"):
            continue
        try:
            low = int(attributes.get(b"min", b"0"))
            high = int(attributes.get(b"max", attributes.get(b"min", b"0")))
        except ValueError:
            continue
        if 1 <= low <= limit:
            ranges.append((low, min(high, limit)))
    return ranges


def _scan_part(stream: IO[bytes], budget: Budget, limits: Limits, *, sheet: bool, strings: bool) -> _Part:
    """Unpack one member, counting its bytes, and for sheet XML its rows, cells, formulas and merged ranges.

    Nothing is kept but the counts, so that a bomb costs time bounded by the budget and no memory.
    A run of text longer than a line of a ledger could be (one gigantic cell) is refused, as
    openpyxl would build it whole. Counting is by `bytes.count`, a chunk at a time: a province
    sheet of 58 MB takes a fraction of a second.
    """
    found = _Part()
    runs = _Runs(b"<", limits.line)
    state = {"row_cells": 0}  # cells of the row still open at the end of the last text
    prefix: bytes | None = None

    def take(text: bytes) -> None:
        if strings:
            found.cells += text.count(b"<si>") + text.count(b"<si ")
            return
        rows, cells = _count_rows(text), _count_cells(text)
        found.rows += rows
        found.cells += cells
        if rows == 0:
            state["row_cells"] += cells
        else:
            first, last = text.find(b"<row"), text.rfind(b"<row")
            found.widest = max(found.widest, state["row_cells"] + _count_cells(text[:first]))
            if cells > limits.columns * rows:  # some row may be wide: count each
                found.widest = max(found.widest, *map(_count_cells, text[first:last].split(b"<row")))
            state["row_cells"] = _count_cells(text[last:])
        found.widest = max(found.widest, state["row_cells"])
        if (b"<f>" in text or b"<f " in text) and len(found.formulas) < limits.columns:
            found.formulas += _unsaved_formulas(text)
        if b"<mergeCell " in text and len(found.merged) < limits.columns:
            found.merged += [m.decode("ascii") for m in _MERGE.findall(text)]
        if b"<col " in text and b"hidden" in text and len(found.hidden_columns) < limits.columns:
            found.hidden_columns += _hidden_columns(text, limits.columns)

    carry = b""
    while True:
        chunk = stream.read(_SCAN_CHUNK)
        if not chunk:
            break
        budget.spend(len(chunk), limits.unpacked)
        if runs.exceeded(chunk):
            raise Refused(f"holds a cell or text longer than {limits.line:,} bytes, longer than any ledger cell")
        if not (sheet or strings):
            continue
        # Tags are counted whole, and a sheet's cells too: what follows the last cell's start (or the
        # last "<") waits for the next chunk.
        cut = chunk.rfind(b"<c") if sheet else -1
        cut = chunk.rfind(b"<") if cut < 0 else cut
        text, carry = (carry + chunk, b"") if cut < 0 else (carry + chunk[:cut], chunk[cut:])
        if prefix is None:
            named = _PREFIX.search(text)
            prefix = b"<" + named.group(1) + b":" if named else b""
        take(text.replace(prefix, b"<").replace(b"</" + prefix[1:], b"</") if prefix else text)
    if carry and (sheet or strings):
        take(carry.replace(prefix, b"<").replace(b"</" + prefix[1:], b"</") if prefix else carry)
    return found


def _unsaved_formulas(text: bytes) -> list[tuple[str, str]]:
    """The formula cells in TEXT whose value was never saved: no <v>, or an empty one in a cell
    that is not of text type (openpyxl and other generators write `<v />` where Excel would write
    the result; a formula whose result is empty text is `t="str"` with an empty <v>)."""
    unsaved = []
    for attributes, reference, formula, value in _UNSAVED_FORMULA.findall(text):
        if value and b't="str"' in attributes:
            continue
        shown = html.unescape(formula.decode("utf-8", "replace"))
        unsaved.append((reference.decode("ascii"), "=" + shown if shown else "(a shared formula)"))
    return unsaved


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet title, from the workbook and its relations (small parts, sizes checked)."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # openpyxl reports a damaged workbook in its own words
        return {}
    targets = {r.get("Id"): str(r.get("Target", "")) for r in relations if r.tag.endswith("Relationship")}
    titles: dict[str, str] = {}
    for element in book.iter():
        if not element.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        titles[path] = str(element.get("name", path))
    return titles


def _scan_workbook(archive: zipfile.ZipFile, name: str, loaded: Loaded) -> dict[str, _Part] | None:
    """Unpack every part once, counting: None (and a problem) if the workbook is too big in any way.

    This is before any reader opens it (`_xlsx` or openpyxl, which reads a sheet without a stated size to its end).
    """
    limits = loaded.limits
    budget = Budget(limits.unpacked, "unpacks to")
    parts: dict[str, _Part] = {}
    try:
        for info in archive.infolist():
            path = info.filename
            sheet = path.startswith("xl/worksheets/") and path.endswith(".xml")
            strings = path == "xl/sharedStrings.xml"
            size = info.file_size
            if path.endswith((".xml", ".rels")) and not (sheet or strings) and size > limits.xlsx_part:
                raise Refused(f"its part {path} is larger than {size_text(limits.xlsx_part)}")
            with archive.open(info) as stream:
                found = _scan_part(stream, budget, limits, sheet=sheet, strings=strings)
                _check_whole(stream)
            parts[path] = found
            if strings and found.cells > limits.total_cells:
                raise Refused(f"holds more than {limits.total_cells:,} different texts, more than any ledger needs")
    except Refused as exc:
        loaded.problems.append(Problem(name, None, None, None, exc.reason))
        return None
    except Exception as exc:  # damaged or encrypted members
        loaded.problems.append(Problem(name, None, None, None, f"not a readable XLSX workbook ({exc})"))
        return None
    titles = _sheet_titles(archive)
    refused = False
    for path, part in parts.items():
        if part.rows > limits.rows or part.widest > limits.columns or part.cells > limits.cells:
            refused = True
            title = titles.get(path, path)
            number = limits.rows + 1 if part.rows > limits.rows else 1
            _refuse(loaded, f"{name}:{title}", file_key(title), _over(limits, number, part.widest, part.cells, loaded))
    return None if refused else parts


def read_workbook(data: bytes, name: str, loaded: Loaded) -> None:
    if data.startswith(OLE_MAGIC):
        reason = "an old .xls workbook or a password-protected one; save it as an unprotected .xlsx"
        loaded.problems.append(Problem(name, None, None, None, reason))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:
        loaded.problems.append(Problem(name, None, None, None, f"not an XLSX workbook ({exc})"))
        return
    limit = loaded.limits.unpacked
    if _declares_too_much(infos, loaded.limits):
        loaded.problems.append(Problem(name, None, None, None, f"unpacks to more than {size_text(limit)}"))
        return
    with archive:
        parts = _scan_workbook(archive, name, loaded)
    if parts is None:
        return
    try:
        book = _xlsx.open_book(data)
    except Exception:  # openpyxl reports a damaged workbook in its own words, below
        book = None
    if book is None:
        _read_with_openpyxl(data, name, loaded, parts)
        return
    slow = _Slow(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for sheet in book.sheets:
                part = parts.get(sheet.path.lstrip("/"), _Part())

                def fast(path: str = sheet.path) -> Iterator[Sequence[Any]]:
                    with archive.open(path.lstrip("/")) as source:
                        yield from _xlsx.rows(source, book)

                def fallback(title: str = sheet.title) -> Iterator[Sequence[Any]]:
                    return slow.rows(title)

                hidden = sheet.state in ("hidden", "veryHidden")
                _read_sheet(sheet.title, hidden, [fast, fallback], name, loaded, part)
    finally:
        slow.close()


class _Slow:
    """openpyxl's own reading of a sheet, opened only if the fast reader leaves a sheet to it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.workbook: Any = None

    def rows(self, title: str) -> Iterator[Sequence[Any]]:
        import openpyxl  # slow to import; only workbook uploads need it

        if self.workbook is None:
            self.workbook = openpyxl.load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
        sheet = self.workbook[title]
        # Some writers put a wrong size in the sheet; without it, openpyxl reads every row there is.
        sheet.reset_dimensions()
        rows: Iterator[Sequence[Any]] = sheet.iter_rows(values_only=True)
        return rows

    def close(self) -> None:
        if self.workbook is not None:
            self.workbook.close()


def _read_with_openpyxl(data: bytes, name: str, loaded: Loaded, parts: dict[str, _Part]) -> None:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on damaged files
        loaded.problems.append(Problem(name, None, None, None, f"not a readable XLSX workbook ({exc})"))
        return
    try:
        for sheet in workbook.worksheets:
            part = parts.get(str(getattr(sheet, "_worksheet_path", "")).lstrip("/"), _Part())
            hidden = getattr(sheet, "sheet_state", "visible") in ("hidden", "veryHidden")

            def source(sheet: Any = sheet) -> Iterator[Sequence[Any]]:
                sheet.reset_dimensions()
                rows: Iterator[Sequence[Any]] = sheet.iter_rows(values_only=True)
                return rows

            _read_sheet(sheet.title, hidden, [source], name, loaded, part)
    finally:
        workbook.close()


def _sheet_rows(
    source: Iterator[Sequence[Any]], limits: Limits, most_cells: int, below: list[tuple[int, int]], loaded: Loaded
) -> tuple[list[Sequence[Any]], list[int], list[int], int]:
    """The non-blank rows of a sheet (and the blank ones a merged range covers), counted against the limits
    as they are parsed: (rows, their numbers, indexes of the covered blank ones, cells)."""
    rows: list[Sequence[Any]] = []
    numbers: list[int] = []
    covered: list[int] = []
    cells = 0
    for number, row in enumerate(source, 1):
        # openpyxl makes the rows a sheet skips (<row r="1000000">): counted like any other.
        cells += len(row)
        if number > limits.rows or len(row) > limits.columns or cells > most_cells:
            raise Refused(_over(limits, number, len(row), cells, loaded))
        if not all(_blank(v) for v in row):
            rows.append(row)
            numbers.append(number)
        elif below and _covered(below, number):
            covered.append(len(rows))
            rows.append(row)
            numbers.append(number)
    return rows, numbers, covered, cells


def _read_sheet(
    title: str,
    hidden: bool,
    sources: Sequence[Callable[[], Iterator[Sequence[Any]]]],
    name: str,
    loaded: Loaded,
    part: _Part,
) -> None:
    """Read one sheet from the first of SOURCES that can: the fast reader, then openpyxl."""
    file = f"{name}:{title}"
    key = file_key(title)
    limits = loaded.limits
    most_cells = min(limits.cells, limits.total_cells - loaded.cells)
    merged = [m for m in (_merged_range(r) for r in part.merged) if m is not None]
    # Rows a merged range covers below its first: kept though blank, as the fill gives them its value.
    below = _row_spans([(first + 1, last) for _, first, _, last, _ in merged if last > first])
    read = None
    for at, source in enumerate(sources):
        try:
            read = _sheet_rows(source(), limits, most_cells, below, loaded)
            break
        except Refused as exc:
            _refuse(loaded, file, key, exc.reason)
            return
        except Exception as exc:
            if at + 1 < len(sources):
                continue  # left to the next reader, from the start of the sheet
            loaded.problems.append(Problem(file, None, None, None, f"cannot read this sheet ({exc})"))
            if key is not None:
                loaded.broken.add(key)
            return
    if read is None:
        return
    rows, numbers, covered, cells = read
    loaded.cells += cells
    if merged:
        try:
            _fill_merged(rows, numbers, merged)
        except Refused as exc:
            _refuse(loaded, file, key, exc.reason)
            return
        still = {i for i in covered if all(_blank(v) for v in rows[i])}  # under a merge with no value
        if still:
            rows = [row for i, row in enumerate(rows) if i not in still]
            numbers = [n for i, n in enumerate(numbers) if i not in still]
    formulas = [(row, column, formula) for row, column, formula in map(_located, part.formulas) if row]
    width = max(map(len, rows), default=0)
    columns = frozenset(i - 1 for low, high in part.hidden_columns for i in range(low, min(high, width) + 1))
    loaded.add(
        Sheet(
            file,
            key,
            rows,
            numbers,
            text_only=False,
            formulas=formulas,
            merged=merged,
            title=title,
            hidden=hidden,
            hidden_columns=columns,
        )
    )


def _row_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row ranges (first, last) joined where they overlap, in order: for `_covered`."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(last, joined[-1][1]))
        else:
            joined.append((first, last))
    return joined


def _covered(spans: list[tuple[int, int]], number: int) -> bool:
    at = bisect.bisect_right(spans, (number, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= number <= spans[at][1]


def _fill_merged(rows: list[Sequence[Any]], numbers: list[int], merged: list[tuple[str, int, int, int, int]]) -> None:
    """Every cell of a merged range reads its first cell's value, as Excel shows it (openpyxl keeps it
    only there): a township merged down over its villages is every one's township.

    Only the rows and columns the sheet has are filled, so that a range of a billion cells costs no more
    than the sheet; only merged cells are touched.
    """
    width = max(map(len, rows), default=0)
    spans = []
    for _, first_row, first_column, last_row, last_column in merged:
        at = bisect.bisect_left(numbers, first_row)
        if at == len(numbers) or numbers[at] != first_row or first_column >= width:
            continue
        end = bisect.bisect_right(numbers, last_row)
        spans.append((at, end, first_column, min(last_column, width - 1) + 1))
    # Ranges that do not overlap (as Excel makes them) cover at most the sheet once.
    if sum((end - at) * (right - left) for at, end, left, right in spans) > len(rows) * width:
        raise Refused("its merged ranges overlap, which Excel never writes: a damaged or crafted workbook")
    changed: dict[int, list[Any]] = {}
    for at, end, first_column, right in spans:
        top = changed.get(at, rows[at])
        value = top[first_column] if first_column < len(top) else None
        if _blank(value):
            continue
        for i in range(at, end):
            row = changed.get(i)
            if row is None:
                row = changed[i] = list(rows[i])
            if len(row) < right:
                row.extend([None] * (right - len(row)))
            for column in range(first_column, right):
                if _blank(row[column]):
                    row[column] = value
    for i, row in changed.items():
        rows[i] = tuple(row)


def _located(found: tuple[str, str]) -> tuple[int, int, str]:
    """(row number, column index, formula) of a cell reference such as B12; row 0 if it is not one."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    reference, formula = found
    try:
        letters, row = coordinate_from_string(reference.upper())
        return row, column_index_from_string(letters) - 1, formula
    except ValueError:
        return 0, 0, formula


def _merged_range(ref: str) -> tuple[str, int, int, int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except ValueError:
        return None
    if min_col is None or min_row is None or max_col is None or max_row is None:
        return None
    return ref, min_row, min_col - 1, max_row, max_col - 1
