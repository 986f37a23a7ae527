"""Converting a whole column at once.

A province ledger has about 450,000 rows, so per-cell Python calls dominate reading. CSV
columns (all text) take fast paths instead: `str.strip` mapped over the column, one scan of
the joined column to see whether any cell needs more care, `int`/`float` mapped over the
column, and columns with few distinct values (dates, choices, yes/no, lists) parsed once per
distinct value. Anything unusual falls back to the careful per-cell path, which words the
reason for each bad cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graph.interchange._cells import CONTROL_CHARS, FLOAT_CHARS, MAX_CELL, Bad, Parser, check_bounds, clean_text, fold
from graph.interchange._limits import MAX_PROBLEMS_PER_KIND


class Failures:
    """The cells of a column that failed: every one marked, the first few with their reason.

    A crafted sheet may have millions of bad cells; a dict of them all cost ~100 bytes a cell,
    a mark costs one. Beyond the first few, reasons are only counted (see ProblemLog).
    """

    def __init__(self, size: int, keep: int = MAX_PROBLEMS_PER_KIND) -> None:
        self.size = size
        self.keep = keep
        self.reasons: dict[int, str] = {}
        self.count = 0
        self.more_reason: str | None = None  # the reason all the uncounted share, or None if they differ
        self._marks = bytearray()

    def __setitem__(self, index: int, reason: str) -> None:
        if not self._marks:
            self._marks = bytearray(self.size)
        if self._marks[index]:
            return
        self._marks[index] = 1
        self.count += 1
        if len(self.reasons) < self.keep:
            self.reasons[index] = reason
        elif self.count == self.keep + 1:
            self.more_reason = reason
        elif reason != self.more_reason:
            self.more_reason = None

    def __contains__(self, index: object) -> bool:
        return bool(self._marks) and isinstance(index, int) and bool(self._marks[index])

    def __len__(self) -> int:
        return self.count

    def items(self) -> Iterable[tuple[int, str]]:
        return self.reasons.items()

    @property
    def more(self) -> int:
        """How many failed beyond those kept with their reason."""
        return self.count - len(self.reasons)


_INT_CHARS = frozenset("0123456789\n")
_FLOAT_COLUMN_CHARS = FLOAT_CHARS | {"\n"}


def _odd(cell: str) -> str | None:
    if len(cell) > MAX_CELL:
        return f"longer than {MAX_CELL:,} characters"
    if CONTROL_CHARS.search(cell):
        return "contains control characters"
    return None


def convert_column(cells: Sequence[Any], parser: Parser, text_only: bool) -> tuple[list[Any], Failures]:
    """The column's values (blank cells as `parser.blank()`), and the cells that failed."""
    if text_only:
        return _strings(cells, parser)
    return _mixed(cells, parser)


# Cell types that compare equal across types (1 == 1.0 == True): a column holding two of them is keyed by type too.
_NUMBER_TYPES = frozenset({bool, int, float})


def _mixed(cells: Sequence[Any], parser: Parser) -> tuple[list[Any], Failures]:
    """XLSX cells: text, numbers, dates and booleans; each distinct value is judged once (a ledger's
    townships, tiers, dates and kinds repeat endlessly, and `Parser.cell` depends on nothing else)."""
    if len(_NUMBER_TYPES.intersection(map(type, cells))) > 1:
        return _typed(cells, parser)
    judged = {raw: _judge(parser, raw) for raw in set(cells)}
    values = list(map(judged.__getitem__, cells))
    failures = Failures(len(cells))
    if any(isinstance(v, Bad) for v in judged.values()):
        for i, value in enumerate(values):
            if isinstance(value, Bad):
                failures[i] = value.reason
                values[i] = parser.blank()
    if any(isinstance(v, list) for v in judged.values()):
        values = [list(v) if isinstance(v, list) else v for v in values]  # each row its own list
    return values, failures


def _typed(cells: Sequence[Any], parser: Parser) -> tuple[list[Any], Failures]:
    """`_mixed` for a column where 1, 1.0 and True are different cells."""
    failures = Failures(len(cells))
    values: list[Any] = []
    cache: dict[Any, Any] = {}
    for i, raw in enumerate(cells):
        key = (raw.__class__, raw)
        found = cache.get(key, cache)
        if found is cache:
            found = cache[key] = _judge(parser, raw)
        if isinstance(found, Bad):
            failures[i] = found.reason
            values.append(parser.blank())
        else:
            values.append(list(found) if isinstance(found, list) else found)  # each row its own list
    return values, failures


def _judge(parser: Parser, raw: Any) -> Any:
    """One cell's value, or the `Bad` it raised."""
    if raw is None:
        return parser.blank()
    reason = _odd(raw) if isinstance(raw, str) else None
    return Bad(reason) if reason is not None else _attempt(parser, raw)


def _attempt(parser: Parser, raw: Any) -> Any:
    try:
        return parser.cell(raw)
    except Bad as exc:
        return exc.with_traceback(None)  # cached per distinct cell: not its frames too


def _strings(cells: Sequence[str], parser: Parser) -> tuple[list[Any], Failures]:
    """CSV cells, all `str` ("" where a row was short)."""
    failures = Failures(len(cells))
    stripped = list(map(str.strip, cells))
    joined = "\n".join(stripped)
    if CONTROL_CHARS.search(joined) or (len(joined) > MAX_CELL and max(map(len, stripped)) > MAX_CELL):
        for i, cell in enumerate(stripped):
            reason = _odd(cell)
            if reason is not None:
                failures[i] = reason
                stripped[i] = ""
    if "'" in joined or "\r" in joined:
        stripped = [clean_text(s) or "" if s[:1] == "'" or "\r" in s else s for s in stripped]
    kind = parser.kind
    values: list[Any] | None = None
    if kind == "text":
        values = [s or None for s in stripped]
    elif kind == "key":
        if not joined.isascii():
            stripped = [s if s.isascii() else fold(s) for s in stripped]
        values = [s or None for s in stripped]
    elif kind == "int":
        values = _ints(stripped, joined, parser)
    elif kind == "float":
        values = _floats(stripped, joined, parser)
    else:
        values = _distinct(stripped, parser, failures)
    if values is None:
        values = _one_by_one(stripped, parser, failures)
    return values, failures


def _ints(stripped: list[str], joined: str, parser: Parser) -> list[Any] | None:
    if not set(joined) <= _INT_CHARS:
        return None  # signs, separators, decimals or text: let the careful path judge each cell
    if max(map(len, stripped), default=0) > 18:
        return None
    values = [int(s) if s else None for s in stripped]
    if parser.bounds is not None and not _within([v for v in values if v is not None], parser.bounds):
        return None
    return values


def _within(present: list[Any], bounds: tuple[float | None, float | None]) -> bool:
    if not present:
        return True
    low, high = bounds
    return (low is None or min(present) >= low) and (high is None or max(present) <= high)


def _floats(stripped: list[str], joined: str, parser: Parser) -> list[Any] | None:
    if not set(joined) <= _FLOAT_COLUMN_CHARS:
        return None
    try:
        values = [float(s) if s else None for s in stripped]
    except ValueError:
        return None
    present = [v for v in values if v is not None]
    if not present:
        return values
    low, high = min(present), max(present)
    if low == float("-inf") or high == float("inf"):
        return None
    if parser.bounds is not None and not _within(present, parser.bounds):
        return None
    return values


def _distinct(stripped: list[str], parser: Parser, failures: Failures) -> list[Any]:
    """Dates, choices, yes/no and lists repeat endlessly in a ledger: parse each distinct text once."""
    results: dict[str, Any] = {}
    shared: dict[str, Bad] = {}
    for s in set(stripped):
        if not s:
            results[s] = parser.blank()
            continue
        try:
            results[s] = parser.parse(s)
        except Bad as exc:
            # One exception per reason, without the traceback that would keep a frame per cell alive.
            results[s] = shared.setdefault(exc.reason, exc.with_traceback(None))
    values = [results[s] for s in stripped]
    if any(isinstance(v, Bad) for v in results.values()):
        for i, value in enumerate(values):
            if isinstance(value, Bad):
                failures[i] = value.reason
                values[i] = parser.blank()
    if parser.empty_list:
        values = [list(v) for v in values]  # every row its own list, as if parsed alone
    return values


def _one_by_one(stripped: list[str], parser: Parser, failures: Failures) -> list[Any]:
    values: list[Any] = []
    for i, s in enumerate(stripped):
        if not s:
            values.append(parser.blank())
            continue
        try:
            value = parser.parse(s)
            if parser.bounds is not None and value is not None:
                check_bounds(value, parser.bounds)
            values.append(value)
        except Bad as exc:
            failures[i] = exc.reason
            values.append(parser.blank())
    return values
