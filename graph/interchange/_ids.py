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
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from graph.errors import Problem
from graph.interchange._headers import Table, blank, fold_header, show
from graph.interchange._limits import ProblemLog
from graph.interchange._mapping import Report
from graph.model import NODE_BY_FILE

# The first letter of an id, per table, as the seed's ids have it (V000001, K000001…).
PREFIX = {
    "villages": "V", "communities": "C", "enterprises": "E", "organisations": "O", "cadres": "K", "needs": "N",
    "resources": "R",
}  # fmt: skip
# Node tables whose rows are items of another node (a village's need, a unit's resource): without an id column,
# an id is derived from that node's id and the item, once the column naming it is resolved (`_assemble`).
OF_NODE = {"needs": "village", "resources": "unit"}


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


def give_ids(
    table: Table, report: Report, problems: ProblemLog | None = None, county: Sequence[Any] | None = None
) -> bool:
    """Fill the id column of a node table that has none, or the blanks of an official code column (a county
    has codes for some villages only); False if there is nothing to derive ids from. COUNTY: see `_derive`."""
    if "id" in table.columns:
        if "name" in table.columns and _official(table):
            _fill_codes(table, report)
        return True
    if "name" not in table.columns:
        return False
    ids: list[str | None] = [None] * len(table)
    if table.key == "enterprises" and "credit_code" in table.columns:
        header, codes = table.columns["credit_code"]
        for i, code in enumerate(codes):
            ids[i] = key_text(code).upper() or None
        official = sum(1 for i in ids if i is not None)
        if official:
            report.note("id_from_code", table.file, column=header, count=official, detail={"column": header})
    derived = _derive(table, ids, problems, county)
    if derived:
        kind = (
            "id_derived_cadre" if table.key == "cadres" else "id_derived_item" if table.key in OF_NODE else "id_derived"
        )
        report.note(kind, table.file, count=derived)
    fill = "" if table.text_only else None  # CSV cells are all text
    table.columns["id"] = (table.columns["name"][0], [fill if i is None else i for i in ids])
    return True


def _official(table: Table) -> bool:
    """The table's id column is an official code (统计用区划代码), not an id of the ledger's own."""
    node = NODE_BY_FILE.get(table.key)
    header = fold_header(table.columns["id"][0]).rpartition("/")[2].strip("*※★")
    return node is not None and any(fold_header(code) in header for code in node.official_codes)


def _fill_codes(table: Table, report: Report) -> None:
    header, cells = table.columns["id"]
    if not any(blank(v) for v in set(cells)):
        report.note("id_from_code", table.file, column=header, count=len(cells), detail={"column": header})
        return
    ids: list[str | None] = [None if blank(v) else v for v in cells]
    official = sum(1 for i in ids if i is not None)
    derived = _derive(table, ids)
    if official:
        report.note("id_from_code", table.file, column=header, count=official, detail={"column": header})
    if derived:
        report.note("id_derived_partly", table.file, column=header, count=derived, detail={"column": header})
    fill = "" if table.text_only else None
    table.columns["id"] = (header, [fill if i is None else i for i in ids])


def _derive(
    table: Table, ids: list[str | None], problems: ProblemLog | None = None, county: Sequence[Any] | None = None
) -> int:
    """Derived ids for the rows of IDS still without one and with a name; how many.

    COUNTY: a roster's 县（市、区） per row, for cadres: a unit's name (城南社区) recurs from county to county, so
    that in a city's or province's roster the unit a cadre was sent by is its name in the row's county.
    """
    names = [key_text(v) for v in table.columns["name"][1]]
    derived = 0
    if table.key == "cadres":
        years, units = _cells(table, "birth_year"), _cells(table, "sent_by")
        written = units
        told = [key_text(y) for y in years]
        if county is not None:
            told = [f"{year}\x1f{key_text(c)}" for year, c in zip(told, county, strict=True)]
        units, twofold = _units_filled(names, told, [key_text(u) for u in units])
        if twofold and problems is not None:
            _unit_unknown(table, names, told, units, written, twofold, problems)
        places = [""] * len(table) if county is None else [key_text(c) for c in county]
        for i, (name, year, unit, place) in enumerate(zip(names, years, units, places, strict=True)):
            if name and ids[i] is None:
                # Two people may share a name, even a birth year: the unit that sent them tells them apart.
                parts = [name, "y:" + key_text(year), "u:" + unit]
                ids[i] = derived_id(PREFIX["cadres"], *parts, *(["c:" + place] if county is not None else []))
                derived += 1
        return derived
    if table.key in OF_NODE:
        # A placeholder until the item's village or unit is resolved (`item_id`); marked so that it is replaced.
        table.derived = True
        owners = [key_text(v) for v in _cells(table, OF_NODE[table.key])]
        for i, (name, owner) in enumerate(zip(names, owners, strict=True)):
            if name and ids[i] is None:
                ids[i] = derived_id(PREFIX[table.key], "written:" + owner, name)
                derived += 1
        return derived
    counties, townships = _cells(table, "county"), _cells(table, "township")
    prefix = PREFIX[table.key]
    for i, (name, county, township) in enumerate(zip(names, counties, townships, strict=True)):
        if name and ids[i] is None:
            ids[i] = derived_id(prefix, key_text(county), key_text(township), name)
            derived += 1
    return derived


def item_id(key: str, owner: str, name: Any) -> str:
    """The id of a village's need or a unit's resource in a ledger without ids: the same next month, whether the
    ledger names the village by id or by name, as long as the item is spelled the same."""
    return derived_id(PREFIX[key], owner, key_text(name))


def _units_filled(
    names: list[str], years: list[str], units: list[str]
) -> tuple[list[str], dict[tuple[str, str], set[str]]]:
    """Each row's sending unit, a blank one taken from the cadre's other rows where they name one unit only
    (a roster writes 派出单位 on the cadre's first row), so that the rows stay one cadre; and the (name, birth
    year) written with a blank unit and with several units, whose blank rows could be any of them."""
    keys = set(zip(names, years, units, strict=True))
    named: dict[tuple[str, str], set[str]] = {}
    for name, year, unit in keys:
        if unit:
            named.setdefault((name, year), set()).add(unit)
    lone = {person: next(iter(found)) for person, found in named.items() if len(found) == 1}
    blanks = {(name, year) for name, year, unit in keys if not unit}
    twofold = {person: named[person] for person in blanks if len(named.get(person, ())) > 1}
    if not blanks & lone.keys():
        return units, twofold
    filled = [unit or lone.get((name, year), "") for name, year, unit in zip(names, years, units, strict=True)]
    return filled, twofold


def _unit_unknown(
    table: Table,
    names: list[str],
    years: list[str],
    units: list[str],
    written: list[Any],
    twofold: dict[tuple[str, str], set[str]],
    problems: ProblemLog,
) -> None:
    """A row naming no 派出单位 for a name and birth year that other rows give two units: which cadre is it?"""
    header = table.columns["sent_by"][0] if "sent_by" in table.columns else table.columns["name"][0]
    shown = {person: "、".join(sorted(found)) for person, found in twofold.items()}
    for i, (name, year, unit) in enumerate(zip(names, years, units, strict=True)):
        if not unit and (name, year) in twofold:
            reason = (
                f"{show(table.columns['name'][1][i])} of this birth year is sent by {shown[name, year]} on other rows:"
                " write which unit sent this one"
            )
            problems.append(
                Problem(
                    table.file, table.numbers[i], header, show(written[i]) if not blank(written[i]) else None, reason
                )
            )


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
