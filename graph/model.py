"""The graph model: the one source of truth for labels, relationship types and properties.

The Ladybug DDL, the Neo4j constraints, the importer's column and header aliases,
the exporter and the Cypher linter's schema all derive from the tables below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PType(StrEnum):
    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    DATE = "DATE"
    STRINGS = "STRING[]"


@dataclass(frozen=True)
class Prop:
    name: str
    type: PType
    required: bool = False
    choices: tuple[str, ...] = ()
    # Header spellings accepted on import besides `name` (real ledgers are in Chinese).
    headers: tuple[str, ...] = ()
    # Chinese (or other) spellings of allowed values, mapped to the canonical value.
    value_aliases: dict[str, str] = field(default_factory=dict)
    zh: str = ""

    @property
    def is_list(self) -> bool:
        return self.type is PType.STRINGS

    def zh_value(self, value: str) -> str:
        """The Chinese a ledger writes for a canonical value: its first alias (e.g. weak → 后进村)."""
        return next((zh for zh, canonical in self.value_aliases.items() if canonical == value), value)


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

    @property
    def columns(self) -> tuple[Prop, ...]:
        return (self.src, self.dst, *self.props)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(a, b) for a in self.src_labels for b in self.dst_labels]


TIERS = ("strong", "ordinary", "weak")
WEAK_REASONS = ("economy", "organisation", "poverty", "venue")
PAIRING_FORMS = ("assigned", "voluntary", "chosen")
ORG_TYPES = ("committee", "general_branch", "branch")
UNIT_LABELS = ("CityCommunity", "Enterprise", "Organisation")
# Ledger columns an import passes over without complaint: row numbers and remarks.
IGNORED_HEADERS = ("序号", "备注", "说明")
# Kinds of support a weak village can have; each names the edge that provides it.
SUPPORT_KINDS = ("pairing", "lead", "fusion", "station")

_ORG_TYPE_ALIASES = {"党委": "committee", "党总支": "general_branch", "党支部": "branch"}


def _id(*headers: str) -> Prop:
    return Prop("id", PType.STRING, required=True, headers=("编号", "编码", "ID", *headers), zh="编号")


def _name(*headers: str) -> Prop:
    return Prop("name", PType.STRING, required=True, headers=("名称", *headers), zh="名称")


COUNTY = Prop("county", PType.STRING, headers=("所属县", "县(市、区)", "县", "区县"), zh="所属县")
TOWNSHIP = Prop("township", PType.STRING, headers=("所属乡镇", "乡镇(街道)", "乡镇", "街道"), zh="所属乡镇")
LAT = Prop("lat", PType.FLOAT, headers=("纬度",), zh="纬度")
LON = Prop("lon", PType.FLOAT, headers=("经度",), zh="经度")
PARTY_MEMBERS = Prop("party_members", PType.INT, headers=("党员数", "党员人数"), zh="党员数")
PARTY_ORG_TYPE = Prop(
    "party_org_type",
    PType.STRING,
    choices=ORG_TYPES,
    headers=("党组织类型", "组织设置"),
    value_aliases=_ORG_TYPE_ALIASES,
    zh="党组织类型",
)
LEADERSHIP_SIZE = Prop("leadership_size", PType.INT, headers=("班子人数", "班子成员数"), zh="班子人数")
RESOURCES = Prop("resources", PType.STRINGS, headers=("资源", "优势资源", "可提供资源"), zh="优势资源")
CAPACITY = Prop("capacity", PType.INT, headers=("可结对数", "结对能力", "帮扶能力"), zh="可结对数")
SINCE = Prop("since", PType.DATE, required=True, headers=("开始日期", "起始日期", "结对日期"), zh="开始日期")
UNTIL = Prop("until", PType.DATE, headers=("结束日期", "终止日期", "截止日期"), zh="结束日期")
VILLAGE_REF = Prop("village", PType.STRING, required=True, headers=("村", "村名", "行政村"), zh="村")

NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "Village",
        "villages",
        (
            _id("村编号"),
            _name("村名", "村名称", "行政村"),
            COUNTY,
            TOWNSHIP,
            Prop(
                "tier",
                PType.STRING,
                required=True,
                choices=TIERS,
                headers=("类别", "村类别", "村类型"),
                value_aliases={
                    "强村": "strong",
                    "中心村": "strong",
                    "经济强村": "strong",
                    "一般村": "ordinary",
                    "普通村": "ordinary",
                    "后进村": "weak",
                    "薄弱村": "weak",
                    "软弱涣散村": "weak",
                    "经济薄弱村": "weak",
                    "贫困村": "weak",
                },
                zh="类别",
            ),
            Prop(
                "weak_reasons",
                PType.STRINGS,
                choices=WEAK_REASONS,
                headers=("后进原因", "薄弱原因", "薄弱类型"),
                value_aliases={
                    "经济薄弱": "economy",
                    "集体经济薄弱": "economy",
                    "软弱涣散": "organisation",
                    "组织涣散": "organisation",
                    "贫困": "poverty",
                    "无活动场所": "venue",
                    "缺少活动场所": "venue",
                },
                zh="后进原因",
            ),
            Prop("population", PType.INT, headers=("人口", "户籍人口"), zh="人口"),
            PARTY_MEMBERS,
            PARTY_ORG_TYPE,
            LEADERSHIP_SIZE,
            Prop(
                "collective_income",
                PType.FLOAT,
                headers=("村集体收入(万元)", "集体经济收入(万元)", "集体收入"),
                zh="村集体收入(万元)",
            ),
            Prop("industries", PType.STRINGS, headers=("主导产业", "产业"), zh="主导产业"),
            Prop("needs", PType.STRINGS, headers=("需求", "帮扶需求"), zh="帮扶需求"),
            LAT,
            LON,
        ),
        "行政村",
    ),
    NodeSpec(
        "CityCommunity",
        "communities",
        (
            _id("社区编号"),
            _name("社区名称", "社区"),
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
    ),
    NodeSpec(
        "Enterprise",
        "enterprises",
        (
            _id("企业编号"),
            _name("企业名称", "企业"),
            COUNTY,
            TOWNSHIP,
            Prop("industry", PType.STRING, headers=("行业", "所属行业"), zh="行业"),
            Prop(
                "size",
                PType.STRING,
                choices=("large", "medium", "small", "micro"),
                headers=("规模", "企业规模"),
                value_aliases={"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"},
                zh="规模",
            ),
            Prop("employees", PType.INT, headers=("职工数", "员工数"), zh="职工数"),
            Prop("has_party_org", PType.BOOL, headers=("是否建立党组织", "有党组织"), zh="是否建立党组织"),
            PARTY_MEMBERS,
            RESOURCES,
            CAPACITY,
            LAT,
            LON,
        ),
        "企业",
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
                choices=("department", "school", "hospital", "soe", "institution"),
                headers=("单位类型", "类型"),
                value_aliases={
                    "机关": "department",
                    "区直部门": "department",
                    "学校": "school",
                    "医院": "hospital",
                    "国有企业": "soe",
                    "国企": "soe",
                    "事业单位": "institution",
                },
                zh="单位类型",
            ),
            Prop(
                "level",
                PType.STRING,
                choices=("province", "city", "county", "township"),
                headers=("级别", "层级"),
                value_aliases={"省级": "province", "市级": "city", "县级": "county", "乡镇级": "township"},
                zh="级别",
            ),
            COUNTY,
            TOWNSHIP,
            PARTY_MEMBERS,
            RESOURCES,
            CAPACITY,
            LAT,
            LON,
        ),
        "机关事业单位",
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
                choices=("first_secretary", "team_leader", "team_member"),
                headers=("职务", "身份", "驻村身份"),
                value_aliases={"第一书记": "first_secretary", "工作队长": "team_leader", "工作队员": "team_member"},
                zh="驻村身份",
            ),
            Prop("skills", PType.STRINGS, headers=("专长", "特长"), zh="专长"),
            Prop("birth_year", PType.INT, headers=("出生年份",), zh="出生年份"),
            Prop("education", PType.STRING, headers=("学历",), zh="学历"),
            Prop("sent_by", PType.STRING, headers=("派出单位", "选派单位"), zh="派出单位"),
        ),
        "驻村干部",
        link_columns=("sent_by",),
    ),
)

RELS: tuple[RelSpec, ...] = (
    RelSpec(
        "PAIRED_WITH",
        "pairings",
        Prop("unit", PType.STRING, required=True, headers=("结对单位", "帮扶单位"), zh="结对单位"),
        UNIT_LABELS,
        Prop("village", PType.STRING, required=True, headers=("结对村", "帮扶村", "村", "村名"), zh="结对村"),
        ("Village",),
        (
            SINCE,
            UNTIL,
            Prop(
                "form",
                PType.STRING,
                choices=PAIRING_FORMS,
                headers=("结对方式", "结对形式"),
                value_aliases={"组织定对": "assigned", "自由结对": "voluntary", "群众选对": "chosen"},
                zh="结对方式",
            ),
            Prop("funds", PType.FLOAT, headers=("帮扶资金(万元)", "帮扶资金"), zh="帮扶资金(万元)"),
            Prop("projects", PType.INT, headers=("实事项目数", "办实事数"), zh="实事项目数"),
            Prop("last_activity", PType.DATE, headers=("最近活动日期", "最近活动"), zh="最近活动日期"),
        ),
        "城乡结对",
        key=("since",),
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
    ),
    RelSpec(
        "STATIONED_IN",
        "stations",
        Prop("cadre", PType.STRING, required=True, headers=("驻村干部", "干部", "姓名"), zh="驻村干部"),
        ("Cadre",),
        Prop("village", PType.STRING, required=True, headers=("驻村", "派驻村", "村", "村名"), zh="派驻村"),
        ("Village",),
        (
            Prop(
                "role",
                PType.STRING,
                choices=("first_secretary", "team_leader", "team_member"),
                headers=("驻村身份", "职务"),
                value_aliases={"第一书记": "first_secretary", "工作队长": "team_leader", "工作队员": "team_member"},
                zh="驻村身份",
            ),
            SINCE,
            UNTIL,
        ),
        "驻村",
        key=("since",),
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
            Prop("role", PType.STRING, required=True),
            Prop("counties", PType.STRINGS),
            Prop("created", PType.STRING),
        ),
        "账户",
        key="username",
    ),
)
SYSTEM_BY_LABEL = {n.label: n for n in SYSTEM_NODES}

# The files of the interchange format, in load order (nodes before the links naming them).
FILES: tuple[str, ...] = tuple(n.file for n in NODES) + tuple(r.file for r in RELS if r.type != "SENT_BY")

NODE_BY_LABEL = {n.label: n for n in NODES}
NODE_BY_FILE = {n.file: n for n in NODES}
REL_BY_TYPE = {r.type: r for r in RELS}
REL_BY_FILE = {r.file: r for r in RELS if r.type != "SENT_BY"}
# Which edge type provides which support kind.
SUPPORT_EDGE = {"pairing": "PAIRED_WITH", "lead": "LEADS", "fusion": "FUSED_WITH", "station": "STATIONED_IN"}


def all_property_names() -> set[str]:
    names = {p.name for n in NODES for p in n.stored}
    names |= {p.name for r in RELS for p in r.props}
    return names
