"""Header spellings and the small helpers every step of reading shares (folding, quoting a cell, column letters)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from graph.interchange._cells import CONTROL_CHARS
from graph.model import FILES, IGNORED_HEADERS, NODE_BY_FILE, REL_BY_FILE, Prop

_SHOWN = 200  # characters of a cell kept in a problem


def fold_header(header: Any) -> str:
    """Headers match whatever the spacing, full-width forms or English letter case."""
    return "".join(unicodedata.normalize("NFKC", str(header)).split()).casefold()


def file_columns(key: str) -> tuple[Prop, ...]:
    """The columns of one interchange file, in file order."""
    node = NODE_BY_FILE.get(key)
    return node.props if node else REL_BY_FILE[key].columns


def _spellings(key: str) -> dict[str, tuple[str, str]]:
    """Folded header -> (column name, the spelling as the model writes it)."""
    table: dict[str, tuple[str, str]] = {}
    for prop in file_columns(key):
        for spelling in (prop.name, prop.zh, *prop.headers):
            if spelling:
                table.setdefault(fold_header(spelling), (prop.name, spelling))
    return table


SPELLINGS = {key: _spellings(key) for key in FILES}
# Per file: every accepted header, folded, -> column name.
HEADERS: dict[str, dict[str, str]] = {key: {k: v[0] for k, v in table.items()} for key, table in SPELLINGS.items()}
# Bookkeeping columns nearly every Chinese ledger has; they carry nothing the graph keeps.
IGNORED = frozenset(fold_header(h) for h in IGNORED_HEADERS)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: Any) -> str:
    """A cell as a problem quotes it: as written, without surrounding spaces, and not too long."""
    text = CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value).strip())
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


@dataclass
class Table:
    """One interchange table, its cells still raw, one sequence per column: what `_assemble` validates."""

    file: str
    key: str
    numbers: list[int]  # row number of each data row
    text_only: bool
    columns: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (header, cells)

    def __len__(self) -> int:
        return len(self.numbers)
