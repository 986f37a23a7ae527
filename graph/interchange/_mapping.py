"""What reading a ledger decided, said once so that it can be shown, saved as a template and reused.

A county keeps its ledger in its own workbook: its own sheet names, title rows, two-level headers,
footers, merged cells, names instead of ids. Reading one is a pipeline of three steps, each with
its own module, that pass the objects below:

1. `_sources` turns a file into raw `Sheet`s (every non-empty row, merged ranges filled, hidden
   sheets and columns marked);
2. `_detect` decides, for each sheet, which table it is, which row(s) are its header, which column
   is which field, which rows are titles or footers: a `SheetMapping`. A `Template` (a department's
   saved corrections, `_template`) overrides what it would decide;
3. `_normalise` turns a sheet and its mapping into interchange `Table`s (ids derived, terms split,
   several units in one cell made one link each, references carrying their township), which
   `_assemble` validates into a Dataset as it always did.

Every decision a user should know of is a `Note` in the `Report`: nothing is skipped, guessed or
read in an unusual way without one. Problems (what refuses the import) stay `graph.errors.Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.model import NODE_BY_FILE, REL_BY_FILE

# A field of a table: a model column ("name", "since", "unit") or a reference's context, written
# "<reference column>.<property of the node it names>": "village.township" (the township of the village
# a link row names), "unit.label" (the kind of the pairing unit: 社区, 企业, 机关… picks its label),
# "leader.township", "cadre.birth_year", "need.village" (the village of the need a 项目清单 row names). Context
# narrows a reference by name to one node.
CONTEXT_PROPS = ("city", "county", "township", "label", "tier", "birth_year", "sent_by", "village")

# How a header was matched to its field (shown in the mapping; "fuzzy" matches are also notes).
HOW = ("exact", "alias", "fuzzy", "template")


@dataclass(frozen=True)
class FieldRef:
    """One field of one table. A sheet's fields may belong to two tables: a cadre roster (驻村第一书记花名册)
    carries the cadres' fields and their stations' (`FieldRef("stations", "village")`)."""

    table: str  # a model file name: "villages", "pairings", "stations"…
    field: str  # a model column name, or "<reference>.<context prop>"

    def text(self, sheet_table: str | None = None) -> str:
        """As a template writes it: "village.township", or "stations:village" when not the sheet's own table."""
        return self.field if self.table == sheet_table else f"{self.table}:{self.field}"

    @classmethod
    def parse(cls, text: str, sheet_table: str) -> FieldRef:
        table, _, name = text.rpartition(":")
        return cls(table or sheet_table, name)


@dataclass(frozen=True)
class ColumnMatch:
    index: int  # 0-based column index in the sheet
    header: str  # as written, two-level headers joined by "/": "结对单位/名称"
    ref: FieldRef
    how: str  # one of HOW


@dataclass(frozen=True)
class SkippedColumn:
    index: int
    header: str  # "" when the column has no header
    # A Note code: "column_hidden", "column_ignored", "column_unknown", "column_template", "column_merged".
    reason: str


@dataclass
class SheetMapping:
    """What detection decided for one sheet."""

    file: str  # as problems cite it: "ledger.xlsx:结对共建台账"
    title: str  # the sheet's title (or a CSV file's stem)
    table: str | None  # the model file it is read as; None: skipped (see `skipped`)
    # A Note code when table is None: "sheet_hidden", "sheet_unmatched", "sheet_empty", "sheet_template".
    skipped: str | None = None
    score: float = 0.0  # how well its header matched the table (1.0: every header known)
    header_rows: list[int] = field(default_factory=list)  # 1-based row numbers (two for a two-level header)
    columns: list[ColumnMatch] = field(default_factory=list)
    skipped_columns: list[SkippedColumn] = field(default_factory=list)
    # 1-based row numbers of the rows that are data (after the header, before the footers, not skipped).
    data_rows: list[int] = field(default_factory=list)
    # Rows above the header (titles), below the data (合计, 注：…, 填表人…) and subtotals or rows with only a 序号
    # within it, as (row number, note code: "title_row", "footer_row", "row_blank", text).
    skipped_rows: list[tuple[int, str, str]] = field(default_factory=list)
    # From the title rows: "filled_on" (填报日期, ISO date) and "filled_by" (填报单位).
    metadata: dict[str, str] = field(default_factory=dict)
    # The sheet's first rows as text, (row number, cells): the title and header rows and a few data rows, as
    # the app previews them next to the mapping (not in the JSON: the sheet itself is the user's).
    preview: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def tables(self) -> list[str]:
        """Every table the sheet feeds, its own first."""
        found = [self.table] if self.table else []
        for column in self.columns:
            if column.ref.table not in found:
                found.append(column.ref.table)
        return found


@dataclass(frozen=True)
class Note:
    """One thing the import did that the user should know of; it does not refuse the import.

    `code` is a key of NOTE_TEXT; `detail` fills its placeholders. `count` is how many cells or rows
    it covers (a note on a whole column of month-only dates is one note, its first row and its count).
    """

    code: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    count: int = 1

    def text(self, lang: str = "en") -> str:
        zh, en = NOTE_TEXT[self.code]
        detail = dict(self.detail)
        if "table" in detail:
            detail["table"] = table_word(str(detail["table"]), lang)
        said = (zh if lang == "zh" else en).format(count=self.count, value=self.value, **detail)
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行" if lang == "zh" else f" row {self.row}"
        if self.column is not None:
            where += f"，{self.column}列" if lang == "zh" else f", column {self.column}"
        return f"{where}: {said}"

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "count": self.count,
            "detail": self.detail,
            "text": self.text("en"),
            "text_zh": self.text("zh"),
        }


def table_word(key: str, lang: str) -> str:
    """A table's display word: 行政村 or villages (its file name, as English speakers of the format know it)."""
    if lang != "zh":
        return key
    spec = NODE_BY_FILE.get(key) or REL_BY_FILE.get(key)
    return spec.zh if spec is not None else key


# Each note's words, Chinese and English; {count} and {value} are always available, the rest come from detail.
NOTE_TEXT: dict[str, tuple[str, str]] = {
    "sheet_hidden": ("隐藏工作表，已跳过", "a hidden sheet, skipped"),
    "sheet_unmatched": (
        "表头与任何台账表都不符（如汇总表），已跳过",
        "its header matches no table (a summary?), skipped",
    ),
    "sheet_empty": ("空工作表，已跳过", "an empty sheet, skipped"),
    "sheet_template": ("按模板跳过此工作表", "skipped, as the template says"),
    "column_template": ("按模板跳过此列", "skipped, as the template says"),
    "column_duplicate": ("与另一列读作同一字段，未读取", "read as the same field as another column, not read"),
    "template_sheet_unused": (
        "模板中的工作表「{value}」不在文件中，未使用（工作表改名了？）",
        "the template's sheet {value} is not in the file, not used (renamed?)",
    ),
    "sheet_table": ("按{table}读取（表头第{rows}行）", "read as {table} (header in row {rows})"),
    "title_row": ("标题行，已跳过", "a title row above the header, skipped"),
    "metadata": ("读取{name}：{value}", "read {name}: {value}"),
    "footer_row": ("表尾行（合计、注、填表人等），已跳过", "a footer row (total, note, signature), skipped"),
    "row_blank": ("空行（只有序号等记录用列），已跳过", "a blank row (only 序号 or the like), skipped"),
    "column_hidden": ("隐藏列，已跳过", "a hidden column, skipped"),
    "column_ignored": ("记录用列（序号、备注等），已跳过", "a bookkeeping column (序号, 备注…), skipped"),
    "column_merged": (
        "与左列同一合并表头下的列，已跳过",
        "a column under the same merged header as the column left of it, skipped",
    ),
    "column_unknown": ("未知列，已跳过{hint}", "an unknown column, skipped{hint}"),
    "header_fuzzy": ("表头按近似匹配读作{field}", "header read as {field} (a near match)"),
    "merged_filled": (
        "合并单元格{range}：每行按首格的值读取",
        "merged cells {range}: every row read with the first cell's value",
    ),
    "month_date": ("{count}个只有年月的日期按当月1日读取", "{count} month-only dates read as the first of the month"),
    "open_end": ("{count}个“至今”类结束时间按未结束读取", "{count} ends such as 至今 read as still running"),
    "nothing_word": ("{count}个“暂无”类单元格按空白读取", "{count} cells such as 暂无 read as blank"),
    "term_split": ("{count}个起止时间拆分为开始和结束日期", "{count} terms in one cell split into since and until"),
    "cell_split": ("{count}个单元格含多个单位，每个单位一条记录", "{count} cells naming several units, one link each"),
    "id_from_code": ("编号取自{column}", "ids taken from {column}"),
    "id_derived": ("无编号列：编号由县、乡镇和名称生成", "no id column: ids derived from county, township and name"),
    "id_derived_item": (
        "无编号列：编号由所属村（单位）的编号和事项名称生成",
        "no id column: ids derived from the id of the item's village (or unit) and the item",
    ),
    "id_derived_cadre": (
        "无编号列：干部编号由姓名、出生年份和派出单位（花名册有县（市、区）列时加上所在县）生成",
        "no id column: cadre ids derived from name, birth year and sending unit (and a roster's county, if it has one)",
    ),
    "id_derived_partly": (
        "{count}行无{column}：编号由县、乡镇和名称生成",
        "{count} rows without {column}: ids derived from county, township and name",
    ),
    "cadre_repeated": (
        "{count}名干部出现在多行，各按一人读取",
        "{count} cadres on several rows, each read as one cadre",
    ),
}


# Notes that restate a sheet's mapping (a skipped sheet, row or column, the header found): the mapping shows
# them in place, so a listing of the mapping lists only the other notes after it (`Report.further`).
IN_MAPPING = frozenset(
    {
        "sheet_hidden",
        "sheet_unmatched",
        "sheet_empty",
        "sheet_template",
        "sheet_table",
        "title_row",
        "metadata",
        "footer_row",
        "row_blank",
        "column_hidden",
        "column_ignored",
        "column_merged",
        "column_unknown",
        "column_template",
        "column_duplicate",
    }
)
assert set(NOTE_TEXT) >= IN_MAPPING


@dataclass
class Report:
    """Every sheet's mapping and every note of one import: what `pairing validate` prints and the app shows."""

    mappings: list[SheetMapping] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # The ledger's own: "filled_on" (ISO date) and "filled_by", from the first sheet whose title rows have them.
    metadata: dict[str, str] = field(default_factory=dict)
    # The value words read in coded columns, per model column (tier: 示范村 → strong), as a template keeps them.
    words: dict[str, dict[str, str]] = field(default_factory=dict)

    def note(self, code: str, file: str, **kwargs: Any) -> None:
        if code not in NOTE_TEXT:
            raise KeyError(f"no words for note {code}")
        self.notes.append(Note(code, file, **kwargs))

    def lines(self, lang: str = "en") -> list[str]:
        return [n.text(lang) for n in self.notes]

    @property
    def further(self) -> list[Note]:
        """The notes a listing of the mappings does not already show: value words, split cells, ids, fuzzy headers."""
        return [n for n in self.notes if n.code not in IN_MAPPING]

    def as_json(self) -> dict[str, Any]:
        return {
            "metadata": self.metadata,
            "words": self.words,
            "sheets": [mapping_json(m) for m in self.mappings],
            "notes": [n.as_json() for n in self.notes],
        }


def mapping_json(mapping: SheetMapping) -> dict[str, Any]:
    return {
        "file": mapping.file,
        "title": mapping.title,
        "table": mapping.table,
        "skipped": mapping.skipped,
        "score": round(mapping.score, 3),
        "header_rows": mapping.header_rows,
        "columns": [
            {"index": c.index, "header": c.header, "field": c.ref.text(mapping.table), "how": c.how}
            for c in mapping.columns
        ],
        "skipped_columns": [
            {"index": s.index, "header": s.header, "reason": s.reason} for s in mapping.skipped_columns
        ],
        "skipped_rows": [{"row": r, "reason": code, "text": text} for r, code, text in mapping.skipped_rows],
        "metadata": mapping.metadata,
    }


@dataclass
class SheetTemplate:
    """A department's decision for one sheet, by its title: overrides detection where given."""

    title: str
    table: str | None  # None: skip the sheet
    header_rows: list[int] | None = None  # None: detect
    # Header as written (two levels joined by "/") -> field text (FieldRef.text), or None to skip the column.
    columns: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Template:
    """Saved corrections: per sheet title, and value words per model column ("示范村" -> "strong" for tier)."""

    sheets: dict[str, SheetTemplate] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Reading:
    """The outcome of reading a ledger: the Dataset (None if it has problems), its problems, and the report."""

    dataset: Any  # graph.dataset.Dataset | None (Any: the dataset module imports nothing from here)
    problems: list[Any]  # graph.errors.Problem, the kept ones
    total: int  # every problem, the counted ones included
    report: Report

    @property
    def ok(self) -> bool:
        return self.dataset is not None
