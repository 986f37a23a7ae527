"""How much one import may read, and how many problems it keeps: the defences against crafted uploads.

A ZIP of 240 KB can hold millions of rows (deflate packs a repeated `a,a,a` row a thousand times
over), and every bad cell used to become a stored problem: one upload drove the server to 21 GB.
So nothing here trusts a size an archive declares: bytes are counted as they are decompressed,
rows and cells as they are parsed, and reading stops at the first limit with a problem naming
the file. Problems beyond a few of each kind are counted, not kept.

The limits are generous for a province (80,224 villages, 110,000 cadres from `pairing synth
--scale province`: 26 MB of CSV, 110,001 rows and 1.3 million cells in its largest files, about
3.1 million cells in all, read in ~500 MB). The worst upload they accept, 4 million distinct
bad cells (an 8.7 MB ZIP), was read in 816 MB (measured; see docs/security.md); the bombs that
prompted them stop in under 200 MB.
A nation-scale ledger (500,000 villages) is beyond them: split it by province, or pass larger
`Limits` (as bench/load.py does).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.errors import Problem

MiB = 1 << 20

# Bytes actually decompressed from one ZIP or XLSX (all its members), or read from one CSV file;
# the province as one workbook unpacks to 149 MB of XML.
MAX_UNPACKED = 512 * MiB
# Rows of one table, blank rows included (the province's largest table has 110,001).
MAX_ROWS = 500_000
# Cells in one row (the widest table has 16 columns; ledgers add a few bookkeeping ones).
MAX_COLUMNS = 1_000
# Cells in one table (the province's villages have 1.3 million) and in one import (3.1 million; the cap
# keeps the worst accepted upload, every cell bad, under 1 GB).
MAX_CELLS = 3_000_000
MAX_TOTAL_CELLS = 4_000_000
# Bytes in one line of a CSV file (a province row is under 300; a cell may have 10,000 characters).
MAX_LINE = 256 * 1024
# Any part of a workbook other than its sheets and shared strings (styles, relations): under 1 MB in practice.
MAX_XLSX_PART = 16 * MiB
# Problems kept of one kind (same file, column and reason), and in all; the rest are counted.
MAX_PROBLEMS_PER_KIND = 100
MAX_PROBLEMS = 1_000


@dataclass(frozen=True)
class Limits:
    unpacked: int = MAX_UNPACKED
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    total_cells: int = MAX_TOTAL_CELLS
    line: int = MAX_LINE
    xlsx_part: int = MAX_XLSX_PART

    def scaled(self, factor: int) -> Limits:
        """Every limit FACTOR times larger (for a trusted nation-scale folder on the local disk)."""
        return Limits(*(getattr(self, f) * factor for f in self.__dataclass_fields__))


LIMITS = Limits()


def size_text(count: int) -> str:
    return f"{count / MiB:,.0f} MiB" if count >= MiB else f"{count:,} bytes"


_NUMBERS = re.compile(r"\d+")


@dataclass
class _Overflow:
    count: int = 0
    reason: str | None = None  # the reason every counted problem shares; None once they differ
    mixed: bool = False

    def add(self, count: int, reason: str | None) -> None:
        if self.count == 0 and not self.mixed:
            self.reason = reason
        elif reason != self.reason:
            self.reason, self.mixed = None, True
        self.count += count


@dataclass
class ProblemLog:
    """The problems of one import: the first few of each kind kept in full, the others counted.

    A kind is a file, a column and a reason (its numbers aside, so that "year 1900 is outside"
    and "year 1800 is outside" are one kind). What is not kept is reported per file and column
    as "and N more", so that a ledger with millions of bad cells costs a few kilobytes.
    """

    per_kind: int = MAX_PROBLEMS_PER_KIND
    most: int = MAX_PROBLEMS
    kept: list[Problem] = field(default_factory=list)
    _kinds: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    _more: dict[tuple[str, str | None], _Overflow] = field(default_factory=dict)
    counted: int = 0

    def append(self, problem: Problem) -> None:
        kind = (problem.file, problem.column, _NUMBERS.sub("#", problem.reason))
        if self._kinds[kind] < self.per_kind and len(self.kept) < self.most:
            self._kinds[kind] += 1
            self.kept.append(problem)
        else:
            self.more(problem.file, problem.column, 1, problem.reason)

    def full(self, file: str, column: str | None, reason: str) -> bool:
        """Whether a problem of this kind would only be counted (so that callers need not build it)."""
        kind = (file, column, _NUMBERS.sub("#", reason))
        return self._kinds[kind] >= self.per_kind or len(self.kept) >= self.most

    def more(self, file: str, column: str | None, count: int, reason: str | None) -> None:
        """COUNT problems in FILE and COLUMN, not kept; REASON if they all share it."""
        if count <= 0:
            return
        self._more.setdefault((file, column), _Overflow()).add(count, reason)
        self.counted += count

    def __len__(self) -> int:
        return len(self.kept) + self.counted

    def __bool__(self) -> bool:
        return bool(self.kept) or self.counted > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.kept)

    def listing(self, order: Callable[[Problem], Any] | None = None) -> list[Problem]:
        """The kept problems (sorted by ORDER), each file's counted ones summed up after them."""
        kept = sorted(self.kept, key=order) if order is not None else list(self.kept)
        summaries = []
        for (file, column), more in self._more.items():
            where = "in this column" if column is not None else "in this file"
            if more.reason is not None:
                text = f"and {more.count:,} more of this kind {where}: {more.reason}"
            else:
                text = f"and {more.count:,} more problems {where}"
            summaries.append(Problem(file, None, column, None, text))
        if order is None:
            return kept + summaries
        position = {id(p): i for i, p in enumerate(kept)}
        # Each summary goes after the last kept problem of its file.
        last = {p.file: i for i, p in enumerate(kept)}
        placed = sorted(
            [(position[id(p)], 0, p) for p in kept] + [(last.get(s.file, len(kept)), 1, s) for s in summaries],
            key=lambda t: (t[0], t[1]),
        )
        return [p for _, _, p in placed]
