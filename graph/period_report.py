"""The period report's sections as a department reads them: titles, columns, JSON, tables and the workbook.

`graph.period` computes the changes; this module lays them out, once for the CLI and (later) the app's
page and the 通报: one sheet per section with 序号 and Chinese headers, through `graph.reports`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph import formats, reports
from graph.period import Changes, TrendPoint
from graph.reports import VILLAGE_COLUMNS, Column, Sheet


def _c(key: str, zh: str, en: str, coded: bool = False, percent: bool = False) -> Column:
    return Column(key, zh, en, coded, percent)


ORIGIN = _c("origin", "变化来源", "From", coded=True)
GAP_CHANGE_COLUMNS = (
    *VILLAGE_COLUMNS,
    _c("weak_reasons", "后进原因", "Weak reasons", coded=True),
    _c("missing", "缺少帮扶", "Support missing", coded=True),
    ORIGIN,
    _c("reason", "原因", "Reason"),
)
LINK_COLUMNS = (
    _c("kind", "帮扶类型", "Kind", coded=True),
    _c("partner_id", "帮扶方编号", "Partner ID"),
    _c("partner", "帮扶方", "Partner"),
    _c("partner_label", "帮扶方类型", "Partner type", coded=True),
    *VILLAGE_COLUMNS,
    _c("since", "开始日期", "Since"),
    _c("until", "结束日期", "Until"),
    _c("role", "驻村身份", "Role", coded=True),
    _c("sender", "派出单位", "Sent by"),
)
ROTATION_COLUMNS = (
    *VILLAGE_COLUMNS,
    _c("cadre_id", "原驻村干部编号", "Cadre ID"),
    _c("cadre", "原驻村干部", "Cadre"),
    _c("until", "离任日期", "Left"),
    _c("successor_id", "接任干部编号", "Successor ID"),
    _c("successor", "接任干部", "Successor"),
    _c("since", "到任日期", "Arrived"),
    _c("gap_days", "空档天数", "Days between"),
)
WITHDRAWAL_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "单位名称", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    _c("links_ended", "结束帮扶关系数", "Links ended"),
    _c("last_until", "最后结束日期", "Last ended"),
    _c("villages", "涉及村", "Villages"),
)
PAPER_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "结对单位", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    *VILLAGE_COLUMNS,
    _c("since", "开始日期", "Since"),
    _c("until", "结束日期", "Until"),
    _c("last_activity", "最近活动日期", "Last activity"),
    ORIGIN,
)
COVERAGE_CHANGE_COLUMNS = (
    _c("city", "所属市", "City"),
    _c("county", "所属县", "County"),
    _c("township", "所属乡镇", "Township"),
    _c("weak_from", "期初后进村数", "Weak (from)"),
    _c("covered_from", "期初已覆盖", "Covered (from)"),
    _c("rate_from", "期初覆盖率", "Rate (from)", percent=True),
    _c("weak_to", "期末后进村数", "Weak (to)"),
    _c("covered_to", "期末已覆盖", "Covered (to)"),
    _c("rate_to", "期末覆盖率", "Rate (to)", percent=True),
    _c("covered_diff", "覆盖数变化", "Covered change"),
    _c("rate_diff", "覆盖率变化", "Rate change", percent=True),
)
TREND_COLUMNS = (
    _c("month", "月份", "Month"),
    _c("day", "统计日期", "Day"),
    _c("weak", "后进村数", "Weak villages"),
    _c("covered", "已覆盖", "Covered"),
    _c("uncovered", "未覆盖", "Not covered"),
    _c("rate", "覆盖率", "Coverage rate", percent=True),
    _c("paper", "挂名结对数", "Paper pairings"),
)


@dataclass(frozen=True)
class Section:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# In the order of `graph.period.SECTIONS` (the tests check it).
SECTIONS = (
    Section("new_gaps", "新增缺口", "New gaps", GAP_CHANGE_COLUMNS),
    Section("closed_gaps", "消除缺口", "Closed gaps", GAP_CHANGE_COLUMNS),
    Section("started", "新建帮扶关系", "Links started", LINK_COLUMNS),
    Section("ended", "终止帮扶关系", "Links ended", LINK_COLUMNS),
    Section("rotated", "驻村干部轮换", "Cadres rotated", ROTATION_COLUMNS),
    Section("withdrawn", "撤出单位", "Units withdrawn", WITHDRAWAL_COLUMNS),
    Section("paper_appeared", "新增挂名结对", "Paper pairings appeared", PAPER_COLUMNS),
    Section("paper_gone", "消除挂名结对", "Paper pairings gone", PAPER_COLUMNS),
    Section("coverage", "乡镇覆盖变化", "Coverage by township", COVERAGE_CHANGE_COLUMNS),
)


def period_words(changes: Changes, lang: str) -> str:
    d1, d2 = changes.d1.isoformat(), changes.d2.isoformat()
    return f"{d1} 至 {d2}" if lang == "zh" else f"{d1} to {d2}"


def _filters(changes: Changes) -> dict[str, Any]:
    return {"city": changes.city, "county": changes.county, "township": changes.township}


def rules_words(changes: Changes, lang: str) -> str:
    """The rules the two days were judged by: one set, or D1's → D2's where they differ."""
    if changes.rule_from == changes.rule_to:
        return changes.rule_to.words(lang)
    return f"{changes.rule_from.words(lang)} → {changes.rule_to.words(lang)}"


def as_json(changes: Changes, lang: str = "zh") -> str:
    """One object: the period, the scope, the rules, and each section as a list of rows (English keys, codes)."""
    out: dict[str, Any] = {
        "from": changes.d1,
        "to": changes.d2,
        "city": changes.city,
        "county": changes.county,
        "township": changes.township,
        "rule_from": {"policy": list(changes.rule_from.policy), "days": changes.rule_from.days},
        "rule_to": {"policy": list(changes.rule_to.policy), "days": changes.rule_to.days},
        "reasons_lang": lang,
    }
    for section in SECTIONS:
        out[section.key] = reports.as_dicts(getattr(changes, section.key))
    out["tier_changes"] = reports.as_dicts(changes.tier_changes)
    return json.dumps(out, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def as_table(changes: Changes, lang: str = "zh") -> str:
    """Every section under its title, for a terminal: the rules first, then a count and a table per section."""
    head = reports.title_line(
        ("本期变化" if lang == "zh" else "Changes") + f" {period_words(changes, lang)}", lang, None, _filters(changes)
    )
    parts = [head, rules_words(changes, lang)]
    for section in SECTIONS:
        rows = getattr(changes, section.key)
        count = f"（{len(rows)}）" if lang == "zh" else f" ({len(rows)})"
        parts.append("")
        parts.append(section.title(lang) + count)
        if rows:
            headers = [c.header(lang) for c in section.columns]
            parts.append(formats.table(reports.display_rows(rows, section.columns, lang), headers))
    return "\n".join(parts)


def sheets(changes: Changes, lang: str = "zh") -> list[Sheet]:
    """One sheet per section, each titled with the period and the scope."""
    period = period_words(changes, lang)
    return [
        Sheet(
            getattr(changes, s.key),
            s.columns,
            s.title(lang),
            None,
            {**_filters(changes), "period": period},
        )
        for s in SECTIONS
    ]


def xlsx_bytes(changes: Changes, lang: str = "zh") -> bytes:
    return reports.workbook_bytes(sheets(changes, lang), lang, numbered=True)


def trend_rows(points: Sequence[TrendPoint]) -> list[dict[str, Any]]:
    return reports.as_dicts(points)
