"""Header spellings and the small helpers every step of reading shares (folding, quoting a cell, column letters)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from graph.interchange._cells import CONTROL_CHARS
from graph.interchange._mapping import FieldRef
from graph.model import COLUMN_RELS, FILES, IGNORED_HEADERS, NODE_BY_FILE, NODE_BY_LABEL, REL_BY_FILE, Prop, RelSpec

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
    # A reference column's context, by the property of the node it names: what narrows a name to one node.
    # {"village": {"township": (header, cells)}, "unit": {"label": (header, cells)}}.
    context: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict)
    # Ids derived from the node a link column names (a need's village): placeholders until it is resolved.
    derived: bool = False

    def __len__(self) -> int:
        return len(self.numbers)


# A unit in brackets at the end of a header (户籍人口（人）, 资金(万元)): ledgers add or drop it at will, so
# matching ignores it, unless the header's unit and the model's differ (村集体收入(元) is not in 万元).
_UNIT = re.compile(r"\((万元|千元|亿元|元|万人|人|名|个|户|亩|岁|次|项|家|座|%|公顷|平方米|年)\)$")


def fold_unit(folded: str) -> tuple[str, str | None]:
    """A folded header without its bracketed unit, and the unit (None if none)."""
    found = _UNIT.search(folded)
    return (folded[: found.start()], found.group(1)) if found else (folded, None)


@dataclass(frozen=True)
class Spelling:
    ref: FieldRef
    written: str  # as the model writes it, for "did you mean"
    unit: str | None  # the model spelling's unit, if it has one


def _ref_spellings(prop: Prop) -> list[str]:
    return [s for s in dict.fromkeys((prop.name, prop.zh, *prop.headers)) if s]


def _field_spellings(key: str) -> list[tuple[FieldRef, list[str]]]:
    """Every field of a table with its spellings, in priority order: the table's columns, its references'
    context ("village.township"), and its references written as two levels (结对单位 over 名称, 带领村 over 类别)
    or in one header (带领村类别)."""
    fields = [(FieldRef(key, p.name), _ref_spellings(p)) for p in file_columns(key)]
    rel = REL_BY_FILE.get(key)
    if rel is None:
        # A node file's link column (a need's village, a resource's unit) is narrowed like a link file's end.
        for column in (r for r in COLUMN_RELS if r.file == key and r.context):
            fields += _context_spellings(key, column, {column.dst.name: (column.dst, column.dst_labels)})
        return fields
    ends = {rel.src.name: (rel.src, rel.src_labels), rel.dst.name: (rel.dst, rel.dst_labels)}
    return fields + _context_spellings(key, rel, ends)


def _context_spellings(
    key: str, rel: RelSpec, ends: dict[str, tuple[Prop, tuple[str, ...]]]
) -> list[tuple[FieldRef, list[str]]]:
    fields: list[tuple[FieldRef, list[str]]] = []
    for column, prop in rel.context:
        own = [f"{column}.{prop.name}", *_ref_spellings(prop)[1:]]
        fields.append((FieldRef(key, f"{column}.{prop.name}"), own))
    for column, (end, labels) in ends.items():
        names = [s for label in labels for s in _ref_spellings(NODE_BY_LABEL[label].prop("name"))[1:]]
        parents = _ref_spellings(end)[1:]
        # Two levels (带领村 over 村名), or one header (带领村村名, 结对单位名称).
        fields.append((FieldRef(key, column), [f"{p}{sep}{n}" for sep in ("/", "") for p in parents for n in names]))
    for column, prop in rel.context:
        parents = _ref_spellings(ends[column][0])[1:]
        pairs = [f"{p}/{s}" for p in parents for s in _ref_spellings(prop)[1:]]
        # Flat, one level: the end's spelling and the property's in one header (带领村类别, 被带村所属乡镇).
        pairs += [f"{p}{s}" for p in parents for s in _ref_spellings(prop)[1:]]
        fields.append((FieldRef(key, f"{column}.{prop.name}"), pairs))
    return fields


def _carried(key: str) -> list[tuple[FieldRef, list[str]]]:
    """The fields of the link files a node file carries (a roster's stations), but not their reference
    to the row's own node (the row is the cadre) nor that reference's context."""
    node = NODE_BY_FILE.get(key)
    if node is None:
        return []
    fields = []
    for other in node.carries:
        rel = REL_BY_FILE[other]
        own_end = rel.src.name if node.label in rel.src_labels else rel.dst.name
        for ref, spellings in _field_spellings(other):
            if ref.field.partition(".")[0] != own_end:
                fields.append((ref, spellings))
    return fields


def _lookup(fields: list[tuple[FieldRef, list[str]]]) -> dict[str, Spelling]:
    """Folded spelling -> field; the first field to claim a spelling keeps it; spellings as written come
    before the same without their unit."""
    table: dict[str, Spelling] = {}
    for ref, spellings in fields:
        for spelling in spellings:
            table.setdefault(fold_header(spelling), Spelling(ref, spelling, None))
    for ref, spellings in fields:
        for spelling in spellings:
            bare, unit = fold_unit(fold_header(spelling))
            if unit is not None:
                table.setdefault(bare, Spelling(ref, spelling, unit))
    return table


def _with_carried(key: str) -> dict[str, Spelling]:
    own = _field_spellings(key)
    carried = _carried(key)
    # A property both files have is the carried file's in a roster: 驻村身份 is the role of the cadre's
    # station, which a roster row describes, not a role of the cadre apart from it.
    both = {ref.field for ref, _ in carried} & {ref.field for ref, _ in own}
    shared = [(ref, spellings) for ref, spellings in carried if ref.field in both]
    return _lookup([*shared, *own, *carried])


# Per file: its fields' spellings (FIELDS), and with the fields of the files it carries (ROSTER; the
# same as FIELDS for a file that carries none).
FIELDS: dict[str, dict[str, Spelling]] = {key: _lookup(_field_spellings(key)) for key in FILES}
ROSTER: dict[str, dict[str, Spelling]] = {key: _with_carried(key) for key in FILES}
