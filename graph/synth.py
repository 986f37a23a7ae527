"""Synthetic pairing graphs at four scales, for benchmarks, load tests and demos.

`generate(scale, seed)` returns a `Dataset` shaped on the scales in docs/domain.md
("Scales"): counties of about 300 villages in townships of 15–25, about 20% strong and
20% weak villages, city communities, enterprises and organisations near the county seats,
and stationed cadres in work teams. The same scale and seed always give an equal Dataset.

Columns are drawn with numpy and turned into row dicts only at the end: at nation scale
(500,000 villages, 1,000,000 cadres) per-row Python sampling would be far too slow.
Dates are kept as proleptic ordinals (`date.toordinal()`, 0 meaning "none") until then.

Everything is relative to `REFERENCE_DATE`: links active on it have `until` empty or in
the future; about 15% of weak villages have no active support on it (some of them only
ended links), and some pairings have no activity in the year before it.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from graph import names
from graph.dataset import Dataset, Row
from graph.model import ITEM_KIND, NODE_BY_LABEL, ORG_TYPES, REL_BY_TYPE, TIERS, UNIT_LABELS, WEAK_REASONS

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

REFERENCE_DATE = date(2026, 11, 1)
# Mainland China, roughly: generated coordinates stay inside this box.
LAT_RANGE = (22.0, 45.0)
LON_RANGE = (98.0, 122.0)


@dataclass(frozen=True)
class Scale:
    counties: int
    villages: int
    units: int
    cadres: int
    # 地级市 (prefecture-level cities) the counties are grouped in, neighbours together.
    cities: int = 1


# Sizes from docs/domain.md "Scales"; counties of ~300 villages (Jiangxia: 327) in the county and city scales.
# A real province has about 16 cities and 100-150 counties (Shandong: 16 and 136), so the province's counties
# are larger (~570 villages); the nation's 333 cities are China's prefecture-level divisions.
SCALES: dict[str, Scale] = {
    "county": Scale(1, 300, 100, 300),
    "city": Scale(10, 3_000, 1_000, 3_000),
    "province": Scale(140, 80_000, 10_000, 110_000, cities=16),
    "nation": Scale(1_667, 500_000, 100_000, 1_000_000, cities=333),
}

# Village tiers (strong, ordinary, weak): DOMAIN's "about 20% strong, 20% weak".
TIER_P = (0.2, 0.6, 0.2)
# Unit labels (CityCommunity, Enterprise, Organisation) among a county's strong units.
UNIT_SPLIT = (0.3, 0.35, 0.35)
# Share of weak villages with no active support on the reference date.
UNCOVERED_SHARE = 0.15
# Chance of each kind of support for a covered weak village (at least one is forced).
SUPPORT_P = {"pairing": 0.6, "station": 0.5, "lead": 0.25, "fusion": 0.08}
# Active pairings fill this share of a county's unit capacity (some units end up idle).
PAIRING_LOAD = 0.78
# Share of units given one or two pairings beyond their capacity.
OVERLOAD_SHARE = 0.05
# Share of cadres whose station term has ended (earlier batches).
FORMER_CADRE_SHARE = 0.12
# Mean stationed cadres per work team (Shandong: 110,000 cadres in 20,000 teams).
TEAM_SIZE = 5.5
# How often the sender of a cadre is a community, an enterprise or an organisation (seed 004:
# cadres mostly come from district organs and public institutions).
SENDER_P = (0.15, 0.2, 0.65)
CAPACITY_P = (0.25, 0.3, 0.25, 0.12, 0.08)  # capacities 1..5
MISMATCH_SHARE = 0.02  # party organisations whose setting breaks the seed-001 rule

# Active pairings with a practical project recorded in the year before the reference date.
ACTIVITY_SHARE = 0.7
# Needs of weak villages that some unit of the county has claimed.
CLAIMED_SHARE = 0.65
ACTIVITY_TITLES = ("修缮村级活动场所", "开展主题党日活动", "农技培训", "采购农产品", "慰问困难群众", "修建产业路")
# One need and one resource item per ITEM_KIND code, in its order.
NEED_ITEMS = (
    "发展特色种植",
    "硬化村组道路",
    "资助困难学生",
    "开展义诊",
    "提供就业岗位",
    "农技人才帮带",
    "建设文化广场",
    "规范村务管理",
    "拓宽农产品销路",
    "筹集产业资金",
)
RESOURCE_ITEMS = (
    "产业项目指导",
    "工程施工力量",
    "教育助学资源",
    "医疗专家义诊",
    "企业用工岗位",
    "专业技术人员",
    "文化活动资源",
    "党建指导",
    "消费帮扶渠道",
    "帮扶资金",
)
_D = date.toordinal
_REF = _D(REFERENCE_DATE)


def _year(y: int, m: int = 1, d: int = 1) -> int:
    return _D(date(y, m, d))


# ---------------------------------------------------------------------------- helpers


def _group_pick(rng: np.random.Generator, pool: IntArray, pool_group: IntArray, want_group: IntArray) -> IntArray:
    """For each wanted group, a random member of `pool` in that group, or -1 if it has none.

    `pool_group` must be sorted ascending (pool members grouped), which holds for indices
    taken from arrays generated county by county.
    """
    lo = np.searchsorted(pool_group, want_group, side="left")
    hi = np.searchsorted(pool_group, want_group, side="right")
    count = hi - lo
    pick = lo + np.floor(rng.random(len(want_group)) * np.maximum(count, 1)).astype(np.int64)
    out = np.full(len(want_group), -1, dtype=np.int64)
    ok = count > 0
    out[ok] = pool[pick[ok]]
    return out


def word_masks(
    rng: np.random.Generator, n: int, vocab: Sequence[str], pool: Sequence[str], draws: IntArray
) -> IntArray:
    """Bit masks over `vocab`: each row ORs in `draws[i]` random words of `pool` (repeats collapse)."""
    bits = np.array([1 << vocab.index(w) for w in pool], dtype=np.int64)
    mask = np.zeros(n, dtype=np.int64)
    for k in range(int(draws.max(initial=0))):
        take = draws > k
        mask[take] |= bits[rng.integers(len(pool), size=int(take.sum()))]
    return mask


def word_lists(mask: IntArray, vocab: Sequence[str]) -> list[list[str]]:
    """Bit masks to word lists in vocabulary order; each row gets its own list object.

    No words is [] (not None), as the interchange reader gives for an empty list cell, so
    that write → read returns an equal Dataset.
    """
    uniq, inv = np.unique(mask, return_inverse=True)
    words = [tuple(w for i, w in enumerate(vocab) if m >> i & 1) for m in uniq.tolist()]
    return [list(words[i]) for i in inv.tolist()]


def _dates(ordinals: IntArray) -> list[date | None]:
    uniq, inv = np.unique(ordinals, return_inverse=True)
    objs = [date.fromordinal(o) if o > 0 else None for o in uniq.tolist()]
    return [objs[i] for i in inv.tolist()]


def _ids(prefix: str, n: int, width: int = 6) -> list[str]:
    width = max(width, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _round(a: FloatArray, digits: int) -> list[float]:
    return [float(x) for x in np.round(a, digits).tolist()]


@functools.cache
def _row_maker(keys: tuple[str, ...]) -> Callable[..., Row]:
    """A function building one row dict with `keys` from positional values.

    A dict display with constant keys runs about twice as fast as dict(zip(keys, values)), and
    row building is most of the time at province and nation scale. The keys are property names
    from graph.model, written with repr, so the generated source is always well-formed.
    """
    args = ", ".join(f"a{i}" for i in range(len(keys)))
    body = ", ".join(f"{k!r}: a{i}" for i, k in enumerate(keys))
    made: Callable[..., Row] = eval(f"lambda {args}: {{{body}}}")
    return made


def _rows(columns: dict[str, list[Any]], keys: Sequence[str], n: int) -> list[Row]:
    """Row dicts with exactly `keys`, in that order; absent columns are None."""
    cols = [columns.get(k, [None] * n) for k in keys]
    assert all(len(c) == n for c in cols), "columns of unequal length"
    return list(map(_row_maker(tuple(keys)), *cols))


def org_type_for(members: IntArray) -> IntArray:
    """Index into ORG_TYPES that seed 001 prescribes: >100 committee, 50–100 general branch, else branch."""
    return np.where(members > 100, 0, np.where(members >= 50, 1, 2)).astype(np.int64)


def _org_settings(rng: np.random.Generator, members: IntArray, share: float) -> tuple[list[str], list[int]]:
    """Party organisation type and leadership size, a `share` of them breaking the seed-001 rule."""
    n = len(members)
    kind = org_type_for(members)
    # An organisation that outgrew its setting is the usual mismatch (seed 001: 150 members, no 党委).
    wrong = rng.random(n) < share
    kind[wrong] = np.minimum(kind[wrong] + 1, 2)
    small_big = wrong & (kind == org_type_for(members))  # a branch cannot be set lower: set it higher
    kind[small_big] = 1
    lead = rng.integers(3, 8, size=n)
    thin = (rng.random(n) < share) & (members >= 3)
    lead[thin] = rng.integers(1, 3, size=int(thin.sum()))
    return [ORG_TYPES[k] for k in kind.tolist()], lead.tolist()


def _disk(rng: np.random.Generator, n: int, radius: float) -> tuple[FloatArray, FloatArray]:
    r = radius * np.sqrt(rng.random(n))
    t = rng.random(n) * 2 * np.pi
    return r * np.cos(t), r * np.sin(t)


def _clip_coords(lat: FloatArray, lon: FloatArray) -> tuple[list[float], list[float]]:
    return _round(np.clip(lat, *LAT_RANGE), 5), _round(np.clip(lon, *LON_RANGE), 5)


def draw_names(rng: np.random.Generator, heads: Sequence[str], tails: Sequence[str], n: int, suffix: str) -> list[str]:
    """`n` distinct names head + tail + suffix (distinct within one call, i.e. one county)."""
    pick = rng.choice(len(heads) * len(tails), size=n, replace=False)
    return [heads[p // len(tails)] + tails[p % len(tails)] + suffix for p in pick.tolist()]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """`n` Chinese personal names: a surname and one or two given characters (a third have one)."""
    # The commonest surnames (王, 李, 张 ...) come first in the list: weight by rank.
    w = 1.0 / np.arange(1, len(names.SURNAMES) + 1) ** 0.8
    sur = rng.choice(len(names.SURNAMES), size=n, p=w / w.sum())
    g1 = rng.integers(len(names.GIVEN_CHARS), size=n)
    g2 = rng.integers(-len(names.GIVEN_CHARS) // 2, len(names.GIVEN_CHARS), size=n)  # < 0: no second character
    family, given = names.SURNAMES, names.GIVEN_CHARS
    return [
        family[s] + given[a] + (given[b] if b >= 0 else "")
        for s, a, b in zip(sur.tolist(), g1.tolist(), g2.tolist(), strict=True)
    ]


# ---------------------------------------------------------------------------- generator


@dataclass
class _Geo:
    county_name: list[str]
    county_city: list[str]  # the 地级市 of each county
    seat_lat: FloatArray
    seat_lon: FloatArray
    seat_town: list[list[str]]  # sub-districts (街道) of each county seat
    town_name: list[str]
    town_county: IntArray
    town_lat: FloatArray
    town_lon: FloatArray


@dataclass
class _Villages:
    county: IntArray
    town: IntArray
    tier: IntArray  # index into TIERS
    ids: list[str]


@dataclass
class _Units:
    label: IntArray  # index into UNIT_LABELS
    county: IntArray
    capacity: IntArray
    party_org: BoolArray  # enterprises with a party organisation (may fuse with a village)
    ids: list[str]


class _Generator:
    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = np.random.default_rng(seed)
        # Cities come from a stream of their own: adding the level left every other draw as it was.
        self.city_rng = np.random.default_rng([seed, 1])
        self.data = Dataset()

    # -- geography
    def geography(self) -> _Geo:
        rng, n = self.rng, self.scale.counties
        # A region whose area grows with the number of counties (a county is ~0.45° across),
        # counties on a jittered grid inside it.
        side = max(0.6, np.sqrt(n) * 0.45)
        c_lat = rng.uniform(LAT_RANGE[0] + side / 2, max(LAT_RANGE[0] + side / 2, LAT_RANGE[1] - side / 2))
        c_lon = rng.uniform(LON_RANGE[0] + side / 2, max(LON_RANGE[0] + side / 2, LON_RANGE[1] - side / 2))
        g = int(np.ceil(np.sqrt(n)))
        cells = rng.permutation(g * g)[:n]
        cell = side / g
        seat_lat = c_lat - side / 2 + (cells // g + 0.5 + rng.uniform(-0.3, 0.3, n)) * cell
        seat_lon = c_lon - side / 2 + (cells % g + 0.5 + rng.uniform(-0.3, 0.3, n)) * cell
        county_name = draw_names(rng, names.COUNTY_HEADS, names.COUNTY_TAILS, n, "县")
        seat_town = []
        for _ in range(n):
            k = int(rng.integers(2, 4))
            stems = rng.choice(len(names.SUBDISTRICT_STEMS), size=k, replace=False)
            seat_town.append([names.SUBDISTRICT_STEMS[s] + "街道" for s in stems.tolist()])
        county_city = self.cities(seat_lat, seat_lon)
        return _Geo(
            county_name,
            county_city,
            seat_lat,
            seat_lon,
            seat_town,
            [],
            np.zeros(0, np.int64),
            np.zeros(0),
            np.zeros(0),
        )

    def cities(self, seat_lat: FloatArray, seat_lon: FloatArray) -> list[str]:
        """The city of each county: counties cut into bands north to south, each band west to east into
        runs of neighbours, so that a city is a patch of the map and its counties number about alike."""
        n, m = self.scale.counties, min(self.scale.cities, self.scale.counties)
        city_name = draw_names(self.city_rng, names.COUNTY_HEADS, names.COUNTY_TAILS, m, "市")
        bands = max(1, round(float(np.sqrt(m))))
        by_lat = np.argsort(-seat_lat, kind="stable")
        city = np.zeros(n, dtype=np.int64)
        first = 0
        for b, band in enumerate(np.array_split(by_lat, bands)):
            # Cities per band in proportion, so that the m cities are all used.
            k = (m * (b + 1)) // bands - (m * b) // bands
            row = band[np.argsort(seat_lon[band], kind="stable")]
            for j, part in enumerate(np.array_split(row, k)):
                city[part] = first + j
            first += k
        return [city_name[c] for c in city.tolist()]

    def village_counts(self) -> tuple[IntArray, list[IntArray]]:
        """Villages per county (about scale.villages in all) and per township within each county."""
        rng, s = self.rng, self.scale
        per = s.villages / s.counties
        counts = np.maximum(15, np.round(per * rng.uniform(0.9, 1.1, s.counties))).astype(np.int64)
        towns = []
        for c in counts.tolist():
            k = max(1, round(c / 20))
            sizes = np.floor(rng.dirichlet(np.full(k, 40.0)) * c).astype(np.int64)
            sizes[: c - int(sizes.sum())] += 1
            towns.append(rng.permutation(sizes))
        return counts, towns

    def villages(self, geo: _Geo) -> _Villages:
        rng = self.rng
        counts, town_sizes = self.village_counts()
        n_counties = len(counts)
        town_name: list[str] = []
        town_county: list[int] = []
        village_name: list[str] = []
        for c in range(n_counties):
            sizes = town_sizes[c]
            k = len(sizes)
            tn = draw_names(rng, names.TOWNSHIP_HEADS, names.TOWNSHIP_TAILS, k, "")
            # About one township in six is a 乡 (smaller, more remote), the rest 镇.
            town_name += [t + ("乡" if rng.random() < 0.17 else "镇") for t in tn]
            town_county += [c] * k
            village_name += draw_names(rng, names.VILLAGE_HEADS, names.VILLAGE_TAILS, int(sizes.sum()), "村")
        n_towns = len(town_name)
        tc = np.array(town_county, dtype=np.int64)
        dx, dy = _disk(rng, n_towns, 0.2)
        geo.town_name, geo.town_county = town_name, tc
        geo.town_lat, geo.town_lon = geo.seat_lat[tc] + dx, geo.seat_lon[tc] + dy
        town_of = np.repeat(np.arange(n_towns), np.concatenate(town_sizes))
        county = tc[town_of]
        n = len(town_of)

        tier = rng.choice(3, size=n, p=TIER_P)
        weak, strong = tier == 2, tier == 0
        # Weak reasons: one main reason (economy most often, venue least), sometimes one or two more.
        reason_mask = np.zeros(n, dtype=np.int64)
        main = rng.choice(4, size=n, p=(0.4, 0.25, 0.2, 0.15))
        reason_mask[weak] = 1 << main[weak]
        for r in range(4):
            reason_mask[weak & (rng.random(n) < 0.18)] |= 1 << r
        population = np.round(np.exp(rng.normal(7.5, 0.45, n))).astype(np.int64)
        share = rng.uniform(0.025, 0.05, n) * np.where(weak, 0.8, 1.0)
        members = np.maximum(5, np.round(population * share)).astype(np.int64)
        income = np.select(
            [strong, weak],
            [rng.uniform(50, 500, n), rng.uniform(0, 5, n)],
            rng.uniform(5, 50, n),
        )
        # Industries: each county favours four; villages mostly follow their county.
        fav = np.array([rng.choice(len(names.INDUSTRIES), size=4, replace=False) for _ in range(n_counties)])
        ind_bits = np.zeros(n, dtype=np.int64)
        own = rng.random(n) < 0.75
        first = np.where(own, fav[county, rng.integers(4, size=n)], rng.integers(len(names.INDUSTRIES), size=n))
        ind_bits |= 1 << first
        second = rng.random(n) < 0.5
        ind_bits[second] |= 1 << fav[county[second], rng.integers(4, size=int(second.sum()))]
        third = rng.random(n) < 0.15
        ind_bits[third] |= 1 << rng.integers(len(names.INDUSTRIES), size=int(third.sum()))
        needs = self.village_needs(tier, reason_mask)

        org_type, leadership = _org_settings(rng, members, MISMATCH_SHARE)
        lat, lon = _clip_coords(
            geo.town_lat[town_of] + rng.normal(0, 0.025, n), geo.town_lon[town_of] + rng.normal(0, 0.025, n)
        )
        ids = _ids("V", n)
        cols: dict[str, list[Any]] = {
            "id": ids,
            "name": village_name,
            "city": [geo.county_city[c] for c in county.tolist()],
            "county": [geo.county_name[c] for c in county.tolist()],
            "township": [town_name[t] for t in town_of.tolist()],
            "tier": [TIERS[t] for t in tier.tolist()],
            "weak_reasons": word_lists(reason_mask, WEAK_REASONS),
            "population": population.tolist(),
            "party_members": members.tolist(),
            "party_org_type": org_type,
            "leadership_size": leadership,
            "collective_income": _round(income, 1),
            "industries": word_lists(ind_bits, names.INDUSTRIES),
            "needs": word_lists(needs, names.SUPPORT),
            "lat": lat,
            "lon": lon,
        }
        self.data.nodes["Village"] = _rows(cols, [p.name for p in NODE_BY_LABEL["Village"].stored], n)
        return _Villages(county, town_of, tier, ids)

    def village_needs(self, tier: IntArray, reason_mask: IntArray) -> IntArray:
        rng, n, vocab = self.rng, len(tier), names.SUPPORT
        needs = np.zeros(n, dtype=np.int64)
        for r, reason in enumerate(WEAK_REASONS):
            has = (reason_mask >> r & 1).astype(bool)
            needs[has] |= word_masks(
                rng, int(has.sum()), vocab, names.NEEDS_BY_REASON[reason], rng.integers(1, 3, int(has.sum()))
            )
        ordinary = tier == 1
        needs[ordinary] |= word_masks(
            rng, int(ordinary.sum()), vocab, names.ORDINARY_NEEDS, rng.integers(1, 3, int(ordinary.sum()))
        )
        weak = tier == 2
        needs[weak] |= word_masks(
            rng, int(weak.sum()), vocab, vocab, (rng.random(int(weak.sum())) < 0.3).astype(np.int64)
        )
        strong = tier == 0
        needs[strong] |= word_masks(
            rng, int(strong.sum()), vocab, names.STRONG_NEEDS, rng.integers(0, 2, int(strong.sum()))
        )
        return needs

    # -- units
    def units(self, geo: _Geo) -> _Units:
        rng, s = self.rng, self.scale
        per = s.units / s.counties
        totals = np.maximum(3, np.round(per * rng.uniform(0.85, 1.15, s.counties))).astype(np.int64)
        by_label: list[dict[str, list[Any]]] = [{} for _ in UNIT_LABELS]
        county_of: list[list[int]] = [[], [], []]
        for c, total in enumerate(totals.tolist()):
            n_comm = max(1, round(total * UNIT_SPLIT[0]))
            n_ent = max(2, round(total * UNIT_SPLIT[1]))
            n_org = max(1, total - n_comm - n_ent)
            for lab, k, fn in (
                (0, n_comm, self._communities),
                (1, n_ent, self._enterprises),
                (2, n_org, self._organisations),
            ):
                for key, vals in fn(geo, c, k).items():
                    by_label[lab].setdefault(key, []).extend(vals)
                county_of[lab] += [c] * k
        label_parts, county_parts, cap_parts, org_parts, id_parts = [], [], [], [], []
        for lab, label in enumerate(UNIT_LABELS):
            cols = by_label[lab]
            n = len(county_of[lab])
            cols["id"] = _ids("CEO"[lab], n)
            cap = rng.choice(5, size=n, p=CAPACITY_P) + 1
            cols["capacity"] = cap.tolist()
            spec = NODE_BY_LABEL[label]
            self.data.nodes[label] = _rows(cols, [p.name for p in spec.stored], n)
            label_parts.append(np.full(n, lab))
            county_parts.append(np.array(county_of[lab], dtype=np.int64))
            cap_parts.append(cap)
            org_parts.append(np.array(cols.get("has_party_org", [False] * n), dtype=bool))
            id_parts += cols["id"]
        return _Units(
            np.concatenate(label_parts),
            np.concatenate(county_parts),
            np.concatenate(cap_parts).astype(np.int64),
            np.concatenate(org_parts),
            id_parts,
        )

    def _place(self, geo: _Geo, c: int, k: int, spread: float) -> tuple[list[float], list[float]]:
        return _clip_coords(
            geo.seat_lat[c] + self.rng.normal(0, spread, k), geo.seat_lon[c] + self.rng.normal(0, spread, k)
        )

    def _communities(self, geo: _Geo, c: int, k: int) -> dict[str, list[Any]]:
        rng = self.rng
        stems = rng.choice(len(names.COMMUNITY_STEMS), size=min(k, len(names.COMMUNITY_STEMS)), replace=False)
        nm = [names.COMMUNITY_STEMS[i] + "社区" for i in stems.tolist()]
        nm += [f"{nm[i % len(nm)][:-2]}第{i // len(nm) + 2}社区" for i in range(k - len(nm))]
        members = rng.integers(30, 320, size=k)
        org_type, leadership = _org_settings(rng, members, MISMATCH_SHARE * 2)
        lat, lon = self._place(geo, c, k, 0.02)
        return {
            "name": nm,
            "city": [geo.county_city[c]] * k,
            "county": [geo.county_name[c]] * k,
            "township": [geo.seat_town[c][i] for i in rng.integers(len(geo.seat_town[c]), size=k).tolist()],
            "party_members": members.tolist(),
            "party_org_type": org_type,
            "leadership_size": leadership,
            "resources": word_lists(
                word_masks(rng, k, names.SUPPORT, names.COMMUNITY_RESOURCES, rng.integers(2, 4, k)), names.SUPPORT
            ),
            "lat": lat,
            "lon": lon,
        }

    def _enterprises(self, geo: _Geo, c: int, k: int) -> dict[str, list[Any]]:
        rng = self.rng
        brands = rng.choice(len(names.ENTERPRISE_BRANDS), size=min(k, len(names.ENTERPRISE_BRANDS)), replace=False)
        trades = names.INDUSTRIES + names.OTHER_TRADES
        trade = np.where(
            rng.random(k) < 0.8,
            rng.integers(len(names.INDUSTRIES), size=k),
            len(names.INDUSTRIES) + rng.integers(4, size=k),
        )
        size = rng.choice(4, size=k, p=(0.05, 0.2, 0.5, 0.25))
        size[:2] = np.minimum(size[:2], 1)  # every county has a couple of larger firms to lead 村企融合
        employees = np.round(np.exp(rng.normal(np.array((7.0, 5.3, 3.8, 2.3))[size], 0.3))).astype(np.int64)
        has_org = np.where(size <= 1, True, rng.random(k) < np.where(size == 2, 0.6, 0.3))
        member_hi = np.array((300, 80, 30, 10))[size]
        members = np.where(has_org, rng.integers(3, np.maximum(member_hi, 4)), rng.integers(0, 3, size=k))
        stem = geo.county_name[c][:2]
        nm = [
            f"{stem}{names.ENTERPRISE_BRANDS[b]}{names.TRADE_WORDS[trades[t]]}有限公司"
            for b, t in zip(np.resize(brands, k).tolist(), trade.tolist(), strict=True)
        ]
        # Names must stay distinct when brands run out (k > 60 only at unusual sizes).
        nm = (
            [n if n not in nm[:i] else n.replace("有限公司", f"{i}号有限公司") for i, n in enumerate(nm)]
            if k > len(brands)
            else nm
        )
        # Rural trades sit out in the townships near their villages, the rest near the seat.
        rural = trade < len(names.INDUSTRIES)
        lat, lon = self._place(geo, c, k, 0.02)
        towns = np.flatnonzero(geo.town_county == c)
        tpick = towns[rng.integers(len(towns), size=k)]
        out_lat, out_lon = _clip_coords(
            geo.town_lat[tpick] + rng.normal(0, 0.02, k), geo.town_lon[tpick] + rng.normal(0, 0.02, k)
        )
        out_rural = rural & (rng.random(k) < 0.4)
        seat_town = [geo.seat_town[c][i] for i in rng.integers(len(geo.seat_town[c]), size=k).tolist()]
        res = word_masks(rng, k, names.SUPPORT, names.ENTERPRISE_RESOURCES, rng.integers(2, 4, k))
        return {
            "name": nm,
            "city": [geo.county_city[c]] * k,
            "county": [geo.county_name[c]] * k,
            "township": [
                geo.town_name[t] if o else s
                for t, o, s in zip(tpick.tolist(), out_rural.tolist(), seat_town, strict=True)
            ],
            "industry": [trades[t] for t in trade.tolist()],
            "size": [("large", "medium", "small", "micro")[s] for s in size.tolist()],
            "employees": employees.tolist(),
            "has_party_org": has_org.tolist(),
            "party_members": members.tolist(),
            "resources": word_lists(res, names.SUPPORT),
            "lat": [a if o else b for a, b, o in zip(out_lat, lat, out_rural.tolist(), strict=True)],
            "lon": [a if o else b for a, b, o in zip(out_lon, lon, out_rural.tolist(), strict=True)],
        }

    def _organisations(self, geo: _Geo, c: int, k: int) -> dict[str, list[Any]]:
        rng = self.rng
        towns = np.flatnonzero(geo.town_county == c).tolist()
        county_name = geo.county_name[c]
        # Candidates: every county organ, and a clinic, school and service centre per township.
        pool: list[tuple[str, str, str, tuple[str, ...], int]] = [
            (county_name + suffix, kind, "county", res, -1) for suffix, kind, res in names.ORGANISATIONS
        ]
        pool += [
            (geo.town_name[t] + sfx, kind, "township", res, t)
            for t in towns
            for sfx, kind, res in names.TOWNSHIP_ORGANISATIONS
        ]
        weight = np.array([3.0 if p[2] == "county" else 1.0 for p in pool])
        chosen = rng.choice(len(pool), size=min(k, len(pool)), replace=False, p=weight / weight.sum()).tolist()
        chosen += rng.choice(len(pool), size=k - len(chosen)).tolist()  # only if a county is tiny
        picked = [pool[i] for i in chosen]
        lat, lon = self._place(geo, c, k, 0.015)
        seat_town = [geo.seat_town[c][i] for i in rng.integers(len(geo.seat_town[c]), size=k).tolist()]
        res_mask = np.zeros(k, dtype=np.int64)
        for i, p in enumerate(picked):
            for w in p[3]:
                res_mask[i] |= 1 << names.SUPPORT.index(w)
        res_mask |= word_masks(
            rng, k, names.SUPPORT, ("党建指导", "资金", "人才"), (rng.random(k) < 0.3).astype(np.int64)
        )
        for i, p in enumerate(picked):
            if p[4] >= 0:  # township organs sit in their township
                lat[i] = round(float(geo.town_lat[p[4]] + rng.normal(0, 0.004)), 5)
                lon[i] = round(float(geo.town_lon[p[4]] + rng.normal(0, 0.004)), 5)
        nm = [p[0] for p in picked]
        nm = [n if n not in nm[:i] else f"{n}（{i}）" for i, n in enumerate(nm)]
        return {
            "name": nm,
            "kind": [p[1] for p in picked],
            "level": [p[2] for p in picked],
            "city": [geo.county_city[c]] * k,
            "county": [county_name] * k,
            "township": [geo.town_name[p[4]] if p[4] >= 0 else s for p, s in zip(picked, seat_town, strict=True)],
            "party_members": np.where(
                np.array([p[2] == "county" for p in picked]), rng.integers(20, 260, size=k), rng.integers(8, 60, size=k)
            ).tolist(),
            "resources": word_lists(res_mask, names.SUPPORT),
            "lat": lat,
            "lon": lon,
        }

    # -- links
    def coverage_plan(self, v: _Villages) -> dict[str, IntArray]:
        """Which weak villages get which kind of active support; about 15% get none."""
        rng = self.rng
        weak = np.flatnonzero(v.tier == 2)
        covered = weak[rng.random(len(weak)) >= UNCOVERED_SHARE]
        n = len(covered)
        draws = {k: rng.random(n) < p for k, p in SUPPORT_P.items()}
        none = ~np.any(np.stack(list(draws.values())), axis=0) if n else np.zeros(0, bool)
        forced = rng.choice(len(SUPPORT_P), size=n, p=np.array(list(SUPPORT_P.values())) / sum(SUPPORT_P.values()))
        for i, k in enumerate(SUPPORT_P):
            draws[k] |= none & (forced == i)
        return {k: covered[m] for k, m in draws.items()}

    def pairings(self, v: _Villages, u: _Units, targets: IntArray) -> None:
        rng = self.rng
        n_c = len(v.ids)
        # Some weak villages have two partners.
        weak_t = np.concatenate([targets, targets[rng.random(len(targets)) < 0.15]])
        ordinary = np.flatnonzero(v.tier == 1)
        weak_by_c = np.bincount(v.county[weak_t], minlength=self.scale.counties)
        cap_by_c = np.bincount(u.county, weights=u.capacity, minlength=self.scale.counties)
        fill = np.maximum(0, np.round(cap_by_c * PAIRING_LOAD) - weak_by_c).astype(np.int64)
        unit_order = np.argsort(u.county, kind="stable")
        u_lo = np.searchsorted(u.county[unit_order], np.arange(self.scale.counties))
        u_hi = np.searchsorted(u.county[unit_order], np.arange(self.scale.counties), side="right")
        o_lo = np.searchsorted(v.county[ordinary], np.arange(self.scale.counties))
        o_hi = np.searchsorted(v.county[ordinary], np.arange(self.scale.counties), side="right")
        wt_sorted = weak_t[np.argsort(v.county[weak_t], kind="stable")]
        w_lo = np.searchsorted(v.county[wt_sorted], np.arange(self.scale.counties))
        w_hi = np.searchsorted(v.county[wt_sorted], np.arange(self.scale.counties), side="right")
        src_parts, dst_parts = [], []
        for c in range(self.scale.counties):
            units_c = unit_order[u_lo[c] : u_hi[c]]
            ords = ordinary[o_lo[c] : o_hi[c]]
            extra = rng.choice(ords, size=min(int(fill[c]), len(ords)), replace=False)
            tg = rng.permutation(np.concatenate([wt_sorted[w_lo[c] : w_hi[c]], extra]))
            # Fill the units' slots in random order; beyond capacity, spill onto random units.
            slots = rng.permutation(np.repeat(units_c, u.capacity[units_c]))
            if len(tg) > len(slots):
                slots = np.concatenate([slots, rng.choice(units_c, size=len(tg) - len(slots))])
            src_parts.append(slots[: len(tg)])
            dst_parts.append(tg)
        src = np.concatenate(src_parts)
        dst = np.concatenate(dst_parts)
        # A few units take on more than they can carry.
        over = np.flatnonzero(rng.random(len(u.ids)) < OVERLOAD_SHARE)
        over = np.repeat(over, rng.integers(u.capacity[over] + 1, u.capacity[over] + 3))
        # Onto ordinary villages: a weak village meant to be uncovered must stay so.
        over_dst = _group_pick(rng, ordinary, v.county[ordinary], u.county[over])
        ok = over_dst >= 0
        src = np.concatenate([src, over[ok]])
        dst = np.concatenate([dst, over_dst[ok]])
        _, first = np.unique(src * n_c + dst, return_index=True)  # one active pairing per unit-village pair
        keep = np.sort(first)
        src, dst = src[keep], dst[keep]
        n = len(src)
        since = rng.integers(_year(2019), _REF - 30, size=n)
        until = np.where(rng.random(n) < 0.12, rng.integers(_year(2031), _year(2034), size=n), 0)
        # Last activity: mostly within the year, some paper pairings (older), a few never recorded.
        r = rng.random(n)
        recent = _REF - rng.integers(0, 360, size=n)
        stale = _REF - rng.integers(366, 1000, size=n)
        last = np.where(r < 0.8, recent, np.where(r < 0.95, stale, 0))
        last = np.where(last > 0, np.maximum(last, since), 0)
        # History: earlier terms of the same pairs (renewals) and pairings that simply ended.
        renew = np.flatnonzero(rng.random(n) < 0.1)
        r_until = since[renew] - 1
        r_since = r_until - rng.integers(365, 3 * 365, size=len(renew))
        h = int(n * 0.2)
        h_src = rng.integers(len(u.ids), size=h)
        h_dst = _group_pick(rng, np.arange(n_c), v.county, u.county[h_src])
        h_since = rng.integers(_year(2015), _year(2023), size=h)
        h_until = np.minimum(h_since + rng.integers(365, 4 * 365, size=h), _REF - 1 - rng.integers(0, 300, size=h))
        all_src = np.concatenate([src, src[renew], h_src])
        all_dst = np.concatenate([dst, dst[renew], h_dst])
        all_since = np.concatenate([since, r_since, h_since])
        all_until = np.concatenate([until, r_until, h_until])
        ended = len(renew) + h
        e_last = np.where(rng.random(ended) < 0.9, all_until[n:] - rng.integers(0, 200, size=ended), 0)
        all_last = np.concatenate([last, np.where(e_last > 0, np.maximum(e_last, all_since[n:]), 0)])
        m = len(all_src)
        years = np.maximum(1, (np.where(all_until > 0, np.minimum(all_until, _REF), _REF) - all_since) // 365)
        cols = {
            "src": [u.ids[i] for i in all_src.tolist()],
            "src_label": [UNIT_LABELS[lab] for lab in u.label[all_src].tolist()],
            "dst": [v.ids[i] for i in all_dst.tolist()],
            "dst_label": ["Village"] * m,
            "since": _dates(all_since),
            "until": _dates(all_until),
            "form": [
                ("assigned", "voluntary", "chosen")[f] for f in rng.choice(3, size=m, p=(0.6, 0.25, 0.15)).tolist()
            ],
            "funds": _round(np.exp(rng.normal(2.3, 0.8, m)), 1),
            "projects": rng.poisson(1.2 * years).tolist(),
            "last_activity": _dates(all_last),
        }
        self.data.links["PAIRED_WITH"] = _rows(cols, link_keys("PAIRED_WITH"), m)

    def leads(self, v: _Villages, targets: IntArray) -> None:
        rng = self.rng
        n_v = len(v.ids)
        strong = np.flatnonzero(v.tier == 0)
        nonweak = np.flatnonzero(v.tier != 2)
        weak = np.flatnonzero(v.tier == 2)
        ordinary = np.flatnonzero(v.tier == 1)
        # 村村联建 among ordinary villages too; and a few weak villages "led" by another weak one,
        # which gives them no support (DESIGN: only a non-weak leader counts).
        led_ord = ordinary[rng.random(len(ordinary)) < 0.08]
        dst = np.concatenate([targets, led_ord])
        src = _group_pick(rng, strong, v.town[strong], v.town[dst])
        miss = src < 0
        src[miss] = _group_pick(rng, strong, v.county[strong], v.county[dst[miss]])
        miss = src < 0
        src[miss] = _group_pick(rng, nonweak, v.county[nonweak], v.county[dst[miss]])
        weak_led = weak[rng.random(len(weak)) < 0.02]
        weak_src = _group_pick(rng, weak, v.town[weak], v.town[weak_led])
        src = np.concatenate([src, weak_src])
        dst = np.concatenate([dst, weak_led])
        ok = (src >= 0) & (src != dst)
        src, dst = src[ok], dst[ok]
        n = len(src)
        since = rng.integers(_year(2019), _REF - 30, size=n)
        until = np.zeros(n, dtype=np.int64)
        # Ended alliances, from strong villages to villages of their township.
        h = max(1, n // 10)
        h_dst = rng.integers(n_v, size=h)
        h_src = _group_pick(rng, strong, v.town[strong], v.town[h_dst])
        ok = (h_src >= 0) & (h_src != h_dst)
        h_src, h_dst = h_src[ok], h_dst[ok]
        h_since = rng.integers(_year(2015), _year(2022), size=len(h_src))
        h_until = np.minimum(h_since + rng.integers(365, 5 * 365, size=len(h_src)), _REF - 1)
        src = np.concatenate([src, h_src])
        dst = np.concatenate([dst, h_dst])
        m = len(src)
        cols = {
            "src": [v.ids[i] for i in src.tolist()],
            "src_label": ["Village"] * m,
            "dst": [v.ids[i] for i in dst.tolist()],
            "dst_label": ["Village"] * m,
            "since": _dates(np.concatenate([since, h_since])),
            "until": _dates(np.concatenate([until, h_until])),
            "mode": [names.LEAD_MODES[i] for i in rng.integers(len(names.LEAD_MODES), size=m).tolist()],
        }
        self.data.links["LEADS"] = _rows(cols, link_keys("LEADS"), m)

    def fusions(self, v: _Villages, u: _Units, targets: IntArray) -> None:
        rng = self.rng
        ordinary = np.flatnonzero(v.tier == 1)
        dst = np.concatenate([targets, ordinary[rng.random(len(ordinary)) < 0.03]])
        with_org = np.flatnonzero((u.label == 1) & u.party_org)
        ents = np.flatnonzero(u.label == 1)
        src = _group_pick(rng, with_org, u.county[with_org], v.county[dst])
        miss = src < 0
        src[miss] = _group_pick(rng, ents, u.county[ents], v.county[dst[miss]])
        ok = src >= 0
        src, dst = src[ok], dst[ok]
        n = len(src)
        since = rng.integers(_year(2019), _REF - 30, size=n)
        h = n // 10
        h_pick = rng.integers(max(n, 1), size=h) if n else np.zeros(0, np.int64)
        h_since = rng.integers(_year(2015), _year(2021), size=h)
        h_until = np.minimum(h_since + rng.integers(365, 4 * 365, size=h), _REF - 1)
        # Ended fusions are earlier ventures of the same enterprise with another village of its county.
        h_src = src[h_pick]
        h_dst = _group_pick(rng, np.arange(len(v.ids)), v.county, u.county[h_src])
        src = np.concatenate([src, h_src])
        dst = np.concatenate([dst, h_dst])
        m = len(src)
        ent_names = [r["name"] for r in self.data.nodes["Enterprise"]]
        vil_names = [r["name"] for r in self.data.nodes["Village"]]
        first_ent = int(np.flatnonzero(u.label == 1)[0]) if len(ents) else 0
        org_kind = rng.choice(3, size=m, p=(0.2, 0.3, 0.5))
        cols = {
            "src": [u.ids[i] for i in src.tolist()],
            "src_label": ["Enterprise"] * m,
            "dst": [v.ids[i] for i in dst.tolist()],
            "dst_label": ["Village"] * m,
            "since": _dates(np.concatenate([since, h_since])),
            "until": _dates(np.concatenate([np.zeros(n, np.int64), h_until])),
            "joint_party_org": [
                f"{ent_names[s - first_ent][2:4]}{vil_names[d][:-1]}村企联合{('党委', '党总支', '党支部')[k]}"
                for s, d, k in zip(src.tolist(), dst.tolist(), org_kind.tolist(), strict=True)
            ],
        }
        self.data.links["FUSED_WITH"] = _rows(cols, link_keys("FUSED_WITH"), m)

    def cadres(self, v: _Villages, u: _Units, targets: IntArray) -> None:
        rng, s = self.rng, self.scale
        n_active = round(s.cadres * (1 - FORMER_CADRE_SHARE))
        non_weak = np.flatnonzero(v.tier == 1)
        teams = max(len(targets), min(n_active, round(n_active / TEAM_SIZE)))
        extra = rng.choice(non_weak, size=min(len(non_weak), max(0, teams - len(targets))), replace=False)
        team_v = np.concatenate([targets, extra])[: max(1, n_active)]
        t = len(team_v)
        sizes = 1 + rng.multinomial(max(0, n_active - t), np.full(t, 1.0 / t))
        village = np.repeat(team_v, sizes)
        starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
        rank = np.arange(len(village)) - starts
        big = np.repeat(sizes >= 3, sizes)
        role = np.where(rank == 0, 0, np.where((rank == 1) & big, 1, 2))
        # Current batches (terms of three years; about half open-ended in the ledger).
        batches = np.array([_year(2023, 12, 1), _year(2024, 6, 15), _year(2025, 6, 15), _year(2026, 3, 1)])
        a_since = batches[rng.integers(4, size=len(village))] + rng.integers(0, 30, size=len(village))
        a_until = np.where(rng.random(len(village)) < 0.5, a_since + 3 * 365, 0)
        # Former cadres of earlier batches, anywhere.
        n_former = s.cadres - len(village)
        f_village = rng.integers(len(v.ids), size=n_former)
        f_batches = np.array([_year(2017, 6, 1), _year(2019, 6, 1), _year(2021, 6, 15)])
        f_since = f_batches[rng.integers(3, size=n_former)] + rng.integers(0, 30, size=n_former)
        f_until = f_since + rng.integers(2, 4, size=n_former) * 365 - 1
        f_role = np.where(rng.random(n_former) < 0.5, 0, 2)
        order = rng.permutation(s.cadres)  # so that ids do not give away current and former cadres
        vil = np.concatenate([village, f_village])[order]
        roles = np.concatenate([role, f_role])[order]
        since = np.concatenate([a_since, f_since])[order]
        until = np.concatenate([a_until, f_until])[order]
        n = s.cadres
        ids = _ids("K", n)
        role_names = [("first_secretary", "team_leader", "team_member")[r] for r in roles.tolist()]
        skills = word_masks(rng, n, names.SUPPORT, names.SUPPORT, rng.integers(1, 4, n))
        edu = rng.choice(len(names.EDUCATION), size=n, p=(0.05, 0.25, 0.55, 0.15))
        birth = rng.integers(1966, 2000, size=n) - np.where(roles == 0, 4, 0)
        cols = {
            "id": ids,
            "name": person_names(rng, n),
            "role": role_names,
            "skills": word_lists(skills, names.SUPPORT),
            "birth_year": birth.tolist(),
            "education": [names.EDUCATION[e] for e in edu.tolist()],
        }
        self.data.nodes["Cadre"] = _rows(cols, [p.name for p in NODE_BY_LABEL["Cadre"].stored], n)
        stations = {
            "src": ids,
            "src_label": ["Cadre"] * n,
            "dst": [v.ids[i] for i in vil.tolist()],
            "dst_label": ["Village"] * n,
            "role": role_names,
            "since": _dates(since),
            "until": _dates(until),
        }
        self.data.links["STATIONED_IN"] = _rows(stations, link_keys("STATIONED_IN"), n)
        # The sender is a unit of the village's county: mostly organs and institutions.
        want = rng.choice(3, size=n, p=SENDER_P)
        cty = v.county[vil]
        sender = np.full(n, -1, dtype=np.int64)
        for lab in range(3):
            pool = np.flatnonzero(u.label == lab)
            sel = want == lab
            sender[sel] = _group_pick(rng, pool, u.county[pool], cty[sel])
        miss = sender < 0
        order_u = np.argsort(u.county, kind="stable")
        sender[miss] = _group_pick(rng, order_u, u.county[order_u], cty[miss])
        sent = {
            "src": ids,
            "src_label": ["Cadre"] * n,
            "dst": [u.ids[i] for i in sender.tolist()],
            "dst_label": [UNIT_LABELS[lab] for lab in u.label[sender].tolist()],
        }
        self.data.links["SENT_BY"] = _rows(sent, link_keys("SENT_BY"), n)

    def run(self) -> Dataset:
        geo = self.geography()
        v = self.villages(geo)
        u = self.units(geo)
        plan = self.coverage_plan(v)
        self.pairings(v, u, plan["pairing"])
        self.leads(v, plan["lead"])
        self.fusions(v, u, plan["fusion"])
        self.cadres(v, u, plan["station"])
        self.activities()
        self.lists(v, u)
        return self.data

    # -- the programme's records: practical projects and 三张清单
    def activities(self) -> None:
        """Practical projects of pairings: most active ones did one in the year before the reference date."""
        rng = self.rng
        pairs = [p for p in self.data.links["PAIRED_WITH"] if p["until"] is None or p["until"] >= REFERENCE_DATE]
        n = len(pairs)
        done = rng.random(n) < ACTIVITY_SHARE
        days = rng.integers(0, 360, size=n)
        status = rng.choice(3, size=n, p=(0.1, 0.1, 0.8))  # planned, ongoing, done
        funds = _round(np.exp(rng.normal(1.5, 0.9, n)), 1)
        people = rng.integers(20, 800, size=n)
        rows = []
        for i in np.flatnonzero(done).tolist():
            pair = pairs[i]
            when = date.fromordinal(max(_REF - int(days[i]), _D(pair["since"])))
            rows.append(
                {
                    "src": pair["src"],
                    "src_label": pair["src_label"],
                    "dst": pair["dst"],
                    "dst_label": "Village",
                    "date": when,
                    "title": ACTIVITY_TITLES[i % len(ACTIVITY_TITLES)],
                    "kind": ("project", "event", "training", "purchase")[i % 4],
                    "funds": funds[i],
                    "beneficiaries": int(people[i]),
                    "status": ("planned", "ongoing", "done")[int(status[i])],
                    "note": None,
                }
            )
        self.data.links["ACTIVITY"] = rows

    def lists(self, v: _Villages, u: _Units) -> None:
        """Needs of weak villages, resources of units, and units' claims of needs in their own county."""
        rng = self.rng
        kinds = ITEM_KIND.codes
        weak = np.flatnonzero(v.tier == TIERS.index("weak"))
        per = rng.integers(1, 3, size=len(weak))
        village = np.repeat(weak, per)
        n = len(village)
        # A village's needs are of different kinds: the same item twice is one need posted twice.
        first = np.repeat(rng.integers(len(kinds), size=len(weak)), per)
        order = np.arange(n) - np.repeat(np.cumsum(per) - per, per)
        kind = (first + order) % len(kinds)
        posted = _REF - rng.integers(10, 700, size=n)
        need_ids = _ids("N", n)
        needs = [
            {"id": need_ids[i], "name": NEED_ITEMS[int(kind[i])], "kind": kinds[int(kind[i])], "posted": posted_day}
            for i, posted_day in enumerate(_dates(posted))
        ]
        units_of = {c: np.flatnonzero(u.county == c) for c in np.unique(u.county).tolist()}
        claims, status = [], []
        pick = rng.random(n)
        for i in range(n):
            pool = units_of.get(int(v.county[village[i]]))
            if pool is None or pick[i] >= CLAIMED_SHARE:
                status.append("withdrawn" if pick[i] > 0.97 else "open")
                continue
            chosen = int(rng.choice(pool))
            claimed = min(_REF - 1, int(posted[i]) + int(rng.integers(1, 60)))
            state = ("claimed", "ongoing", "done")[int(rng.choice(3, p=(0.3, 0.3, 0.4)))]
            claims.append(self._claim(u, chosen, need_ids[i], claimed, state))
            if rng.random() < 0.1 and len(pool) > 1:
                other = int(rng.choice(pool[pool != chosen]))
                claims.append(self._claim(u, other, need_ids[i], claimed, "not_chosen"))
            status.append("done" if state == "done" else "claimed")
        for need, st in zip(needs, status, strict=True):
            need["status"] = st
        self.data.nodes["Need"] = needs
        self.data.links["NEED_OF"] = [
            {"src": need_ids[i], "src_label": "Need", "dst": v.ids[int(village[i])], "dst_label": "Village"}
            for i in range(n)
        ]
        self.data.links["CLAIMED"] = claims
        m = len(u.ids)
        r_kind = rng.integers(len(kinds), size=m)
        res_ids = _ids("R", m)
        self.data.nodes["Resource"] = [
            {
                "id": res_ids[i],
                "name": RESOURCE_ITEMS[int(r_kind[i])],
                "kind": kinds[int(r_kind[i])],
                "serves": 1 + i % 3,
            }
            for i in range(m)
        ]
        self.data.links["OFFERED_BY"] = [
            {"src": res_ids[i], "src_label": "Resource", "dst": u.ids[i], "dst_label": UNIT_LABELS[int(u.label[i])]}
            for i in range(m)
        ]

    def _claim(self, u: _Units, unit: int, need: str, claimed: int, status: str) -> Row:
        due = claimed + int(self.rng.integers(60, 400))
        return {
            "src": u.ids[unit],
            "src_label": UNIT_LABELS[int(u.label[unit])],
            "dst": need,
            "dst_label": "Need",
            "claimed": date.fromordinal(claimed),
            "status": status,
            "due": date.fromordinal(due),
            "done": date.fromordinal(min(due, _REF - 1)) if status == "done" else None,
        }


def link_keys(rel_type: str) -> list[str]:
    return ["src", "src_label", "dst", "dst_label", *(p.name for p in REL_BY_TYPE[rel_type].props)]


def generate(scale: str, seed: int = 42) -> Dataset:
    """A synthetic Dataset at `scale` (county, city, province or nation); deterministic in (scale, seed)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    # Millions of new dicts and lists make the cyclic collector rescan the heap again and
    # again (nation scale: ~40% of the run); nothing built here forms a cycle.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Generator(SCALES[scale], seed).run()
    finally:
        if was_enabled:
            gc.enable()
