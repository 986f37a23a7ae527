"""Every string the app shows, in Chinese (the default: the users are Chinese planners) and English.

Data keep their Chinese names; only the interface is translated. `t(key)` reads the language
from the sidebar's `lang` selectbox through session state.
"""

from __future__ import annotations

from typing import Any

from graph.model import NODES, RELS

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"

# key: (Chinese, English)
TEXT: dict[str, tuple[str, str]] = {
    "app.title": ("城乡结对共建图谱", "Urban–rural pairing graph"),
    "app.lang": ("语言 / Language", "Language / 语言"),
    "app.asof": ("统计日期", "As of"),
    "app.store": ("数据库：{location}", "Store: {location}"),
    "app.empty": (
        "数据库中还没有数据。请在“数据”页面导入台账。",
        "The store holds no data yet. Import a ledger on the Data page.",
    ),
    "page.overview": ("总览", "Overview"),
    "page.explorer": ("关系网络", "Network explorer"),
    "page.gaps": ("短板清单", "Gaps"),
    "page.data": ("数据", "Data"),
    # filters
    "filter.county": ("县（市、区）", "County"),
    "filter.township": ("乡镇（街道）", "Township"),
    "filter.all": ("全部", "All"),
    # overview
    "overview.title": ("总览", "Overview"),
    "overview.weak": ("后进村", "Weak villages"),
    "overview.covered": ("已有帮扶", "Covered"),
    "overview.share": ("覆盖率", "Share covered"),
    "overview.uncovered": ("无帮扶后进村", "Uncovered weak villages"),
    "overview.inactive": ("挂名结对（一年无活动）", "Inactive pairings (no activity for a year)"),
    "overview.expiring": ("90天内到期的驻村干部", "Cadre terms ending within 90 days"),
    "overview.by_kind": ("按帮扶方式", "By kind of support"),
    "overview.by_township": ("各乡镇后进村覆盖情况", "Coverage of weak villages by township"),
    "overview.by_county": ("各县后进村覆盖情况", "Coverage of weak villages by county"),
    "overview.weak_only": (
        "村数太多，地图只显示 {n} 个后进村。选择县可查看全部村。",
        "Too many villages: the map shows the {n} weak villages only. Pick a county to see them all.",
    ),
    "overview.map": ("后进村分布（红：无帮扶，绿：已帮扶）", "Weak villages (red: uncovered, green: covered)"),
    "overview.no_coords": ("所选范围内没有带坐标的村。", "No village in this selection has coordinates."),
    "overview.no_gaps": (
        "短板分析模块（graph.gaps）尚未安装，暂不显示覆盖指标。",
        "The gap analysis (graph.gaps) is not available yet; coverage figures are not shown.",
    ),
    "overview.counts": ("数据规模", "What the store holds"),
    "col.covered": ("已帮扶", "covered"),
    "col.uncovered": ("无帮扶", "uncovered"),
    # support kinds
    "kind.pairing": ("城乡结对", "Pairing"),
    "kind.lead": ("强村带弱村", "Led by a strong village"),
    "kind.fusion": ("村企融合", "Village–enterprise fusion"),
    "kind.station": ("驻村干部", "Stationed cadre"),
    # explorer
    "explorer.title": ("关系网络", "Network explorer"),
    "explorer.mode": ("查看方式", "View"),
    "explorer.mode.search": ("按名称查找", "Search by name"),
    "explorer.mode.scope": ("按县/乡镇", "County / township"),
    "explorer.search": ("名称或编号", "Name or id"),
    "explorer.results": ("找到 {n} 个节点", "{n} nodes found"),
    "explorer.no_results": ("没有找到名称包含“{text}”的节点。", "No node's name contains “{text}”."),
    "explorer.pick": ("选择节点", "Node"),
    "explorer.depth": ("层数", "Depth"),
    "explorer.physics": ("动态布局", "Physics"),
    "explorer.cap": ("最多显示节点数", "Node cap"),
    "explorer.shown": ("显示 {nodes} 个节点、{links} 条关系", "Showing {nodes} nodes and {links} links"),
    "explorer.capped": (
        "范围内至少有 {total} 个节点，超过上限 {cap}，只显示前 {cap} 个。请缩小范围（选择乡镇或减少层数）。",
        "The scope holds at least {total} nodes, more than the cap of {cap}; only the first {cap} are shown. "
        "Narrow it (pick a township or fewer hops).",
    ),
    "explorer.legend": ("图例", "Legend"),
    "explorer.ended": ("统计日期前已结束", "ended before the as-of date"),
    "explorer.details": ("节点详情", "Details"),
    "explorer.links": ("关系", "Links"),
    "explorer.focus": ("查看", "Focus"),
    "explorer.hint": ("输入名称查找节点，或选择县/乡镇查看范围。", "Search a node by name, or pick a county/township."),
    "explorer.no_links": ("没有关系。", "No links."),
    "col.relation": ("关系", "relation"),
    "col.partner": ("对方", "partner"),
    "col.kind": ("类型", "kind"),
    "col.since": ("开始", "since"),
    "col.until": ("结束", "until"),
    "col.active": ("有效", "active"),
    "col.property": ("属性", "property"),
    "col.value": ("值", "value"),
    # gaps
    "gaps.title": ("短板清单", "Gaps"),
    "gaps.list": ("清单", "List"),
    "gaps.rows": ("共 {n} 行", "{n} rows"),
    "gaps.download_xlsx": ("下载 Excel", "Download XLSX"),
    "gaps.download_csv": ("下载 CSV", "Download CSV"),
    "gaps.unavailable": (
        "短板分析模块（graph.gaps / graph.reports）尚未安装。",
        "The gap analysis (graph.gaps / graph.reports) is not available yet.",
    ),
    "gap.unpaired": ("无帮扶的后进村", "Weak villages without support"),
    "gap.support": ("后进村帮扶情况", "Support of weak villages"),
    "gap.inactive": ("挂名结对（一年无活动）", "Inactive pairings"),
    "gap.expiring": ("即将到期的驻村干部", "Cadre terms ending soon"),
    "gap.unit_load": ("结对单位负荷", "Unit load"),
    "gap.coverage": ("各乡镇覆盖率", "Coverage by township"),
    "gap.org_setting": ("党组织设置不规范", "Party organisation settings to fix"),
    "gaps.days": ("到期天数", "Days ahead"),
    # data
    "data.title": ("数据导入导出", "Import and export"),
    "data.upload": ("上传台账（Excel 工作簿或 CSV 压缩包）", "Upload a ledger (XLSX workbook or ZIP of CSV files)"),
    "data.replace": ("替换库中全部数据", "Replace everything in the store"),
    "data.valid": ("校验通过：{counts}", "No problems: {counts}"),
    "data.problems": ("发现 {n} 个问题，未导入：", "{n} problems found; nothing was imported:"),
    "data.import": ("确认导入", "Import"),
    "data.imported": ("已导入：{changes}", "Imported: {changes}"),
    "data.no_change": ("没有变化", "no change"),
    "data.bad_file": ("无法读取文件：{error}", "Cannot read the file: {error}"),
    "data.export": ("导出全部数据", "Export everything"),
    "data.export_zip": ("下载 CSV 压缩包", "Download ZIP of CSV files"),
    "data.export_xlsx": ("下载 Excel 工作簿", "Download XLSX workbook"),
    "data.prepare": ("生成导出文件", "Prepare the export"),
    "col.file": ("文件/工作表", "file / sheet"),
    "col.row": ("行", "row"),
    "col.column": ("列", "column"),
    "col.value_cell": ("内容", "value"),
    "col.reason": ("原因", "reason"),
    "col.count": ("数量", "count"),
    "col.name": ("名称", "name"),
    # tiers
    "tier.strong": ("强村", "strong village"),
    "tier.ordinary": ("一般村", "ordinary village"),
    "tier.weak": ("后进村", "weak village"),
}

# Labels and relationship types in Chinese come from the model, where the data vocabulary lives.
for _node in NODES:
    TEXT.setdefault(f"label.{_node.label}", (_node.zh, _node.label))
for _rel in RELS:
    TEXT.setdefault(f"rel.{_rel.type}", (_rel.zh, _rel.type.replace("_", " ").lower()))


def current_lang() -> str:
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANG)
    except Exception:  # outside a Streamlit run (plain tests, scripts): the default language
        lang = DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text for `key` in the current (or given) language, with `{name}` fields filled from `values`."""
    zh, en = TEXT[key]
    text = en if (lang or current_lang()) == "en" else zh
    return text.format(**values) if values else text


def kind_names(lang: str | None = None) -> dict[str, str]:
    """Words for the explorer's node kinds and link types, for the drawing and its legend."""
    out = {f"Village:{tier}": t(f"tier.{tier}", lang) for tier in ("strong", "ordinary", "weak")}
    out |= {n.label: t(f"label.{n.label}", lang) for n in NODES}
    out |= {r.type: t(f"rel.{r.type}", lang) for r in RELS}
    out["ended"] = t("explorer.ended", lang)
    return out


def kind_name(key: str, lang: str | None = None) -> str:
    """A label or relationship type (as the store counts them) in the interface language."""
    for prefix in ("label.", "rel."):
        if prefix + key in TEXT:
            return t(prefix + key, lang)
    return key
