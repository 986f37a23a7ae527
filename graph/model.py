"""The graph model: the one source of truth for labels, relationship types, properties and coded values.

The Ladybug DDL, the Neo4j constraints, the importer's column and header aliases,
the exporter and the Cypher linter's schema all derive from the tables below. So do the words
shown for every coded value (tiers, weak reasons, support kinds, labels, statuses…): each is
declared once as a `Term` in a `Vocab`, and screens and reports read it through `display`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PType(StrEnum):
    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    DATE = "DATE"
    STRINGS = "STRING[]"


@dataclass(frozen=True)
class Term:
    """One coded value: its canonical code, the words shown for it, and the other spellings an import accepts."""

    code: str
    zh: str
    en: str
    # Spellings a ledger may use besides `zh` (which an import always accepts) and the code itself.
    aliases: tuple[str, ...] = ()

    def word(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Vocab:
    """The coded values of one kind (tiers, weak reasons, support kinds…), in their canonical order."""

    kind: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def term(self, code: str) -> Term | None:
        return next((t for t in self.terms if t.code == code), None)

    @property
    def aliases(self) -> dict[str, str]:
        """Every non-code spelling an import accepts, mapped to its code: the display word first, then the rest."""
        return {spelling: t.code for t in self.terms for spelling in (t.zh, *t.aliases)}


@dataclass(frozen=True)
class Prop:
    name: str
    type: PType
    required: bool = False
    # Allowed values: the codes of `vocab` when it is given.
    choices: tuple[str, ...] = ()
    # Header spellings accepted on import besides `name` (real ledgers are in Chinese).
    headers: tuple[str, ...] = ()
    zh: str = ""
    # The words for the allowed values and the spellings an import accepts for them.
    vocab: Vocab | None = None
    # Bounds of a number (inclusive), checked on import: counts and amounts cannot be negative.
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.vocab is not None:
            if self.choices and self.choices != self.vocab.codes:
                raise ValueError(f"{self.name}: choices {self.choices} differ from vocabulary {self.vocab.kind}")
            object.__setattr__(self, "choices", self.vocab.codes)

    @property
    def is_list(self) -> bool:
        return self.type is PType.STRINGS

    @property
    def value_aliases(self) -> dict[str, str]:
        """Chinese (or other) spellings of allowed values, mapped to the canonical value."""
        return self.vocab.aliases if self.vocab is not None else {}


@dataclass(frozen=True)
class NodeSpec:
    label: str
    file: str
    props: tuple[Prop, ...]
    zh: str
    # File columns that are links, not properties (the cadres file's `sent_by`).
    link_columns: tuple[str, ...] = ()
    # The primary key property (Ladybug) / unique property (Neo4j).
    key: str = "id"
    # The label's display word in English (`zh` is its display word in Chinese).
    en: str = ""
    # Link files whose fields a sheet of this file may carry too: a cadre roster (驻村第一书记花名册) names
    # each cadre's village, role and term on the cadre's own row, so one sheet holds cadres and stations.
    carries: tuple[str, ...] = ()
    # Id headers that are official codes (统计用区划代码, 社区代码): a register a county fills in for some nodes
    # only, so that a row without one gets a derived id, where a blank in an id column is a problem.
    official_codes: tuple[str, ...] = ()

    @property
    def stored(self) -> tuple[Prop, ...]:
        return tuple(p for p in self.props if p.name not in self.link_columns)

    def prop(self, name: str) -> Prop:
        return next(p for p in self.props if p.name == name)


@dataclass(frozen=True)
class RelSpec:
    type: str
    file: str
    # Column naming the start node, and the labels it may have; likewise the end node.
    src: Prop
    src_labels: tuple[str, ...]
    dst: Prop
    dst_labels: tuple[str, ...]
    props: tuple[Prop, ...]
    zh: str
    # Properties that, with both ends, identify one link (a pairing may be renewed).
    key: tuple[str, ...] = ()
    # The type's display word in English (`zh` is its display word in Chinese).
    en: str = ""
    # A ledger's columns that narrow a reference by name to one node, as (reference column, property of
    # the node it names): ("village", TOWNSHIP) is the township of the row's village, read as the field
    # "village.township". Listed first wins a header both could claim (乡镇 on a leads sheet: the village's).
    context: tuple[tuple[str, Prop], ...] = ()

    @property
    def columns(self) -> tuple[Prop, ...]:
        return (self.src, self.dst, *self.props)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(a, b) for a in self.src_labels for b in self.dst_labels]


# Every coded value the app stores or shows, declared once: code, display Chinese, display English and the
# further spellings an import accepts. Screens, reports and the importer all read these (`display`).
# Where ledgers and reports use several words, the display word is the one the seed reports use.
TIER = Vocab(
    "tier",
    (
        Term("strong", "强村", "strong village", ("中心村", "经济强村", "示范村", "先进村")),
        Term("ordinary", "一般村", "ordinary village", ("普通村",)),
        Term("weak", "后进村", "weak village", ("薄弱村", "软弱涣散村", "经济薄弱村", "集体经济薄弱村", "贫困村")),
    ),
)
# 经济薄弱 as seed 003 words it (经济基础薄弱) and ledgers write it first; 集体经济薄弱 is still read.
# The English words are the codes: reports in English have always shown them, and they read as English.
WEAK_REASON = Vocab(
    "weak_reason",
    (
        Term("economy", "经济薄弱", "economy", ("集体经济薄弱",)),
        Term("organisation", "软弱涣散", "organisation", ("组织涣散",)),
        Term("poverty", "贫困", "poverty"),
        Term("venue", "无活动场所", "venue", ("缺少活动场所",)),
    ),
)
PAIRING_FORM = Vocab(
    "pairing_form",
    (
        Term("assigned", "组织定对", "assigned"),
        Term("voluntary", "自由结对", "voluntary"),
        Term("chosen", "群众选对", "chosen by the villagers"),
    ),
)
ORG_TYPE = Vocab(
    "party_org_type",
    (
        Term("committee", "党委", "party committee"),
        Term("general_branch", "党总支", "general branch"),
        Term("branch", "党支部", "branch"),
    ),
)
ENTERPRISE_SIZE = Vocab(
    "enterprise_size",
    (
        Term("large", "大型", "large"),
        Term("medium", "中型", "medium"),
        Term("small", "小型", "small"),
        Term("micro", "微型", "micro"),
    ),
)
ORGANISATION_KIND = Vocab(
    "organisation_kind",
    (
        Term("department", "机关", "government department", ("区直部门", "党政机关", "机关单位", "驻区单位")),
        Term("school", "学校", "school"),
        Term("hospital", "医院", "hospital"),
        Term("soe", "国有企业", "state-owned enterprise", ("国企",)),
        Term("institution", "事业单位", "public institution"),
    ),
)
ORGANISATION_LEVEL = Vocab(
    "organisation_level",
    (
        Term("province", "省级", "province level"),
        Term("city", "市级", "city level"),
        Term("county", "县级", "county level", ("区级", "县区级")),
        Term("township", "乡镇级", "township level", ("街道级", "镇级", "乡级")),
    ),
)
CADRE_ROLE = Vocab(
    "cadre_role",
    (
        Term("first_secretary", "第一书记", "first secretary"),
        Term("team_leader", "工作队长", "work-team leader"),
        Term("team_member", "工作队员", "work-team member"),
    ),
)
# Kinds of support a weak village can have; `SUPPORT_EDGE` names the edge that provides each.
# 驻村干部 for a station, as seed 002 counts them (驻村干部11万名) and the lists' columns do (驻村干部数).
SUPPORT_KIND = Vocab(
    "support_kind",
    (
        Term("pairing", "城乡结对", "pairing"),
        Term("lead", "强村带弱村", "led by a strong village"),
        Term("fusion", "村企融合", "village–enterprise fusion"),
        Term("station", "驻村干部", "stationed cadre"),
    ),
)
# Not properties but computed values shown in lists: a pairing unit's load (graph.gaps.unit_load),
# why matching left a village without a partner (graph.matching.result), the matching modes.
UNIT_STATUS = Vocab(
    "unit_status",
    (
        Term("overloaded", "超负荷", "overloaded"),
        Term("idle", "未结对", "idle"),
        Term("ok", "正常", "ok"),
    ),
)
UNMATCHED_REASON = Vocab(
    "unmatched_reason",
    (
        Term("no_candidate", "限定范围内无可选单位", "no unit within the limits"),
        Term("all_full", "可选单位均已满额", "every unit within the limits is full"),
        Term("declined", "可选单位得分过低", "the units with room scored too low"),
        Term("not_shortlisted", "有余力单位未进入候选（可增大k）", "units with room were not shortlisted (raise k)"),
    ),
)
MATCH_MODE = Vocab(
    "match_mode",
    (
        Term("optimal", "总分最优", "best total score"),
        Term("stable", "稳定匹配", "stable matching"),
    ),
)
# Where an item of a period report (graph.period) comes from: the data changed, or the rule it is judged by.
CHANGE_ORIGIN = Vocab(
    "change_origin",
    (
        Term("data", "数据变化", "data changed"),
        Term("rule", "规则变化", "rule changed"),
    ),
)
# Roles of the app's accounts (the Account system node), from the least to the most allowed.
ACCOUNT_ROLE = Vocab(
    "account_role",
    (
        Term("viewer", "查看者", "viewer"),
        Term("planner", "规划员", "planner"),
        Term("admin", "管理员", "admin"),
    ),
)

# 三张清单 (needs, resources, projects) and the practical projects a pairing records.
# A code means one thing in every vocabulary: the statuses they share are one Term each.
_CLAIMED = Term("claimed", "已认领", "claimed", ("认领",))
_ONGOING = Term("ongoing", "实施中", "under way", ("进行中", "推进中", "在建", "正在实施"))
_DONE = Term("done", "已完成", "done", ("完成", "已办结", "办结", "已落实", "已实施"))
ACTIVITY_KIND = Vocab(
    "activity_kind",
    (
        Term("project", "项目", "project", ("实事项目", "实事", "项目建设", "办实事")),
        Term("event", "活动", "activity", ("共建活动", "联建活动", "主题党日", "组织生活")),
        Term("funding", "资金", "funds", ("资金帮扶", "捐赠", "捐款", "资金支持")),
        Term("training", "培训", "training", ("技能培训", "培训班", "业务培训")),
        Term("purchase", "消费帮扶", "purchase of produce", ("以购代捐", "采购农产品", "产销对接")),
        Term("other", "其他", "other", ("其它",)),
    ),
)
ACTIVITY_STATUS = Vocab(
    "activity_status",
    (Term("planned", "计划", "planned", ("计划中", "拟开展", "未开始", "待实施")), _ONGOING, _DONE),
)
# What a village may ask for and a unit may offer: one list, so that a need and a resource can meet.
ITEM_KIND = Vocab(
    "item_kind",
    (
        Term("industry", "产业发展", "industry", ("产业", "产业帮扶", "特色产业")),
        Term("infrastructure", "基础设施", "infrastructure", ("基础设施建设", "道路", "水利")),
        Term("education", "教育", "education", ("教育帮扶", "助学", "教育资源")),
        Term("health", "医疗卫生", "health care", ("医疗", "健康", "义诊", "医疗资源")),
        Term("employment", "就业", "jobs", ("就业创业", "劳务", "就业岗位", "务工")),
        Term("talent", "人才技术", "skills and talent", ("人才", "技术", "科技", "人才培养")),
        Term("culture", "文化", "culture", ("文化建设", "文明实践", "文体")),
        Term("governance", "基层治理", "governance", ("治理", "组织建设", "党建")),
        Term("market", "产销对接", "sales of produce", ("销售", "销路", "农产品销售")),
        Term("capital", "资金支持", "money", ("资金", "帮扶资金")),
    ),
)
NEED_STATUS = Vocab(
    "need_status",
    (
        Term("open", "待认领", "open", ("未认领", "发布中", "征集中")),
        _CLAIMED,
        _DONE,
        Term("withdrawn", "已撤销", "withdrawn", ("撤销", "取消", "已取消")),
    ),
)
# A claim of a need by a unit (项目清单): several units may claim one need, and the village chooses one
# (群众选对); the others are then declined.
PROJECT_STATUS = Vocab(
    "project_status",
    (_CLAIMED, _ONGOING, _DONE, Term("not_chosen", "未选中", "not chosen", ("未被选中", "落选"))),
)

TIERS = TIER.codes
WEAK_REASONS = WEAK_REASON.codes
PAIRING_FORMS = PAIRING_FORM.codes
ORG_TYPES = ORG_TYPE.codes
SUPPORT_KINDS = SUPPORT_KIND.codes
UNIT_STATUSES = UNIT_STATUS.codes
UNMATCHED_REASONS = UNMATCHED_REASON.codes
MATCH_MODES = MATCH_MODE.codes
ACCOUNT_ROLES = ACCOUNT_ROLE.codes
UNIT_LABELS = ("CityCommunity", "Enterprise", "Organisation")
# Ledger columns an import passes over without complaint: row numbers and remarks.
IGNORED_HEADERS = ("序号", "备注", "说明")


def _id(*headers: str) -> Prop:
    return Prop("id", PType.STRING, required=True, headers=("编号", "编码", "ID", *headers), zh="编号")


def _name(*headers: str) -> Prop:
    return Prop("name", PType.STRING, required=True, headers=("名称", *headers), zh="名称")


# 地级市: the prefecture-level city (市、州、盟) above the county, so that a province's 140 counties come in ~16 groups.
# 市 alone is a header too: a 村基本情况 sheet of a province writes 市 | 县 | 乡镇; 城市社区 and 县(市、区) fold apart.
CITY = Prop(
    "city", PType.STRING, headers=("所属市", "地级市", "市(州)", "市州", "所属市州", "所在市", "市"), zh="所属市"
)
COUNTY = Prop("county", PType.STRING, headers=("所属县", "县(市、区)", "县", "区县", "所在县"), zh="所属县")
TOWNSHIP = Prop(
    "township",
    PType.STRING,
    headers=("所属乡镇", "乡镇(街道)", "街道(乡镇)", "乡镇", "街道", "所属街道", "所在街道", "所在乡镇"),
    zh="所属乡镇",
)
LAT = Prop("lat", PType.FLOAT, headers=("纬度",), zh="纬度", minimum=-90, maximum=90)
LON = Prop("lon", PType.FLOAT, headers=("经度",), zh="经度", minimum=-180, maximum=180)
PARTY_MEMBERS = Prop("party_members", PType.INT, headers=("党员数", "党员人数"), zh="党员数", minimum=0)
PARTY_ORG_TYPE = Prop(
    "party_org_type",
    PType.STRING,
    headers=("党组织类型", "组织设置", "党组织设置"),
    zh="党组织类型",
    vocab=ORG_TYPE,
)
LEADERSHIP_SIZE = Prop("leadership_size", PType.INT, headers=("班子人数", "班子成员数"), zh="班子人数", minimum=0)
RESOURCES = Prop("resources", PType.STRINGS, headers=("资源", "优势资源", "可提供资源"), zh="优势资源")
CAPACITY = Prop(
    "capacity", PType.INT, headers=("可结对数", "可结对村数", "结对能力", "帮扶能力"), zh="可结对数", minimum=0
)
SINCE = Prop(
    "since",
    PType.DATE,
    required=True,
    headers=("开始日期", "起始日期", "结对日期", "开始时间", "结对时间", "联建时间", "任职时间", "任职起始时间"),
    zh="开始日期",
)
UNTIL = Prop("until", PType.DATE, headers=("结束日期", "终止日期", "截止日期", "结束时间"), zh="结束日期")
VILLAGE_REF = Prop("village", PType.STRING, required=True, headers=("村", "村名", "行政村", "联建村"), zh="村")
# The kind of a pairing unit as a ledger writes it beside the unit's name (社区, 企业, 机关…): picks its label.
UNIT_LABEL = Prop("label", PType.STRING, headers=("类型", "单位类型", "结对单位类型"), zh="单位类型")

# The village a need is of, and the unit a resource is of: columns of their sheets, stored as links.
NEED_VILLAGE = Prop(
    "village", PType.STRING, required=True, headers=("村", "村名", "行政村", "需求村", "提出村", "所在村"), zh="村"
)
RESOURCE_UNIT = Prop(
    "unit",
    PType.STRING,
    required=True,
    headers=("单位", "单位名称", "提供单位", "结对单位", "资源单位"),
    zh="提供单位",
)
_VILLAGE_CODES = ("统计用区划代码", "区划代码")
_COMMUNITY_CODES = ("社区代码",)

NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "Village",
        "villages",
        (
            # 统计用区划代码: the 12-digit code the statistics bureau gives every village.
            _id("村编号", *_VILLAGE_CODES),
            _name("村名", "村名称", "行政村", "行政村名称", "村庄名称"),
            CITY,
            COUNTY,
            TOWNSHIP,
            Prop(
                "tier",
                PType.STRING,
                required=True,
                headers=("类别", "村类别", "村类型"),
                zh="类别",
                vocab=TIER,
            ),
            Prop(
                "weak_reasons",
                PType.STRINGS,
                headers=("后进原因", "薄弱原因", "薄弱类型"),
                zh="后进原因",
                vocab=WEAK_REASON,
            ),
            Prop("population", PType.INT, headers=("人口", "户籍人口"), zh="人口", minimum=0),
            PARTY_MEMBERS,
            PARTY_ORG_TYPE,
            LEADERSHIP_SIZE,
            Prop(
                "collective_income",
                PType.FLOAT,
                headers=("村集体收入(万元)", "集体经济收入(万元)", "村集体经济收入(万元)", "集体收入"),
                zh="村集体收入(万元)",
                # The village collective's operating revenue (经营性收入), as the weak-village test of
                # 5万元 a year counts it: revenue is never negative; a loss is a debt, not a negative income.
                minimum=0,
            ),
            Prop("industries", PType.STRINGS, headers=("主导产业", "产业"), zh="主导产业"),
            Prop("needs", PType.STRINGS, headers=("需求", "帮扶需求"), zh="帮扶需求"),
            LAT,
            LON,
        ),
        "行政村",
        en="village",
        official_codes=_VILLAGE_CODES,
    ),
    NodeSpec(
        "CityCommunity",
        "communities",
        (
            _id("社区编号", *_COMMUNITY_CODES),
            _name("社区名称", "社区"),
            CITY,
            COUNTY,
            TOWNSHIP,
            PARTY_MEMBERS,
            PARTY_ORG_TYPE,
            LEADERSHIP_SIZE,
            RESOURCES,
            CAPACITY,
            LAT,
            LON,
        ),
        "城市社区",
        en="city community",
        official_codes=_COMMUNITY_CODES,
    ),
    NodeSpec(
        "Enterprise",
        "enterprises",
        (
            _id("企业编号"),
            _name("企业名称", "企业"),
            # The 18-character unified social credit code every registered enterprise has.
            Prop("credit_code", PType.STRING, headers=("统一社会信用代码", "信用代码"), zh="统一社会信用代码"),
            CITY,
            COUNTY,
            TOWNSHIP,
            Prop("industry", PType.STRING, headers=("行业", "所属行业"), zh="行业"),
            Prop(
                "size",
                PType.STRING,
                headers=("规模", "企业规模"),
                zh="规模",
                vocab=ENTERPRISE_SIZE,
            ),
            Prop("employees", PType.INT, headers=("职工数", "职工人数", "员工数"), zh="职工数", minimum=0),
            Prop("has_party_org", PType.BOOL, headers=("是否建立党组织", "有党组织"), zh="是否建立党组织"),
            PARTY_MEMBERS,
            RESOURCES,
            CAPACITY,
            LAT,
            LON,
        ),
        "企业",
        en="enterprise",
    ),
    NodeSpec(
        "Organisation",
        "organisations",
        (
            _id("单位编号"),
            _name("单位名称", "单位"),
            Prop(
                "kind",
                PType.STRING,
                headers=("单位类型", "类型", "单位性质"),
                zh="单位类型",
                vocab=ORGANISATION_KIND,
            ),
            Prop(
                "level",
                PType.STRING,
                headers=("级别", "层级", "单位级别"),
                zh="级别",
                vocab=ORGANISATION_LEVEL,
            ),
            CITY,
            COUNTY,
            TOWNSHIP,
            PARTY_MEMBERS,
            RESOURCES,
            CAPACITY,
            LAT,
            LON,
        ),
        "机关事业单位",
        en="organisation",
    ),
    NodeSpec(
        "Cadre",
        "cadres",
        (
            _id("干部编号"),
            _name("姓名", "干部姓名"),
            Prop(
                "role",
                PType.STRING,
                headers=("职务", "身份", "驻村身份"),
                zh="驻村身份",
                vocab=CADRE_ROLE,
            ),
            Prop("skills", PType.STRINGS, headers=("专长", "特长"), zh="专长"),
            # A four-digit year: catches "85" and "19855"; fixed bounds, so that the model does not age.
            Prop("birth_year", PType.INT, headers=("出生年份",), zh="出生年份", minimum=1900, maximum=2100),
            Prop("education", PType.STRING, headers=("学历",), zh="学历"),
            Prop("sent_by", PType.STRING, headers=("派出单位", "选派单位"), zh="派出单位"),
        ),
        "驻村干部",
        link_columns=("sent_by",),
        en="stationed cadre",
        carries=("stations",),
    ),
    # 需求清单: what a village asks for. Its village is a link (NEED_OF), written as a column of the sheet.
    NodeSpec(
        "Need",
        "needs",
        (
            _id("需求编号"),
            _name("需求事项", "需求名称", "需求内容", "需求项目", "具体需求"),
            NEED_VILLAGE,
            Prop("kind", PType.STRING, headers=("需求类别", "需求类型", "类别"), zh="需求类别", vocab=ITEM_KIND),
            Prop(
                "posted",
                PType.DATE,
                headers=("发布日期", "发布时间", "提出时间", "提出日期", "征集时间"),
                zh="发布日期",
            ),
            Prop("status", PType.STRING, headers=("需求状态", "认领状态", "状态"), zh="状态", vocab=NEED_STATUS),
        ),
        "需求",
        link_columns=("village",),
        en="need",
    ),
    # 资源清单: what a unit offers, and to how many villages.
    NodeSpec(
        "Resource",
        "resources",
        (
            _id("资源编号"),
            _name("资源名称", "资源内容", "资源项目", "资源事项"),
            RESOURCE_UNIT,
            Prop("kind", PType.STRING, headers=("资源类别", "资源类型", "类别"), zh="资源类别", vocab=ITEM_KIND),
            Prop("serves", PType.INT, headers=("可服务村数", "可帮扶村数", "服务村数"), zh="可服务村数", minimum=0),
        ),
        "资源",
        link_columns=("unit",),
        en="resource",
    ),
)


def _node_prop(file: str, name: str) -> Prop:
    return next(n for n in NODES if n.file == file).prop(name)


# Where a village named in a link sheet lies, and what it is: its township, county and city columns on the same
# row (a province's ledger writes 市 | 县 | 乡镇 | 村 on every sheet; the city is the village's, not the unit's).
_VILLAGE_CONTEXT = (("village", TOWNSHIP), ("village", COUNTY), ("village", CITY))
# The village of the need a 项目清单 row names: needs of one item (通组道路硬化) are posted by many villages.
_NEED_VILLAGE_CONTEXT = Prop("village", PType.STRING, headers=("村名", "村", "行政村", "需求村", "所在村"), zh="村")

RELS: tuple[RelSpec, ...] = (
    RelSpec(
        "PAIRED_WITH",
        "pairings",
        Prop(
            "unit",
            PType.STRING,
            required=True,
            headers=("结对单位", "帮扶单位", "结对单位名称", "帮扶单位名称"),
            zh="结对单位",
        ),
        UNIT_LABELS,
        Prop(
            "village",
            PType.STRING,
            required=True,
            headers=("结对村", "帮扶村", "结对村名称", "村", "村名"),
            zh="结对村",
        ),
        ("Village",),
        (
            SINCE,
            UNTIL,
            Prop(
                "form",
                PType.STRING,
                headers=("结对方式", "结对形式"),
                zh="结对方式",
                vocab=PAIRING_FORM,
            ),
            Prop(
                "funds",
                PType.FLOAT,
                headers=("帮扶资金(万元)", "帮扶资金", "资金(万元)"),
                zh="帮扶资金(万元)",
                minimum=0,
            ),
            Prop("projects", PType.INT, headers=("实事项目数", "办实事数", "项目数"), zh="实事项目数", minimum=0),
            Prop("last_activity", PType.DATE, headers=("最近活动日期", "最近活动"), zh="最近活动日期"),
        ),
        "城乡结对",
        key=("since",),
        en="paired with",
        # A pairing stays within its county: the row's 县（市、区） is the unit's county too (a hint, `_normalise`).
        context=(*_VILLAGE_CONTEXT, ("unit", UNIT_LABEL), ("unit", COUNTY)),
    ),
    RelSpec(
        "LEADS",
        "leads",
        Prop("leader", PType.STRING, required=True, headers=("强村", "带领村", "牵头村"), zh="强村"),
        ("Village",),
        Prop("village", PType.STRING, required=True, headers=("后进村", "被带村", "村"), zh="后进村"),
        ("Village",),
        (
            SINCE,
            UNTIL,
            Prop("mode", PType.STRING, headers=("联建方式", "带建方式"), zh="联建方式"),
        ),
        "强村带弱村",
        key=("since",),
        en="leads",
        context=(
            *_VILLAGE_CONTEXT,
            ("village", _node_prop("villages", "tier")),
            ("leader", TOWNSHIP),
            ("leader", COUNTY),
            ("leader", _node_prop("villages", "tier")),
        ),
    ),
    RelSpec(
        "FUSED_WITH",
        "fusions",
        Prop("enterprise", PType.STRING, required=True, headers=("企业", "企业名称"), zh="企业"),
        ("Enterprise",),
        VILLAGE_REF,
        ("Village",),
        (
            SINCE,
            UNTIL,
            Prop("joint_party_org", PType.STRING, headers=("联合党组织", "联合党组织名称"), zh="联合党组织"),
        ),
        "村企融合",
        key=("since",),
        en="fused with",
        context=(*_VILLAGE_CONTEXT, ("enterprise", COUNTY)),
    ),
    RelSpec(
        "STATIONED_IN",
        "stations",
        Prop(
            "cadre",
            PType.STRING,
            required=True,
            headers=("驻村干部", "干部", "姓名", "干部姓名", "驻村干部姓名", "第一书记姓名"),
            zh="驻村干部",
        ),
        ("Cadre",),
        Prop(
            "village",
            PType.STRING,
            required=True,
            headers=("驻村", "派驻村", "村", "村名", "驻村村名", "所驻村", "驻点村", "驻村名称"),
            zh="派驻村",
        ),
        ("Village",),
        (
            Prop(
                "role",
                PType.STRING,
                headers=("驻村身份", "职务"),
                zh="驻村身份",
                vocab=CADRE_ROLE,
            ),
            SINCE,
            UNTIL,
        ),
        "驻村",
        key=("since",),
        en="stationed in",
        context=(
            *_VILLAGE_CONTEXT,
            ("cadre", _node_prop("cadres", "birth_year")),
            ("cadre", _node_prop("cadres", "sent_by")),
        ),
    ),
    # Not a file of its own: the cadres file's `sent_by` column.
    RelSpec(
        "SENT_BY",
        "cadres",
        Prop("cadre", PType.STRING, required=True, zh="驻村干部"),
        ("Cadre",),
        Prop("sent_by", PType.STRING, required=True, zh="派出单位"),
        UNIT_LABELS,
        (),
        "派出单位",
        en="sent by",
    ),
    # 实事项目台账: what a unit did for a village. It belongs to the pairing of the two in force on its date.
    RelSpec(
        "ACTIVITY",
        "activities",
        Prop(
            "unit",
            PType.STRING,
            required=True,
            headers=("结对单位", "帮扶单位", "实施单位", "单位", "单位名称"),
            zh="结对单位",
        ),
        UNIT_LABELS,
        Prop(
            "village",
            PType.STRING,
            required=True,
            headers=("结对村", "帮扶村", "受益村", "村", "村名", "行政村"),
            zh="结对村",
        ),
        ("Village",),
        (
            Prop(
                "date",
                PType.DATE,
                required=True,
                headers=("时间", "日期", "活动时间", "活动日期", "实施时间", "项目时间", "开展时间"),
                zh="时间",
            ),
            Prop(
                "title",
                PType.STRING,
                required=True,
                headers=("项目名称", "活动名称", "实事项目名称", "实事名称", "活动内容", "项目内容", "实事内容"),
                zh="项目名称",
            ),
            Prop(
                "kind",
                PType.STRING,
                headers=("项目类别", "活动类型", "类别", "类型", "形式"),
                zh="类别",
                vocab=ACTIVITY_KIND,
            ),
            Prop(
                "funds",
                PType.FLOAT,
                headers=("资金(万元)", "投入资金(万元)", "资金", "投入资金", "帮扶资金(万元)"),
                zh="资金(万元)",
                minimum=0,
            ),
            Prop(
                "beneficiaries",
                PType.INT,
                headers=("受益人数", "受益群众(人)", "受益群众", "惠及群众"),
                zh="受益人数",
                minimum=0,
            ),
            Prop(
                "status",
                PType.STRING,
                # 进度: a real 实事项目台账's word; missed, a planned project would read as done (blank status).
                headers=("状态", "进展", "完成情况", "进展情况", "进度", "完成进度", "实施进度"),
                zh="状态",
                vocab=ACTIVITY_STATUS,
            ),
            Prop("note", PType.STRING, headers=("情况说明", "具体内容", "成效"), zh="情况说明"),
        ),
        "实事项目",
        key=("date", "title"),
        en="practical project",
        context=(*_VILLAGE_CONTEXT, ("unit", UNIT_LABEL), ("unit", COUNTY)),
    ),
    # 项目清单: a need claimed by a unit (双向认领), tracked to completion.
    RelSpec(
        "CLAIMED",
        "projects",
        Prop(
            "unit",
            PType.STRING,
            required=True,
            headers=("认领单位", "认领单位名称", "结对单位", "单位"),
            zh="认领单位",
        ),
        UNIT_LABELS,
        Prop("need", PType.STRING, required=True, headers=("需求编号", "需求事项", "需求", "需求名称"), zh="需求"),
        ("Need",),
        (
            Prop("claimed", PType.DATE, required=True, headers=("认领日期", "认领时间"), zh="认领日期"),
            Prop(
                "status",
                PType.STRING,
                headers=("项目状态", "状态", "进展情况", "办理情况"),
                zh="项目状态",
                vocab=PROJECT_STATUS,
            ),
            Prop("due", PType.DATE, headers=("完成时限", "计划完成时间", "计划完成日期", "办结时限"), zh="完成时限"),
            Prop("done", PType.DATE, headers=("完成日期", "办结日期", "完成时间", "实际完成时间"), zh="完成日期"),
        ),
        "认领项目",
        en="claimed",
        context=(("need", _NEED_VILLAGE_CONTEXT), ("need", TOWNSHIP), ("unit", UNIT_LABEL), ("unit", COUNTY)),
    ),
    # Not files of their own: the needs file's `village` and the resources file's `unit` columns.
    RelSpec(
        "NEED_OF",
        "needs",
        Prop("need", PType.STRING, required=True, zh="需求"),
        ("Need",),
        NEED_VILLAGE,
        ("Village",),
        (),
        "需求村",
        en="need of",
        # A 需求清单 names its villages by name, with their township (and county) on the row.
        context=_VILLAGE_CONTEXT,
    ),
    RelSpec(
        "OFFERED_BY",
        "resources",
        Prop("resource", PType.STRING, required=True, zh="资源"),
        ("Resource",),
        RESOURCE_UNIT,
        UNIT_LABELS,
        (),
        "提供单位",
        en="offered by",
        context=(("unit", UNIT_LABEL), ("unit", COUNTY)),
    ),
)

# System labels: kept in the same store as the graph (so one transaction covers a change and its
# audit entry, and a backup holds both) but never part of a ledger: not in `stats/counts`,
# `export/*`, `dump()` or the interchange format. Timestamps are ISO 8601 UTC strings (sortable as
# text on both engines); `before`/`after` are JSON text.
SYSTEM_NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "AuditEntry",
        "audit",
        (
            Prop("id", PType.STRING, required=True),
            Prop("at", PType.STRING, required=True),
            Prop("actor", PType.STRING, required=True),
            Prop("action", PType.STRING, required=True),
            Prop("target", PType.STRING),
            Prop("before", PType.STRING),
            Prop("after", PType.STRING),
        ),
        "审计记录",
    ),
    NodeSpec(
        "Account",
        "accounts",
        (
            Prop("username", PType.STRING, required=True),
            Prop("password_hash", PType.STRING, required=True),
            Prop("role", PType.STRING, required=True, vocab=ACCOUNT_ROLE),
            Prop("counties", PType.STRINGS),
            Prop("created", PType.STRING),
            # Bumped on every change of password, role or counties: a session signed in with an older
            # version is signed out on its next rerun (graph.ui.auth). Null in stores made before it: 0.
            Prop("session_version", PType.INT),
            # Consecutive failed sign-ins, and when the account was locked for too many (null: not locked);
            # stored so that a lock-out survives a restart until an admin lifts it (`pairing user unlock`).
            Prop("failures", PType.INT),
            Prop("locked_at", PType.STRING),
        ),
        "账户",
        key="username",
    ),
)
SYSTEM_BY_LABEL = {n.label: n for n in SYSTEM_NODES}

# The files of the interchange format, in load order (nodes before the links naming them).
NODE_BY_LABEL = {n.label: n for n in NODES}
NODE_BY_FILE = {n.file: n for n in NODES}
REL_BY_TYPE = {r.type: r for r in RELS}
# Where a link type comes when links of several types are listed (the explorer's links, the check's issues):
# the model's order. Declared once, so that every list sorts alike and no engine's row order shows through.
REL_RANK = {r.type: i for i, r in enumerate(RELS)}
# Links written as a column of a node file (a cadre's sending unit, a need's village): no file of their own.
COLUMN_RELS: tuple[RelSpec, ...] = tuple(r for r in RELS if r.file in NODE_BY_FILE)
REL_BY_FILE = {r.file: r for r in RELS if r.file not in NODE_BY_FILE}
FILES: tuple[str, ...] = tuple(n.file for n in NODES) + tuple(REL_BY_FILE)
assert all(any(r.file == n.file and r.dst.name == c for r in COLUMN_RELS) for n in NODES for c in n.link_columns)
# Which edge type provides which support kind, and (derived) which kind an edge type provides.
SUPPORT_EDGE = {"pairing": "PAIRED_WITH", "lead": "LEADS", "fusion": "FUSED_WITH", "station": "STATIONED_IN"}
SUPPORT_KIND_OF_EDGE = {edge: kind for kind, edge in SUPPORT_EDGE.items()}
assert tuple(SUPPORT_EDGE) == SUPPORT_KINDS and set(SUPPORT_EDGE.values()) <= set(REL_BY_TYPE)

# Labels and relationship types are coded values too (unit types in lists, the explorer's legend):
# their words are the specs' `zh` and `en`.
LABEL = Vocab("label", tuple(Term(n.label, n.zh, n.en) for n in NODES))
REL = Vocab("rel", tuple(Term(r.type, r.zh, r.en) for r in RELS))
VOCABULARIES: dict[str, Vocab] = {
    v.kind: v
    for v in (
        TIER,
        WEAK_REASON,
        PAIRING_FORM,
        ORG_TYPE,
        ENTERPRISE_SIZE,
        ORGANISATION_KIND,
        ORGANISATION_LEVEL,
        CADRE_ROLE,
        SUPPORT_KIND,
        LABEL,
        REL,
        UNIT_STATUS,
        UNMATCHED_REASON,
        MATCH_MODE,
        CHANGE_ORIGIN,
        ACCOUNT_ROLE,
        ACTIVITY_KIND,
        ACTIVITY_STATUS,
        ITEM_KIND,
        NEED_STATUS,
        PROJECT_STATUS,
    )
}
# A code names one value across all vocabularies (the tests check it), so a report's coded column
# needs no kind; the first vocabulary wins should that ever change.
_ANY_KIND: dict[str, Term] = {}
for _terms in VOCABULARIES.values():
    for _one in _terms.terms:
        _ANY_KIND.setdefault(_one.code, _one)


def _vocab(kind: str | Vocab) -> Vocab:
    return kind if isinstance(kind, Vocab) else VOCABULARIES[kind]


def term(code: str, kind: str | Vocab | None = None) -> Term | None:
    """The declared term of a coded value (of `kind`, or of whichever vocabulary holds the code); None if none."""
    return _ANY_KIND.get(code) if kind is None else _vocab(kind).term(code)


def display(code: Any, lang: str = "zh", kind: str | Vocab | None = None) -> str:
    """The word shown for a coded value in `lang` ("zh" or "en"), everywhere: screens, reports, titles.

    A value no vocabulary declares (a name, a number, a code that is not one) is shown as it is.
    """
    found = term(code, kind) if isinstance(code, str) else None
    return found.word(lang) if found is not None else str(code)


def all_property_names() -> set[str]:
    names = {p.name for n in NODES for p in n.stored}
    names |= {p.name for r in RELS for p in r.props}
    return names
