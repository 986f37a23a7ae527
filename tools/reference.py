"""The gap definitions computed in plain Python on a networkx graph: the oracle for the Cypher.

Written from docs/domain.md's rules, not from the queries, so that a test comparing the two
catches a mistake in either. Slow (it walks every link per village) and meant for tests and
small graphs only. Rows are the same typed rows as `graph.gaps` returns, in the same order.
It is also the one plain statement of the rules that the seed builder (`seed/make_seed.py`) and the
seed's tests check the documented gaps with: the small functions at the end give them ids and counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from graph import gaps, lists
from graph.activities import Effective
from graph.dataset import Dataset
from graph.gaps import (
    CoverageRow,
    ExpiringStation,
    FirstYearPairing,
    GapRow,
    InactivePairing,
    OrgSettingRow,
    UnitLoad,
)
from graph.lists import IdleClaimer, OverdueProject, RateRow, StaleNeed
from graph.model import SUPPORT_KIND_OF_EDGE, SUPPORT_KINDS, UNIT_LABELS

KIND_OF_TYPE = SUPPORT_KIND_OF_EDGE


def build(dataset: Dataset) -> nx.MultiDiGraph:
    """Nodes keyed by id with a `label` attribute; links with a `type` attribute and their properties."""
    g = nx.MultiDiGraph()
    for label, rows in dataset.nodes.items():
        for row in rows:
            g.add_node(row["id"], label=label, **{k: v for k, v in row.items() if k != "id"})
    for rel_type, rows in dataset.links.items():
        for row in rows:
            props = {k: v for k, v in row.items() if k not in ("src", "dst", "src_label", "dst_label")}
            g.add_edge(row["src"], row["dst"], type=rel_type, **props)
    return g


def _graph(data: Dataset | nx.MultiDiGraph) -> nx.MultiDiGraph:
    return data if isinstance(data, nx.MultiDiGraph) else build(data)


def active_on(link: dict[str, Any], day: dt.date) -> bool:
    """docs/domain.md: active on D when since <= D and (until is null or until >= D)."""
    until = link.get("until")
    return link["since"] <= day and (until is None or until >= day)


def _in_links(g: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for src, _dst, data in g.in_edges(node, data=True):
        yield src, data


def support_links(g: nx.MultiDiGraph, village: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind, link) for every link into `village` that counts as support; a lead only from a non-weak village."""
    for src, data in _in_links(g, village):
        kind = KIND_OF_TYPE.get(data["type"])
        if kind is None:
            continue
        if kind == "lead" and g.nodes[src].get("tier") in (None, "weak"):
            continue
        yield kind, data


def kind_counts(g: nx.MultiDiGraph, village: str, day: dt.date) -> dict[str, int]:
    counts = dict.fromkeys(SUPPORT_KINDS, 0)
    for kind, link in support_links(g, village):
        if active_on(link, day):
            counts[kind] += 1
    return counts


def _matches(attrs: dict[str, Any], county: str | None, township: str | None, city: str | None = None) -> bool:
    return (
        (not city or attrs.get("city") == city)
        and (not county or attrs.get("county") == county)
        and (not township or attrs.get("township") == township)
    )


def weak_villages(
    g: nx.MultiDiGraph, county: str | None = None, township: str | None = None, city: str | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    for node, attrs in g.nodes(data=True):
        if attrs["label"] == "Village" and attrs.get("tier") == "weak" and _matches(attrs, county, township, city):
            yield node, attrs


def _row(node: str, attrs: dict[str, Any], counts: dict[str, int], policy: tuple[str, ...]) -> GapRow:
    has = tuple(k for k in SUPPORT_KINDS if counts[k])
    if policy == gaps.DEFAULT_POLICY:
        missing: tuple[str, ...] = SUPPORT_KINDS if not has else ()
    else:
        missing = tuple(k for k in policy if k not in has)
    return GapRow(
        village_id=node,
        village=attrs["name"],
        city=attrs.get("city"),
        county=attrs.get("county"),
        township=attrs.get("township"),
        weak_reasons=tuple(attrs.get("weak_reasons") or ()),
        pairing=counts["pairing"],
        lead=counts["lead"],
        fusion=counts["fusion"],
        station=counts["station"],
        has=has,
        missing=missing,
    )


def support(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    policy: str | Iterable[str] | None = gaps.DEFAULT_POLICY,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[GapRow]:
    g = _graph(data)
    kinds = gaps.parse_policy(policy)
    rows = [_row(n, a, kind_counts(g, n, asof), kinds) for n, a in weak_villages(g, county, township, city)]
    return sorted(rows, key=gaps.village_order)


def unpaired(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[GapRow]:
    return [r for r in support(data, asof, gaps.DEFAULT_POLICY, county, township, city) if not r.has]


def gap_list(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    policy: str | Iterable[str] | None = gaps.DEFAULT_POLICY,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[GapRow]:
    return [r for r in support(data, asof, policy, county, township, city) if r.missing]


def completed(activity: dict[str, Any]) -> bool:
    """docs/domain.md: an activity is completed when its status is done or blank."""
    return activity.get("status") in (None, "", "done")


def pairing_activities(
    g: nx.MultiDiGraph, unit: str, village: str, pairing: dict[str, Any], asof: dt.date
) -> list[dict[str, Any]]:
    """The ACTIVITY links of `unit` to `village` that belong to `pairing` (in force on their date), up to `asof`."""
    return [
        data
        for _src, dst, data in g.out_edges(unit, data=True)
        if dst == village and data["type"] == "ACTIVITY" and data["date"] <= asof and active_on(pairing, data["date"])
    ]


def effective_last_activity(
    g: nx.MultiDiGraph, unit: str, village: str, pairing: dict[str, Any], asof: dt.date
) -> dt.date | None:
    """The later of the pairing's `last_activity` column and its latest completed activity on or before `asof`."""
    dates = [a["date"] for a in pairing_activities(g, unit, village, pairing, asof) if completed(a)]
    if pairing.get("last_activity") is not None:
        dates.append(pairing["last_activity"])
    return max(dates, default=None)


def effective_projects(
    g: nx.MultiDiGraph, unit: str, village: str, pairing: dict[str, Any], asof: dt.date
) -> int | None:
    """The `projects` column when the pairing has no activity records up to `asof`, else its completed ones."""
    records = pairing_activities(g, unit, village, pairing, asof)
    if not records:
        return pairing.get("projects")
    return sum(1 for a in records if completed(a))


def effective(
    data: Dataset | nx.MultiDiGraph, unit: str, village: str, since: dt.date, asof: dt.date
) -> Effective | None:
    """`graph.activities.effective`: the pairing's projects and last activity on `asof`, None if no such pairing."""
    g = _graph(data)
    for _src, dst, link in g.out_edges(unit, data=True):
        if dst == village and link["type"] == "PAIRED_WITH" and link["since"] == since:
            return Effective(
                projects=effective_projects(g, unit, village, link, asof),
                last_activity=effective_last_activity(g, unit, village, link, asof),
                from_records=bool(pairing_activities(g, unit, village, link, asof)),
            )
    return None


def _active_pairings(
    g: nx.MultiDiGraph, asof: dt.date, county: str | None, township: str | None, city: str | None = None
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for src, dst, link in g.edges(data=True):
        if link["type"] == "PAIRED_WITH" and active_on(link, asof) and _matches(g.nodes[dst], county, township, city):
            yield src, dst, link


def inactive(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    county: str | None = None,
    township: str | None = None,
    days: int = gaps.INACTIVE_AFTER_DAYS,
    city: str | None = None,
) -> list[InactivePairing]:
    g = _graph(data)
    out = []
    for src, dst, link in _active_pairings(g, asof, county, township, city):
        # In its first `days` days a pairing is never a paper pairing.
        if (asof - link["since"]).days < days:
            continue
        last = effective_last_activity(g, src, dst, link, asof)
        # A paper pairing: no activity within the past `days` days.
        if last is not None and (asof - last).days <= days:
            continue
        village, unit = g.nodes[dst], g.nodes[src]
        out.append(
            InactivePairing(
                unit_label=unit["label"],
                unit_id=src,
                unit=unit["name"],
                village_id=dst,
                village=village["name"],
                city=village.get("city"),
                county=village.get("county"),
                township=village.get("township"),
                tier=village.get("tier"),
                since=link["since"],
                until=link.get("until"),
                last_activity=last,
                days_since_activity=(asof - last).days if last is not None else None,
            )
        )
    return sorted(
        out, key=lambda p: (p.last_activity is not None, p.last_activity or asof, p.village_id, p.unit_id, p.since)
    )


def first_year(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    county: str | None = None,
    township: str | None = None,
    days: int = gaps.INACTIVE_AFTER_DAYS,
    city: str | None = None,
) -> list[FirstYearPairing]:
    g = _graph(data)
    out = []
    for src, dst, link in _active_pairings(g, asof, county, township, city):
        if (asof - link["since"]).days >= days:
            continue
        column = link.get("last_activity")
        if column is not None and column <= asof:
            continue
        if any(completed(a) for a in pairing_activities(g, src, dst, link, asof)):
            continue
        village, unit = g.nodes[dst], g.nodes[src]
        out.append(
            FirstYearPairing(
                unit_label=unit["label"],
                unit_id=src,
                unit=unit["name"],
                village_id=dst,
                village=village["name"],
                city=village.get("city"),
                county=village.get("county"),
                township=village.get("township"),
                tier=village.get("tier"),
                since=link["since"],
                until=link.get("until"),
                days_paired=(asof - link["since"]).days,
            )
        )
    return sorted(out, key=lambda p: (p.since, p.village_id, p.unit_id))


def expiring(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    days: int = gaps.EXPIRING_DAYS,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[ExpiringStation]:
    g = _graph(data)
    horizon = asof + dt.timedelta(days=days)
    out = []
    for village, attrs in weak_villages(g, county, township, city):
        for src, link in _in_links(g, village):
            if link["type"] != "STATIONED_IN" or not active_on(link, asof):
                continue
            until = link.get("until")
            if until is None or not (asof < until <= horizon):
                continue
            after = until + dt.timedelta(days=1)
            # Any support (the ending term itself is over by then) active the day after the term ends?
            if any(active_on(other, after) for _kind, other in support_links(g, village)):
                continue
            cadre = g.nodes[src]
            out.append(
                ExpiringStation(
                    cadre_id=src,
                    cadre=cadre["name"],
                    role=link.get("role"),
                    village_id=village,
                    village=attrs["name"],
                    city=attrs.get("city"),
                    county=attrs.get("county"),
                    township=attrs.get("township"),
                    since=link["since"],
                    until=until,
                    days_left=(until - asof).days,
                )
            )
    return sorted(out, key=lambda s: (s.until, s.village_id, s.cadre_id, s.since))


def unit_load(
    data: Dataset | nx.MultiDiGraph, asof: dt.date, county: str | None = None, city: str | None = None
) -> list[UnitLoad]:
    g = _graph(data)
    out = []
    for node, attrs in g.nodes(data=True):
        if attrs["label"] not in UNIT_LABELS or not _matches(attrs, county, None, city):
            continue
        active = sum(
            1
            for _s, dst, link in g.out_edges(node, data=True)
            if link["type"] == "PAIRED_WITH" and g.nodes[dst]["label"] == "Village" and active_on(link, asof)
        )
        capacity = attrs.get("capacity")
        if capacity is not None and active > capacity:
            status = "overloaded"
        elif active == 0 and capacity is not None and capacity > 0:
            # A unit that can take no pairing (capacity 0 or unknown) is not idle.
            status = "idle"
        else:
            status = "ok"
        out.append(
            UnitLoad(
                attrs["label"], node, attrs["name"], attrs.get("county"), capacity, active, status, attrs.get("city")
            )
        )
    return sorted(out, key=lambda u: (gaps.STATUS_ORDER.index(u.status), u.unit_label, u.unit_id))


def coverage(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    by: str = "county",
    county: str | None = None,
    city: str | None = None,
) -> list[CoverageRow]:
    """Per city (`by="city"`), per county within its city, or per township within its county and city."""
    g = _graph(data)
    groups: dict[tuple[str | None, str | None, str | None], list[int]] = {}
    for node, attrs in weak_villages(g, county, None, city):
        counts = kind_counts(g, node, asof)
        key = (
            attrs.get("city"),
            attrs.get("county") if by in ("county", "township") else None,
            attrs.get("township") if by == "township" else None,
        )
        acc = groups.setdefault(key, [0] * 7)
        covered = int(any(counts.values()))
        for i, value in enumerate((1, covered, 1 - covered, *(int(counts[k] > 0) for k in SUPPORT_KINDS))):
            acc[i] += value
    rows = [
        CoverageRow(c, t, weak, covered, uncovered, pairing, lead, fusion, station, city=m)
        for (m, c, t), (weak, covered, uncovered, pairing, lead, fusion, station) in groups.items()
    ]
    return sorted(rows, key=lambda r: (_last(r.city), _last(r.county), _last(r.township)))


def _last(value: str | None) -> tuple[bool, str]:
    """A sort key that puts a missing place after every named one."""
    return (value is None, value or "")


def expected_org_type(members: int | None) -> str | None:
    """Seed 001: more than 100 members a committee, 50-100 a general branch, fewer a branch."""
    if members is None:
        return None
    return "committee" if members > 100 else "general_branch" if members >= 50 else "branch"


def setting_verdict(attrs: dict[str, Any]) -> tuple[str | None, bool, bool]:
    """(expected type, type mismatch, leadership under 3) of one village's or community's party organisation."""
    members, org_type, team = attrs.get("party_members"), attrs.get("party_org_type"), attrs.get("leadership_size")
    expected = expected_org_type(members)
    mismatch = org_type is not None and expected is not None and org_type != expected
    small = members is not None and team is not None and members >= 3 and team < 3
    return expected, mismatch, small


def org_setting(
    data: Dataset | nx.MultiDiGraph, county: str | None = None, township: str | None = None, city: str | None = None
) -> list[OrgSettingRow]:
    g = _graph(data)
    out = []
    for node, attrs in g.nodes(data=True):
        if attrs["label"] not in ("Village", "CityCommunity") or not _matches(attrs, county, township, city):
            continue
        expected, mismatch, small = setting_verdict(attrs)
        if mismatch or small:
            out.append(
                OrgSettingRow(
                    attrs["label"],
                    node,
                    attrs["name"],
                    attrs.get("county"),
                    attrs.get("township"),
                    attrs.get("party_members"),
                    attrs.get("party_org_type"),
                    expected,
                    attrs.get("leadership_size"),
                    mismatch,
                    small,
                    attrs.get("city"),
                )
            )
    return sorted(out, key=lambda o: (_last(o.city), _last(o.county), _last(o.township), o.label, o.id))


# ---------------------------------------------------------------------- ids and counts, for the seed's checks


def covered(data: Dataset | nx.MultiDiGraph, day: dt.date) -> set[str]:
    """Villages (of any tier) with at least one support link active on `day`."""
    g = _graph(data)
    return {
        node
        for node, attrs in g.nodes(data=True)
        if attrs["label"] == "Village" and any(active_on(link, day) for _kind, link in support_links(g, node))
    }


def unpaired_ids(data: Dataset | nx.MultiDiGraph, day: dt.date) -> list[str]:
    """Ids of the weak villages with no active support on `day`, sorted."""
    return sorted(r.village_id for r in unpaired(data, day))


def active_load(data: Dataset | nx.MultiDiGraph, day: dt.date) -> Counter[str]:
    """Active pairings on `day` by unit id (every unit, with 0 for none)."""
    return Counter({u.unit_id: u.active for u in unit_load(data, day)})


def breaks_setting_rule(attrs: dict[str, Any]) -> bool:
    """Whether a village's or community's party organisation is an org-setting gap (seed 001's rule)."""
    _expected, mismatch, small = setting_verdict(attrs)
    return mismatch or small


# ---------------------------------------------------------------------- 三张清单 (docs/domain.md)

# Written from docs/domain.md's 三张清单 definitions, not from graph.lists: a live claim is one whose status is
# not `not_chosen` (a claim with no status is `claimed`); a need is withdrawn, done, claimed or open.


def _claims_of(g: nx.MultiDiGraph, need: str) -> list[tuple[str, dict[str, Any]]]:
    return [(src, link) for src, link in _in_links(g, need) if link["type"] == "CLAIMED"]


def _live(link: dict[str, Any]) -> bool:
    return link.get("status") != "not_chosen"


def _village_of(g: nx.MultiDiGraph, need: str) -> tuple[str | None, dict[str, Any]]:
    for _src, dst, link in g.out_edges(need, data=True):
        if link["type"] == "NEED_OF":
            return dst, g.nodes[dst]
    return None, {}


def need_state(g: nx.MultiDiGraph, need: str) -> str:
    status = g.nodes[need].get("status")
    if status == "withdrawn":
        return "withdrawn"
    live = [link for _src, link in _claims_of(g, need) if _live(link)]
    if status == "done" or any(link.get("status") == "done" for link in live):
        return "done"
    if status in ("claimed", "done") or live:
        return "claimed"
    return "open"


def _needs(g: nx.MultiDiGraph) -> Iterator[str]:
    return (node for node, attrs in g.nodes(data=True) if attrs["label"] == "Need")


def stale_needs(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    county: str | None = None,
    township: str | None = None,
    days: int = lists.STALE_AFTER_DAYS,
) -> list[StaleNeed]:
    g = _graph(data)
    out = []
    for need in _needs(g):
        attrs = g.nodes[need]
        posted = attrs.get("posted")
        # Open, with no live claim (an open need has none), waiting `days` or more.
        if need_state(g, need) != "open" or posted is None or (asof - posted).days < days:
            continue
        village, place = _village_of(g, need)
        if not _matches(place, county, township):
            continue
        out.append(
            StaleNeed(
                need,
                attrs["name"],
                attrs.get("kind"),
                village,
                place.get("name"),
                place.get("county"),
                place.get("township"),
                posted,
                (asof - posted).days,
            )
        )
    return sorted(out, key=lambda s: (s.posted, *lists.place_order(s.county, s.township, s.village_id), s.need_id))


def overdue_projects(
    data: Dataset | nx.MultiDiGraph, asof: dt.date, county: str | None = None, township: str | None = None
) -> list[OverdueProject]:
    g = _graph(data)
    out = []
    for need in _needs(g):
        village, place = _village_of(g, need)
        if not _matches(place, county, township):
            continue
        for unit, link in _claims_of(g, need):
            status = link.get("status") or "claimed"
            due = link.get("due")
            if status not in ("claimed", "ongoing") or due is None or not due < asof:
                continue
            out.append(
                OverdueProject(
                    unit,
                    g.nodes[unit]["name"],
                    g.nodes[unit]["label"],
                    need,
                    g.nodes[need]["name"],
                    village,
                    place.get("name"),
                    place.get("county"),
                    place.get("township"),
                    link["claimed"],
                    status,
                    due,
                    (asof - due).days,
                )
            )
    return sorted(
        out, key=lambda p: (p.due, *lists.place_order(p.county, p.township, p.village_id), p.need_id, p.unit_id)
    )


def idle_claimers(
    data: Dataset | nx.MultiDiGraph,
    asof: dt.date,
    county: str | None = None,
    township: str | None = None,
    days: int = lists.IDLE_AFTER_DAYS,
) -> list[IdleClaimer]:
    g = _graph(data)
    idle: dict[str, list[tuple[dt.date, str]]] = {}
    for need in _needs(g):
        village, place = _village_of(g, need)
        if not _matches(place, county, township):
            continue
        for unit, link in _claims_of(g, need):
            made = link["claimed"]
            if (link.get("status") or "claimed") != "claimed" or (asof - made).days < days:
                continue
            acted = village is not None and any(
                a["type"] == "ACTIVITY" and made <= a["date"] <= asof
                for _s, dst, a in g.out_edges(unit, data=True)
                if dst == village
            )
            if not acted:
                idle.setdefault(unit, []).append((made, need))
    out = []
    for unit, claims in idle.items():
        claims.sort()
        attrs = g.nodes[unit]
        out.append(
            IdleClaimer(
                unit,
                attrs["name"],
                attrs["label"],
                attrs.get("county"),
                len(claims),
                tuple(n for _d, n in claims),
                tuple(g.nodes[n]["name"] for _d, n in claims),
                claims[0][0],
            )
        )
    return sorted(out, key=lambda u: (u.since, u.unit_id))


def claim_rates(data: Dataset | nx.MultiDiGraph, by: str = "county", county: str | None = None) -> list[RateRow]:
    """Claimed needs / needs (not withdrawn) and done needs / claimed needs per county or township; None when
    the denominator is 0. Needs of no village belong to no county and are not counted."""
    g = _graph(data)
    groups: dict[tuple[str | None, str | None], list[int]] = {}
    for need in _needs(g):
        village, place = _village_of(g, need)
        state = need_state(g, need)
        if village is None or state == "withdrawn" or not _matches(place, county, None):
            continue
        acc = groups.setdefault((place.get("county"), place.get("township") if by == "township" else None), [0, 0, 0])
        acc[0] += 1
        acc[1] += state in ("claimed", "done")
        acc[2] += state == "done"
    rows = [RateRow(c, t, n, k, d, k / n if n else None, d / k if k else None) for (c, t), (n, k, d) in groups.items()]
    return sorted(rows, key=lambda r: ((r.county is None, r.county or ""), (r.township is None, r.township or "")))
