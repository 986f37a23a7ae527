"""Ids for ledgers without an id column, and one cadre per person in a combined roster.

A county ledger names its villages and units; it has no id column. An id is then the official
code where the sheet has one (an enterprise's 统一社会信用代码), else derived from what names the
node in the county (county, township, name): the same next month, whatever the row order, so that a
re-import updates the nodes rather than adding new ones.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from functools import lru_cache
from typing import Any

from graph.errors import Problem
from graph.interchange._headers import Table, blank, show
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import Report

# The first letter of an id, per table, as the seed's ids have it (V000001, K000001…).
PREFIX = {"villages": "V", "communities": "C", "enterprises": "E", "organisations": "O", "cadres": "K"}


def key_text(raw: Any) -> str:
    """A cell as ids and comparisons read it: NFKC-folded, without spaces, letter case ignored; "" if blank."""
    if raw.__class__ is str:
        return _folded(raw)
    if blank(raw):
        return ""
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        raw = int(raw)  # 1985.0 from a number cell is the 1985 a text cell says
    return "".join(unicodedata.normalize("NFKC", str(raw)).split()).casefold()


@lru_cache(maxsize=1 << 17)
def _folded(text: str) -> str:
    # A ledger's names, townships and units repeat on row after row (815,000 calls for a province).
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def derived_id(prefix: str, *parts: str) -> str:
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=5).hexdigest()
    return prefix + digest.upper()


def _cells(table: Table, name: str) -> list[Any]:
    found = table.columns.get(name)
    return list(found[1]) if found is not None else [None] * len(table)


def give_ids(table: Table, report: Report) -> bool:
    """Fill the id column of a node table that has none; False if there is nothing to derive ids from."""
    if "id" in table.columns:
        return True
    if "name" not in table.columns:
        return False
    names = [key_text(v) for v in table.columns["name"][1]]
    ids: list[str | None] = [None] * len(table)
    if table.key == "enterprises" and "credit_code" in table.columns:
        header, codes = table.columns["credit_code"]
        for i, code in enumerate(codes):
            ids[i] = key_text(code).upper() or None
        official = sum(1 for i in ids if i is not None)
        if official:
            report.note("id_from_code", table.file, column=header, count=official, detail={"column": header})
    derived = 0
    if table.key == "cadres":
        years, units = _cells(table, "birth_year"), _cells(table, "sent_by")
        for i, (name, year, unit) in enumerate(zip(names, years, units, strict=True)):
            if name:
                # Two people may share a name: their birth year, else their sending unit, tells them apart.
                told = "y:" + key_text(year) if not blank(year) else "u:" + key_text(unit)
                ids[i] = derived_id(PREFIX["cadres"], name, told)
                derived += 1
    else:
        counties, townships = _cells(table, "county"), _cells(table, "township")
        prefix = PREFIX[table.key]
        for i, (name, county, township) in enumerate(zip(names, counties, townships, strict=True)):
            if name and ids[i] is None:
                ids[i] = derived_id(prefix, key_text(county), key_text(township), name)
                derived += 1
    if derived:
        report.note("id_derived_cadre" if table.key == "cadres" else "id_derived", table.file, count=derived)
    fill = "" if table.text_only else None  # CSV cells are all text
    table.columns["id"] = (table.columns["name"][0], [fill if i is None else i for i in ids])
    return True


def merge_cadres(cadres: Table, problems: ProblemLog, report: Report) -> list[Any]:
    """A roster row per station: one cadre per id; returns each row's cadre id, for the stations table.

    Rows of the same cadre must agree on the cadre's fields; a blank cell takes the other row's value.
    """
    ids = list(cadres.columns["id"][1])
    first: dict[str, int] = {}
    kept: list[int] = []
    repeated: dict[str, int] = {}
    columns = {name: list(cells) for name, (_, cells) in cadres.columns.items()}
    for i, cadre in enumerate(ids):
        key = key_text(cadre)
        if not key or key not in first:
            if key:
                first[key] = i
            kept.append(i)
            continue
        at = first[key]
        repeated.setdefault(key, i)
        for name, cells in columns.items():
            mine, theirs = cells[at], cells[i]
            if blank(theirs) or name == "id":
                continue
            if blank(mine):
                cells[at] = theirs
            elif key_text(mine) != key_text(theirs):
                header = cadres.columns[name][0]
                reason = f"the same cadre ({show(cadre)}) as row {cadres.numbers[at]}, which says {show(mine)}"
                problems.append(Problem(cadres.file, cadres.numbers[i], header, show(theirs), reason))
    if repeated:
        row = cadres.numbers[min(repeated.values())]
        report.note("cadre_repeated", cadres.file, row=row, count=len(repeated))
        cadres.numbers = [cadres.numbers[i] for i in kept]
        cadres.columns = {n: (cadres.columns[n][0], [cells[i] for i in kept]) for n, cells in columns.items()}
    return ids
