"""A programme written as a county organisation department really keeps it: the world the county-workbook reader meets.

`write(dataset, path, quirks)` writes a `Dataset` as one .xlsx workbook with any set of the quirks of
issue 12 (`Quirks`): the county's own sheet names, title rows with 填报单位 and 填报日期, two-level merged
headers, township and county cells merged down, footers, blank rows, a 序号 column, a hidden 查重辅助列,
a hidden drop-down sheet, a summary sheet, the county's own headers and value words, month-only dates,
至今 and 暂无, terms in one cell, two units in one cell, references by name only with repeated village
names, a combined cadre roster, hostile names. Where the programme has them, the 三张清单 and the practical
projects are sheets too (需求清单, 资源清单, 项目清单 naming each need by item, village and township, and
实事项目台账). With no quirk at all it is the interchange format itself (sheet per file, model headers, ids),
which the reader has always read exactly.

Where a quirk loses or changes information (a month-only date has no day; 幸福村 is a rename), the
`Written.expected` dataset is what the workbook truly says. Compare what a reader returns with it through
`natural`, which names every node and link by what a county ledger names it by (no ids: the reader
derives those).

openpyxl's write-only mode is the only one fast enough at province scale (about 450k rows), but it
cannot merge cells; the merges are written into each sheet's XML after saving.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from graph.dataset import Dataset, Row
from graph.model import NODE_BY_LABEL, REL_BY_TYPE, UNIT_LABELS, Prop, display

AS_OF = dt.date(2025, 12, 31)
FILLED_ON = dt.date(2026, 1, 8)
REPEATED_NAME = "幸福村"
FOOTER_NOTE = (
    "注：1. 村类别按示范村、一般村、软弱涣散村等填写；2. 日期按“年.月”或“年月日”填写；3. 本表由各乡镇汇总上报。"
)
SIGNATURE = "填表人：王某某        审核人：李某某        联系电话：0710-1234567"


@dataclass(frozen=True)
class Quirks:
    """Which of a real county workbook's ways to write. All off: the interchange format."""

    sheet_names: bool = False  # 村基本情况, 结对共建台账… instead of villages, pairings…
    extra_sheets: bool = False  # 汇总 (counts per township), a hidden drop-down sheet, an empty Sheet1
    titles: bool = False  # merged title row and a "表5：… 填报单位（盖章）：… 填报日期：…" line above the header
    two_level: bool = False  # 结对单位 over 名称|类型, 帮扶情况 over …, 驻村情况 over …, 带领村/被带村 over 村名|类别
    merged: bool = False  # county and township cells merged down over their rows
    footers: bool = False  # 合计 row, 注：1. …, 填表人/审核人 line
    blank_rows: bool = False  # blank rows between township groups
    serial: bool = False  # a 序号 column
    hidden_column: bool = False  # a hidden 查重辅助列
    county_headers: bool = False  # 街道（乡镇）, 村类别, 户籍人口（人）, 结对时间… instead of the model's names
    mixed_brackets: bool = False  # every other bracketed header with half-width brackets
    month_dates: bool = False  # some dates month-only (2023年3月, 2023.3): read as the 1st
    open_ends: bool = False  # an open end written 至今 / 今 / 在任
    nothing_words: bool = False  # an empty optional cell written 暂无 / 无 / — / ／
    terms: bool = False  # a station's since and until in one 任职时间 cell
    ledger_words: bool = False  # 示范村, 党政机关, 区级, 是/否, 组织定对…; lists joined by 、; dates as text
    units_in_one_cell: bool = False  # "区财政局、区教育局" for two pairings with the same village and props
    names_only: bool = False  # no id anywhere; links name their ends, with county, township and unit type
    repeated_names: bool = False  # three villages in three townships renamed 幸福村
    # Cadres and stations in one 驻村第一书记花名册 sheet. Its 驻村身份 is the station's: the cadre's own role is
    # not in it (issue 12 lists the roster's cadre fields as 姓名, 出生年份, 学历, 派出单位, 专长).
    roster: bool = False
    codes: bool = False  # 统计用区划代码 / 社区代码 columns where node ids are 12-digit official codes
    hostile: bool = False  # HTML, script, =formula and Cypher quote tricks in names

    @classmethod
    def every(cls, *, hostile: bool = False) -> Quirks:
        """Every quirk at once (the hostile names only when asked)."""
        return cls(**{f.name: True for f in dataclasses.fields(cls)}).replace(hostile=hostile)

    @classmethod
    def only(cls, *names: str) -> Quirks:
        return cls(**dict.fromkeys(names, True))

    def replace(self, **changes: bool) -> Quirks:
        return dataclasses.replace(self, **changes)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]


@dataclass
class Written:
    """What `write` wrote: where, what it means, and what a test may check the workbook for."""

    path: Path
    expected: Dataset
    sheets: dict[str, str]  # model file ("villages", "stations"…) -> the sheet holding it
    merges: dict[str, list[str]]  # sheet -> merged ranges ("A1:L1")
    hidden_sheets: list[str]
    hidden_columns: dict[str, list[str]]  # sheet -> column letters
    header_rows: dict[str, list[int]]  # sheet -> 1-based header row numbers
    data_rows: dict[str, list[int]]  # sheet -> 1-based row numbers of data rows
    footer_rows: dict[str, list[int]]
    blank_rows: dict[str, list[int]]
    month_dates: int  # how many month-only dates the workbook holds (a term may hold two in one cell)
    month_cells: int = 0  # how many cells hold one or two month-only dates
    renamed: dict[str, str] = field(default_factory=dict)  # village id -> its new name (repeated_names)
    filled_by: str = ""
    filled_on: dt.date = FILLED_ON


# --- natural keys ------------------------------------------------------------------------------------

NaturalKey = tuple[Any, ...]


def node_key(label: str, row: Row, sender: NaturalKey | None = None) -> NaturalKey:
    """How a county ledger identifies a node: a village by (county, township, name), a unit by its label and
    (county, township, name), a cadre by name, birth year and the unit that sent it (`sender`'s key), a need or
    a resource by its village's or unit's key (`sender`) and its item."""
    if label == "Cadre":
        return (label, row.get("name"), row.get("birth_year"), sender)
    if label in ITEM_OWNER:
        return (label, sender, row.get("name"))
    return (label, row.get("county"), row.get("township"), row.get("name"))


# The link naming the node a need or resource is an item of.
ITEM_OWNER = {"Need": "NEED_OF", "Resource": "OFFERED_BY"}


def node_keys(dataset: Dataset) -> dict[tuple[str, str], NaturalKey]:
    """(label, id) -> natural key, for every node of `dataset`."""
    keys = {
        (label, row["id"]): node_key(label, row)
        for label, rows in dataset.nodes.items()
        if label != "Cadre" and label not in ITEM_OWNER
        for row in rows
    }
    senders = {link["src"]: keys.get((link["dst_label"], link["dst"])) for link in dataset.links.get("SENT_BY", [])}
    for row in dataset.nodes.get("Cadre", []):
        keys[("Cadre", row["id"])] = node_key("Cadre", row, senders.get(row["id"]))
    for label, rel in ITEM_OWNER.items():
        owners = {link["src"]: keys.get((link["dst_label"], link["dst"])) for link in dataset.links.get(rel, [])}
        for row in dataset.nodes.get(label, []):
            keys[(label, row["id"])] = node_key(label, row, owners.get(row["id"]))
    return keys


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _props(row: Row, props: Iterable[Prop], skip: tuple[str, ...]) -> dict[str, Any]:
    """Every property, as a store gives it back: a list left out is empty, anything else left out is None."""
    out = {p.name: () if p.is_list else None for p in props}
    out.update({k: _freeze(v) for k, v in row.items() if k not in skip})
    for p in props:
        if p.is_list and out[p.name] is None:
            out[p.name] = ()
    return out


def natural(dataset: Dataset) -> dict[str, Any]:
    """The dataset without ids: nodes by natural key -> their other properties, links as a sorted list of
    (source key, target key, properties). Two datasets that say the same thing compare equal."""
    keys = node_keys(dataset)
    out: dict[str, Any] = {}
    for label, rows in dataset.nodes.items():
        stored = NODE_BY_LABEL[label].stored
        nodes: dict[NaturalKey, dict[str, Any]] = {}
        for row in rows:
            key = keys[(label, row["id"])]
            if key in nodes:
                raise ValueError(f"two {label} nodes are both {key}: natural keys must be unique")
            nodes[key] = _props(row, stored, ("id",))
        out[label] = nodes
    for rel, links in dataset.links.items():
        found = []
        for link in links:
            src = keys.get((link["src_label"], link["src"]), ("?", link["src"]))
            dst = keys.get((link["dst_label"], link["dst"]), ("?", link["dst"]))
            props = tuple(sorted(_props(link, REL_BY_TYPE[rel].props, _ENDS).items()))
            found.append((src, dst, props))
        out[rel] = sorted(found, key=repr)
    return out


_ENDS = ("src", "src_label", "dst", "dst_label")


def natural_differences(got: Dataset, want: Dataset, limit: int = 20) -> list[str]:
    """What differs between two datasets by natural keys, one line each (empty: the same)."""
    a, b = natural(got), natural(want)
    out: list[str] = []
    for table in sorted(set(a) | set(b)):
        x, y = a.get(table, {}), b.get(table, {})
        if isinstance(x, dict) or isinstance(y, dict):
            x, y = x or {}, y or {}
            for key in sorted(set(x) | set(y), key=repr):
                if key not in x:
                    out.append(f"{table}: missing {key}")
                elif key not in y:
                    out.append(f"{table}: unexpected {key}")
                elif x[key] != y[key]:
                    diff = {k: (x[key].get(k), y[key].get(k)) for k in set(x[key]) | set(y[key])}
                    out.append(
                        f"{table} {key}: " + ", ".join(f"{k} {g!r} != {w!r}" for k, (g, w) in diff.items() if g != w)
                    )
        else:
            cx, cy = Counter(x or []), Counter(y or [])
            out += [f"{table}: unexpected {k}" for k in cx - cy] + [f"{table}: missing {k}" for k in cy - cx]
    return out[:limit]


def county_part(dataset: Dataset, county: str) -> Dataset:
    """One county's part of a programme, as that county's own ledger holds it: its villages and units, the
    links between them, the cadres stationed in its villages (or sent by its units) and who sent them."""
    part = Dataset()
    keep: set[tuple[str, str]] = set()
    for label, rows in dataset.nodes.items():
        if label != "Cadre" and label not in ITEM_OWNER:
            part.nodes[label] = [r for r in rows if r.get("county") == county]
            keep |= {(label, r["id"]) for r in part.nodes[label]}
    # Its villages' needs and its units' resources.
    for label, rel in ITEM_OWNER.items():
        items = {link["src"] for link in dataset.links[rel] if (link["dst_label"], link["dst"]) in keep}
        part.nodes[label] = [r for r in dataset.nodes[label] if r["id"] in items]
        keep |= {(label, i) for i in items}
    cadres = {
        link["src"]
        for rel in ("STATIONED_IN", "SENT_BY")
        for link in dataset.links[rel]
        if (link["dst_label"], link["dst"]) in keep
    }
    part.nodes["Cadre"] = [r for r in dataset.nodes["Cadre"] if r["id"] in cadres]
    keep |= {("Cadre", c) for c in cadres}
    for rel, links in dataset.links.items():
        part.links[rel] = [
            r for r in links if (r["src_label"], r["src"]) in keep and (r["dst_label"], r["dst"]) in keep
        ]
    return part


# --- words -------------------------------------------------------------------------------------------

_TIER_STRONG = ("示范村", "先进村", "中心村")
_NOTHING = ("暂无", "无", "—", "／")
_OPEN = ("至今", "今", "现在")
_STATION_OPEN = ("至今", "在任")
_UNIT_TYPE = {"CityCommunity": "社区", "Enterprise": "企业", "Organisation": "机关事业单位"}
_KIND = {"department": "党政机关", "institution": "事业单位", "soe": "国有企业", "school": "学校", "hospital": "医院"}

HOSTILE_NAMES = (
    '<script>alert("村")</script>',
    '=HYPERLINK("http://example.invalid","点我")',
    "幸福村' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    '<img src=x onerror="alert(1)">社区',
    "+SUM(1,2)企业",
    "@cmd|' /C calc'!A0",
    "-1+2机关",
)


def tier_word(row: Row, i: int) -> str:
    tier = row.get("tier")
    if tier == "strong":
        return _TIER_STRONG[i % len(_TIER_STRONG)]
    if tier == "ordinary":
        return "一般村"
    reasons = row.get("weak_reasons") or []
    if "organisation" in reasons:
        return "软弱涣散村"
    if "economy" in reasons:
        return "集体经济薄弱村"
    return "后进村"


def level_word(row: Row) -> str | None:
    level = row.get("level")
    if level == "county":
        return "区级" if str(row.get("county") or "").endswith("区") else "县级"
    if level == "township":
        return "街道级" if str(row.get("township") or "").endswith("街道") else "乡镇级"
    return display(level, "zh", "organisation_level") if level else None


def _full_date(day: dt.date, i: int) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if i % 2 == 0 else f"{day.year}.{day.month:02d}.{day.day:02d}"


def _month(day: dt.date, i: int) -> str:
    return (f"{day.year}年{day.month}月", f"{day.year}.{day.month}", f"{day.year}.{day.month:02d}")[i % 3]


# --- the cells of one sheet --------------------------------------------------------------------------


@dataclass
class Col:
    header: str
    values: list[Any]
    parent: str | None = None  # two-level: the parent header over this one
    merge_key: str | None = None  # "county", "township", "village": merged down over equal runs (quirk `merged`)
    numeric: bool = False  # summed in the 合计 row
    hidden: bool = False


@dataclass
class SheetPlan:
    table: str  # model file, or "" for a sheet that is no table
    title: str
    topic: str
    cols: list[Col]
    groups: list[tuple[Any, Any]]  # per row: (county, township), for merges and blank rows
    hidden: bool = False


class _Writer:
    def __init__(self, data: Dataset, q: Quirks, month_cells: set[tuple[str, int, str]], filled_by: str) -> None:
        self.d = data
        self.q = q
        self.month_cells = month_cells
        self.filled_by = filled_by
        self.byid: dict[str, tuple[str, Row]] = {r["id"]: (lab, r) for lab, rows in data.nodes.items() for r in rows}
        self.sent_by = {link["src"]: link["dst"] for link in data.links["SENT_BY"]}
        self.month_count = 0
        self.month_cells_count = 0
        self._bracket_n = 0

    # headers and values
    def h(self, base: str, county: str) -> str:
        if not self.q.county_headers:
            return base
        return self.bracket(county)

    def bracket(self, header: str) -> str:
        if "（" in header:
            self._bracket_n += 1
            if self.q.mixed_brackets and self._bracket_n % 2 == 0:
                return header.replace("（", "(").replace("）", ")")
        return header

    def empty(self, i: int) -> Any:
        return _NOTHING[i % len(_NOTHING)] if self.q.nothing_words else None

    def text(self, values: Iterable[Any]) -> list[Any]:
        return [v if v is not None else self.empty(i) for i, v in enumerate(values)]

    def number(self, values: Iterable[Any]) -> list[Any]:
        return [v if v is not None else self.empty(i) for i, v in enumerate(values)]

    def word(self, values: Iterable[Any], kind: str) -> list[Any]:
        if not self.q.ledger_words:
            return self.text(values)
        return [display(v, "zh", kind) if v is not None else self.empty(i) for i, v in enumerate(values)]

    def words(self, values: Iterable[list[str] | None], kind: str | None = None) -> list[Any]:
        out: list[Any] = []
        for i, v in enumerate(values):
            if not v:
                out.append(self.empty(i))
            elif self.q.ledger_words:
                out.append("、".join(display(x, "zh", kind) if kind else x for x in v))
            else:
                out.append(";".join(v))
        return out

    def boolean(self, values: Iterable[bool | None]) -> list[Any]:
        if not self.q.ledger_words:
            return list(values)
        return [("是" if v else "否") if v is not None else self.empty(i) for i, v in enumerate(values)]

    def date(self, rel: str, rows: Sequence[Row], name: str, *, end: bool = False) -> list[Any]:
        out: list[Any] = []
        for i, row in enumerate(rows):
            out.append(self.one_date(rel, row, name, i, end=end))
        return out

    def one_date(self, rel: str, row: Row, name: str, i: int, *, end: bool = False) -> Any:
        day = row.get(name)
        if day is None:
            if end and self.q.open_ends:
                return _OPEN[i % len(_OPEN)]
            return None if end else self.empty(i)
        if (rel, id(row), name) in self.month_cells:
            self.month_count += 1
            self.month_cells_count += 1
            return _month(day, i)
        return _full_date(day, i) if self.q.ledger_words else day

    # ends of links
    def node(self, node_id: str) -> Row:
        return self.byid[node_id][1]

    def label(self, node_id: str) -> str:
        return self.byid[node_id][0]

    def serial_sort(self, rows: list[Row], key: Callable[[Row], tuple[Any, ...]]) -> list[Row]:
        return sorted(rows, key=lambda r: tuple("" if k is None else str(k) for k in key(r)))

    # --- node sheets ---
    def place_cols(self, rows: Sequence[Row]) -> list[Col]:
        # A city column only where the programme has cities: a county's own ledger has none.
        city = [Col(self.h("city", "市（州）"), self.text(r.get("city") for r in rows), merge_key="city")]
        return [
            *(city if any(r.get("city") for r in rows) else []),
            Col(self.h("county", "县（市、区）"), self.text(r.get("county") for r in rows), merge_key="county"),
            Col(self.h("township", "街道（乡镇）"), self.text(r.get("township") for r in rows), merge_key="township"),
        ]

    def id_col(self, rows: Sequence[Row], base_county: str, code_header: str) -> list[Col]:
        if not self.q.names_only:
            return [Col(self.h("id", base_county), [r["id"] for r in rows])]
        if self.q.codes and any(_is_code(r["id"]) for r in rows):
            return [Col(self.bracket(code_header), [r["id"] if _is_code(r["id"]) else None for r in rows])]
        return []

    def coords(self, rows: Sequence[Row]) -> list[Col]:
        return [
            Col(self.h("lon", "经度"), self.number(r.get("lon") for r in rows)),
            Col(self.h("lat", "纬度"), self.number(r.get("lat") for r in rows)),
        ]

    def villages(self) -> SheetPlan:
        rows = self.serial_sort(self.d.nodes["Village"], lambda r: (r.get("county"), r.get("township"), r["name"]))
        cols = [
            *self.place_cols(rows),
            Col(self.h("name", "村名"), [r["name"] for r in rows]),
            *self.id_col(rows, "村编号", "统计用区划代码"),
            Col(
                self.h("tier", "村类别"),
                [tier_word(r, i) for i, r in enumerate(rows)] if self.q.ledger_words else [r["tier"] for r in rows],
            ),
            Col(self.h("weak_reasons", "薄弱原因"), self.words((r.get("weak_reasons") for r in rows), "weak_reason")),
            Col(self.h("population", "户籍人口（人）"), self.number(r.get("population") for r in rows), numeric=True),
            Col(
                self.h("party_members", "党员数（名）"), self.number(r.get("party_members") for r in rows), numeric=True
            ),
            Col(
                self.h("party_org_type", "党组织设置"),
                self.word((r.get("party_org_type") for r in rows), "party_org_type"),
            ),
            Col(self.h("leadership_size", "班子成员数"), self.number(r.get("leadership_size") for r in rows)),
            Col(
                self.h("collective_income", "村集体经济收入（万元）"),
                self.number(r.get("collective_income") for r in rows),
                numeric=True,
            ),
            Col(self.h("industries", "主导产业"), self.words(r.get("industries") for r in rows)),
            Col(self.h("needs", "帮扶需求"), self.words(r.get("needs") for r in rows)),
            *self.coords(rows),
        ]
        return SheetPlan("villages", "村基本情况", "行政村基本情况", cols, _groups(rows))

    def communities(self) -> SheetPlan:
        rows = self.serial_sort(
            self.d.nodes["CityCommunity"], lambda r: (r.get("county"), r.get("township"), r["name"])
        )
        cols = [
            *self.place_cols(rows),
            Col(self.h("name", "社区名称"), [r["name"] for r in rows]),
            *self.id_col(rows, "社区编号", "社区代码"),
            Col(
                self.h("party_members", "党员数（名）"), self.number(r.get("party_members") for r in rows), numeric=True
            ),
            Col(
                self.h("party_org_type", "党组织设置"),
                self.word((r.get("party_org_type") for r in rows), "party_org_type"),
            ),
            Col(self.h("leadership_size", "班子成员数"), self.number(r.get("leadership_size") for r in rows)),
            Col(self.h("resources", "优势资源"), self.words(r.get("resources") for r in rows)),
            Col(self.h("capacity", "可结对村数"), self.number(r.get("capacity") for r in rows), numeric=True),
            *self.coords(rows),
        ]
        return SheetPlan("communities", "社区名录", "城市社区名录", cols, _groups(rows))

    def enterprises(self) -> SheetPlan:
        rows = self.serial_sort(self.d.nodes["Enterprise"], lambda r: (r.get("county"), r.get("township"), r["name"]))
        cols = [
            *self.place_cols(rows),
            Col(self.h("name", "企业名称"), [r["name"] for r in rows]),
            *([] if self.q.names_only else [Col(self.h("id", "企业编号"), [r["id"] for r in rows])]),
            Col(self.h("credit_code", "统一社会信用代码"), self.text(r.get("credit_code") for r in rows)),
            Col(self.h("industry", "所属行业"), self.text(r.get("industry") for r in rows)),
            Col(self.h("size", "企业规模"), self.word((r.get("size") for r in rows), "enterprise_size")),
            Col(self.h("employees", "职工人数"), self.number(r.get("employees") for r in rows), numeric=True),
            Col(self.h("has_party_org", "是否建立党组织"), self.boolean(r.get("has_party_org") for r in rows)),
            Col(
                self.h("party_members", "党员数（名）"), self.number(r.get("party_members") for r in rows), numeric=True
            ),
            Col(self.h("resources", "优势资源"), self.words(r.get("resources") for r in rows)),
            Col(self.h("capacity", "可结对村数"), self.number(r.get("capacity") for r in rows), numeric=True),
            *self.coords(rows),
        ]
        return SheetPlan("enterprises", "企业名录", "参与结对企业名录", cols, _groups(rows))

    def organisations(self) -> SheetPlan:
        rows = self.serial_sort(self.d.nodes["Organisation"], lambda r: (r.get("county"), r.get("township"), r["name"]))
        if self.q.ledger_words:
            kinds = [_KIND.get(r["kind"], r["kind"]) if r.get("kind") else self.empty(i) for i, r in enumerate(rows)]
            levels = [level_word(r) or self.empty(i) for i, r in enumerate(rows)]
        else:
            kinds = self.text(r.get("kind") for r in rows)
            levels = self.text(r.get("level") for r in rows)
        cols = [
            *self.place_cols(rows),
            Col(self.h("name", "单位名称"), [r["name"] for r in rows]),
            *([] if self.q.names_only else [Col(self.h("id", "单位编号"), [r["id"] for r in rows])]),
            Col(self.h("kind", "单位性质"), kinds),
            Col(self.h("level", "单位级别"), levels),
            Col(
                self.h("party_members", "党员数（名）"), self.number(r.get("party_members") for r in rows), numeric=True
            ),
            Col(self.h("resources", "优势资源"), self.words(r.get("resources") for r in rows)),
            Col(self.h("capacity", "可结对村数"), self.number(r.get("capacity") for r in rows), numeric=True),
            *self.coords(rows),
        ]
        return SheetPlan("organisations", "单位名录", "机关事业单位名录", cols, _groups(rows))

    # --- link sheets ---
    def village_end(self, ids: Sequence[str], name_header: str, id_header: str, parent: str | None = None) -> list[Col]:
        """The columns naming a village: its id, or (names only) its county, township and name."""
        if not self.q.names_only:
            return [Col(id_header, list(ids))]
        vs = [self.node(i) for i in ids]
        # A province's or city's ledger names the village's city too (a county's own ledger has none).
        city = [Col(self.bracket("市（州）") if self.q.county_headers else "所属市", [v.get("city") for v in vs])]
        return [
            *(city if any(v.get("city") for v in vs) else []),
            Col(
                self.bracket("县（市、区）") if self.q.county_headers else "所属县",
                [v.get("county") for v in vs],
                merge_key="county",
            ),
            Col(
                self.bracket("街道（乡镇）") if self.q.county_headers else "所属乡镇",
                [v.get("township") for v in vs],
                merge_key="township",
                parent=parent,
            ),
            Col(name_header, [v["name"] for v in vs], parent=parent, merge_key="village"),
        ]

    def pairings(self) -> SheetPlan:
        links = self.d.links["PAIRED_WITH"]
        two = self.q.two_level
        # Several units in one cell: pairings of one village with equal properties and unit label.
        grouped: list[tuple[Row, list[str]]] = []
        if self.q.units_in_one_cell:
            by: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
            for link in links:
                props = tuple((k, _freeze(v)) for k, v in sorted(link.items()) if k not in ("src",))
                by[props].append(link)
            grouped = [(group[0], [g["src"] for g in group]) for group in by.values()]
        else:
            grouped = [(link, [link["src"]]) for link in links]
        grouped = sorted(grouped, key=lambda g: _village_order(self.node(g[0]["dst"]), g[1]))
        rows = [g[0] for g in grouped]
        villages = [r["dst"] for r in rows]
        if self.q.names_only:
            unit_cells = ["、".join(self.node(u)["name"] for u in units) for _, units in grouped]
        else:
            unit_cells = ["、".join(units) for _, units in grouped]
        ch = self.q.county_headers or two
        cols = self.village_end(villages, "村名" if self.q.names_only else "结对村", "village" if not ch else "结对村")
        cols.append(
            Col("名称" if two else ("结对单位" if ch else "unit"), unit_cells, parent="结对单位" if two else None)
        )
        if self.q.names_only:
            cols.append(
                Col(
                    "类型" if two else "结对单位类型",
                    [_UNIT_TYPE[r["src_label"]] for r in rows],
                    parent="结对单位" if two else None,
                )
            )
        cols += [
            Col(self.h("since", "结对时间"), self.date("PAIRED_WITH", rows, "since")),
            Col(self.h("until", "结束时间"), self.date("PAIRED_WITH", rows, "until", end=True)),
            Col(self.h("form", "结对方式"), self.word((r.get("form") for r in rows), "pairing_form")),
            Col(
                "项目数" if two else self.h("projects", "实事项目数"),
                self.number(r.get("projects") for r in rows),
                parent="帮扶情况" if two else None,
                numeric=True,
            ),
            Col(
                self.bracket("资金（万元）") if two else self.h("funds", "帮扶资金（万元）"),
                self.number(r.get("funds") for r in rows),
                parent="帮扶情况" if two else None,
                numeric=True,
            ),
            Col(
                "最近活动" if two else self.h("last_activity", "最近活动日期"),
                self.date("PAIRED_WITH", rows, "last_activity"),
                parent="帮扶情况" if two else None,
            ),
        ]
        return SheetPlan("pairings", "结对共建台账", "城乡结对共建", cols, self.link_groups(villages))

    def link_groups(self, village_ids: Sequence[str]) -> list[tuple[Any, Any]]:
        return [(self.node(v).get("county"), self.node(v).get("township")) for v in village_ids]

    def leads(self) -> SheetPlan:
        rows = sorted(self.d.links["LEADS"], key=lambda r: _village_order(self.node(r["dst"]), [r["src"]]))
        two = self.q.two_level
        tiers = self.q.ledger_words
        cols: list[Col] = []
        if self.q.names_only:
            led = [self.node(r["dst"]) for r in rows]
            leaders = [self.node(r["src"]) for r in rows]
            # The led village's place (city, county, township), not its name: both villages' names follow.
            cols += self.village_end([r["dst"] for r in rows], "", "")[:-1]
            for side, nodes in (("带领村", leaders), ("被带村", led)):
                names = [n["name"] for n in nodes]
                words = [tier_word(n, i) if tiers else n["tier"] for i, n in enumerate(nodes)]
                cols.append(Col("村名" if two else side, names, parent=side if two else None))
                cols.append(Col("类别" if two else f"{side}类别", words, parent=side if two else None))
        else:
            cols += [
                Col(self.h("leader", "带领村"), [r["src"] for r in rows]),
                Col(self.h("village", "被带村"), [r["dst"] for r in rows]),
            ]
        cols += [
            Col(self.h("mode", "联建方式"), self.text(r.get("mode") for r in rows)),
            Col(self.h("since", "开始时间"), self.date("LEADS", rows, "since")),
            Col(self.h("until", "结束时间"), self.date("LEADS", rows, "until", end=True)),
        ]
        return SheetPlan("leads", "强村带弱村", "强村带弱村", cols, self.link_groups([r["dst"] for r in rows]))

    def fusions(self) -> SheetPlan:
        rows = sorted(self.d.links["FUSED_WITH"], key=lambda r: _village_order(self.node(r["dst"]), [r["src"]]))
        ch = self.q.county_headers
        cols = self.village_end([r["dst"] for r in rows], "联建村", "联建村" if ch else "village")
        enterprise = [self.node(r["src"])["name"] if self.q.names_only else r["src"] for r in rows]
        cols += [
            Col("企业名称" if ch or self.q.names_only else "enterprise", enterprise),
            Col(self.h("since", "联建时间"), self.date("FUSED_WITH", rows, "since")),
            Col(self.h("until", "结束时间"), self.date("FUSED_WITH", rows, "until", end=True)),
            Col(self.h("joint_party_org", "联合党组织"), self.text(r.get("joint_party_org") for r in rows)),
        ]
        return SheetPlan("fusions", "村企联建", "村企联建", cols, self.link_groups([r["dst"] for r in rows]))

    def sender(self, cadre_id: str) -> str | None:
        unit = self.sent_by.get(cadre_id)
        if unit is None:
            return None
        return str(self.node(unit)["name"]) if self.q.names_only else unit

    def cadre_cols(self, cadres: Sequence[Row], roster: bool = False) -> list[Col]:
        """The cadre's columns; a roster is the county's own sheet, always in its own words."""
        h = (lambda base, county: county) if roster else self.h
        return [
            Col(h("name", "姓名"), [c["name"] for c in cadres]),
            Col(h("birth_year", "出生年份"), self.number(c.get("birth_year") for c in cadres)),
            Col(h("education", "学历"), self.text(c.get("education") for c in cadres)),
            Col(h("sent_by", "派出单位"), self.text(self.sender(c["id"]) for c in cadres)),
            Col(h("skills", "专长"), self.words(c.get("skills") for c in cadres)),
        ]

    def term(self, rows: Sequence[Row | None]) -> list[Any]:
        out: list[Any] = []
        for i, row in enumerate(rows):
            if row is None:
                out.append(None)
                continue
            since = self.one_date("STATIONED_IN", row, "since", i)
            until = row.get("until")
            month = ("STATIONED_IN", id(row), "since") in self.month_cells
            if isinstance(since, dt.date):
                since = _full_date(since, 1)
            if until is None:
                out.append(f"{since}-{_OPEN[i % 2]}" if i % 2 else f"{since}至今")
                continue
            if month:
                self.month_count += 1
                end = _month(until, i)
            else:
                end = _full_date(until, i)
            if i % 3 == 0 and not month:
                out.append(f"{_full_date(row['since'], 0)}至{_full_date(until, 0)}")
            else:
                out.append(f"{since}{'—' if i % 3 == 1 else '-'}{end}")
        return out

    def station_end(self, row: Row, i: int) -> Any:
        if row.get("until") is None and self.q.open_ends:
            return _STATION_OPEN[i % len(_STATION_OPEN)]
        return self.one_date("STATIONED_IN", row, "until", i, end=True)

    def station_cols(self, rows: Sequence[Row | None], two: bool) -> list[Col]:
        parent = "驻村情况" if two else None
        place = [self.node(r["dst"]) if r else {} for r in rows]
        cols = [
            Col(self.bracket("街道（乡镇）"), [p.get("township") for p in place], parent=parent, merge_key="township"),
            Col("村名" if two else "驻村村名", [p.get("name") for p in place], parent=parent),
            Col(
                "驻村身份",
                [
                    display(r["role"], "zh", "cadre_role")
                    if r and r.get("role") and self.q.ledger_words
                    else (r or {}).get("role")
                    for r in rows
                ],
                parent=parent,
            ),
        ]
        if self.q.terms:
            cols.append(Col("任职时间", self.term(rows), parent=parent))
        else:
            cols.append(
                Col(
                    "任职起始时间",
                    [self.one_date("STATIONED_IN", r, "since", i) if r else None for i, r in enumerate(rows)],
                    parent=parent,
                )
            )
            cols.append(
                Col("结束时间", [self.station_end(r, i) if r else None for i, r in enumerate(rows)], parent=parent)
            )
        return cols

    def roster(self) -> SheetPlan:
        """Cadres and their stations on one sheet: one row per station, a cadre without one on a row of its own."""
        stations: dict[str, list[Row]] = defaultdict(list)
        for link in self.d.links["STATIONED_IN"]:
            stations[link["src"]].append(link)
        pairs: list[tuple[Row, Row | None]] = []
        for cadre in self.d.nodes["Cadre"]:
            for link in stations.get(cadre["id"]) or [None]:  # type: ignore[list-item]
                pairs.append((cadre, link))
        pairs.sort(key=lambda p: _village_order(self.node(p[1]["dst"]) if p[1] else {}, [p[0]["name"]]))
        cadres = [p[0] for p in pairs]
        links = [p[1] for p in pairs]
        place = [self.node(r["dst"]) if r else {} for r in links]
        cols = [
            Col(self.bracket("县（市、区）"), [p.get("county") for p in place], merge_key="county"),
            *self.cadre_cols(cadres, roster=True),
            *self.station_cols(links, self.q.two_level),
        ]
        return SheetPlan(
            "cadres",
            "驻村第一书记花名册",
            "驻村第一书记和工作队员花名册",
            cols,
            [(p.get("county"), p.get("township")) for p in place],
        )

    def cadres(self) -> SheetPlan:
        rows = sorted(self.d.nodes["Cadre"], key=lambda r: (r["name"], r.get("birth_year") or 0))
        cols = [*([] if self.q.names_only else [Col(self.h("id", "干部编号"), [r["id"] for r in rows])])]
        cols += self.cadre_cols(rows)
        cols.insert(
            2 if not self.q.names_only else 1,
            Col(self.h("role", "驻村身份"), self.word((r.get("role") for r in rows), "cadre_role")),
        )
        return SheetPlan("cadres", "驻村干部名册", "驻村干部名册", cols, [(None, None)] * len(rows))

    def stations(self) -> SheetPlan:
        rows = sorted(self.d.links["STATIONED_IN"], key=lambda r: _village_order(self.node(r["dst"]), [r["src"]]))
        ch = self.q.county_headers
        cols = self.village_end([r["dst"] for r in rows], "村名", "派驻村" if ch else "village")
        if self.q.names_only:
            cols.append(Col("姓名", [self.node(r["src"])["name"] for r in rows]))
            cols.append(Col("出生年份", [self.node(r["src"]).get("birth_year") for r in rows]))
        else:
            cols.append(Col(self.h("cadre", "驻村干部"), [r["src"] for r in rows]))
        cols.append(Col(self.h("role", "驻村身份"), self.word((r.get("role") for r in rows), "cadre_role")))
        if self.q.terms:
            cols.append(Col("任职时间", self.term(rows)))
        else:
            cols.append(Col(self.h("since", "任职起始时间"), self.date("STATIONED_IN", rows, "since")))
            cols.append(Col(self.h("until", "结束时间"), [self.station_end(r, i) for i, r in enumerate(rows)]))
        return SheetPlan("stations", "驻村情况", "驻村情况", cols, self.link_groups([r["dst"] for r in rows]))

    # --- 三张清单 and 实事项目台账 ---
    def unit_end(self, ids: Sequence[str], header: str, model: str) -> list[Col]:
        """The columns naming a unit: its id, or (names only) its name and type (社区, 企业, 机关事业单位)."""
        if not self.q.names_only:
            return [Col(self.h(model, header), list(ids))]
        return [
            Col(header, [self.node(u)["name"] for u in ids]),
            Col("单位类型", [_UNIT_TYPE[self.label(u)] for u in ids]),
        ]

    def needs(self) -> SheetPlan:
        village = {link["src"]: link["dst"] for link in self.d.links["NEED_OF"]}
        rows = sorted(self.d.nodes["Need"], key=lambda r: _village_order(self.node(village[r["id"]]), [r["name"]]))
        ids = [village[r["id"]] for r in rows]
        cols = self.village_end(ids, "村名", self.h("village", "村名"))
        cols += [
            *([] if self.q.names_only else [Col(self.h("id", "需求编号"), [r["id"] for r in rows])]),
            Col(self.h("name", "需求事项"), [r["name"] for r in rows]),
            Col(self.h("kind", "需求类别"), self.word((r.get("kind") for r in rows), "item_kind")),
            Col(self.h("posted", "发布时间"), self.date("Need", rows, "posted")),
            Col(self.h("status", "认领状态"), self.word((r.get("status") for r in rows), "need_status")),
        ]
        return SheetPlan("needs", "需求清单", "村级需求清单", cols, self.link_groups(ids))

    def resources(self) -> SheetPlan:
        unit = {link["src"]: link["dst"] for link in self.d.links["OFFERED_BY"]}
        rows = sorted(self.d.nodes["Resource"], key=lambda r: _village_order(self.node(unit[r["id"]]), [r["name"]]))
        ids = [unit[r["id"]] for r in rows]
        cols = [
            *(
                [Col("所属县", [self.node(u).get("county") for u in ids], merge_key="county")]
                if self.q.names_only
                else []
            ),
            *self.unit_end(ids, "单位名称", "unit"),
            *([] if self.q.names_only else [Col(self.h("id", "资源编号"), [r["id"] for r in rows])]),
            Col(self.h("name", "资源名称"), [r["name"] for r in rows]),
            Col(self.h("kind", "资源类别"), self.word((r.get("kind") for r in rows), "item_kind")),
            Col(self.h("serves", "可服务村数"), self.number(r.get("serves") for r in rows), numeric=True),
        ]
        groups = [(self.node(u).get("county"), self.node(u).get("township")) for u in ids]
        return SheetPlan("resources", "资源清单", "单位资源清单", cols, groups)

    def projects(self) -> SheetPlan:
        """The 项目清单: a need named by its item and its village (and township), or by its id."""
        village = {link["src"]: link["dst"] for link in self.d.links["NEED_OF"]}
        need = {r["id"]: r for r in self.d.nodes["Need"]}
        rows = sorted(
            self.d.links["CLAIMED"], key=lambda r: _village_order(self.node(village[r["dst"]]), [r["dst"], r["src"]])
        )
        places = [self.node(village[r["dst"]]) for r in rows]
        if self.q.names_only:
            cols = [
                Col("所属乡镇", [p.get("township") for p in places], merge_key="township"),
                Col("村名", [p["name"] for p in places], merge_key="village"),
                Col("需求事项", [need[r["dst"]]["name"] for r in rows]),
            ]
        else:
            cols = [Col(self.h("need", "需求编号"), [r["dst"] for r in rows])]
        cols += [
            *self.unit_end([r["src"] for r in rows], "认领单位", "unit"),
            Col(self.h("claimed", "认领时间"), self.date("CLAIMED", rows, "claimed")),
            Col(self.h("due", "完成时限"), self.date("CLAIMED", rows, "due")),
            Col(self.h("status", "项目状态"), self.word((r.get("status") for r in rows), "project_status")),
            Col(self.h("done", "完成时间"), self.date("CLAIMED", rows, "done")),
        ]
        groups = [(p.get("county"), p.get("township")) for p in places]
        return SheetPlan("projects", "项目清单", "认领项目清单", cols, groups)

    def activities(self) -> SheetPlan:
        rows = sorted(
            self.d.links["ACTIVITY"],
            key=lambda r: _village_order(self.node(r["dst"]), [r["src"], r["date"], r["title"]]),
        )
        ch = self.q.county_headers
        villages = [r["dst"] for r in rows]
        cols = self.village_end(villages, "结对村", "结对村" if ch else "village")
        cols += [
            *self.unit_end([r["src"] for r in rows], "结对单位", "unit"),
            Col(self.h("title", "项目名称"), self.text(r.get("title") for r in rows)),
            Col(self.h("date", "时间"), self.date("ACTIVITY", rows, "date")),
            Col(self.h("kind", "类别"), self.word((r.get("kind") for r in rows), "activity_kind")),
            Col(
                self.bracket("资金（万元）") if ch else "funds", self.number(r.get("funds") for r in rows), numeric=True
            ),
            Col(self.h("beneficiaries", "受益人数"), self.number(r.get("beneficiaries") for r in rows), numeric=True),
            Col(self.h("status", "状态"), self.word((r.get("status") for r in rows), "activity_status")),
            Col(self.h("note", "情况说明"), self.text(r.get("note") for r in rows)),
        ]
        return SheetPlan("activities", "实事项目台账", "实事项目台账", cols, self.link_groups(villages))

    # --- sheets that are no table ---
    def summary(self) -> SheetPlan:
        count: dict[tuple[Any, Any], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for v in self.d.nodes["Village"]:
            c = count[(v.get("county"), v.get("township"))]
            c[0] += 1
            c[1] += v.get("tier") == "weak"
        paired = {link["dst"] for link in self.d.links["PAIRED_WITH"]}
        for v in self.d.nodes["Village"]:
            count[(v.get("county"), v.get("township"))][2] += v["id"] in paired
        for s in self.d.links["STATIONED_IN"]:
            v = self.node(s["dst"])
            count[(v.get("county"), v.get("township"))][3] += 1
        keys = sorted(count, key=lambda k: tuple(str(x or "") for x in k))
        cols = [
            Col("县（市、区）", [k[0] for k in keys], merge_key="county"),
            Col("街道（乡镇）", [k[1] for k in keys], merge_key="township"),
            Col("行政村数", [count[k][0] for k in keys], numeric=True),
            Col("后进村数", [count[k][1] for k in keys], numeric=True),
            Col("已结对村数", [count[k][2] for k in keys], numeric=True),
            Col("驻村干部数", [count[k][3] for k in keys], numeric=True),
        ]
        return SheetPlan("", "汇总", "各乡镇（街道）结对共建情况汇总", cols, keys)

    def dropdowns(self) -> SheetPlan:
        lists = {
            "村类别": ["示范村", "先进村", "一般村", "集体经济薄弱村", "软弱涣散村", "后进村"],
            "党组织设置": ["党委", "党总支", "党支部"],
            "单位性质": list(_KIND.values()),
            "单位级别": ["省级", "市级", "区级", "县级", "街道级", "乡镇级"],
            "驻村身份": ["第一书记", "工作队长", "工作队员"],
            "是否": ["是", "否"],
        }
        n = max(len(v) for v in lists.values())
        cols = [Col(k, v + [None] * (n - len(v))) for k, v in lists.items()]
        return SheetPlan("", "下拉选项", "", cols, [(None, None)] * n, hidden=True)


def _is_code(value: str) -> bool:
    return bool(re.fullmatch(r"\d{12}", value))


def _groups(rows: Sequence[Row]) -> list[tuple[Any, Any]]:
    return [(r.get("county"), r.get("township")) for r in rows]


def _village_order(village: Row, rest: Sequence[Any]) -> tuple[str, ...]:
    return (
        str(village.get("county") or ""),
        str(village.get("township") or ""),
        str(village.get("name") or ""),
        *map(str, rest),
    )


# --- what the workbook means ---------------------------------------------------------------------


def _prepare(dataset: Dataset, q: Quirks) -> tuple[Dataset, set[tuple[str, int, str]], dict[str, str]]:
    """The dataset the workbook will say (renames, hostile names, month-only dates on the 1st) and which
    date cells are to be written month-only, as (rel type, id(row) in the returned dataset, property)."""
    data = copy.deepcopy(dataset)
    renamed: dict[str, str] = {}
    if q.repeated_names:
        renamed = _repeat_names(data)
    if q.hostile:
        _hostile(data)
    if q.roster:
        for cadre in data.nodes["Cadre"]:
            cadre["role"] = None
    _namesakes_apart(data)
    month_cells: set[tuple[str, int, str]] = set()
    if q.month_dates:
        for rel, names in (
            ("PAIRED_WITH", ("since", "last_activity")),
            ("LEADS", ("since",)),
            ("STATIONED_IN", ("since", "until")),
        ):
            rows = data.links[rel]
            taken = Counter((r["src"], r["dst"], r["since"].replace(day=1) if r.get("since") else None) for r in rows)
            for row in rows:
                # By the date itself, so that links with equal terms (two units in one cell) stay equal.
                if row["since"].toordinal() % 3 != 0:
                    continue
                if rel == "STATIONED_IN" and not q.terms:
                    names_here: tuple[str, ...] = ("since",)
                else:
                    names_here = names
                if taken[(row["src"], row["dst"], row["since"].replace(day=1))] > 1:
                    continue  # two links whose keys would then be equal
                if rel == "STATIONED_IN" and q.terms and row.get("until") is None:
                    names_here = ("since",)
                for name in names_here:
                    if row.get(name) is not None:
                        row[name] = row[name].replace(day=1)
                        month_cells.add((rel, id(row), name))
    return data, month_cells, renamed


def _namesakes_apart(data: Dataset) -> None:
    """Two cadres of one name, birth year and sending unit are one person to any ledger without ids (a real
    roster would add the 身份证号, which the model does not keep): a random province has a few such pairs.
    The workbook means them as two, so the later one is a year younger, as written and as expected."""
    sender = {r["src"]: r["dst"] for r in data.links["SENT_BY"]}
    seen: set[tuple[Any, ...]] = set()
    for cadre in data.nodes["Cadre"]:
        while (key := (cadre["name"], cadre.get("birth_year"), sender.get(cadre["id"]))) in seen:
            cadre["birth_year"] = (cadre.get("birth_year") or 1980) + 1
        seen.add(key)


def _repeat_names(data: Dataset) -> dict[str, str]:
    """Rename one village in each of three townships (of one county, when it has three) to 幸福村."""
    villages = data.nodes["Village"]
    referenced = Counter(link["dst"] for rel in ("PAIRED_WITH", "STATIONED_IN", "LEADS") for link in data.links[rel])
    taken = {(v.get("county"), v.get("township")) for v in villages if v["name"] == REPEATED_NAME}
    by_town: dict[tuple[Any, Any], list[Row]] = defaultdict(list)
    for v in villages:
        if (v.get("county"), v.get("township")) not in taken:
            by_town[(v.get("county"), v.get("township"))].append(v)
    by_county: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for town in sorted(by_town, key=lambda t: tuple(str(x) for x in t)):
        by_county[town[0]].append(town)
    county = max(by_county, key=lambda c: (len(by_county[c]) >= 3, str(c)), default=None)
    towns = by_county.get(county, [])[:3] if county is not None else []
    if len(towns) < 3:
        towns = sorted(by_town, key=lambda t: tuple(str(x) for x in t))[:3]
    renamed = {}
    for town in towns:
        pick = max(by_town[town], key=lambda v: (referenced[v["id"]], v["id"]))
        pick["name"] = REPEATED_NAME
        renamed[pick["id"]] = REPEATED_NAME
    return renamed


def _hostile(data: Dataset) -> None:
    """Hostile names for the first nodes of each label (kept unique within their county and township)."""
    n = 0
    for label in ("Village", *UNIT_LABELS, "Cadre"):
        for row in data.nodes[label][:2]:
            row["name"] = f"{HOSTILE_NAMES[n % len(HOSTILE_NAMES)]}{n}"
            n += 1


# --- the workbook --------------------------------------------------------------------------------


def write(
    dataset: Dataset,
    path: Path | str,
    quirks: Quirks | None = None,
    *,
    filled_by: str = "XX县委组织部",
    filled_on: dt.date = FILLED_ON,
    as_of: dt.date = AS_OF,
) -> Written:
    """Write `dataset` as a county workbook at `path`, with `quirks` (default: none, the interchange format)."""
    q = quirks or Quirks()
    path = Path(path)
    data, month_cells, renamed = _prepare(dataset, q)
    w = _Writer(data, q, month_cells, filled_by)
    plans = [w.villages(), w.communities(), w.enterprises(), w.organisations()]
    if q.roster:
        plans.append(w.roster())
    else:
        plans += [w.cadres(), w.stations()]
    plans += [w.pairings(), w.leads(), w.fusions()]
    # The 三张清单 and the 实事项目台账, where the programme keeps them.
    lists = (("Need", w.needs), ("Resource", w.resources), ("CLAIMED", w.projects), ("ACTIVITY", w.activities))
    plans += [plan() for name, plan in lists if data.nodes.get(name) or data.links.get(name)]
    if not q.sheet_names:
        for plan in plans:
            plan.title = plan.table
    if q.extra_sheets:
        plans.insert(0, w.summary())
        plans.append(w.dropdowns())
    wb = openpyxl.Workbook(write_only=True)
    out = Written(path, data, {}, {}, [], {}, {}, {}, {}, {}, 0, 0, renamed, filled_by, filled_on)
    for number, plan in enumerate(plans, start=1):
        if plan.table:
            out.sheets[plan.table] = plan.title
            if q.roster and plan.table == "cadres":
                out.sheets["stations"] = plan.title
        _emit(wb, plan, q, number, out, filled_by, filled_on, as_of)
    if q.extra_sheets:
        wb.create_sheet("Sheet1")
    out.month_dates = w.month_count
    out.month_cells = w.month_cells_count
    wb.save(path)
    _write_merges(path, [p.title for p in plans] + (["Sheet1"] if q.extra_sheets else []), out.merges)
    return out


def _emit(
    wb: Any, plan: SheetPlan, q: Quirks, number: int, out: Written, filled_by: str, filled_on: dt.date, as_of: dt.date
) -> None:
    ws = wb.create_sheet(plan.title)
    if plan.hidden:
        ws.sheet_state = "hidden"
        out.hidden_sheets.append(plan.title)
    book = plan.table != "" or plan.title == "汇总"
    cols = list(plan.cols)
    n = len(plan.groups)
    if q.serial and book:
        cols.insert(0, Col("序号", list(range(1, n + 1))))
    if q.hidden_column and plan.table:
        helper = ["".join(str(c.values[i] or "") for c in cols[:4] if c.header != "序号") for i in range(n)]
        cols.append(Col("查重辅助列", helper, hidden=True))
    width = len(cols)
    last = get_column_letter(width)
    merges: list[str] = []
    row_no = 0

    # Before the first row: a write-only sheet writes its column widths and states with it.
    for j, c in enumerate(cols):
        if c.hidden:
            letter = get_column_letter(j + 1)
            ws.column_dimensions[letter].hidden = True
            out.hidden_columns.setdefault(plan.title, []).append(letter)

    def put(values: list[Any]) -> int:
        nonlocal row_no
        ws.append([_cell(ws, v) for v in values])
        row_no += 1
        return row_no

    if q.titles and book:
        county = filled_by.removesuffix("委组织部") if filled_by.endswith("委组织部") else ""
        title = f"{county}{plan.topic}工作台账（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
        r = put([title] + [None] * (width - 1))
        merges.append(f"A{r}:{last}{r}")
        line = (
            f"表{number}：{plan.topic}    填报单位（盖章）：{filled_by}    "
            f"填报日期：{filled_on.year}年{filled_on.month}月{filled_on.day}日"
        )
        r = put([line] + [None] * (width - 1))
        merges.append(f"A{r}:{last}{r}")
    two = any(c.parent for c in cols)
    if two:
        top = put([c.parent or c.header for c in cols])
        put([c.header if c.parent else None for c in cols])
        out.header_rows[plan.title] = [top, top + 1]
        j = 0
        while j < width:
            k = j
            if cols[j].parent:
                while k + 1 < width and cols[k + 1].parent == cols[j].parent:
                    k += 1
                if k > j:
                    merges.append(f"{get_column_letter(j + 1)}{top}:{get_column_letter(k + 1)}{top}")
            else:
                merges.append(f"{get_column_letter(j + 1)}{top}:{get_column_letter(j + 1)}{top + 1}")
            j = k + 1
    else:
        out.header_rows[plan.title] = [put([c.header for c in cols])]

    def same(c: Col, a: int, b: int) -> bool:
        """Rows a and b are in one merged run of column c."""
        level = {"city": 0, "county": 1, "township": 2, "village": 2}[c.merge_key or ""]
        if plan.groups[a][:level] != plan.groups[b][:level]:
            return False
        return c.merge_key not in ("city", "village") or c.values[a] == c.values[b]

    # Data, township group by township group: blank rows between some groups, merges down each group.
    data_rows: list[int] = []
    blanks: list[int] = []
    starts = [i for i in range(n) if i == 0 or plan.groups[i] != plan.groups[i - 1]]
    blank_before = {starts[1], starts[len(starts) // 2]} if q.blank_rows and book and len(starts) > 1 else set()
    for i in range(n):
        if i in blank_before:
            blanks.append(put([None] * width))
        values = [c.values[i] for c in cols]
        if q.merged:
            for j, c in enumerate(cols):
                if c.merge_key is not None and i > 0 and i not in blank_before and same(c, i - 1, i):
                    values[j] = None
        r = put(values)
        data_rows.append(r)
    if q.merged:
        for j, c in enumerate(cols):
            if c.merge_key is None:
                continue
            start = 0
            for i in range(1, n + 1):
                if i == n or not same(c, start, i) or i in blank_before:
                    if i - 1 > start and c.values[start] is not None:
                        letter = get_column_letter(j + 1)
                        merges.append(f"{letter}{data_rows[start]}:{letter}{data_rows[i - 1]}")
                    start = i
    out.data_rows[plan.title] = data_rows
    out.blank_rows[plan.title] = blanks
    footers: list[int] = []
    if q.footers and book:
        total: list[Any] = [None] * width
        total[0] = "合计"
        for j, c in enumerate(cols):
            if c.numeric and j > 0:
                total[j] = sum(v for v in c.values if isinstance(v, int | float) and not isinstance(v, bool))
        footers.append(put(total))
        note = FOOTER_NOTE
        r = put([note] + [None] * (width - 1))
        merges.append(f"A{r}:{last}{r}")
        footers.append(r)
        footers.append(
            put(["填表人：王某某        审核人：李某某        联系电话：0710-1234567"] + [None] * (width - 1))
        )
    out.footer_rows[plan.title] = footers
    out.merges[plan.title] = merges


def _cell(ws: Any, value: Any) -> Any:
    """A text cell that starts with "=" is text, not a formula: the workbook says what the ledger says."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _write_merges(path: Path, titles: list[str], merges: dict[str, list[str]]) -> None:
    """Write each sheet's merged ranges into its XML: write-only worksheets cannot hold them."""
    if not any(merges.values()):
        return
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if m:
                ranges = merges.get(titles[int(m.group(1)) - 1], [])
                if ranges:
                    xml = "".join(f'<mergeCell ref="{r}"/>' for r in ranges)
                    block = f'<mergeCells count="{len(ranges)}">{xml}</mergeCells>'.encode()
                    if b"</sheetData>" in data:
                        data = data.replace(b"</sheetData>", b"</sheetData>" + block, 1)
                    else:
                        data = data.replace(b"<sheetData/>", b"<sheetData/>" + block, 1)
            z.writestr(info, data)


def gap_rows(store: Any, asof: dt.date) -> dict[str, list[tuple[Any, ...]]]:
    """Every registered gap list's rows on `asof`, with ids replaced by natural keys, as sorted tuples."""
    from graph.gap_lists import GAP_LISTS

    out: dict[str, list[tuple[Any, ...]]] = {}
    for gap in GAP_LISTS:
        params = gap.params()
        if "by" in gap.filters:
            for by in ("county", "township"):
                rows = gap.rows(store, asof, {**params, "by": by})
                out[f"{gap.name}/{by}"] = sorted((_gap_key(store, r) for r in rows), key=repr)
        else:
            rows = gap.rows(store, asof, params)
            out[gap.name] = sorted((_gap_key(store, r) for r in rows), key=repr)
    return out


def _gap_key(store: Any, row: Any) -> tuple[Any, ...]:
    values = dataclasses.asdict(row)
    # Ids name nodes by what the reader derived; every row names its nodes by name, county and township too.
    return tuple(sorted((k, _freeze(v)) for k, v in values.items() if k != "id" and not k.endswith(("_id", "_ids"))))


# Every row a ledger names by what it calls a node, for tests that check a reader's ids.
def ids_by_natural_key(dataset: Dataset) -> dict[NaturalKey, str]:
    return {key: node_id for (_, node_id), key in node_keys(dataset).items()}


__all__ = [
    "AS_OF",
    "FILLED_ON",
    "HOSTILE_NAMES",
    "REPEATED_NAME",
    "Quirks",
    "Written",
    "county_part",
    "gap_rows",
    "ids_by_natural_key",
    "natural",
    "natural_differences",
    "node_key",
    "node_keys",
    "write",
]
