"""Make the demo dataset in seed/: three fictional counties with deliberate, documented gaps.

Run from the repository root with the project's Python:

    .venv/bin/python seed/make_seed.py

It rewrites the nine CSV files (through `graph.interchange.write_folder`), `expected_gaps.json`
and `README.md`. Everything is drawn from fixed random seeds, so a rerun gives the same bytes.

The gap lists are not computed and then written down: the script decides them first (which
weak villages are left without help, which pairings are on paper only, ...), builds the links
so, and then checks its intent against `tools.reference` (the plain-Python statement of the
definitions in docs/domain.md), on the reference date and on every later date up to 2030-12-31 on
which anything changes.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

# Run as a script, only seed/ is on the path: the gap rules (`tools`) live at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import names
from graph.dataset import Dataset, Row
from graph.interchange import read, write_folder
from graph.model import NODE_BY_LABEL, WEAK_REASONS
from graph.synth import CAPACITY_P, draw_names, link_keys, person_names
from tools import reference

SEED_DIR = Path(__file__).resolve().parent
ASOF = date(2026, 11, 1)
# Active links that are not deliberately expiring end on or after this date (or never), so the
# unpaired list holds for every as-of date from ASOF to 2030-12-31.
STABLE_FROM = date(2031, 1, 1)
STABLE_TO = date(2030, 12, 31)
INACTIVE_DAYS = 365
EXPIRY_DAYS = 90


# The fictional prefecture (地级市) the three counties lie in: every village and unit carries it as `city`.
CITY = "岚川市"


@dataclass(frozen=True)
class CountyPlan:
    name: str
    # Lat, lon of the county seat. The three are neighbours in one fictional prefecture, so that
    # distance and same-county terms of the matching score have something to tell apart.
    seat: tuple[float, float]
    towns: tuple[int, ...]  # villages per township
    communities: int
    enterprises: int
    organisations: tuple[str, ...]  # name suffixes; "@" marks a township organ (first township)
    industries: tuple[str, ...]  # the county's favoured rural industries
    reasons: tuple[float, float, float, float]  # weights of economy, organisation, poverty, venue
    shape: str


# 区直部门 of the Henan district: one-to-one partners of its 12 pilot villages (seed 003).
SHIYAN_DEPARTMENTS = (
    "委组织部", "委宣传部", "发展和改革局", "财政局", "农业农村局", "乡村振兴局",
    "商务局", "自然资源和规划局", "住房和城乡建设局", "交通运输局", "教育局", "卫生健康局",
)  # fmt: skip

COUNTIES = (
    CountyPlan(
        "石砚区",
        (30.05, 114.0),
        (21, 20, 22, 19, 20, 21, 20, 20),
        10,
        14,
        (
            *SHIYAN_DEPARTMENTS,
            "第一中学", "职业技术学校", "人民医院", "中医院", "供电公司", "农村商业银行", "农业技术推广中心",
            "@卫生院",
        ),
        ("蔬菜", "粮油", "养殖", "食用菌", "花卉苗木"),
        (0.35, 0.35, 0.15, 0.15),
        "seed 003 (a Henan district): 163 villages, 12 pilot villages each paired one-to-one with a "
        "district department (组织定对), every partner to do at least one practical project a year",
    ),
    CountyPlan(
        "澄溪县",
        (30.4, 114.5),
        (15, 16, 14, 15),
        16,
        10,
        (
            "委组织部", "农业农村局", "文化和旅游局", "民政局", "司法局", "第一中学", "人民医院", "妇幼保健院",
            "供电公司", "烟草专卖局", "供销合作社", "@中心学校",
        ),
        ("茶叶", "中药材", "水果", "乡村旅游", "竹编"),
        (0.3, 0.15, 0.45, 0.1),
        "seed 000 (Fuquan, Guizhou): 60 villages and 16 communities; eight pilot villages, each paired "
        "with two of the 16 city communities",
    ),
    CountyPlan(
        "青岚县",
        (29.72, 114.45),
        (21, 20, 22, 20, 21),
        8,
        14,
        (
            "委组织部", "农业农村局", "乡村振兴局", "商务局", "水利局", "林业局", "科学技术局",
            "人力资源和社会保障局", "第二中学", "实验小学", "人民医院", "疾病预防控制中心",
            "城市建设投资集团有限公司", "邮政分公司", "融媒体中心", "@农业综合服务中心",
        ),
        ("花卉苗木", "蔬菜", "水产", "茶叶", "乡村旅游"),
        (0.3, 0.15, 0.15, 0.4),
        "seed 004 (Jiangxia, Hubei): its 327 villages are the seed's total (163 + 60 + 104); 19.9% "
        "lacked a meeting place, so venue is this county's commonest weak reason; cadres sent in batches",
    ),
)  # fmt: skip

# Roles of the weak villages left without support on ASOF (the traps say why they are gaps).
UNPAIRED_ROLES = (
    ("nothing", 7, "no support link of any kind"),
    ("pairing_ended_2025", 2, "its only pairing ended in 2025"),
    ("pairing_ended_eve", 1, "its only pairing ended on 2026-10-31, the day before the reference date"),
    ("weak_leader", 2, "its only LEADS comes from another weak village, which does not count"),
    ("station_ended", 2, "its only cadre's term has ended"),
    ("fusion_ended", 1, "its only village–enterprise fusion ended in 2024"),
    ("lead_ended", 1, "its only LEADS from a strong village ended in 2025"),
)
EXPIRY_DATES = (date(2026, 12, 15), date(2027, 1, 10), date(2027, 1, 25))


@dataclass
class World:
    ds: Dataset = field(default_factory=Dataset)
    by_id: dict[str, Row] = field(default_factory=dict)
    county_villages: dict[str, list[str]] = field(default_factory=dict)
    county_units: dict[str, list[str]] = field(default_factory=dict)
    town_villages: dict[str, list[str]] = field(default_factory=dict)
    # Design intent, checked against the data at the end.
    roles: dict[str, str] = field(default_factory=dict)  # weak village -> role
    pilots: list[str] = field(default_factory=list)
    paper: list[tuple[str, str]] = field(default_factory=list)
    expiring: list[tuple[str, str, date]] = field(default_factory=list)
    overloaded: list[str] = field(default_factory=list)
    idle: list[str] = field(default_factory=list)
    mismatches: dict[str, str] = field(default_factory=dict)  # node -> which rule it breaks
    notes: dict[str, str] = field(default_factory=dict)  # distractors, for the README


# An id's first letter names its label.
LABEL_OF_PREFIX = {
    "V": "Village", "C": "CityCommunity", "E": "Enterprise", "O": "Organisation", "K": "Cadre", "N": "Need",
    "R": "Resource",
}  # fmt: skip


def add_node(w: World, label: str, row: dict[str, Any]) -> Row:
    full: Row = {p.name: row.get(p.name) for p in NODE_BY_LABEL[label].stored}
    w.ds.nodes[label].append(full)
    w.by_id[full["id"]] = full
    return full


def add_link(w: World, rel: str, src: str, dst: str, **props: Any) -> Row:
    row: Row = {"src": src, "src_label": LABEL_OF_PREFIX[src[0]], "dst": dst, "dst_label": LABEL_OF_PREFIX[dst[0]]}
    row |= {k: props.get(k) for k in link_keys(rel)[4:]}
    w.ds.links[rel].append(row)
    return row


class SeedBuilder:
    def __init__(self) -> None:
        self.rnd = random.Random(20261101)
        self.nprng = np.random.default_rng(20261101)
        self.w = World()
        self.counters: Counter[str] = Counter()

    # ------------------------------------------------------------------ helpers
    def new_id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:06d}"

    def day(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rnd.randint(0, (hi - lo).days))

    def near(self, lat: float, lon: float, sd: float) -> tuple[float, float]:
        return round(lat + self.rnd.gauss(0, sd), 5), round(lon + self.rnd.gauss(0, sd), 5)

    def words(self, pool: Sequence[str], k: int) -> list[str]:
        chosen = set(self.rnd.sample(list(pool), min(k, len(pool))))
        return [w for w in names.SUPPORT if w in chosen] or [w for w in pool if w in chosen]

    def add_node(self, label: str, row: dict[str, Any]) -> Row:
        return add_node(self.w, label, row)

    def add_link(self, rel: str, src: str, dst: str, **props: Any) -> Row:
        return add_link(self.w, rel, src, dst, **props)

    @staticmethod
    def org_type(members: int) -> str:
        expected = reference.expected_org_type(members)
        assert expected is not None
        return expected

    @staticmethod
    def safe_members(m: int) -> int:
        # Keep clear of the rule's edges (50 and 100) so no reading of "50–100" changes a verdict.
        return m + 2 if m in (49, 50, 99, 100) else max(m, 4)

    # ------------------------------------------------------------------ nodes
    def villages(self, plan: CountyPlan) -> None:
        rnd = self.rnd
        n = sum(plan.towns)
        town_stems = draw_names(self.nprng, names.TOWNSHIP_HEADS, names.TOWNSHIP_TAILS, len(plan.towns), "")
        town_names = [s + ("乡" if i == len(plan.towns) - 1 else "镇") for i, s in enumerate(town_stems)]
        village_names = draw_names(self.nprng, names.VILLAGE_HEADS, names.VILLAGE_TAILS, n, "村")
        self.w.county_villages[plan.name] = []
        k = 0
        for town, size in zip(town_names, plan.towns, strict=True):
            a = rnd.uniform(0, 2 * math.pi)
            r = 0.05 + 0.13 * math.sqrt(rnd.random())
            t_lat, t_lon = plan.seat[0] + r * math.cos(a), plan.seat[1] + r * math.sin(a)
            # The first village of a township is its central village (中心村); about a third are weak.
            n_weak = round(size * 0.34)
            n_strong = 2 if size >= 20 else 1
            others = rnd.sample(range(1, size), n_weak + n_strong - 1)
            tiers = ["ordinary"] * size
            tiers[0] = "strong"
            for j in others[: n_strong - 1]:
                tiers[j] = "strong"
            for j in others[n_strong - 1 :]:
                tiers[j] = "weak"
            self.w.town_villages[town] = []
            for tier in tiers:
                vid = self.new_id("V")
                reasons = self.weak_reasons(plan) if tier == "weak" else []
                population = round(math.exp(rnd.gauss(7.5, 0.4)) * (1.4 if tier == "strong" else 1.0))
                share = rnd.uniform(0.028, 0.05) * (0.8 if tier == "weak" else 1.0)
                members = self.safe_members(round(population * share))
                lat, lon = self.near(t_lat, t_lon, 0.022)
                own = plan.industries[rnd.randrange(len(plan.industries))]
                extra = rnd.sample(list(names.INDUSTRIES), 1) if rnd.random() < 0.4 else []
                industries = [i for i in names.INDUSTRIES if i in {own, *extra}]
                income = {"strong": rnd.uniform(60, 480), "ordinary": rnd.uniform(6, 48), "weak": rnd.uniform(0.5, 4.8)}
                self.add_node(
                    "Village",
                    {
                        "id": vid,
                        "name": village_names[k],
                        "city": CITY,
                        "county": plan.name,
                        "township": town,
                        "tier": tier,
                        "weak_reasons": reasons,
                        "population": population,
                        "party_members": members,
                        "party_org_type": self.org_type(members),
                        "leadership_size": rnd.randint(5, 9) if tier == "strong" else rnd.randint(3, 7),
                        "collective_income": round(income[tier], 1),
                        "industries": industries,
                        "needs": self.needs(tier, reasons),
                        "lat": lat,
                        "lon": lon,
                    },
                )
                k += 1
                self.w.county_villages[plan.name].append(vid)
                self.w.town_villages[town].append(vid)

    def weak_reasons(self, plan: CountyPlan) -> list[str]:
        main = self.rnd.choices(WEAK_REASONS, weights=plan.reasons)[0]
        more = {r for r in WEAK_REASONS if self.rnd.random() < 0.15}
        return [r for r in WEAK_REASONS if r in {main, *more}]

    def needs(self, tier: str, reasons: list[str]) -> list[str]:
        pool: set[str] = set()
        for r in reasons:
            pool |= set(self.rnd.sample(names.NEEDS_BY_REASON[r], self.rnd.randint(1, 2)))
        if tier == "ordinary":
            pool |= set(self.rnd.sample(names.ORDINARY_NEEDS, self.rnd.randint(1, 2)))
        if tier == "strong" and self.rnd.random() < 0.5:
            pool.add(self.rnd.choice(names.STRONG_NEEDS))
        return [w for w in names.SUPPORT if w in pool]

    def units(self, plan: CountyPlan) -> None:
        rnd = self.rnd
        seat_towns = [s + "街道" for s in rnd.sample(names.SUBDISTRICT_STEMS, 2)]
        towns = [t for t, vs in self.w.town_villages.items() if self.w.by_id[vs[0]]["county"] == plan.name]
        first_town = towns[0]
        ids: list[str] = []
        capacity = [1, 2, 3, 4, 5]
        for stem in rnd.sample(names.COMMUNITY_STEMS, plan.communities):
            members = self.safe_members(rnd.randint(40, 320))
            lat, lon = self.near(*plan.seat, 0.018)
            row = self.add_node(
                "CityCommunity",
                {
                    "id": self.new_id("C"),
                    "name": stem + "社区",
                    "city": CITY,
                    "county": plan.name,
                    "township": rnd.choice(seat_towns),
                    "party_members": members,
                    "party_org_type": self.org_type(members),
                    "leadership_size": rnd.randint(3, 9),
                    "resources": self.words(names.COMMUNITY_RESOURCES, rnd.randint(2, 3)),
                    "capacity": rnd.choices(capacity, weights=CAPACITY_P)[0],
                    "lat": lat,
                    "lon": lon,
                },
            )
            ids.append(row["id"])
        for i, brand in enumerate(rnd.sample(names.ENTERPRISE_BRANDS, plan.enterprises)):
            trade = rnd.choice(plan.industries) if rnd.random() < 0.75 else rnd.choice(names.OTHER_TRADES)
            size = ("large", "medium")[i % 2] if i < 4 else rnd.choices(("medium", "small", "micro"), (2, 5, 3))[0]
            employees = round(math.exp(rnd.gauss({"large": 7.0, "medium": 5.3, "small": 3.8, "micro": 2.3}[size], 0.3)))
            has_org = size in ("large", "medium") or rnd.random() < 0.5
            members = rnd.randint(3, {"large": 160, "medium": 60, "small": 25, "micro": 8}[size]) if has_org else 0
            rural = trade in names.INDUSTRIES and rnd.random() < 0.5
            town = rnd.choice(towns)
            if rural:
                anchor = self.w.by_id[self.w.town_villages[town][0]]
                lat, lon = self.near(anchor["lat"], anchor["lon"], 0.015)
            else:
                lat, lon = self.near(*plan.seat, 0.02)
            row = self.add_node(
                "Enterprise",
                {
                    "id": self.new_id("E"),
                    "name": f"{plan.name[:2]}{brand}{names.TRADE_WORDS[trade]}有限公司",
                    "city": CITY,
                    "county": plan.name,
                    "township": town if rural else rnd.choice(seat_towns),
                    "industry": trade,
                    "size": size,
                    "employees": employees,
                    "has_party_org": has_org,
                    "party_members": members,
                    "resources": self.words(names.ENTERPRISE_RESOURCES, rnd.randint(2, 3)),
                    "capacity": rnd.choices(capacity, weights=CAPACITY_P)[0],
                    "lat": lat,
                    "lon": lon,
                },
            )
            ids.append(row["id"])
        county_orgs = {s: (k, r) for s, k, r in names.ORGANISATIONS}
        town_orgs = {s: (k, r) for s, k, r in names.TOWNSHIP_ORGANISATIONS}
        for suffix in plan.organisations:
            township = suffix.startswith("@")
            kind, res = town_orgs[suffix[1:]] if township else county_orgs[suffix]
            if township:
                anchor = self.w.by_id[self.w.town_villages[first_town][0]]
                lat, lon = self.near(anchor["lat"], anchor["lon"], 0.004)
            else:
                lat, lon = self.near(*plan.seat, 0.012)
            extra = [self.rnd.choice(("党建指导", "资金", "人才"))] if rnd.random() < 0.3 else []
            row = self.add_node(
                "Organisation",
                {
                    "id": self.new_id("O"),
                    "name": (first_town + suffix[1:]) if township else plan.name + suffix,
                    "kind": kind,
                    "level": "township" if township else "county",
                    "city": CITY,
                    "county": plan.name,
                    "township": first_town if township else rnd.choice(seat_towns),
                    "party_members": rnd.randint(8, 45) if township else rnd.randint(20, 240),
                    "resources": [w for w in names.SUPPORT if w in {*res, *extra}],
                    "capacity": rnd.choices(capacity, weights=CAPACITY_P)[0],
                    "lat": lat,
                    "lon": lon,
                },
            )
            ids.append(row["id"])
        self.w.county_units[plan.name] = ids

    def mismatches(self) -> None:
        """Hand-placed breaches of the seed-001 setting rule; every other organisation keeps it."""
        rnd = self.rnd
        strong = [r for r in self.w.ds.nodes["Village"] if r["tier"] == "strong"]
        ordinary = [r for r in self.w.ds.nodes["Village"] if r["tier"] == "ordinary"]
        picks = rnd.sample(strong, 2) + rnd.sample(ordinary, 2)
        cpicks = rnd.sample(self.w.ds.nodes["CityCommunity"], 4)
        cases = [
            # Seed 001: "some communities have over 150 members and still no party committee".
            (picks[0], 156, "general_branch", None, "156 members but a general branch, not a committee"),
            (picks[1], 118, "branch", None, "118 members but a branch, not a committee"),
            (picks[2], 76, "branch", None, "76 members but a branch, not a general branch"),
            (picks[3], 38, "branch", 2, "38 members and a leadership of 2"),
            (cpicks[0], 212, "general_branch", None, "212 members but a general branch, not a committee"),
            (cpicks[1], 134, "general_branch", None, "134 members but a general branch, not a committee"),
            (cpicks[2], 64, "committee", None, "64 members but a committee, not a general branch"),
            (cpicks[3], 85, "general_branch", 2, "85 members and a leadership of 2"),
        ]
        for row, members, kind, lead, why in cases:
            row["party_members"], row["party_org_type"] = members, kind
            if "population" in row:
                row["population"] = max(row["population"], members * 25)
            if lead is not None:
                row["leadership_size"] = lead
            self.w.mismatches[row["id"]] = why

    # ------------------------------------------------------------------ roles
    def assign_roles(self) -> dict[str, list[str]]:
        """Split the weak villages into the gap roles and kinds of support for the rest."""
        rnd = self.rnd
        w = self.w
        weak = [r["id"] for r in w.ds.nodes["Village"] if r["tier"] == "weak"]
        # Pilot villages: 12 in 石砚区 (half weak), 8 in 澄溪县 (half weak); they are covered.
        for county, n_weak, n_other in (("石砚区", 6, 6), ("澄溪县", 4, 4)):
            vs = w.county_villages[county]
            cw = [v for v in vs if w.by_id[v]["tier"] == "weak"]
            co = [v for v in vs if w.by_id[v]["tier"] == "ordinary"]
            w.pilots += sorted(rnd.sample(cw, n_weak) + rnd.sample(co, n_other))
        free = [v for v in weak if v not in w.pilots]
        rnd.shuffle(free)
        for role, count, _ in UNPAIRED_ROLES:
            for _ in range(count):
                w.roles[free.pop()] = role
        for role in ("expiring", "expiring", "expiring", "expiry_with_pairing", "expiry_with_team"):
            w.roles[free.pop()] = role
        w.roles[free.pop()] = "paper_only"
        for _ in range(2):
            w.roles[free.pop()] = "ordinary_leader"
        kinds: dict[str, list[str]] = {"pairing": [], "station": [], "lead": [], "fusion": []}
        for v in free + [p for p in w.pilots if w.by_id[p]["tier"] == "weak"]:
            w.roles.setdefault(v, "covered")
            got = [
                k for k, p in (("pairing", 0.55), ("station", 0.5), ("lead", 0.3), ("fusion", 0.1)) if rnd.random() < p
            ]
            if v in w.pilots:
                got = [k for k in got if k != "pairing"]  # the pilot pairing is theirs already
            elif not got:
                got = [rnd.choice(("pairing", "station", "lead"))]
            for k in got:
                kinds[k].append(v)
        kinds["pairing"] += [v for v, r in w.roles.items() if r in ("expiry_with_pairing", "paper_only")]
        return kinds

    # ------------------------------------------------------------------ links
    def pairings(self, want: list[str]) -> None:
        rnd, w = self.rnd, self.w
        load: Counter[str] = Counter()
        pairs: set[tuple[str, str]] = set()

        def pair(u: str, v: str, since: date, **props: Any) -> Row:
            load[u] += 1
            pairs.add((u, v))
            props.setdefault("form", rnd.choices(("assigned", "voluntary", "chosen"), (0.55, 0.3, 0.15))[0])
            props.setdefault("funds", round(math.exp(rnd.gauss(2.3, 0.7)), 1))
            years = max(1, (ASOF - since).days // 365)
            props.setdefault("projects", years + rnd.randint(0, 2))
            props.setdefault("last_activity", self.day(max(since, date(2026, 1, 5)), date(2026, 10, 28)))
            until = date(2031, 12, 31) if rnd.random() < 0.1 else None  # some five-year agreements
            return self.add_link("PAIRED_WITH", u, v, since=since, until=until, **props)

        units = {c: list(us) for c, us in w.county_units.items()}
        # Idle and overloaded units: two idle per county, four overloaded in all. Pilot partners excluded.
        departments = [u for u in units["石砚区"] if u[0] == "O"][:12]
        communities_cx = [u for u in units["澄溪县"] if u[0] == "C"]
        reserved = set(departments) | set(communities_cx)
        for c in units:
            cand = [u for u in units[c] if u not in reserved]
            w.idle += rnd.sample(cand, 2)
        for c, lab in (("石砚区", "E"), ("澄溪县", "O"), ("青岚县", "E"), ("青岚县", "C")):
            cand = [
                u for u in units[c] if u[0] == lab and u not in reserved and u not in w.idle and u not in w.overloaded
            ]
            u = rnd.choice(cand)
            w.overloaded.append(u)
            w.by_id[u]["capacity"] = rnd.choice((1, 2))

        # Pilot pairings (组织定对), started when the district's opinion came out (seed 003: September).
        sy_pilots = [p for p in w.pilots if w.by_id[p]["county"] == "石砚区"]
        for dept, v in zip(departments, sy_pilots, strict=True):
            pair(dept, v, date(2019, 9, 16) + timedelta(days=rnd.randint(0, 20)), form="assigned")
        cx_pilots = [p for p in w.pilots if w.by_id[p]["county"] == "澄溪县"]
        for i, comm in enumerate(communities_cx):
            pair(comm, cx_pilots[i // 2], date(2020, 4, 1) + timedelta(days=rnd.randint(0, 30)), form="assigned")

        def score(u: str, v: str) -> float:
            unit, vil = w.by_id[u], w.by_id[v]
            s = 2.0 * len(set(unit["resources"] or ()) & set(vil["needs"] or ()))
            if unit.get("industry") in (vil["industries"] or ()):
                s += 1.5
            return s + rnd.random()

        def open_units(county: str, v: str) -> list[str]:
            return [
                u
                for u in units[county]
                if u not in w.idle
                and u not in w.overloaded
                and load[u] < w.by_id[u]["capacity"]
                and (u, v) not in pairs
            ]

        for v in sorted(want):
            cands = open_units(w.by_id[v]["county"], v)
            best = max(cands, key=lambda u: score(u, v))
            paper = w.roles.get(v) == "paper_only"
            row = pair(best, v, self.day(date(2019, 3, 1), date(2024, 6, 30) if paper else date(2026, 6, 30)))
            if paper:
                row["last_activity"] = date(2025, 3, 10)
                row["projects"] = 0
                w.paper.append((best, v))
        # Every other unit has at least one pairing with an ordinary village; some have two.
        for county, us in units.items():
            ords = [v for v in w.county_villages[county] if w.by_id[v]["tier"] == "ordinary"]
            for u in us:
                if u in w.idle or u in w.overloaded:
                    continue
                rounds = 1 if load[u] == 0 else 0
                rounds += 1 if load[u] + rounds < w.by_id[u]["capacity"] and rnd.random() < 0.3 else 0
                for _ in range(rounds):
                    v = rnd.choice([o for o in ords if (u, o) not in pairs])
                    pair(u, v, self.day(date(2019, 3, 1), date(2026, 6, 30)))
            for u in (x for x in w.overloaded if x in us):
                for _ in range(w.by_id[u]["capacity"] + rnd.choice((1, 2))):
                    v = rnd.choice([o for o in ords if (u, o) not in pairs])
                    pair(u, v, self.day(date(2019, 3, 1), date(2026, 6, 30)))

        # Paper pairings (挂名结对) among the rest: on ordinary villages or ones with other help.
        active = [r for r in w.ds.links["PAIRED_WITH"] if (r["src"], r["dst"]) not in w.paper]
        multi = Counter(r["dst"] for r in active)
        eligible = [
            r
            for r in active
            if w.by_id[r["dst"]]["tier"] != "weak" or (multi[r["dst"]] > 1 and w.roles.get(r["dst"]) == "covered")
        ]
        eligible = [r for r in eligible if r["since"] < date(2025, 6, 1)]
        for i, r in enumerate(rnd.sample(eligible, 8)):
            r["last_activity"] = None if i < 3 else self.day(max(r["since"], date(2023, 6, 1)), date(2025, 9, 30))
            r["projects"] = min(r["projects"], 1)
            w.paper.append((r["src"], r["dst"]))
        # A pairing active 351 days after its last activity is not (yet) a paper pairing.
        fresh = rnd.choice([r for r in active if (r["src"], r["dst"]) not in w.paper and r["since"] < date(2025, 1, 1)])
        fresh["last_activity"] = date(2025, 11, 15)
        w.notes[f"{fresh['src']}→{fresh['dst']}"] = "last activity 2025-11-15, 351 days before: still active, not paper"

        # Renewals: an earlier term of the same pair, ended the day before the current one began.
        for r in rnd.sample([r for r in active if r["since"] >= date(2021, 6, 1)], 6):
            start = self.day(date(2019, 1, 1), r["since"] - timedelta(days=400))
            self.add_link(
                "PAIRED_WITH",
                r["src"],
                r["dst"],
                since=start,
                until=r["since"] - timedelta(days=1),
                form=r["form"],
                funds=round(math.exp(rnd.gauss(2.0, 0.6)), 1),
                projects=max(1, (r["since"] - start).days // 365),
                last_activity=r["since"] - timedelta(days=rnd.randint(20, 200)),
            )
        # Ended pairings of idle units (an idle unit may have a history) and of others.
        for u in w.idle[::2]:
            v = rnd.choice([o for o in w.county_villages[w.by_id[u]["county"]] if w.by_id[o]["tier"] == "ordinary"])
            self.ended_pairing(u, v, date(2020, 3, 1), date(2024, 12, 31))
        for _ in range(15):
            county = rnd.choice(list(units))
            u = rnd.choice([x for x in units[county] if x not in w.idle])
            # Another village than the unit's current ones: a renewal is made above, on purpose.
            v = rnd.choice(
                [o for o in w.county_villages[county] if w.roles.get(o) in (None, "covered") and (u, o) not in pairs]
            )
            self.ended_pairing(u, v, date(2019, 3, 1), date(2026, 6, 30))
        # Gaps through ended pairings.
        ends_2025 = iter((date(2025, 6, 30), date(2025, 12, 31)))
        for v, role in sorted(w.roles.items()):
            county = w.by_id[v]["county"]
            cands = [u for u in units[county] if u not in w.idle]
            if role == "pairing_ended_2025":
                self.ended_pairing(rnd.choice(cands), v, date(2020, 5, 1), next(ends_2025), exact_end=True)
            elif role == "pairing_ended_eve":
                self.ended_pairing(rnd.choice(cands), v, date(2022, 11, 1), date(2026, 10, 31), exact_end=True)

    def ended_pairing(self, u: str, v: str, lo: date, hi: date, exact_end: bool = False) -> None:
        rnd = self.rnd
        if exact_end:
            since, until = lo, hi
        else:
            since = self.day(lo, hi - timedelta(days=400))
            until = self.day(since + timedelta(days=365), hi)
        self.add_link(
            "PAIRED_WITH",
            u,
            v,
            since=since,
            until=until,
            form=rnd.choice(("assigned", "voluntary", "chosen")),
            funds=round(math.exp(rnd.gauss(2.0, 0.6)), 1),
            projects=max(1, (until - since).days // 365),
            last_activity=until - timedelta(days=rnd.randint(10, 300)),
        )

    def leads(self, want: list[str]) -> None:
        rnd, w = self.rnd, self.w

        def town_of(v: str) -> list[str]:
            return w.town_villages[w.by_id[v]["township"]]

        def lead(src: str, dst: str, since: date, until: date | None = None, mode: str | None = None) -> None:
            self.add_link("LEADS", src, dst, since=since, until=until, mode=mode or rnd.choice(names.LEAD_MODES))

        for v in sorted(want):
            strong = [x for x in town_of(v) if w.by_id[x]["tier"] == "strong"]
            lead(
                strong[0] if rnd.random() < 0.7 else rnd.choice(strong),
                v,
                self.day(date(2019, 4, 1), date(2026, 8, 31)),
            )
        # 村村联建 of central villages with ordinary neighbours.
        for vs in w.town_villages.values():
            ords = [x for x in vs if w.by_id[x]["tier"] == "ordinary"]
            for o in rnd.sample(ords, min(len(ords), 1 + (rnd.random() < 0.4))):
                lead(vs[0], o, self.day(date(2019, 4, 1), date(2026, 8, 31)), mode="村村联建")
        for v, role in sorted(w.roles.items()):
            county_town = town_of(v)
            if role == "weak_leader":
                other = rnd.choice([x for x in county_town if w.by_id[x]["tier"] == "weak" and x != v])
                lead(other, v, self.day(date(2021, 1, 1), date(2025, 12, 31)), mode="村村联建")
            elif role == "ordinary_leader":
                big = max(
                    (x for x in county_town if w.by_id[x]["tier"] == "ordinary"), key=lambda x: w.by_id[x]["population"]
                )
                lead(big, v, self.day(date(2020, 1, 1), date(2025, 12, 31)), mode="以大带小")
            elif role == "lead_ended":
                lead(county_town[0], v, date(2019, 6, 1), date(2025, 3, 31))
        # Noise: covered weak villages also "led" by a weak neighbour; a few ended alliances.
        covered = sorted(v for v, r in w.roles.items() if r == "covered")
        for v in rnd.sample(covered, 3):
            other = rnd.choice([x for x in town_of(v) if w.by_id[x]["tier"] == "weak" and x != v])
            lead(other, v, self.day(date(2021, 1, 1), date(2025, 12, 31)), mode="村村联建")
        for v in rnd.sample(covered, 5):
            start = self.day(date(2019, 1, 1), date(2022, 6, 30))
            lead(town_of(v)[0], v, start, start + timedelta(days=rnd.randint(365, 900)))

    def fusions(self, want: list[str]) -> None:
        rnd, w = self.rnd, self.w

        def fuse(e: str, v: str, since: date, until: date | None = None) -> None:
            kind = "党支部" if w.by_id[e]["size"] in ("small", "micro") else rnd.choice(("党委", "党总支"))
            org = f"{w.by_id[e]['name'][2:4]}{w.by_id[v]['name'][:-1]}村企联合{kind}"
            self.add_link("FUSED_WITH", e, v, since=since, until=until, joint_party_org=org)

        def partner(v: str) -> str:
            ents = [u for u in w.county_units[w.by_id[v]["county"]] if u[0] == "E" and w.by_id[u]["has_party_org"]]
            # 强企带村: the nearest enterprise with a party organisation.
            vil = w.by_id[v]
            return min(
                ents, key=lambda e: (w.by_id[e]["lat"] - vil["lat"]) ** 2 + (w.by_id[e]["lon"] - vil["lon"]) ** 2
            )

        for v in sorted(want):
            fuse(partner(v), v, self.day(date(2019, 6, 1), date(2025, 12, 31)))
        ords = [r["id"] for r in w.ds.nodes["Village"] if r["tier"] == "ordinary"]
        for v in rnd.sample(ords, 3):
            fuse(partner(v), v, self.day(date(2019, 6, 1), date(2025, 12, 31)))
        for v, role in sorted(w.roles.items()):
            if role == "fusion_ended":
                fuse(partner(v), v, date(2019, 8, 1), date(2024, 12, 31))

    def stations(self, want: list[str]) -> None:
        rnd, w = self.rnd, self.w
        # (village, role, since, until, expiring?) for each cadre; every cadre has one station.
        cadres: list[tuple[str, str, date, date | None, bool]] = []
        # Batches (seed 004 sent cadres down in batches): 2019 (ended 2021), 2021 and 2024, the
        # current ones open-ended in the ledger.
        for v in sorted(want):
            early = rnd.random() < 0.4
            since = (
                self.day(date(2021, 3, 1), date(2021, 3, 31))
                if early
                else self.day(date(2024, 3, 1), date(2024, 4, 15))
            )
            size = rnd.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
            for rank in range(size):
                role = "first_secretary" if rank == 0 else "team_leader" if rank == 1 and size >= 3 else "team_member"
                cadres.append((v, role, since, None, False))
        ords = [r["id"] for r in w.ds.nodes["Village"] if r["tier"] == "ordinary" and r["id"] not in w.pilots]
        for v in rnd.sample(ords, 20):
            cadres.append((v, "first_secretary", self.day(date(2024, 3, 1), date(2024, 4, 15)), None, False))
        expiry = iter(EXPIRY_DATES)
        ended = iter((date(2026, 4, 30), date(2025, 9, 30)))
        two_years = timedelta(days=2 * 365 - 1)
        for v, role in sorted(w.roles.items()):
            if role == "expiring":
                end = next(expiry)
                cadres.append((v, "first_secretary", end - two_years, end, True))
            elif role == "expiry_with_pairing":
                cadres.append((v, "first_secretary", date(2024, 12, 21), date(2026, 12, 20), False))
                w.notes[v] = "first secretary leaves 2026-12-20, but the village keeps its pairing"
            elif role == "expiry_with_team":
                cadres.append((v, "first_secretary", date(2025, 1, 6), date(2027, 1, 5), False))
                cadres.append((v, "team_member", date(2025, 1, 6), None, False))
                w.notes[v] = "first secretary leaves 2027-01-05, a team member stays"
            elif role == "station_ended":
                end = next(ended)
                cadres.append((v, "first_secretary", end - two_years, end, False))
        # Former cadres of the 2019 batch, anywhere.
        for v in rnd.sample([r["id"] for r in w.ds.nodes["Village"]], 30):
            since = self.day(date(2019, 3, 1), date(2019, 3, 31))
            cadres.append((v, rnd.choice(("first_secretary", "team_member")), since, since + two_years, False))
        people = person_names(self.nprng, len(cadres))
        for (v, role, since, until, expiring), name in zip(cadres, people, strict=True):
            county = w.by_id[v]["county"]
            # Senders: mostly organs and public institutions (seed 004: 区直机关和事业单位).
            label = rnd.choices(("O", "E", "C"), (0.7, 0.15, 0.15))[0]
            sender = rnd.choice([u for u in w.county_units[county] if u[0] == label])
            kid = self.new_id("K")
            self.add_node(
                "Cadre",
                {
                    "id": kid,
                    "name": name,
                    "role": role,
                    "skills": self.words(names.SUPPORT, rnd.randint(1, 3)),
                    "birth_year": rnd.randint(1968, 1996) - (4 if role == "first_secretary" else 0),
                    "education": rnd.choices(names.EDUCATION, (0.03, 0.22, 0.6, 0.15))[0],
                },
            )
            self.add_link("SENT_BY", kid, sender)
            self.add_link("STATIONED_IN", kid, v, role=role, since=since, until=until)
            if expiring and until is not None:
                w.expiring.append((kid, v, until))

    def build(self) -> World:
        for plan in COUNTIES:
            self.villages(plan)
        for plan in COUNTIES:
            self.units(plan)
        self.mismatches()
        kinds = self.assign_roles()
        self.pairings(kinds["pairing"])
        self.leads(kinds["lead"])
        self.fusions(kinds["fusion"])
        self.stations(kinds["station"])
        return self.w


# ---------------------------------------------------------------------- 实事项目 and 三张清单

# The seed's 三张清单 (needs, resources, claimed projects) and practical projects are drawn after the links,
# from a random source of their own, so that the nine link and node files keep their rows.
LISTS_SEED = 20261110
CUTOFF = ASOF - timedelta(days=INACTIVE_DAYS)
STALE_DAYS = 90
STALE_BEFORE = ASOF - timedelta(days=STALE_DAYS)  # posted on or before: stale if unclaimed
# The tag words of `needs` / `resources` (graph.names.SUPPORT) as the kinds of the lists (ITEM_KIND).
TAG_KIND = {
    "资金": "capital", "技术": "talent", "销路": "market", "人才": "talent", "医疗": "health",
    "教育": "education", "党建指导": "governance", "活动场所": "infrastructure", "规划": "infrastructure",
    "培训": "employment", "法律服务": "governance", "基础设施": "infrastructure", "文化": "culture",
    "电商运营": "market",
}  # fmt: skip
# What a village asks for, by tag ({i}: its main industry). Many villages ask for the same item.
NEED_ITEMS = {
    "资金": ("村集体经济项目启动资金", "{i}基地建设资金"), "技术": ("{i}技术指导",), "销路": ("{i}销路对接",),
    "人才": ("村级后备干部培养",), "医疗": ("村卫生室设备更新", "老年人健康义诊"), "教育": ("留守儿童课后辅导",),
    "党建指导": ("村党组织规范化建设指导",), "活动场所": ("党群服务中心改造",), "规划": ("村庄规划编制",),
    "培训": ("村民就业技能培训",), "法律服务": ("法律顾问进村",), "基础设施": ("通组道路硬化", "灌溉水渠修缮"),
    "文化": ("村文化广场建设",), "电商运营": ("农产品电商直播运营",),
}  # fmt: skip
RESOURCE_ITEMS = {
    "资金": "帮扶资金", "技术": "技术骨干下乡指导", "销路": "农产品定向采购", "人才": "选派业务骨干",
    "医疗": "巡回义诊", "教育": "结对助学", "党建指导": "支部共建指导", "活动场所": "活动场地共享",
    "规划": "规划设计服务", "培训": "技能培训课程", "法律服务": "法律咨询服务", "基础设施": "工程建设支持",
    "文化": "文艺演出进村", "电商运营": "电商运营指导",
}  # fmt: skip
# Practical projects (实事) a pairing records, by ACTIVITY_KIND ({i}: the village's main industry).
ACTIVITY_TITLES = {
    "project": ("硬化通组道路", "安装太阳能路灯", "改造党群服务中心", "修缮灌溉水渠", "建设冷链仓储点"),
    "event": ("主题党日联学共建", "重阳节走访慰问老人", "结对共建座谈会", "七一联合党课"),
    "funding": ("捐赠帮扶资金", "资助困难学生", "捐建农家书屋"),
    "training": ("{i}技术培训", "电商直播培训", "村干部业务培训"),
    "purchase": ("以购代捐采购{i}产品", "组织职工消费帮扶"),
}

# Titles that belong to a season: 重阳节 in autumn, 七一 around July 1st.
TITLE_MONTHS = {"重阳节走访慰问老人": range(9, 12), "七一联合党课": range(6, 8)}


@dataclass
class Lists:
    """What the seed's activities and three lists are meant to show, checked against the data at the end."""

    paper_pending: list[tuple[str, str, str]] = field(default_factory=list)  # paper pairing, activity not done
    first_year: list[tuple[str, str]] = field(default_factory=list)
    blank_done: tuple[str, str] | None = None
    stale: list[str] = field(default_factory=list)
    overdue: list[tuple[str, str]] = field(default_factory=list)
    idle: list[tuple[str, str]] = field(default_factory=list)
    several: dict[str, str] = field(default_factory=dict)  # need -> the unit its village chose
    withdrawn: list[str] = field(default_factory=list)
    why: dict[str, str] = field(default_factory=dict)  # need id (or unit→need) -> why it is on a list
    traps: list[str] = field(default_factory=list)  # README lines: cases that are not gaps


class ListsBuilder:
    """Activities on the seed's pairings, then needs, resources and claims with deliberate gaps."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.rnd = random.Random(LISTS_SEED)
        self.lists = Lists()
        self.counters: Counter[str] = Counter()
        self.resources_of: dict[str, dict[str, str]] = {}  # unit -> kind -> resource id
        self.claimed_by: dict[str, list[str]] = {}  # need -> claiming units

    def new_id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:06d}"

    def day(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rnd.randint(0, (hi - lo).days))

    def industry(self, v: str) -> str:
        return (self.w.by_id[v]["industries"] or ["蔬菜"])[0]

    def activity(self, u: str, v: str, day: date, kind: str, status: str | None, title: str | None = None) -> Row:
        rnd = self.rnd
        if title is None:
            titles = [t for t in ACTIVITY_TITLES[kind] if day.month in TITLE_MONTHS.get(t, range(1, 13))]
            title = f"{day.year}年{rnd.choice(titles).format(i=self.industry(v))}"
        funds = round(math.exp(rnd.gauss(1.6, 0.8)), 1) if kind in ("project", "funding", "purchase") else None
        people = rnd.randint(20, 600) if kind != "funding" or rnd.random() < 0.5 else None
        return add_link(
            self.w, "ACTIVITY", u, v, date=day, title=title, kind=kind, funds=funds, beneficiaries=people, status=status
        )

    # ------------------------------------------------------------------ activities of the pairings
    def first_years(self) -> None:
        """Pairings begun in the last year with nothing done yet: 'first year', not paper (changed rows)."""
        w = self.w
        renewed = Counter((r["src"], r["dst"]) for r in w.ds.links["PAIRED_WITH"])
        young = [
            r
            for r in w.ds.links["PAIRED_WITH"]
            if r["since"] > CUTOFF and r["until"] is None and renewed[(r["src"], r["dst"])] == 1
        ]
        for r in self.rnd.sample(sorted(young, key=lambda r: (r["src"], r["dst"])), 4):
            r["last_activity"], r["projects"] = None, 0
            self.lists.first_year.append((r["src"], r["dst"]))

    def pairing_activities(self) -> None:
        """Each pairing's practical projects: as many as its `projects`, the latest on its `last_activity`."""
        rnd, w = self.rnd, self.w
        kinds = tuple(ACTIVITY_TITLES)
        weights = (0.35, 0.3, 0.12, 0.13, 0.1)
        for r in w.ds.links["PAIRED_WITH"]:
            last = r["last_activity"]
            if last is None:
                continue
            earlier = max(0, (r["projects"] or 1) - 1)
            span = max(-1, (last - timedelta(days=20) - r["since"]).days)
            days = sorted(r["since"] + timedelta(days=d) for d in rnd.sample(range(span + 1), min(earlier, span + 1)))
            seen: set[str] = set()
            for i, d in enumerate([*days, last]):
                kind = rnd.choices(kinds, weights)[0]
                # A county ledger often leaves 状态 blank for what was done: blank counts as done.
                status = None if i < len(days) and rnd.random() < 0.1 else "done"
                row = self.activity(r["src"], r["dst"], d, kind, status)
                while row["title"] in seen:
                    row["title"] += "（二）"
                seen.add(row["title"])
        # A pairing whose one activity in the last year is written with a blank status: it counts.
        recent = [
            r
            for r in w.ds.links["ACTIVITY"]
            if r["status"] == "done" and r["date"] >= CUTOFF + timedelta(days=60) and self.only_recent(r)
        ]
        pick = rnd.choice(recent)
        pick["status"] = None
        self.lists.blank_done = (pick["src"], pick["dst"])
        self.lists.traps.append(
            f"- pairing {pick['src']} → {pick['dst']}: its one activity of the last year ({pick['date']}, "
            f"{pick['title']}) has a blank status, which counts as done: not a paper pairing."
        )

    def only_recent(self, a: Row) -> bool:
        return [
            x
            for x in self.w.ds.links["ACTIVITY"]
            if x["src"] == a["src"] and x["dst"] == a["dst"] and CUTOFF <= x["date"] <= ASOF
        ] == [a]

    def pending_activities(self) -> None:
        """Planned and ongoing activities: they do not count until done."""
        w, lists = self.w, self.lists
        paper = sorted(w.paper)
        cases = (
            (paper[1], date(2026, 9, 15), "ongoing", "project"),
            (paper[4], date(2026, 12, 10), "planned", "training"),
        )
        for (u, v), day, status, kind in cases:
            row = self.activity(u, v, day, kind, status)
            lists.paper_pending.append((u, v, f"{row['title']} ({day}, {status})"))
        u, v = lists.first_year[0]
        row = self.activity(u, v, date(2026, 11, 20), "event", "planned")
        lists.traps.append(
            f"- pairing {u} → {v}: first year, with a planned activity ({row['title']}, {row['date']}): "
            "planned is not done, so still 'first year, no activity yet'."
        )
        # Some pairings plan their next project after the reference date.
        done = {(r["src"], r["dst"]) for r in w.ds.links["PAIRED_WITH"] if r["last_activity"] is not None}
        for u, v in self.rnd.sample(sorted(done), 12):
            self.activity(u, v, self.day(ASOF + timedelta(days=5), date(2027, 3, 31)), "project", "planned")

    # ------------------------------------------------------------------ resources
    def resources(self) -> None:
        w = self.w
        for county in w.county_units:
            for u in w.county_units[county]:
                unit = w.by_id[u]
                self.resources_of[u] = {}
                for tag in unit["resources"] or ():
                    kind = TAG_KIND[tag]
                    if kind in self.resources_of[u]:
                        continue
                    name = RESOURCE_ITEMS[tag]
                    if unit["id"][0] == "E" and tag == "技术" and unit.get("industry"):
                        name = f"{unit['industry']}技术指导"
                    rid = self.new_id("R")
                    add_node(w, "Resource", {"id": rid, "name": name, "kind": kind, "serves": max(1, unit["capacity"])})
                    add_link(w, "OFFERED_BY", rid, u)
                    self.resources_of[u][kind] = rid

    def offering(self, county: str, kind: str, but: Iterable[str] = ()) -> list[str]:
        skip = set(but)
        return [u for u in self.w.county_units[county] if kind in self.resources_of[u] and u not in skip]

    # ------------------------------------------------------------------ needs and claims
    def need(self, v: str, tag: str, posted: date, status: str) -> Row:
        item = self.rnd.choice(NEED_ITEMS[tag]).format(i=self.industry(v))
        nid = self.new_id("N")
        row = add_node(
            self.w, "Need", {"id": nid, "name": item, "kind": TAG_KIND[tag], "posted": posted, "status": status}
        )
        add_link(self.w, "NEED_OF", nid, v)
        return row

    def claim(self, u: str, need: Row, claimed: date, status: str, due: date | None, done: date | None) -> Row:
        self.claimed_by.setdefault(need["id"], []).append(u)
        row = add_link(self.w, "CLAIMED", u, need["id"], claimed=claimed, status=status, due=due, done=done)
        if status == "done" and done is not None:
            # A project done becomes a practical project of the unit for the village.
            v = self.village_of(need["id"])
            self.activity(u, v, done, "project", "done", title=f"{need['name']}（认领项目）")
        return row

    def village_of(self, nid: str) -> str:
        return next(r["dst"] for r in self.w.ds.links["NEED_OF"] if r["src"] == nid)

    @staticmethod
    def posted_day(rnd: random.Random, lo: date, hi: date) -> date:
        """Needs are posted on the 10th of a month (monthly cycles: a list goes out on the 10th)."""
        months = [(y, m) for y in range(lo.year, hi.year + 1) for m in range(1, 13)]
        ok = [date(y, m, 10) for y, m in months if lo <= date(y, m, 10) <= hi]
        return rnd.choice(ok)

    def ordinary_needs(self, reserved: set[str]) -> None:
        """Needs of weak villages (and some ordinary ones), claimed and done the usual way."""
        rnd, w = self.rnd, self.w
        blank = [self.lists.blank_done] if self.lists.blank_done else []
        off_limits = set(w.paper) | set(self.lists.first_year) | set(blank)
        partners: dict[str, list[str]] = {}
        for r in w.ds.links["PAIRED_WITH"]:
            if reference.active_on(r, ASOF) and (r["src"], r["dst"]) not in off_limits:
                partners.setdefault(r["dst"], []).append(r["src"])
        for row in w.ds.nodes["Village"]:
            v = row["id"]
            if v in reserved or not row["needs"] or (row["tier"] != "weak" and rnd.random() > 0.25):
                continue
            for tag in rnd.sample(row["needs"], min(len(row["needs"]), 2 if row["tier"] == "weak" else 1)):
                kind = TAG_KIND[tag]
                county = row["county"]
                fresh = rnd.random() < 0.25
                if fresh:  # posted in the last 90 days: open, or claimed days ago
                    posted = self.posted_day(rnd, STALE_BEFORE + timedelta(days=1), ASOF - timedelta(days=10))
                else:
                    posted = self.posted_day(rnd, date(2025, 6, 1), STALE_BEFORE - timedelta(days=10))
                # The village's partners that offer the kind first; then any unit of the county that does.
                mine = [u for u in partners.get(v, []) if kind in self.resources_of[u]]
                off = {u for u, x in off_limits if x == v}
                cands = mine or self.offering(county, kind, but=off)
                if not cands or (fresh and rnd.random() < 0.5):
                    if fresh:
                        self.need(v, tag, posted, "open")
                    continue
                u = rnd.choice(cands)
                claimed = posted + timedelta(days=rnd.randint(3, 25))
                if fresh:
                    need = self.need(v, tag, posted, "claimed")
                    self.claim(u, need, claimed, "claimed", claimed + timedelta(days=180), None)
                elif rnd.random() < 0.7:
                    need = self.need(v, tag, posted, "done")
                    due = claimed + timedelta(days=180)
                    done = min(claimed + timedelta(days=rnd.randint(30, 170)), ASOF - timedelta(days=3))
                    self.claim(u, need, claimed, "done", due, done)
                else:
                    need = self.need(v, tag, posted, "claimed")
                    due = max(claimed + timedelta(days=365), date(2027, 1, 31))
                    self.claim(u, need, claimed, "ongoing", due, None)

    def deliberate(self) -> set[str]:
        """The gaps of the three lists, placed by hand; returns the villages they use."""
        rnd, w, lists = self.rnd, self.w, self.lists
        used: set[str] = set()
        weak = {
            c: [v for v in vs if w.by_id[v]["tier"] == "weak" and w.by_id[v]["needs"]]
            for c, vs in w.county_villages.items()
        }
        unpaired = {v for v, r in w.roles.items() if r in {role for role, _, _ in UNPAIRED_ROLES}}
        units_of = {
            v: {r["src"] for r in w.ds.links["PAIRED_WITH"] if r["dst"] == v}
            for v in {r["dst"] for r in w.ds.links["PAIRED_WITH"]}
        }

        def pick(county: str, pool: Iterable[str]) -> str:
            v = rnd.choice(sorted(x for x in pool if x not in used and w.by_id[x]["county"] == county))
            used.add(v)
            return v

        def tag_of(v: str) -> str:
            return rnd.choice(w.by_id[v]["needs"])

        # Stale needs: open, nobody claimed them, posted 90 days or more before.
        stale_days = (date(2026, 3, 10), date(2026, 5, 10), STALE_BEFORE, date(2026, 6, 10), date(2026, 7, 10))
        stale_counties = ("石砚区", "石砚区", "澄溪县", "青岚县", "青岚县")
        for i, (county, posted) in enumerate(zip(stale_counties, stale_days, strict=True)):
            v = pick(county, unpaired if i % 2 == 0 else set(weak[county]) - unpaired)
            need = self.need(v, tag_of(v), posted, "open")
            lists.stale.append(need["id"])
            why = "posted exactly 90 days before: stale from that day" if posted == STALE_BEFORE else f"posted {posted}"
            lists.why[need["id"]] = why + (", in a village nobody helps" if v in unpaired else ", nobody claimed it")
        v = pick("澄溪县", set(weak["澄溪县"]) - unpaired)
        need = self.need(v, tag_of(v), STALE_BEFORE + timedelta(days=1), "open")
        lists.traps.append(
            f"- need {need['id']} {need['name']} ({describe(w, v)}): open and unclaimed, posted 89 days before: "
            "not yet stale."
        )
        v = pick("青岚县", set(weak["青岚县"]))
        need = self.need(v, tag_of(v), date(2026, 2, 10), "withdrawn")
        lists.withdrawn.append(need["id"])
        lists.traps.append(
            f"- need {need['id']} {need['name']} ({describe(w, v)}): withdrawn (已撤销), posted 2026-02-10 "
            "and never claimed: not stale, and not counted in the claim rate."
        )

        # Several claims for one need: the village chose one (群众选对); its pairing with that unit is `chosen`.
        chosen = sorted(
            (r["src"], r["dst"])
            for r in w.ds.links["PAIRED_WITH"]
            if r["form"] == "chosen"
            and reference.active_on(r, ASOF)
            and (r["src"], r["dst"]) not in set(w.paper)
            and (r["src"], r["dst"]) not in set(lists.first_year)
            and (r["src"], r["dst"]) != lists.blank_done
            and r["dst"] not in used
        )
        for (u, v), status in zip(rnd.sample(chosen, 3), ("done", "ongoing", "ongoing"), strict=True):
            used.add(v)
            tags = [t for t in NEED_ITEMS if TAG_KIND[t] in self.resources_of[u]]
            tag = rnd.choice(tags)
            county = w.by_id[v]["county"]
            rivals = rnd.sample(self.offering(county, TAG_KIND[tag], but=units_of.get(v, set())), 2)
            posted = date(2026, 3, 10)
            need = self.need(v, tag, posted, "done" if status == "done" else "claimed")
            for r in rivals:
                self.claim(r, need, posted + timedelta(days=rnd.randint(3, 20)), "not_chosen", None, None)
            claimed = posted + timedelta(days=rnd.randint(3, 20))
            done = date(2026, 9, 28) if status == "done" else None
            self.claim(u, need, claimed, status, date(2027, 3, 31) if status == "ongoing" else date(2026, 12, 31), done)
            lists.several[need["id"]] = u
            lists.why[need["id"]] = (
                f"claimed by {u} and {', '.join(rivals)}; the village chose {u} (pairing form chosen)"
            )

        # Overdue projects: a live claim still claimed or under way after its 完成时限.
        overdue = (
            ("石砚区", "ongoing", date(2025, 12, 10), date(2026, 6, 30)),
            ("澄溪县", "ongoing", date(2026, 1, 10), date(2026, 9, 30)),
            ("青岚县", "claimed", date(2026, 8, 10), date(2026, 10, 31)),
            ("石砚区", "claimed", date(2026, 8, 10), date(2026, 10, 15)),
        )
        for county, status, posted, due in overdue:
            v = pick(county, set(weak[county]) - unpaired)
            tag = tag_of(v)
            cands = self.offering(county, TAG_KIND[tag], but=units_of.get(v, set()))
            u = rnd.choice(cands)
            need = self.need(v, tag, posted, "claimed")
            claimed = posted + timedelta(days=rnd.randint(5, 20))
            self.claim(u, need, claimed, status, due, None)
            lists.overdue.append((u, need["id"]))
            lists.why[f"{u}→{need['id']}"] = f"{status} since {claimed}, due {due}"
        # Not overdue: due on the reference day itself; and done late, after its due date.
        v = pick("青岚县", set(weak["青岚县"]) - unpaired)
        tag = tag_of(v)
        u = rnd.choice(self.offering("青岚县", TAG_KIND[tag], but=units_of.get(v, set())))
        need = self.need(v, tag, date(2026, 4, 10), "claimed")
        self.claim(u, need, date(2026, 4, 20), "ongoing", ASOF, None)
        lists.traps.append(
            f"- project {u} → need {need['id']} ({describe(w, v)}): under way, due on 2026-11-01 itself: "
            "not yet overdue."
        )
        v = pick("石砚区", set(weak["石砚区"]) - unpaired)
        tag = tag_of(v)
        u = rnd.choice(self.offering("石砚区", TAG_KIND[tag], but=units_of.get(v, set())))
        need = self.need(v, tag, date(2025, 11, 10), "done")
        self.claim(u, need, date(2025, 11, 25), "done", date(2026, 5, 31), date(2026, 7, 20))
        lists.traps.append(
            f"- project {u} → need {need['id']} ({describe(w, v)}): due 2026-05-31, done late on 2026-07-20: "
            "done, not overdue."
        )

        # Units that claimed and did nothing: a claim still `claimed` after 90 days, no activity since in that village.
        for county, claimed in (
            ("石砚区", date(2026, 4, 22)),
            ("澄溪县", date(2026, 6, 18)),
            ("青岚县", date(2026, 5, 15)),
        ):
            v = pick(county, set(weak[county]) - unpaired)
            tag = tag_of(v)
            u = rnd.choice(self.offering(county, TAG_KIND[tag], but=units_of.get(v, set())))
            need = self.need(v, tag, date(claimed.year, claimed.month, 10), "claimed")
            self.claim(u, need, claimed, "claimed", date(2027, 6, 30), None)
            lists.idle.append((u, need["id"]))
            lists.why[f"{u}→{need['id']}"] = f"claimed {claimed}, nothing done in the village since"
        # Not idle: the village's own partner claimed in spring and has been at work in the village since.
        active_pairs = [
            r
            for r in w.ds.links["PAIRED_WITH"]
            if reference.active_on(r, ASOF)
            and r["last_activity"]
            and r["last_activity"] >= date(2026, 7, 1)
            and r["dst"] not in used
            and w.by_id[r["dst"]]["needs"]
            and (r["src"], r["dst"]) not in set(w.paper)
        ]
        partner = rnd.choice(sorted(active_pairs, key=lambda r: (r["src"], r["dst"])))
        used.add(partner["dst"])
        need = self.need(partner["dst"], tag_of(partner["dst"]), date(2026, 4, 10), "claimed")
        self.claim(partner["src"], need, date(2026, 4, 20), "claimed", date(2027, 6, 30), None)
        lists.traps.append(
            f"- project {partner['src']} → need {need['id']} ({describe(w, partner['dst'])}): still `claimed` since "
            f"2026-04-20, but the unit, the village's partner, did a practical project there on "
            f"{partner['last_activity']}: not idle."
        )
        return used

    def build(self) -> Lists:
        self.first_years()
        self.pairing_activities()
        self.pending_activities()
        self.resources()
        used = self.deliberate()
        self.ordinary_needs(used)
        return self.lists


# ---------------------------------------------------------------------- the definitions of issue #17, in plain Python
# Stated here from docs/domain.md and the issue, not by calling the app's queries, so that the tests compare two
# statements of each rule.


def completed(activity: Row) -> bool:
    return activity.get("status") in (None, "done")


def pairing_states(ds: Dataset, day: date) -> tuple[list[list[str]], list[list[str]]]:
    """(paper pairings, first-year pairings) on DAY: [unit, village] pairs, sorted."""
    cutoff = day - timedelta(days=INACTIVE_DAYS)
    done: dict[tuple[str, str], list[date]] = {}
    for a in ds.links["ACTIVITY"]:
        if completed(a) and a["date"] <= day:
            done.setdefault((a["src"], a["dst"]), []).append(a["date"])
    paper, first = set(), set()
    for p in ds.links["PAIRED_WITH"]:
        if not reference.active_on(p, day):
            continue
        # An activity belongs to the pairing of its unit and village in force on its date.
        mine = [d for d in done.get((p["src"], p["dst"]), []) if reference.active_on(p, d)]
        column = p.get("last_activity")
        last = max([*mine, *([column] if column is not None and column <= day else [])], default=None)
        if p["since"] <= cutoff:
            later = max([*mine, *([column] if column is not None else [])], default=None)
            if later is None or later < cutoff:
                paper.add((p["src"], p["dst"]))
        elif last is None:
            first.add((p["src"], p["dst"]))
    return [list(x) for x in sorted(paper)], [list(x) for x in sorted(first)]


def list_gaps(ds: Dataset, day: date) -> dict[str, Any]:
    """Stale needs, overdue projects, idle claimers on DAY, and the claim counts per county."""
    village_of = {r["src"]: r["dst"] for r in ds.links["NEED_OF"]}
    county = {r["id"]: r["county"] for r in ds.nodes["Village"]}
    claims: dict[str, list[Row]] = {}
    for c in ds.links["CLAIMED"]:
        if c.get("status") != "not_chosen":  # a live claim
            claims.setdefault(c["dst"], []).append(c)
    stale = [
        n["id"]
        for n in ds.nodes["Need"]
        if (n["status"] or "open") == "open" and not claims.get(n["id"]) and n["posted"] is not None
        and n["posted"] <= day - timedelta(days=STALE_DAYS)
    ]  # fmt: skip
    live = [c for cs in claims.values() for c in cs]
    overdue = [
        [c["src"], c["dst"]] for c in live if c.get("status") in ("claimed", "ongoing") and c["due"] and c["due"] < day
    ]
    idle = []
    for c in live:
        if c.get("status") != "claimed" or c["claimed"] > day - timedelta(days=STALE_DAYS):
            continue
        v = village_of[c["dst"]]
        acted = any(
            a["src"] == c["src"] and a["dst"] == v and c["claimed"] <= a["date"] <= day for a in ds.links["ACTIVITY"]
        )
        if not acted:
            idle.append([c["src"], c["dst"]])
    counts: dict[str, dict[str, int]] = {}
    for n in ds.nodes["Need"]:
        if n["status"] == "withdrawn":
            continue
        mine = claims.get(n["id"], [])
        row = counts.setdefault(county[village_of[n["id"]]], {"needs": 0, "claimed": 0, "done": 0})
        row["needs"] += 1
        row["claimed"] += bool(mine) or n["status"] in ("claimed", "done")
        row["done"] += n["status"] == "done" or any(c.get("status") == "done" for c in mine)
    return {
        "stale_needs": sorted(stale),
        "overdue_projects": sorted(overdue),
        "idle_claimers": sorted(idle),
        "claim_counts": dict(sorted(counts.items())),
    }


# ---------------------------------------------------------------------- the definitions (tools.reference)


def compute_gaps(ds: Dataset, g: nx.MultiDiGraph, asof: date) -> dict[str, Any]:
    paper, first_year = pairing_states(ds, asof)
    expiring = [[s.cadre_id, s.village_id] for s in reference.expiring(g, asof, EXPIRY_DAYS)]
    load = reference.unit_load(g, asof)
    return {
        "asof": asof.isoformat(),
        "unpaired": reference.unpaired_ids(g, asof),
        "inactive_pairings": paper,
        "expiring_cadres": sorted(expiring),
        "overloaded_units": sorted(u.unit_id for u in load if u.status == "overloaded"),
        "idle_units": sorted(u.unit_id for u in load if u.status == "idle"),
        "org_setting_mismatches": sorted(o.id for o in reference.org_setting(g)),
        "first_year": first_year,
        **list_gaps(ds, asof),
    }


def change_days(ds: Dataset) -> Iterable[date]:
    """Every date in (ASOF, STABLE_TO] on which some link starts or stops being active."""
    for rows in ds.links.values():
        for r in rows:
            for d in (r.get("since"), r["until"] + timedelta(days=1) if r.get("until") else None):
                if d is not None and ASOF < d <= STABLE_TO:
                    yield d


# ---------------------------------------------------------------------- output


def expected(w: World, lists: Lists) -> dict[str, Any]:
    return {
        "asof": ASOF.isoformat(),
        "unpaired": sorted(v for v, r in w.roles.items() if r in {role for role, _, _ in UNPAIRED_ROLES}),
        "inactive_pairings": sorted([u, v] for u, v in set(w.paper)),
        "expiring_cadres": sorted([k, v] for k, v, _ in w.expiring),
        "overloaded_units": sorted(w.overloaded),
        "idle_units": sorted(w.idle),
        "org_setting_mismatches": sorted(w.mismatches),
        # Not a query result: the day each expiring-cadre village joins the unpaired list.
        "unpaired_after_expiry": sorted([v, (d + timedelta(days=1)).isoformat()] for _, v, d in w.expiring),
        "first_year": sorted(list(p) for p in lists.first_year),
        "stale_needs": sorted(lists.stale),
        "overdue_projects": sorted(list(p) for p in lists.overdue),
        "idle_claimers": sorted(list(p) for p in lists.idle),
        # Counted, not placed: per county, needs (not withdrawn), those claimed, those done.
        "claim_counts": list_gaps(w.ds, ASOF)["claim_counts"],
    }


def check(ds: Dataset, exp: dict[str, Any]) -> None:
    g = reference.build(ds)
    got = compute_gaps(ds, g, ASOF)
    for key, value in got.items():
        if value != exp[key]:
            raise SystemExit(f"{key}: intended {exp[key]}\n  but the data give {value}")
    joins = {v: date.fromisoformat(d) for v, d in exp["unpaired_after_expiry"]}
    for day in sorted({ASOF, STABLE_TO, *change_days(ds)}):
        want = sorted({*exp["unpaired"], *(v for v, d in joins.items() if d <= day)})
        if reference.unpaired_ids(g, day) != want:
            raise SystemExit(f"unpaired on {day} is {reference.unpaired_ids(g, day)}, documented {want}")
    for rows in ds.links.values():
        for r in rows:
            until = r.get("until")
            deliberate = r["src"][0] == "K" and ASOF < until <= ASOF + timedelta(days=EXPIRY_DAYS) if until else False
            if until is not None and ASOF <= until < STABLE_FROM and not deliberate:
                raise SystemExit(f"{r['src']}→{r['dst']} ends {until}: active links must run to 2031 or beyond")


def gaps_json(exp: dict[str, Any]) -> str:
    """JSON with one id or one [unit, village] pair per line, for readable diffs."""
    parts = []
    for key, value in exp.items():
        if isinstance(value, list):
            items = ",\n".join("    " + json.dumps(x, ensure_ascii=False) for x in value)
            parts.append(f'  "{key}": [\n{items}\n  ]' if value else f'  "{key}": []')
        else:
            parts.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def describe(w: World, v: str) -> str:
    r = w.by_id[v]
    return f"{r['name']}（{r['county']}{r['township']}）"


def lists_readme(w: World, lists: Lists, exp: dict[str, Any]) -> list[str]:
    """The README's sections on first-year pairings and the three lists."""
    by, ds = w.by_id, w.ds
    needs = {r["id"]: r for r in ds.nodes["Need"]}
    village_of = {r["src"]: r["dst"] for r in ds.links["NEED_OF"]}
    since = {(r["src"], r["dst"]): r["since"] for r in ds.links["PAIRED_WITH"] if reference.active_on(r, ASOF)}
    out = [
        f"### First year, no activity yet ({len(exp['first_year'])})",
        "",
        "Active pairings begun after 2025-11-01 with no activity yet: a milder state than a paper pairing, not a gap.",
        "",
        "| unit | village | since |",
        "| --- | --- | --- |",
    ]
    out += [f"| {u} {by[u]['name']} | {v} {describe(w, v)} | {since[u, v]} |" for u, v in exp["first_year"]]
    young = sorted(p for p, d in since.items() if d > CUTOFF and list(p) not in exp["first_year"])
    out += [
        "",
        f"The other {len(young)} pairings begun in the last year have done something already: neither state "
        f"({', '.join(f'{u}→{v}' for u, v in young)}).",
        "",
        "### 三张清单: needs, resources, projects",
        "",
        "Needs (需求清单) are posted on the 10th of a month by weak villages (and some ordinary ones),",
        "from their `needs` tags; resources (资源清单) are each unit's `resources` tags as items; a claim",
        "(项目清单) is a unit taking a need, and a claim done is also a practical project of the unit for",
        "the village (activities.csv). Definitions: a live claim is one not `not_chosen`; a need is claimed",
        "when it has a live claim or status claimed/done, done when its status or a claim is done; withdrawn",
        "needs are not counted.",
        "",
        f"#### Stale needs ({len(exp['stale_needs'])})",
        "",
        "Open, no live claim, posted on or before 2026-08-03 (90 days before).",
        "",
        "| need | item | village | posted | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for n in exp["stale_needs"]:
        r = needs[n]
        out.append(f"| {n} | {r['name']} | {describe(w, village_of[n])} | {r['posted']} | {lists.why[n]} |")
    for title, key, rule in (
        (
            "Overdue projects",
            "overdue_projects",
            "A live claim still `claimed` or `ongoing` whose 完成时限 (`due`) is before 2026-11-01.",
        ),
        (
            "Units that claimed and did nothing",
            "idle_claimers",
            "A live claim still `claimed`, made on or before 2026-08-03, and no activity of the unit in that need's "
            "village since the claim.",
        ),
    ):
        out += [
            "",
            f"#### {title} ({len(exp[key])})",
            "",
            rule,
            "",
            "| unit | need | village | why |",
            "| --- | --- | --- | --- |",
        ]
        for u, n in exp[key]:
            out.append(
                f"| {u} {by[u]['name']} | {n} {needs[n]['name']} | {describe(w, village_of[n])} "
                f"| {lists.why[f'{u}→{n}']} |"
            )
    out += [
        "",
        f"#### Needs with several claims ({len(lists.several)})",
        "",
        "Several units offered; the village chose one (群众选对): the others are `not_chosen`, and the",
        "village's pairing with the chosen unit has the form `chosen`.",
        "",
        "| need | item | village | claims |",
        "| --- | --- | --- | --- |",
    ]
    for n in sorted(lists.several):
        out.append(f"| {n} | {needs[n]['name']} | {describe(w, village_of[n])} | {lists.why[n]} |")
    out += [
        "",
        "#### Claim rate and completion rate per county",
        "",
        "Claim rate (认领率) = claimed / needs; completion rate (办结率) = done / claimed",
        "(`claim_counts` in the JSON).",
        "",
        "| county | needs | claimed | done | claim rate | completion rate |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for county, c in exp["claim_counts"].items():
        out.append(
            f"| {county} | {c['needs']} | {c['claimed']} | {c['done']} | {c['claimed'] / c['needs']:.1%} "
            f"| {c['done'] / c['claimed']:.1%} |"
        )
    out.append("")
    return out


def readme(w: World, lists: Lists, exp: dict[str, Any]) -> str:
    by = w.by_id
    role_text = {role: text for role, _, text in UNPAIRED_ROLES}
    ds = w.ds
    lines: list[str] = []
    add = lines.append
    counts = ds.counts()
    add("# Demo seed: three fictional counties")
    add("")
    add("**All names, places, people and figures here are fictional.** The counties 石砚区, 澄溪县 and 青岚县,")
    add("their townships, villages, communities, enterprises, organisations and cadres do not exist; the")
    add("shapes (how many villages, what kinds of help, what goes wrong) follow published county reports,")
    add("summarised in docs/domain.md. Each county takes its shape from a different report, but")
    add(f"the three are placed side by side in one fictional prefecture, {CITY} (every village and unit has it")
    add("as `city`; seats 55–80 km apart, around 30° N, 114° E), so that distances between them mean something")
    add("to the matching.")
    add("")
    add("Load it with `pairing --db data/pairing.lbug load seed/` (what `make run` does). Regenerate it with")
    add("`.venv/bin/python seed/make_seed.py`: deterministic, it rewrites the CSV files, `expected_gaps.json`")
    add("and this README. The CSV files are UTF-8 with BOM, English headers, lists `;`-joined, ISO dates.")
    add("")
    add("| file | rows |")
    add("| --- | --- |")
    files = (
        ("villages.csv", "Village"), ("communities.csv", "CityCommunity"),
        ("enterprises.csv", "Enterprise"), ("organisations.csv", "Organisation"),
        ("cadres.csv (with `sent_by`)", "Cadre"), ("pairings.csv", "PAIRED_WITH"),
        ("leads.csv", "LEADS"), ("fusions.csv", "FUSED_WITH"), ("stations.csv", "STATIONED_IN"),
        ("activities.csv (实事项目台账)", "ACTIVITY"), ("needs.csv (需求清单, with `village`)", "Need"),
        ("resources.csv (资源清单, with `unit`)", "Resource"), ("projects.csv (项目清单: claims of needs)", "CLAIMED"),
    )  # fmt: skip
    for f, k in files:
        add(f"| {f} | {counts[k]} |")
    add("")
    add("## The counties and the report figures that shaped them")
    add("")
    add("| county | villages (weak / strong) | townships | communities | enterprises | organisations | shaped by |")
    add("| --- | --- | --- | --- | --- | --- | --- |")
    for plan in COUNTIES:
        vs = [by[v] for v in w.county_villages[plan.name]]
        us = [by[u] for u in w.county_units[plan.name]]
        weak = sum(v["tier"] == "weak" for v in vs)
        strong = sum(v["tier"] == "strong" for v in vs)
        n = {lab: sum(u["id"][0] == lab for u in us) for lab in "CEO"}
        add(
            f"| {plan.name} | {len(vs)} ({weak} / {strong}) | {len(plan.towns)} | {n['C']} | {n['E']} | {n['O']} "
            f"| {plan.shape} |"
        )
    add("")
    add("Other figures used: seed 001's setting rule (over 100 members a 党委, 50–100 a 党总支, a leadership of at")
    add("least 3) and its case of a community with over 150 members and no 党委; seed 002's forms of pairing")
    add("(组织定对, 自由结对, 群众选对), its matching criteria (similar industries, complementary strengths) and its")
    add("village–enterprise joint organisations (村企一体化党组织); seed 003's rule that a pairing with no practical")
    add("project for a year is on paper only. In each township the first village is its central village (中心村)")
    add("and leads alliances (LEADS); about a third of all villages are weak.")
    add("")
    add("## Deliberate gaps (as of 2026-11-01)")
    add("")
    add("`expected_gaps.json` holds these lists for the tests (`unpaired_after_expiry` is extra: the day each")
    add("expiring-cadre village joins the unpaired list). Definitions (docs/domain.md): a link is active on D when")
    add("`since <= D` and `until` is empty or `>= D`; a weak village is covered when it has an active")
    add("PAIRED_WITH, FUSED_WITH, STATIONED_IN, or LEADS from a non-weak village.")
    add("")
    add("**Stability.** Every link active on 2026-11-01 has `until` empty or on/after 2031-01-01, except five")
    add('stations ending within 90 days: the three expiring cadres below and the two under "Traps", whose')
    add("villages keep other support. So the unpaired list is the same for every as-of date from 2026-11-01")
    add("to 2030-12-31, plus each expiring-cadre village from the day after its cadre leaves.")
    add("")
    add(f"### Unpaired weak villages ({len(exp['unpaired'])})")
    add("")
    add("| id | village | why |")
    add("| --- | --- | --- |")
    for v in exp["unpaired"]:
        add(f"| {v} | {describe(w, v)} | {role_text[w.roles[v]]} |")
    add("")
    add(f"### Expiring cadres ({len(exp['expiring_cadres'])})")
    add("")
    add("Station terms ending within 90 days after 2026-11-01 where the village has no other support afterwards.")
    add("")
    add("| cadre | village | term ends | village unpaired from |")
    add("| --- | --- | --- | --- |")
    for k, v, d in sorted(w.expiring):
        add(f"| {k} {by[k]['name']} | {v} {describe(w, v)} | {d} | {d + timedelta(days=1)} |")
    add("")
    add(f"### Inactive (paper) pairings ({len(exp['inactive_pairings'])})")
    add("")
    add("Active pairings begun on or before 2025-11-01 whose last activity is missing or before 2025-11-01 (more")
    add("than 365 days before). The last activity is the later of the pairing's `last_activity` column and its latest")
    add("completed activity in activities.csv (status `done` or blank; an activity belongs to the pairing of its unit")
    add("and village in force on its date). In the seed the two agree: each pairing's activities end on its column.")
    add("")
    add("| unit | village | last activity |")
    add("| --- | --- | --- |")
    pending = {(u, v): text for u, v, text in lists.paper_pending}
    last = {(r["src"], r["dst"]): r["last_activity"] for r in ds.links["PAIRED_WITH"] if reference.active_on(r, ASOF)}
    for u, v in exp["inactive_pairings"]:
        note = (
            " — the village's only support: it counts as covered, but the pairing is a gap"
            if w.roles.get(v) == "paper_only"
            else ""
        )
        if (u, v) in pending:
            note += f" — an activity not done does not count: {pending[u, v]}"
        add(f"| {u} {by[u]['name']} | {v} {describe(w, v)} | {last[(u, v)] or '(none)'}{note} |")
    add("")
    lines += lists_readme(w, lists, exp)
    load = Counter(r["src"] for r in ds.links["PAIRED_WITH"] if reference.active_on(r, ASOF))
    add(f"### Overloaded units ({len(exp['overloaded_units'])}) and idle units ({len(exp['idle_units'])})")
    add("")
    add("| unit | name | capacity | active pairings | gap |")
    add("| --- | --- | --- | --- | --- |")
    for u in exp["overloaded_units"]:
        add(f"| {u} | {by[u]['name']} | {by[u]['capacity']} | {load[u]} | overloaded |")
    ended_units = {r["src"] for r in ds.links["PAIRED_WITH"] if r["until"] is not None and r["until"] < ASOF}
    for u in exp["idle_units"]:
        extra = " (has ended pairings only)" if u in ended_units else ""
        add(f"| {u} | {by[u]['name']} | {by[u]['capacity']} | 0 | idle{extra} |")
    add("")
    add(f"### Organisation-setting mismatches ({len(exp['org_setting_mismatches'])})")
    add("")
    add("| id | name | breach |")
    add("| --- | --- | --- |")
    for n in exp["org_setting_mismatches"]:
        add(f"| {n} | {by[n]['name']}（{by[n]['county']}） | {w.mismatches[n]} |")
    add("")
    add("## Traps that are *not* gaps")
    add("")
    for v, role in sorted(w.roles.items()):
        if role == "ordinary_leader":
            add(f"- {v} {describe(w, v)}: weak, its only support is a LEADS from an *ordinary* village (以大带小);")
            add("  a non-weak leader counts, so it is covered.")
    for key, text in sorted(w.notes.items()):
        if "→" in key:
            u, v = key.split("→")
            add(f"- pairing {u} {by[u]['name']} → {v} {describe(w, v)}: {text}.")
        else:
            add(f"- {key} {describe(w, key)}: {text}; not an expiring-cadre gap.")
    # Facts counted from the data, so that the text cannot drift from it.
    covered = reference.covered(ds, ASOF)
    weak = {r["id"] for r in ds.nodes["Village"] if r["tier"] == "weak"}
    ended = [r for rows in ds.links.values() for r in rows if r.get("until") is not None and r["until"] < ASOF]
    history = sorted({r["dst"] for r in ended if r["dst"] in weak and r["dst"] in covered})
    weak_led = sorted({r["dst"] for r in ds.links["LEADS"] if r["src"] in weak and r["dst"] in covered})
    pairs = Counter((r["src"], r["dst"]) for r in ds.links["PAIRED_WITH"])
    renewed = sorted(p for p, n in pairs.items() if n > 1)
    all_load = Counter(r["src"] for r in ds.links["PAIRED_WITH"])
    full = sorted(u for u in load if all_load[u] > by[u]["capacity"] >= load[u])
    lines += lists.traps
    add(f"- {len(history)} covered weak villages also have ended links (an earlier pairing, lead, fusion or")
    add("  station); the ended ones do not matter while another link is active.")
    add(f'- Covered weak villages also "led" by a weak neighbour, which adds nothing: {", ".join(weak_led)}.')
    add(f"- {len(renewed)} pairings were renewed (the same unit and village, an earlier ended term; key `since`):")
    add(f"  {', '.join(f'{u}→{v}' for u, v in renewed)}.")
    if full:
        add("- Units whose pairings, counting ended ones, exceed their capacity but whose active ones do not,")
        add(f"  so not overloaded: {', '.join(full)}.")
    add("")
    return "\n".join(lines)


def main() -> None:
    w = SeedBuilder().build()
    lists = ListsBuilder(w).build()
    exp = expected(w, lists)
    check(w.ds, exp)
    write_folder(w.ds, SEED_DIR)
    back = read(SEED_DIR)
    check(back, exp)  # what the CSV files say, read the way the app reads them
    (SEED_DIR / "expected_gaps.json").write_text(gaps_json(exp), encoding="utf-8")
    (SEED_DIR / "README.md").write_text(readme(w, lists, exp), encoding="utf-8")
    print(json.dumps({k: len(v) if isinstance(v, list) else v for k, v in exp.items()}, ensure_ascii=False))
    print(w.ds.counts())


if __name__ == "__main__":
    main()
