"""The gap lists, each declared once: its function, columns, title, filters and their defaults.

The CLI (one command per list, options from the filters), the app's gap page (one entry per
list, widgets from the filters), the overview and the report files all read these entries, so a
list has the same name, title, columns and defaults wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph import gaps, lists
from graph.gaps import Reader
from graph.reports import VILLAGE_COLUMNS, Column

# Every filter a list may take, with the value that applies no restriction (or the usual one).
FILTERS: dict[str, Any] = {
    "city": None,
    "county": None,
    "township": None,
    "days": None,
    "policy": gaps.DEFAULT_POLICY,
    "status": None,
    "by": "county",
}
# How a `by` choice reads in a title line.
BY_WORDS: dict[str, dict[str, str]] = {
    "zh": {"city": "按市", "county": "按县", "township": "按乡镇"},
    "en": {"city": "city", "county": "county", "township": "township"},
}


def _c(key: str, zh: str, en: str, coded: bool = False, percent: bool = False) -> Column:
    return Column(key, zh, en, coded, percent)


# The 地级市 column, before the county: the gap lists' rows carry it (graph.gaps); the 三张清单's do not yet.
CITY_COLUMN = _c("city", "所属市", "City")
# A village's columns with its city: id, name, city, county, township.
PLACED_VILLAGE = (*VILLAGE_COLUMNS[:2], CITY_COLUMN, *VILLAGE_COLUMNS[2:])

GAP_COLUMNS = (
    *PLACED_VILLAGE,
    _c("weak_reasons", "后进原因", "Weak reasons", coded=True),
    _c("has", "现有帮扶", "Support it has", coded=True),
    _c("missing", "缺少帮扶", "Support missing", coded=True),
    _c("pairing", "结对数", "Pairings"),
    _c("lead", "带村数", "Leads"),
    _c("fusion", "村企融合数", "Fusions"),
    _c("station", "驻村干部数", "Stationed cadres"),
)
COVERAGE_COLUMNS = (
    CITY_COLUMN,
    _c("county", "所属县", "County"),
    _c("township", "所属乡镇", "Township"),
    _c("weak", "后进村数", "Weak villages"),
    _c("covered", "已覆盖", "Covered"),
    _c("uncovered", "未覆盖", "Not covered"),
    _c("rate", "覆盖率", "Coverage rate", percent=True),
    _c("pairing", "有结对", "With pairing"),
    _c("lead", "有强村带", "With lead"),
    _c("fusion", "有村企融合", "With fusion"),
    _c("station", "有驻村干部", "With stationed cadre"),
)
INACTIVE_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "结对单位", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    *PLACED_VILLAGE,
    _c("tier", "村类别", "Tier", coded=True),
    _c("since", "开始日期", "Since"),
    _c("until", "结束日期", "Until"),
    _c("last_activity", "最近活动日期", "Last activity"),
    _c("days_since_activity", "距今天数", "Days since activity"),
)
FIRST_YEAR_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "结对单位", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    *PLACED_VILLAGE,
    _c("tier", "村类别", "Tier", coded=True),
    _c("since", "开始日期", "Since"),
    _c("until", "结束日期", "Until"),
    _c("days_paired", "已结对天数", "Days paired"),
)
EXPIRING_COLUMNS = (
    _c("cadre_id", "干部编号", "Cadre ID"),
    _c("cadre", "驻村干部", "Cadre"),
    _c("role", "驻村身份", "Role", coded=True),
    *PLACED_VILLAGE,
    _c("since", "开始日期", "Since"),
    _c("until", "到期日期", "Term ends"),
    _c("days_left", "剩余天数", "Days left"),
)
LOAD_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "单位名称", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    CITY_COLUMN,
    _c("county", "所属县", "County"),
    _c("capacity", "可结对数", "Capacity"),
    _c("active", "在结对数", "Active pairings"),
    _c("status", "状态", "Status", coded=True),
)
ORG_COLUMNS = (
    _c("id", "编号", "ID"),
    _c("name", "名称", "Name"),
    _c("label", "类型", "Kind", coded=True),
    CITY_COLUMN,
    _c("county", "所属县", "County"),
    _c("township", "所属乡镇", "Township"),
    _c("party_members", "党员数", "Party members"),
    _c("party_org_type", "现党组织类型", "Organisation type", coded=True),
    _c("expected_type", "应设类型", "Expected type", coded=True),
    _c("leadership_size", "班子人数", "Leadership size"),
    _c("type_mismatch", "设置不符", "Type mismatch"),
    _c("small_leadership", "班子不足3人", "Leadership under 3"),
)

# 三张清单's lists (graph.lists).
STALE_COLUMNS = (
    _c("need_id", "需求编号", "Need ID"),
    _c("need", "需求事项", "Need"),
    _c("kind", "需求类别", "Kind", coded=True),
    *VILLAGE_COLUMNS,
    _c("posted", "发布日期", "Posted"),
    _c("days_open", "未认领天数", "Days unclaimed"),
)
OVERDUE_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "认领单位", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    _c("need_id", "需求编号", "Need ID"),
    _c("need", "需求事项", "Need"),
    *VILLAGE_COLUMNS,
    _c("claimed", "认领日期", "Claimed"),
    _c("status", "项目状态", "Status", coded=True),
    _c("due", "完成时限", "Due"),
    _c("days_overdue", "逾期天数", "Days overdue"),
)
IDLE_COLUMNS = (
    _c("unit_id", "单位编号", "Unit ID"),
    _c("unit", "认领单位", "Unit"),
    _c("unit_label", "单位类型", "Unit type", coded=True),
    _c("county", "所属县", "County"),
    _c("claims", "未推进认领数", "Idle claims"),
    _c("needs", "认领需求", "Needs claimed"),
    _c("need_ids", "需求编号", "Need IDs"),
    _c("since", "最早认领日期", "Earliest claim"),
)
RATE_COLUMNS = (
    _c("county", "所属县", "County"),
    _c("township", "所属乡镇", "Township"),
    _c("needs", "需求数", "Needs"),
    _c("claimed", "已认领", "Claimed"),
    _c("done", "已办结", "Done"),
    _c("claim_rate", "认领率", "Claim rate", percent=True),
    _c("completion_rate", "办结率", "Completion rate", percent=True),
)


@dataclass(frozen=True)
class Days:
    """What a list's `days` filter means: its least value, the page's label and the CLI's help."""

    minimum: int
    label_zh: str
    label_en: str
    help: str

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class GapList:
    """One gap list: what computes it, how it is shown, and which filters it takes."""

    name: str
    # A `graph.gaps` function, called with the store, `asof` (when `dated`) and the filters by keyword.
    function: Callable[..., Sequence[Any]]
    columns: tuple[Column, ...]
    title_zh: str
    title_en: str
    # The CLI command's help; its first sentence is the command list's summary.
    summary: str
    # Which of FILTERS the list takes, in the order a title line names them.
    filters: tuple[str, ...]
    # Where a list's default differs from FILTERS (e.g. the days of `inactive` and `expiring`).
    defaults: Mapping[str, Any] = field(default_factory=dict)
    # Where the app's page starts from other values than the CLI (a table has room for townships).
    page_defaults: Mapping[str, Any] = field(default_factory=dict)
    # False for lists that do not depend on a day (organisation settings).
    dated: bool = True
    # The CLI command; by default the name with dashes. `aliases` are hidden older names.
    command: str = ""
    aliases: tuple[str, ...] = ()
    # For lists that take `days`: what the number means.
    days: Days | None = None
    # For lists that take `by`: the levels they roll up by.
    levels: tuple[str, ...] = gaps.BY_CHOICES

    @property
    def cli_name(self) -> str:
        return self.command or self.name.replace("_", "-")

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def default(self, name: str, page: bool = False) -> Any:
        if page and name in self.page_defaults:
            return self.page_defaults[name]
        return self.defaults.get(name, FILTERS[name])

    def params(self, page: bool = False, **given: Any) -> dict[str, Any]:
        """The list's filters: each given value, else its default; a policy parsed (bad kinds raise here)."""
        values = {}
        for name in self.filters:
            value = given.get(name)
            values[name] = self.default(name, page) if value is None else value
        if "policy" in values:
            values["policy"] = gaps.parse_policy(values["policy"])
        return values

    def rows(self, store: Reader, asof: dt.date | None, params: Mapping[str, Any]) -> list[Any]:
        """The list's rows on `asof` under `params` (from `params()`)."""
        # No query takes the status: it picks rows after the fact.
        kwargs = {k: v for k, v in params.items() if k != "status"}
        if self.dated:
            kwargs["asof"] = asof
        rows = list(self.function(store, **kwargs))
        status = params.get("status")
        return [r for r in rows if r.status == status] if status else rows

    def shown_columns(self, params: Mapping[str, Any]) -> tuple[Column, ...]:
        """The columns for these filters: county totals have no township, city totals no county either."""
        by = params.get("by", "township")
        dropped = {"county": {"township"}, "city": {"county", "township"}}.get(by, set())
        return tuple(c for c in self.columns if c.key not in dropped)

    def title_filters(self, params: Mapping[str, Any], lang: str) -> dict[str, Any]:
        """The filters as a title line names them: the default policy and unset filters are left out."""
        out: dict[str, Any] = {}
        for name, value in params.items():
            if name == "policy":
                value = () if tuple(value) == gaps.DEFAULT_POLICY else tuple(value)
            elif name == "by":
                value = BY_WORDS[lang][value]
            out[name] = value
        return out


GAP_LISTS: tuple[GapList, ...] = (
    GapList(
        "unpaired",
        gaps.gaps,
        GAP_COLUMNS,
        "后进村帮扶缺口名单",
        "Weak villages lacking support",
        "List weak villages that lack support on a day. Under the default policy ('any') that is no active "
        "support at all; a policy such as 'pairing,station' lists the villages missing any of those kinds.",
        ("city", "county", "township", "policy"),
        command="gaps",
        aliases=("unpaired",),
    ),
    GapList(
        "support",
        gaps.support,
        GAP_COLUMNS,
        "后进村帮扶情况",
        "Support of weak villages",
        "List every weak village with the kinds of support it has on a day, and those the policy still misses.",
        ("city", "county", "township", "policy"),
    ),
    GapList(
        "inactive",
        gaps.inactive,
        INACTIVE_COLUMNS,
        "挂名结对名单（一年以上无活动）",
        "Paper pairings (no activity for a year)",
        "List paper pairings (挂名结对): paired for over a year with no completed activity in the past year.",
        ("city", "county", "township", "days"),
        defaults={"days": gaps.INACTIVE_AFTER_DAYS},
        days=Days(
            1,
            "无活动天数",
            "Days without activity",
            "A pairing older than this many days with no completed activity in them is inactive.",
        ),
    ),
    GapList(
        "first_year",
        gaps.first_year,
        FIRST_YEAR_COLUMNS,
        "首年尚无活动的结对",
        "First-year pairings with no activity yet",
        "List pairings in their first year with no completed activity yet (milder than a paper pairing).",
        ("city", "county", "township", "days"),
        defaults={"days": gaps.INACTIVE_AFTER_DAYS},
        days=Days(
            1, "首年天数", "Days of the first year", "A pairing younger than this many days is in its first year."
        ),
    ),
    GapList(
        "expiring",
        gaps.expiring,
        EXPIRING_COLUMNS,
        "驻村干部到期预警名单",
        "Stationed cadres whose term ends soon",
        "List stationed cadres whose term ends soon and whose weak village then has no other support.",
        ("city", "county", "township", "days"),
        defaults={"days": gaps.EXPIRING_DAYS},
        days=Days(0, "到期天数", "Days ahead", "Look this many days ahead."),
    ),
    GapList(
        "unit_load",
        gaps.unit_load,
        LOAD_COLUMNS,
        "结对单位承载情况",
        "Load of pairing units",
        "Show each pairing unit's capacity and active pairings: overloaded, idle or ok.",
        ("city", "county", "status"),
        aliases=("load-report",),
    ),
    GapList(
        "coverage",
        gaps.coverage,
        COVERAGE_COLUMNS,
        "后进村帮扶覆盖情况",
        "Coverage of weak villages",
        "Count weak villages and covered ones per city, county or township, with the kinds of support.",
        ("city", "county", "by"),
        page_defaults={"by": "township"},
    ),
    GapList(
        "org_setting",
        gaps.org_setting,
        ORG_COLUMNS,
        "党组织设置问题名单",
        "Party organisation setting problems",
        "List party organisations whose type does not fit their membership or whose leadership is under 3.",
        ("city", "county", "township"),
        dated=False,
        aliases=("org-audit",),
    ),
    GapList(
        "stale_needs",
        lists.stale_needs,
        STALE_COLUMNS,
        "长期无人认领需求名单",
        "Needs nobody has claimed for long",
        "List open needs that no unit has claimed, posted 90 days or more before the day (需求清单).",
        ("county", "township", "days"),
        defaults={"days": lists.STALE_AFTER_DAYS},
        days=Days(
            0, "未认领天数", "Days unclaimed", "A need posted this many days before the day or earlier is listed."
        ),
    ),
    GapList(
        "overdue_projects",
        lists.overdue_projects,
        OVERDUE_COLUMNS,
        "逾期未办结项目名单",
        "Projects past their due date",
        "List claimed projects, claimed or under way, whose due date has passed (项目清单).",
        ("county", "township"),
    ),
    GapList(
        "idle_claimers",
        lists.idle_claimers,
        IDLE_COLUMNS,
        "认领后未推进单位名单",
        "Units that claimed and did nothing",
        "List units whose claims are 90 days old or more, still only claimed, with no activity for those villages.",
        ("county", "township", "days"),
        defaults={"days": lists.IDLE_AFTER_DAYS},
        days=Days(
            0, "认领后天数", "Days since the claim", "A claim made this many days before the day or earlier counts."
        ),
    ),
    GapList(
        "claim_rates",
        lists.rates,
        RATE_COLUMNS,
        "需求认领率和办结率",
        "Claim and completion rates of needs",
        "Show the claim rate (认领率) and completion rate (办结率) of needs per county or township.",
        ("county", "by"),
        page_defaults={"by": "township"},
        dated=False,
        command="rates",
        levels=lists.BY_CHOICES,
    ),
)
BY_NAME: dict[str, GapList] = {g.name: g for g in GAP_LISTS}


def get(name: str) -> GapList:
    return BY_NAME[name]
