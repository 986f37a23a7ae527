"""The synthetic generator (graph.synth) and the committed demo seed (seed/).

The seed checks recompute the documented gaps from the CSV files with `tools.reference`, the one
plain-Python statement of docs/domain.md's rules: they test the documentation, not a store or a query.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from graph import names
from graph.dataset import Dataset, Row
from graph.interchange import read, write_folder
from graph.model import NODE_BY_LABEL, NODES, REL_BY_TYPE, RELS, UNIT_LABELS, PType
from graph.synth import LAT_RANGE, LON_RANGE, SCALES, generate
from tests.fixtures import SEED
from tools import reference

ASOF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def county() -> Dataset:
    return generate("county")


@pytest.fixture(scope="module")
def city() -> Dataset:
    return generate("city")


@pytest.fixture(scope="module")
def seed_data() -> Dataset:
    return read(SEED)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEED / "expected_gaps.json").read_text(encoding="utf-8"))
    return data


# ---------------------------------------------------------------------------- the definitions

# Stated once, in tools.reference (also the oracle of the gap queries); named here as the checks read them.
active = reference.active_on
covered = reference.covered
unpaired = reference.unpaired_ids
active_load = reference.active_load
breaks_setting_rule = reference.breaks_setting_rule


def units(ds: Dataset) -> list[Row]:
    return [u for label in UNIT_LABELS for u in ds.nodes[label]]


# ---------------------------------------------------------------------------- synth


def test_same_seed_same_dataset_other_seed_other(county: Dataset) -> None:
    assert generate("county") == county
    assert generate("county", seed=43) != county


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        generate("planet")


@pytest.mark.parametrize("scale", ["county", "city"])
def test_sizes_follow_the_documented_scale(scale: str, county: Dataset, city: Dataset) -> None:
    ds = county if scale == "county" else city
    want = SCALES[scale]
    counts = ds.counts()
    assert 0.85 * want.villages <= counts["Village"] <= 1.15 * want.villages
    assert 0.8 * want.units <= sum(counts[label] for label in UNIT_LABELS) <= 1.2 * want.units
    assert counts["Cadre"] == want.cadres
    tiers = Counter(v["tier"] for v in ds.nodes["Village"])
    for tier in ("strong", "weak"):
        assert 0.14 <= tiers[tier] / counts["Village"] <= 0.26, tiers
    # Counties of ~300 villages, townships of ~15–25.
    per_county = Counter(v["county"] for v in ds.nodes["Village"])
    assert len(per_county) == want.counties
    assert all(250 <= n <= 350 for n in per_county.values())
    per_town = Counter((v["county"], v["township"]) for v in ds.nodes["Village"])
    sizes = sorted(per_town.values())
    assert sizes[len(sizes) // 2] in range(15, 26) and sizes[0] >= 10 and sizes[-1] <= 32


def _city_of_each_county(ds: Dataset) -> dict[str, set[str]]:
    cities: dict[str, set[str]] = {}
    for label in ("Village", *UNIT_LABELS):
        for row in ds.nodes[label]:
            cities.setdefault(row["county"], set()).add(row["city"])
    return cities


@pytest.mark.parametrize("scale", ["county", "city"])
def test_a_county_and_a_city_lie_in_one_city(scale: str, county: Dataset, city: Dataset) -> None:
    cities = _city_of_each_county(county if scale == "county" else city)
    assert len(cities) == SCALES[scale].counties
    assert len(set().union(*cities.values())) == 1
    assert all(len(c) == 1 and next(iter(c)).endswith("市") for c in cities.values())


def test_a_province_has_sixteen_cities_of_about_nine_counties() -> None:
    """DOMAIN: a real province has about 16 cities and 100-150 counties; its ~80,000 villages stay."""
    province = generate("province")
    assert (SCALES["province"].cities, SCALES["province"].counties) == (16, 140)
    assert 0.95 * 80_000 <= len(province.nodes["Village"]) <= 1.05 * 80_000
    cities = _city_of_each_county(province)
    assert len(cities) == 140
    # Every village and unit of a county lies in the county's one city.
    assert all(len(c) == 1 for c in cities.values())
    counties_per_city = Counter(next(iter(c)) for c in cities.values())
    assert len(counties_per_city) == 16
    assert min(counties_per_city.values()) >= 6 and max(counties_per_city.values()) <= 12


def test_every_label_and_type_is_present(county: Dataset) -> None:
    assert {k: n for k, n in county.counts().items() if n == 0} == {}


def test_ids_are_unique_across_labels_and_readable(city: Dataset) -> None:
    prefix = {
        "Village": "V",
        "CityCommunity": "C",
        "Enterprise": "E",
        "Organisation": "O",
        "Cadre": "K",
        "Need": "N",
        "Resource": "R",
    }
    ids = [(label, n["id"]) for label, rows in city.nodes.items() for n in rows]
    assert len({i for _, i in ids}) == len(ids)
    assert all(i[0] == prefix[label] and i[1:].isdigit() and len(i) >= 7 for label, i in ids)


def test_link_ends_exist_with_allowed_labels(city: Dataset) -> None:
    label_of = {n["id"]: label for label, rows in city.nodes.items() for n in rows}
    for rel, rows in city.links.items():
        spec = REL_BY_TYPE[rel]
        for link in rows:
            assert label_of.get(link["src"]) == link["src_label"] in spec.src_labels, (rel, link)
            assert label_of.get(link["dst"]) == link["dst_label"] in spec.dst_labels, (rel, link)
            assert link["src"] != link["dst"]


def _check_value(prop_type: PType, value: Any) -> bool:
    if prop_type is PType.STRINGS:
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    kinds: dict[PType, type | tuple[type, ...]] = {
        PType.STRING: str,
        PType.INT: int,
        PType.FLOAT: float,
        PType.BOOL: bool,
        PType.DATE: date,
    }
    return isinstance(value, kinds[prop_type]) and not (prop_type is PType.INT and isinstance(value, bool))


def test_rows_have_the_model_keys_types_and_choices(county: Dataset) -> None:
    for spec in NODES:
        for row in county.nodes[spec.label]:
            assert list(row) == [p.name for p in spec.stored]
            for p in spec.stored:
                value = row[p.name]
                assert value is not None or not p.required, (spec.label, p.name)
                if value is not None:
                    assert _check_value(p.type, value), (spec.label, p.name, value)
                    items = value if isinstance(value, list) else [value]
                    assert not p.choices or all(x in p.choices for x in items), (spec.label, p.name, value)
    for rel in RELS:
        for row in county.links[rel.type]:
            assert list(row) == ["src", "src_label", "dst", "dst_label", *(p.name for p in rel.props)]
            for p in rel.props:
                value = row[p.name]
                assert value is None or _check_value(p.type, value), (rel.type, p.name, value)
                assert not p.choices or value is None or value in p.choices


def test_values_are_plausible(city: Dataset) -> None:
    for label in ("Village", *UNIT_LABELS):
        for n in city.nodes[label]:
            assert LAT_RANGE[0] <= n["lat"] <= LAT_RANGE[1] and LON_RANGE[0] <= n["lon"] <= LON_RANGE[1]
    villages = city.nodes["Village"]
    assert all(v["name"].endswith("村") for v in villages)
    assert all(bool(v["weak_reasons"]) == (v["tier"] == "weak") for v in villages)
    assert all(c["name"].endswith("社区") for c in city.nodes["CityCommunity"])
    assert all(e["name"].endswith("有限公司") for e in city.nodes["Enterprise"])
    vocab = set(names.SUPPORT)
    assert all(set(v["needs"]) <= vocab for v in villages)
    assert all(set(u["resources"]) <= vocab for u in units(city))
    assert all(set(v["industries"]) <= set(names.INDUSTRIES) and v["industries"] for v in villages)
    assert all(1 <= u["capacity"] <= 5 for u in units(city))
    # Village names are unique within their county, so a ledger may refer to them by name.
    assert len({(v["county"], v["name"]) for v in villages}) == len(villages)
    for rows in city.links.values():
        for link in rows:
            if link.get("until") is not None:
                assert link["since"] <= link["until"]
            if link.get("last_activity") is not None:
                assert link["since"] <= link["last_activity"] <= ASOF


def test_each_cadre_is_sent_by_a_unit_of_its_county_and_stationed_once(city: Dataset) -> None:
    sent = Counter(link["src"] for link in city.links["SENT_BY"])
    stationed = Counter(link["src"] for link in city.links["STATIONED_IN"])
    cadres = {c["id"] for c in city.nodes["Cadre"]}
    assert set(sent) == set(stationed) == cadres
    assert set(sent.values()) == set(stationed.values()) == {1}
    county_of = {n["id"]: n["county"] for label in ("Village", *UNIT_LABELS) for n in city.nodes[label]}
    village_of = {link["src"]: link["dst"] for link in city.links["STATIONED_IN"]}
    assert all(county_of[s["dst"]] == county_of[village_of[s["src"]]] for s in city.links["SENT_BY"])


def test_gaps_exist_in_the_documented_proportions(city: Dataset) -> None:
    weak = [v for v in city.nodes["Village"] if v["tier"] == "weak"]
    share = len(unpaired(city, ASOF)) / len(weak)
    assert 0.08 <= share <= 0.22, share
    pairings = city.links["PAIRED_WITH"]
    current = [p for p in pairings if active(p, ASOF)]
    ended = [p for p in pairings if p["until"] is not None and p["until"] < ASOF]
    assert ended and len({p["since"].year for p in pairings}) >= 5
    stale = [p for p in current if p["last_activity"] is None or p["last_activity"] < ASOF - timedelta(days=365)]
    assert 0.05 <= len(stale) / len(current) <= 0.35
    load = active_load(city, ASOF)
    over = [u for u in units(city) if load[u["id"]] > u["capacity"]]
    idle = [u for u in units(city) if load[u["id"]] == 0]
    assert 0.01 <= len(over) / len(units(city)) <= 0.15
    assert idle
    leads_from_weak = [link for link in city.links["LEADS"] if link["src"] in {v["id"] for v in weak}]
    assert leads_from_weak


def test_write_then_read_gives_the_same_dataset(county: Dataset, tmp_path: Path) -> None:
    write_folder(county, tmp_path)
    back = read(tmp_path)

    def key(row: Row) -> tuple[str, ...]:
        return (row.get("id") or row["src"], row.get("dst", ""), str(row.get("since")))

    for group in ("nodes", "links"):
        a, b = getattr(county, group), getattr(back, group)
        assert {k: sorted(v, key=key) for k, v in a.items()} == {k: sorted(v, key=key) for k, v in b.items()}


# ---------------------------------------------------------------------------- the demo seed


def test_seed_has_three_fictional_counties_and_every_kind_of_node_and_link(seed_data: Dataset) -> None:
    counts = seed_data.counts()
    assert {k: n for k, n in counts.items() if n == 0} == {}
    villages = seed_data.nodes["Village"]
    assert len(villages) >= 300
    assert {v["county"] for v in villages} == {"石砚区", "澄溪县", "青岚县"}
    weak = [v for v in villages if v["tier"] == "weak"]
    assert 0.28 <= len(weak) / len(villages) <= 0.4
    assert {r for v in weak for r in v["weak_reasons"]} == {"economy", "organisation", "poverty", "venue"}
    assert {o["kind"] for o in seed_data.nodes["Organisation"]} >= {"department", "school", "hospital", "soe"}
    assert any(e["has_party_org"] for e in seed_data.nodes["Enterprise"])
    assert {c["role"] for c in seed_data.nodes["Cadre"]} >= {"first_secretary", "team_member"}
    days = [r["since"] for rows in seed_data.links.values() for r in rows if r.get("since")]
    assert min(days).year == 2019 and max(days).year == 2026


def test_expected_gaps_match_the_seed_files(seed_data: Dataset, expected: dict[str, Any]) -> None:
    asof = date.fromisoformat(expected["asof"])
    assert asof == ASOF
    assert unpaired(seed_data, asof) == expected["unpaired"]
    assert 12 <= len(expected["unpaired"]) <= 20

    cutoff = asof - timedelta(days=365)
    done: dict[tuple[str, str], list[date]] = {}
    for a in seed_data.links["ACTIVITY"]:
        if a["status"] in (None, "done") and a["date"] <= asof:
            done.setdefault((a["src"], a["dst"]), []).append(a["date"])

    def last(p: Row) -> date | None:
        # The later of the column and the latest completed activity of the pairing in force on its date.
        days = [d for d in done.get((p["src"], p["dst"]), []) if active(p, d)]
        return max([*days, *([p["last_activity"]] if p["last_activity"] else [])], default=None)

    running = [p for p in seed_data.links["PAIRED_WITH"] if active(p, asof)]
    paper = sorted({(p["src"], p["dst"]) for p in running if p["since"] <= cutoff and (last(p) or date.min) < cutoff})
    assert paper == [tuple(x) for x in expected["inactive_pairings"]]
    first_year = sorted((p["src"], p["dst"]) for p in running if p["since"] > cutoff and last(p) is None)
    assert first_year == [tuple(x) for x in expected["first_year"]]

    expiring = []
    for s in seed_data.links["STATIONED_IN"]:
        ends = s["until"]
        if active(s, asof) and ends is not None and ends <= asof + timedelta(days=90):
            expiring += [[s["src"], s["dst"]]] if s["dst"] not in covered(seed_data, ends + timedelta(days=1)) else []
    assert sorted(expiring) == expected["expiring_cadres"]

    load = active_load(seed_data, asof)
    assert sorted(u["id"] for u in units(seed_data) if load[u["id"]] > u["capacity"]) == expected["overloaded_units"]
    assert sorted(u["id"] for u in units(seed_data) if u["capacity"] and not load[u["id"]]) == expected["idle_units"]

    settings = [n for label in ("Village", "CityCommunity") for n in seed_data.nodes[label]]
    assert sorted(n["id"] for n in settings if breaks_setting_rule(n)) == expected["org_setting_mismatches"]
    # No verdict hangs on the edges of the rule (exactly 50 or 100 members).
    assert not [n["id"] for n in settings if n["party_members"] in (50, 100)]


def test_unpaired_list_is_stable_until_2031(seed_data: Dataset, expected: dict[str, Any]) -> None:
    joins = {v: date.fromisoformat(d) for v, d in expected["unpaired_after_expiry"]}
    assert sorted(joins) == sorted(v for _, v in expected["expiring_cadres"])
    days = {date(2026, 11, 1), date(2027, 6, 30), date(2028, 12, 31), date(2030, 12, 31)}
    days |= {d for d in joins.values()} | {d - timedelta(days=1) for d in joins.values()}
    for day in sorted(days):
        want = sorted({*expected["unpaired"], *(v for v, d in joins.items() if d <= day)})
        assert unpaired(seed_data, day) == want, day
    # Links active on the reference date end in 2031 or later, bar the few stations ending within 90 days.
    for rows in seed_data.links.values():
        for r in rows:
            until = r.get("until")
            if until is not None and active(r, ASOF) and until < date(2031, 1, 1):
                assert r["src"].startswith("K") and until <= ASOF + timedelta(days=90), r


def test_seed_readme_documents_every_gap(expected: dict[str, Any]) -> None:
    text = (SEED / "README.md").read_text(encoding="utf-8")
    assert "fictional" in text
    for key, value in expected.items():
        if isinstance(value, list):
            for item in value:
                for part in item if isinstance(item, list) else [item]:
                    assert part in text, (key, part)
    for figure in ("327", "163", "16 communities", "12 pilot villages"):
        assert figure in text


def _make_seed_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_seed", SEED / "make_seed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_committed_seed_is_what_make_seed_makes(seed_data: Dataset) -> None:
    module = _make_seed_module()
    world = module.SeedBuilder().build()
    module.ListsBuilder(world).build()
    built: Dataset = world.ds

    def key(row: Row) -> tuple[str, ...]:
        return (row.get("id") or row["src"], row.get("dst", ""), *(f"{k}={row[k]}" for k in sorted(row)))

    for label in NODE_BY_LABEL:
        assert sorted(built.nodes[label], key=key) == sorted(seed_data.nodes[label], key=key), label
    for rel in REL_BY_TYPE:
        assert sorted(built.links[rel], key=key) == sorted(seed_data.links[rel], key=key), rel
