"""Turning spreadsheet cells into canonical Python values, per column type.

A cell is first cleaned (`clean_text`: strip, undo the export's anti-formula quote), then
parsed by the column's `Parser`. CSV columns go through `_columns.convert_strings`, which
cleans and parses whole columns at once; XLSX cells, which may already be numbers or dates,
go one by one through `Parser.cell`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graph import formats
from graph.model import Prop, PType

MAX_CELL = 10_000
MIN_YEAR, MAX_YEAR = 1949, 2100
# A leading `'` before one of these was added on export to stop Excel reading the cell as a
# formula; `'` itself is in the set so that a value that really starts with `'` survives too.
FORMULA_START = "".join(formats.FORMULA_START)
ESCAPED_START = FORMULA_START + "'"
LIST_SEPARATORS = ";；,，、"
_TO_SEMICOLON = str.maketrans(dict.fromkeys(LIST_SEPARATORS, ";"))
# XML 1.0 cannot hold these, so an XLSX could not store them; nor does any real ledger contain them.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_THOUSANDS_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_INT_RE = re.compile(r"[+-]?\d+(?:\.0*)?")
FLOAT_CHARS = frozenset("0123456789+-.eE")
DATE_HINT = "expected 2024-03-01, 2024/3/1 or 2024年3月1日"
_BOOLS = {
    **dict.fromkeys(("true", "1", "是", "有", "yes", "y"), True),
    **dict.fromkeys(("false", "0", "否", "无", "no", "n"), False),
}
_INT_LIMIT = 2**63


class Bad(Exception):
    """A cell that cannot be converted; the message is the reason shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(raw: str) -> str | None:
    """Strip, drop the export's anti-formula quote and unify line breaks; empty is None."""
    s = raw.strip()
    if not s:
        return None
    if s[0] == "'" and len(s) > 1 and (s[1] in ESCAPED_START or (len(s) < 5 and fold(s[1:]) in VALUE_WORDS)):
        s = s[1:]
    if "\r" in s:
        # XML turns a lone CR into LF, so only LF survives an XLSX round trip.
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s


def fold(s: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (NFKC), for typed columns and ids."""
    return s if s.isascii() else unicodedata.normalize("NFKC", s).strip()


def native_text(raw: Any) -> str:
    """Text for a non-string cell (an XLSX number or date in a text column)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise Bad("not a finite number")
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else repr(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    raise Bad(f"unsupported cell content ({type(raw).__name__})")


def _check_int(value: int) -> int:
    if abs(value) >= _INT_LIMIT:
        raise Bad("too large")
    return value


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return set(s) <= FLOAT_CHARS


def parse_int(s: str) -> int:
    s = fold(s)
    if "," in s and _THOUSANDS_RE.fullmatch(s):
        s = s.replace(",", "")
    if not _INT_RE.fullmatch(s):
        raise Bad("not a whole number" if _is_number(s) else "not a number")
    return _check_int(int(s.split(".")[0]))


def native_int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise Bad("not a number")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise Bad("not a whole number")
        return _check_int(int(raw))
    return _check_int(raw)


def _check_float(value: float) -> float:
    if not math.isfinite(value):
        raise Bad("not a finite number")
    return value


def parse_float(s: str) -> float:
    s = fold(s)
    if "," in s and _THOUSANDS_RE.fullmatch(s):
        s = s.replace(",", "")
    # float() also takes 'nan', 'inf' and '1_0', none of which a ledger means as a number.
    if not set(s) <= FLOAT_CHARS:
        raise Bad("not a number")
    try:
        return _check_float(float(s))
    except ValueError:
        raise Bad("not a number") from None


def native_float(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise Bad("not a number")
    return _check_float(float(raw))


_BOOL_REASON = "not a yes/no value (expected true/false, 1/0, 是/否, 有/无, yes/no)"


def parse_bool(s: str) -> bool:
    found = _BOOLS.get(fold(s).casefold())
    if found is None:
        raise Bad(_BOOL_REASON)
    return found


def native_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    raise Bad(_BOOL_REASON)


def _check_year(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise Bad(f"year {d.year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return d


def parse_date(s: str) -> date:
    s = fold(s)
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        try:
            return _check_year(date.fromisoformat(s))
        except ValueError:
            pass  # 2024-02-30 and friends: the general path words the reason
    m = _DATE_RE.fullmatch(s) or _COMPACT_DATE_RE.fullmatch(s)
    if m is None:
        raise Bad(f"not a date ({DATE_HINT})")
    year, month, day = (int(g) for g in m.groups())
    try:
        found = date(year, month, day)
    except ValueError as exc:
        raise Bad(f"no such date ({exc})") from None
    return _check_year(found)


def native_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return _check_year(raw.date())
    if isinstance(raw, date):
        return _check_year(raw)
    raise Bad(f"not a date ({DATE_HINT})")


def split_list(s: str) -> list[str]:
    """Elements of a list cell, stripped, without blanks or repeats."""
    return list(dict.fromkeys(p.strip() for p in s.translate(_TO_SEMICOLON).split(";") if p.strip()))


class _Choices:
    """Canonical value or any alias (Chinese spellings), whatever the width or letter case."""

    def __init__(self, prop: Prop) -> None:
        self.table = {c.casefold(): c for c in prop.choices}
        for alias, value in prop.value_aliases.items():
            self.table[unicodedata.normalize("NFKC", alias).casefold()] = value
        allowed = ", ".join(prop.choices)
        if prop.value_aliases:
            allowed += " (or " + ", ".join(prop.value_aliases) + ")"
        self.reason = f"not one of {allowed}"

    def one(self, s: str) -> str:
        found = self.table.get(fold(s).casefold())
        if found is None:
            raise Bad(self.reason)
        return found

    def many(self, s: str) -> list[str]:
        parts = split_list(fold(s))
        bad = [p for p in parts if p.casefold() not in self.table]
        if bad:
            raise Bad(f"{'、'.join(bad)}: {self.reason}")
        return list(dict.fromkeys(self.table[p.casefold()] for p in parts))


def _text_native(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    return lambda raw: parse(native_text(raw))


@dataclass(frozen=True)
class Parser:
    """How one column's cells become values.

    `parse` takes cleaned, non-empty text; `native` takes a non-string XLSX cell value;
    `kind` tells `_columns` which whole-column fast path applies.
    """

    kind: str  # text, key, int, float, or other (few distinct values: parse each once)
    parse: Callable[[str], Any]
    native: Callable[[Any], Any]
    empty_list: bool  # a blank cell is [] (list columns) rather than None
    bounds: Bounds | None = None

    def blank(self) -> Any:
        return [] if self.empty_list else None

    def cell(self, raw: Any) -> Any:
        """One cell as the reader found it."""
        if isinstance(raw, str):
            s = clean_text(raw)
            value = self.blank() if s is None else self.parse(s)
        elif raw is None:
            return self.blank()
        else:
            value = self.native(raw)
        if self.bounds is not None and value is not None:
            check_bounds(value, self.bounds)
        return value


Bounds = tuple[float | None, float | None]  # the model's minimum and maximum of a number column


def check_bounds(value: float, bounds: Bounds) -> None:
    low, high = bounds
    if low is not None and value < low:
        if high is not None:
            raise Bad(f"must be between {low:g} and {high:g}")
        raise Bad("must not be negative" if low == 0 else f"must be at least {low:g}")
    if high is not None and value > high:
        raise Bad(f"must be between {low:g} and {high:g}" if low is not None else f"must be at most {high:g}")


def bounds_of(prop: Prop) -> Bounds | None:
    return None if prop.minimum is None and prop.maximum is None else (prop.minimum, prop.maximum)


def _identity(s: str) -> str:
    return s


def _key(s: str) -> str | None:
    return fold(s) or None


TEXT = Parser("text", _identity, native_text, False)
KEY = Parser("key", _key, lambda raw: _key(native_text(raw)), False)


def parser(prop: Prop) -> Parser:
    """The parser for a column of `prop`."""
    if prop.name == "id":
        return KEY
    if prop.type is PType.STRINGS:
        parse = _Choices(prop).many if prop.choices else split_list
        return Parser("other", parse, _text_native(parse), True)
    if prop.choices:
        one = _Choices(prop).one
        return Parser("other", one, _text_native(one), False)
    if prop.type is PType.STRING:
        return TEXT
    if prop.type is PType.INT:
        return Parser("int", parse_int, native_int, False, bounds_of(prop))
    if prop.type is PType.FLOAT:
        return Parser("float", parse_float, native_float, False, bounds_of(prop))
    if prop.type is PType.BOOL:
        return Parser("other", parse_bool, native_bool, False)
    if prop.type is PType.DATE:
        return Parser("other", parse_date, native_date, False)
    raise AssertionError(f"no parser for {prop.type}")


# --- values as ledgers write them (see `_normalise`, which applies these once per distinct cell) -------------

# Cells that say "nothing" in any column (folded, so ／ and － count too).
NOTHING_WORDS = frozenset(("暂无", "无", "—", "——", "–", "-", "--", "/"))
# Ends of a term that has not ended: in an end-date column, no end.
OPEN_END_WORDS = frozenset(("至今", "今", "现在", "在任", "长期"))
# Words the interchange writer quotes (`'无`) so that a name or remark that is one of them reads back as written.
VALUE_WORDS = NOTHING_WORDS | OPEN_END_WORDS

_MONTH_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_DATE_PART = r"\d{4}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*日?|\s*月)?"
_TERM_RE = re.compile(
    rf"({_DATE_PART})\s*(?:-|—+|–|~|至|到)\s*({_DATE_PART}|{'|'.join(sorted(OPEN_END_WORDS, key=len, reverse=True))})?"
)


def word_of(raw: Any) -> str | None:
    """A text cell folded as value words are compared (None for other cells)."""
    if not isinstance(raw, str):
        return None
    s = raw.strip()
    # A leading ' is the writer's: the text is meant as written (a remark that says 无), not as a value word.
    return None if not s or s[0] == "'" else fold(s)


def month_date(raw: Any) -> str | None:
    """2023年3月, 2023.3, 2023-03, 2023/3 as the first of that month (ISO text); None if the cell is not one.

    An XLSX cell typed 2023.3 is the number 2023.3: read the same way.
    """
    if isinstance(raw, float) and not isinstance(raw, bool) and math.isfinite(raw):
        raw = repr(raw)
    s = word_of(raw)
    if s is None:
        return None
    m = _MONTH_RE.fullmatch(s)
    if m is None:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}-01"


def split_term(raw: Any) -> tuple[str, str | None] | None:
    """A term in one cell (2024.01-2026.01, 2026年1月21日至2028年1月20日, 2024.3-至今) as (since, until or None)."""
    s = word_of(raw)
    if s is None or not any(c in s for c in "-—–~至到"):
        return None
    if _DATE_RE.fullmatch(s) or _MONTH_RE.fullmatch(s):
        return None  # one date, whose separators are dashes
    m = _TERM_RE.fullmatch(s)
    if m is None:
        return None
    until = m.group(2)
    return m.group(1), None if until is None or until in OPEN_END_WORDS else until
