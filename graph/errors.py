"""The package's exceptions: every error raised on purpose derives from `PairingError`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class PairingError(Exception):
    """Base of every error the package raises on purpose."""


class StoreError(PairingError):
    """The graph store failed or refused an operation."""


class StoreBusy(StoreError):
    """Another process (or another store object on the file) kept the embedded store locked for longer
    than this one may wait (`graph.store.locks`)."""


class QueryError(PairingError):
    """A named query is missing, malformed or was called with bad parameters."""


class ConfigError(PairingError):
    """The configuration (database address, credentials, options) is unusable."""


class ConflictError(PairingError):
    """The data changed since it was read, e.g. a match proposal made against an older graph."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located the way the user sees the file.

    `file` is the CSV file name ("villages.csv") or workbook and sheet ("ledger.xlsx:行政村");
    `row` is the spreadsheet row number (the header is row 1, the first data row is row 2);
    `column` is the header as written in the file; `value` is the offending cell as text.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.value is not None:
            return f"{where}: '{self.value}': {self.reason}"
        return f"{where}: {self.reason}"


class ValidationError(PairingError):
    """The input has problems; `problems` lists every one found, not just the first.

    A ledger with very many problems keeps the first few of each kind and sums up the rest in
    "and N more" entries; `total` counts every problem, those included.
    """

    def __init__(self, problems: list[Problem], total: int | None = None, report: Any = None) -> None:
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        # What reading decided and noted (graph.interchange.Report), when the problems come from reading a ledger.
        self.report = report
        super().__init__(self._message())

    def _message(self) -> str:
        count = self.total
        head = f"{count:,} problem{'s' if count != 1 else ''} in the input:"
        return "\n".join([head, *(str(p) for p in self.problems)])

    def __str__(self) -> str:
        return self._message()


class PermissionDenied(PairingError):
    """The signed-in account may not do this: a viewer writing, or a planner outside their counties."""
