"""The 通报 that goes up: the period's changes as one document, written as XLSX (openpyxl) and PDF (reportlab).

`build` gathers it once: `graph.period.changes` (the sections), `graph.period.trend` (coverage by month,
over the twelve months up to the period's end) and the practical projects completed in the period
(`graph.activities.listing`). `xlsx_bytes` and `pdf_bytes` lay the same object out: a cover (title, 填报单位,
填报日期, the period, the headline figures, the trend chart, the 注 lines with the rules) and then one table per
section (graph.period_report.SECTIONS) with 序号 and two-level Chinese headers, set up for printing (landscape,
fit to width, header rows repeated, page numbers).

User text is data: every XLSX cell goes through `graph.reports.display`/`neutralise`; every PDF cell is
escaped before reportlab's paragraph markup reads it. The PDF embeds a CJK TrueType font installed by the
project's setup (Debian's fonts-wqy-zenhei; PAIRING_CJK_FONT names another file): no network at run time.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from graph import activities, model, period, period_report, reports
from graph.errors import ConfigError
from graph.formats import neutralise
from graph.gaps import Reader
from graph.period import Changes, TrendPoint
from graph.period_report import SECTIONS, TREND_COLUMNS, Section
from graph.reports import NUMBER_COLUMN, Column

KIND = "本期变化"
TITLE = "城乡结对共建工作通报"
FORMATS = ("xlsx", "pdf")

# The second header row groups a section's columns; a column in no group spans both rows.
_GROUPS: dict[str, str] = {
    "village_id": "村",
    "village": "村",
    "county": "村",
    "township": "村",
    "partner_id": "帮扶方",
    "partner": "帮扶方",
    "partner_label": "帮扶方",
    "since": "起止日期",
    "until": "起止日期",
    "cadre_id": "原驻村干部",
    "cadre": "原驻村干部",
    "successor_id": "接任干部",
    "successor": "接任干部",
    "unit_id": "单位",
    "unit": "单位",
    "unit_label": "单位",
    "city": "地区",
    "weak_from": "期初",
    "covered_from": "期初",
    "rate_from": "期初",
    "weak_to": "期末",
    "covered_to": "期末",
    "rate_to": "期末",
    "covered_diff": "变化",
    "rate_diff": "变化",
}
# Under a group the lower header drops the words the group already says.
_SHORT: dict[str, str] = {
    "village_id": "编号",
    "village": "村名",
    "county": "所属县",
    "township": "所属乡镇",
    "partner_id": "编号",
    "partner": "名称",
    "partner_label": "类型",
    "cadre_id": "编号",
    "cadre": "姓名",
    "successor_id": "编号",
    "successor": "姓名",
    "unit_id": "编号",
    "unit_label": "类型",
    "weak_from": "后进村数",
    "covered_from": "已覆盖",
    "rate_from": "覆盖率",
    "weak_to": "后进村数",
    "covered_to": "已覆盖",
    "rate_to": "覆盖率",
    "covered_diff": "覆盖数",
    "rate_diff": "覆盖率",
}
# Section-specific lower headers where the column's own header says more than the shared word.
_SECTION_SHORT: dict[tuple[str, str], str] = {
    ("rotated", "until"): "离任日期",
    ("rotated", "since"): "到任日期",
}
_CITY_GROUP_KEYS = ("city", "county", "township")


@dataclass(frozen=True)
class Header:
    """One column's two header cells: the group above (None: the column spans both rows) and its own word."""

    group: str | None
    label: str


def headers(section: Section) -> list[Header]:
    """序号 first, then each column with its group; a group of one column spans both rows too."""
    keys = [c.key for c in section.columns]
    out = [Header(None, NUMBER_COLUMN.zh)]
    for col in section.columns:
        group = _group_of(section, col.key)
        # A group of one column says nothing its column does not: the column spans both rows.
        if group is not None and sum(1 for k in keys if _group_of(section, k) == group) < 2:
            group = None
        label = col.zh
        if group is not None and not (section.key == "coverage" and col.key in _CITY_GROUP_KEYS):
            label = _SECTION_SHORT.get((section.key, col.key)) or _SHORT.get(col.key, col.zh)
        out.append(Header(group, label))
    return out


def _group_of(section: Section, key: str) -> str | None:
    if section.key == "coverage" and key in _CITY_GROUP_KEYS:
        return "地区"
    if section.key == "rotated" and key in ("since", "until"):
        return None
    return _GROUPS.get(key)


def header_spans(heads: Sequence[Header]) -> list[tuple[str, int, int]]:
    """The upper row's merged runs as (text, first, last) column indexes from 0: groups across, loners down."""
    runs: list[tuple[str, int, int]] = []
    j = 0
    while j < len(heads):
        k = j
        if heads[j].group is not None:
            while k + 1 < len(heads) and heads[k + 1].group == heads[j].group:
                k += 1
        runs.append((heads[j].group or heads[j].label, j, k))
        j = k + 1
    return runs


@dataclass(frozen=True)
class Headline:
    """The cover's figures, on the period's last day unless said."""

    weak: int
    covered: int
    new_gaps: int
    closed_gaps: int
    # Paper pairings (挂名结对) on the last day, and those that appeared in the period.
    paper: int
    paper_appeared: int
    # Practical projects and activities completed, dated in the period (both ends included).
    projects_done: int

    @property
    def rate(self) -> float:
        return self.covered / self.weak if self.weak else 1.0

    def rows(self) -> list[tuple[str, Any]]:
        return [
            ("后进村数", self.weak),
            ("已覆盖", self.covered),
            ("覆盖率", self.rate),
            ("新增缺口", self.new_gaps),
            ("消除缺口", self.closed_gaps),
            ("挂名结对（期末）", self.paper),
            ("新增挂名结对", self.paper_appeared),
            ("完成实事项目", self.projects_done),
        ]


@dataclass(frozen=True)
class Bulletin:
    changes: Changes
    trend: list[TrendPoint]
    projects_done: int
    unit: str
    filed: dt.date

    @property
    def scope(self) -> str:
        """The narrowest place chosen (township, county, city), or 全省."""
        c = self.changes
        return c.township or c.county or c.city or "全省"

    @property
    def title(self) -> str:
        return f"{self.scope}{TITLE}"

    @property
    def period(self) -> str:
        return period_report.period_words(self.changes, "zh")

    @property
    def headline(self) -> Headline:
        c = self.changes
        paper = next((p.paper for p in reversed(self.trend) if p.day == c.d2), len(c.paper_appeared))
        return Headline(
            weak=sum(t.weak_to for t in c.coverage),
            covered=sum(t.covered_to for t in c.coverage),
            new_gaps=len(c.new_gaps),
            closed_gaps=len(c.closed_gaps),
            paper=paper,
            paper_appeared=len(c.paper_appeared),
            projects_done=self.projects_done,
        )

    def notes(self) -> list[str]:
        """The 注 lines: the rules the figures were judged by, and the period's boundaries."""
        c = self.changes
        rule = c.rule_to.words("zh")
        if c.rule_from != c.rule_to:
            rule = f"期初 {c.rule_from.words('zh')}；期末 {rule}"
        return [
            f"注1：{rule}。",
            "注2：后进村数、已覆盖、覆盖率按期末日计；覆盖指后进村在该日至少有一项有效帮扶（强村领办须来自非后进村）。",
            f"注3：帮扶关系开始日在 {c.d1.isoformat()} 之后、{c.d2.isoformat()} 及之前为新建；"
            f"结束日在 {c.d1.isoformat()} 至 {c.d2.isoformat()} 前一日之间为终止（结束日当天仍有效）。",
            "注4：每项变化注明来源：数据变化或口径变化（期初与期末规则不同）。",
            "注5：完成实事项目按活动日期在本期内（含首尾两日）、状态为已完成或未填计。",
            f"注6：覆盖率趋势按每月末日计（本月未结束的按 {c.d2.isoformat()} 计）。",
        ]

    def file_name(self, fmt: str) -> str:
        return file_name(self.scope, self.changes.d1, self.changes.d2, fmt)


def build(
    store: Reader,
    d1: dt.date | str,
    d2: dt.date | str,
    *,
    city: str | None = None,
    county: str | None = None,
    township: str | None = None,
    unit: str = "",
    filed: dt.date | None = None,
    policy: str | Iterable[str] | None = None,
    days: int | None = None,
    policy_from: str | Iterable[str] | None = None,
    days_from: int | None = None,
) -> Bulletin:
    """The 通报 of D1..D2 in scope, filed by `unit` on `filed` (today by default)."""
    found = period.changes(
        store,
        d1,
        d2,
        county=county,
        township=township,
        city=city,
        policy=policy,
        days=days,
        policy_from=policy_from,
        days_from=days_from,
        lang="zh",
    )
    first = period.trend_start(found.d1, found.d2)
    points = period.trend(
        store, first, found.d2, county=found.county, township=found.township, days=found.rule_to.days, city=found.city
    )
    done = activities.listing(
        store, city=found.city, county=found.county, township=found.township, since=found.d1, until=found.d2
    )
    projects = sum(1 for a in done if activities.completed(a.status))
    return Bulletin(found, points, projects, unit.strip(), filed or dt.date.today())


# ---------------------------------------------------------------- file names

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_MAX_PART = 60


def safe_part(text: str | None, fallback: str = "未命名") -> str:
    """`text` as one file-name part on any system: no separators, control or reserved characters, no
    leading or trailing dots or spaces, not a reserved device name, at most _MAX_PART characters."""
    value = unicodedata.normalize("NFC", text or "")
    value = "".join("_" if unicodedata.category(ch)[0] == "C" else ch for ch in value)
    value = _UNSAFE.sub("_", value).strip(" .")
    value = value[:_MAX_PART].strip(" .")
    if not value.strip("_"):
        return fallback
    if value.split(".")[0].upper().rstrip() in _RESERVED:
        value = f"_{value}"
    return value


def file_name(scope: str, d1: dt.date, d2: dt.date, fmt: str) -> str:
    """<scope>_本期变化_<D1>_<D2>.<fmt>, e.g. 江夏区_本期变化_2026-10-01_2026-10-31.xlsx."""
    if fmt not in FORMATS:
        raise ConfigError(f"the 通报 is written as {' or '.join(FORMATS)}, not {fmt!r}")
    return f"{safe_part(scope)}_{KIND}_{d1.isoformat()}_{d2.isoformat()}.{fmt}"


# ---------------------------------------------------------------- XLSX

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FOOTER = "第 &P 页，共 &N 页"
# Rows of a section sheet: the title, the two header rows, then the data.
HEADER_ROWS = (2, 3)
COVER_SHEET = "通报"
TREND_SHEET = "覆盖率趋势"


def _print_setup(ws: Any, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER
    ws.evenFooter.center.text = FOOTER


def xlsx_bytes(bulletin: Bulletin) -> bytes:
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = COVER_SHEET
    trend_ws = wb.create_sheet(TREND_SHEET)
    _fill_trend(trend_ws, bulletin.trend)
    _fill_cover(cover, bulletin, trend_ws)
    used = {COVER_SHEET, TREND_SHEET}
    for section in SECTIONS:
        name = section.zh[:31]
        while name in used:
            name = f"{name[:29]}_2"
        used.add(name)
        _fill_section(wb.create_sheet(name), section, getattr(bulletin.changes, section.key), bulletin)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_cover(ws: Any, bulletin: Bulletin, trend_ws: Any) -> None:
    ws.cell(row=1, column=1, value=neutralise(bulletin.title)).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    meta = [
        ("填报单位", neutralise(bulletin.unit)),
        ("填报日期", bulletin.filed),
        ("统计期间", neutralise(bulletin.period)),
        ("范围", neutralise(bulletin.scope)),
    ]
    row = 3
    for label, value in meta:
        ws.cell(row=row, column=1, value=label).font = _BOLD
        cell = ws.cell(row=row, column=2, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="主要指标").font = Font(bold=True, size=12)
    row += 1
    for label, value in bulletin.headline.rows():
        ws.cell(row=row, column=1, value=label).border = _BOX
        cell = ws.cell(row=row, column=2, value=value)
        cell.border = _BOX
        if isinstance(value, float):
            cell.number_format = "0.0%"
        row += 1
    row += 1
    for note in bulletin.notes():
        ws.cell(row=row, column=1, value=neutralise(note))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=12)
        row += 1
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 28
    if bulletin.trend:
        chart = LineChart()
        chart.title = "覆盖率趋势"
        chart.y_axis.title = "覆盖率"
        chart.x_axis.title = "月份"
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        rate_col = 1 + [c.key for c in TREND_COLUMNS].index("rate")
        last = len(bulletin.trend) + 2
        chart.add_data(Reference(trend_ws, min_col=rate_col, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(trend_ws, min_col=1, min_row=3, max_row=last))
        chart.height, chart.width = 7.5, 16
        ws.add_chart(chart, "D3")
    _print_setup(ws, None)


def _fill_trend(ws: Any, points: Sequence[TrendPoint]) -> None:
    ws.cell(row=1, column=1, value=TREND_SHEET).font = Font(bold=True, size=14)
    for j, col in enumerate(TREND_COLUMNS, start=1):
        cell = ws.cell(row=2, column=j, value=col.zh)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTER, _BOX
        ws.column_dimensions[get_column_letter(j)].width = 12
    for i, row in enumerate(reports.as_dicts(points), start=3):
        row["rate"] = points[i - 3].rate
        for j, col in enumerate(TREND_COLUMNS, start=1):
            _value_cell(ws, i, j, row.get(col.key), col)
    _print_setup(ws, "2:2")


def _value_cell(ws: Any, i: int, j: int, raw: Any, col: Column) -> None:
    value = reports.display(raw, col, "zh")
    cell = ws.cell(row=i, column=j, value=value)
    cell.border = _BOX
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif col.percent and isinstance(value, float):
        cell.number_format = "0.0%"


def _fill_section(ws: Any, section: Section, rows: Sequence[Any], bulletin: Bulletin) -> None:
    heads = headers(section)
    ncols = len(heads)
    title = f"{section.zh}（{bulletin.scope}；{bulletin.period}；共 {len(rows)} 条）"
    ws.cell(row=1, column=1, value=neutralise(title)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    top, low = HEADER_ROWS
    for j, head in enumerate(heads, start=1):
        for r in (top, low):
            cell = ws.cell(row=r, column=j)
            cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTER, _BOX
        ws.cell(row=low, column=j, value=head.label)
    for text, first, last in header_spans(heads):
        ws.cell(row=top, column=first + 1, value=text)
        if heads[first].group is None:
            ws.merge_cells(start_row=top, start_column=first + 1, end_row=low, end_column=first + 1)
        elif last > first:
            ws.merge_cells(start_row=top, start_column=first + 1, end_row=top, end_column=last + 1)
    widths = [reports._width(h.label) for h in heads]
    columns = [NUMBER_COLUMN, *section.columns]
    for i, row in enumerate(reports.as_dicts(rows), start=low + 1):
        row = {NUMBER_COLUMN.key: i - low, **row}
        for j, col in enumerate(columns, start=1):
            _value_cell(ws, i, j, row.get(col.key), col)
            widths[j - 1] = max(widths[j - 1], reports._width(reports.display(row.get(col.key), col, "zh")))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 6), 40)
    ws.freeze_panes = ws.cell(row=low + 1, column=1).coordinate
    _print_setup(ws, f"{top}:{low}")


# ---------------------------------------------------------------- PDF

FONT_ENV = "PAIRING_CJK_FONT"
FONT_PACKAGE = "fonts-wqy-zenhei"
# Debian's paths of a CJK font with TrueType (glyf) outlines, which reportlab can embed (Noto CJK's CFF cannot).
FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
FONT_NAME = "PairingCJK"


def font_path() -> Path:
    """The CJK font the PDF embeds, or a ConfigError naming the package that installs one."""
    named = os.environ.get(FONT_ENV)
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"{FONT_ENV}={named}: no such font file")
        return path
    for path in FONT_PATHS:
        if path.is_file():
            return path
    raise ConfigError(
        f"no CJK TrueType font for the PDF: install Debian's {FONT_PACKAGE} (`make setup` does), "
        f"or set {FONT_ENV} to a .ttf/.ttc file with TrueType outlines"
    )


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **kwargs))
    return FONT_NAME


def pdf_cell(value: Any, column: Column) -> str:
    """A cell as the PDF shows it: the XLSX's words and formats, without the apostrophe that stops a
    spreadsheet formula (a PDF runs none, and the name is printed as the ledger has it)."""
    if column.percent and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, list | tuple | set | frozenset):
        return reports.LIST_SEPARATOR.join(model.display(v, "zh") if column.coded else str(v) for v in value)
    if isinstance(value, str) and column.coded:
        return model.display(value, "zh")
    return reports.text(reports.display(value, column, "zh") if not isinstance(value, str) else value)


def _para_text(value: Any) -> str:
    # reportlab's Paragraph reads markup: user text is escaped so that <b> or <script> stays text.
    return escape(reports.text(value)).replace("\n", "<br/>")


def pdf_bytes(bulletin: Bulletin) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    base = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    head = ParagraphStyle("head", parent=base, alignment=1)
    body = ParagraphStyle("body", parent=base, fontSize=10, leading=14)
    h1 = ParagraphStyle("h1", parent=base, fontSize=18, leading=24, alignment=1, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=bulletin.title,
        author=bulletin.unit or "",
    )
    width = doc.width

    def number(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(landscape(A4)[0] / 2, 7 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    grid = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    story: list[Any] = [Paragraph(_para_text(bulletin.title), h1)]
    meta = [
        ("填报单位", bulletin.unit),
        ("填报日期", bulletin.filed.isoformat()),
        ("统计期间", bulletin.period),
        ("范围", bulletin.scope),
    ]
    story.append(Paragraph("　　".join(f"{k}：{_para_text(v)}" for k, v in meta), body))
    story.append(Spacer(1, 4 * mm))
    figures = bulletin.headline.rows()
    cells = [
        [Paragraph(k, head) for k, _ in figures],
        [Paragraph(_figure(v), head) for _, v in figures],
    ]
    table = Table(cells, colWidths=[width / len(figures)] * len(figures))
    table.setStyle(TableStyle([*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7"))]))
    story.append(Paragraph("主要指标", h2))
    story.append(table)
    if bulletin.trend:
        story.append(Paragraph("覆盖率趋势", h2))
        story.append(_trend_drawing(bulletin.trend, font, width))
    for note in bulletin.notes():
        story.append(Paragraph(_para_text(note), base))
    # The sections follow the cover one after another (a short one needs no page of its own).
    story.append(PageBreak())
    for section in SECTIONS:
        rows = getattr(bulletin.changes, section.key)
        story.append(CondPageBreak(30 * mm))
        story.append(Paragraph(_para_text(f"{section.zh}（共 {len(rows)} 条）"), h2))
        story.append(_section_table(section, rows, head, base, width, grid))
    doc.build(story, onFirstPage=number, onLaterPages=number)
    return buf.getvalue()


def _figure(value: Any) -> str:
    return f"{value:.1%}" if isinstance(value, float) else str(value)


def _section_table(section: Section, rows: Sequence[Any], head: Any, base: Any, width: float, grid: list[Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    heads = headers(section)
    columns = [NUMBER_COLUMN, *section.columns]
    upper: list[Any] = [""] * len(heads)
    lower: list[Any] = [Paragraph(_para_text(h.label), head) for h in heads]
    spans: list[Any] = []
    for text, first, last in header_spans(heads):
        upper[first] = Paragraph(_para_text(text), head)
        if heads[first].group is None:
            spans.append(("SPAN", (first, 0), (first, 1)))
        elif last > first:
            spans.append(("SPAN", (first, 0), (last, 0)))
    data: list[list[Any]] = [upper, lower]
    # Columns share the width by what they hold (Chinese counts double), within bounds, as the XLSX's do.
    weights = [max(reports._width(h.label), 4) for h in heads]
    for i, row in enumerate(reports.as_dicts(rows), start=1):
        cells = [pdf_cell(row.get(c.key), c) for c in columns[1:]]
        data.append([Paragraph(str(i), base)] + [Paragraph(_para_text(t), base) for t in cells])
        for j, t in enumerate(cells, start=1):
            weights[j] = max(weights[j], min(reports._width(t), 40))
    if not rows:
        data.append([Paragraph("本期无", base)] + [""] * (len(heads) - 1))
        spans.append(("SPAN", (0, 2), (-1, 2)))
    number_width = 10 * 2.8346
    total = sum(weights[1:]) or 1
    widths = [number_width] + [(width - number_width) * w / total for w in weights[1:]]
    table = Table(data, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle([*grid, *spans, ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#DDEBF7"))]))
    return table


def _trend_drawing(points: Sequence[TrendPoint], font: str, width: float) -> Any:
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(width, 150)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 25, width - 80, 110
    chart.data = [[round(p.rate * 100, 1) for p in points]]
    chart.categoryAxis.categoryNames = [p.month for p in points]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.lines[0].strokeColor = colors.HexColor("#2F75B5")
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
    return drawing


def write(bulletin: Bulletin, fmt: str, target: Path) -> Path:
    """Write the 通报 as `fmt` to `target`: a file, or a folder that gets `bulletin.file_name(fmt)`."""
    path = target / bulletin.file_name(fmt) if target.is_dir() else target
    path.write_bytes(xlsx_bytes(bulletin) if fmt == "xlsx" else pdf_bytes(bulletin))
    return path
