"""Coverage gaps: which weak villages lack support, and the lists a department acts on.

Every list comes from a named query in `graph/cypher/gaps/`; this module passes the dates (all
cut-offs are computed here, since `duration()` is not portable), types the rows and applies
what Cypher cannot do portably: the coverage policy, county totals and sorting.
`tools.reference` computes the same lists in plain Python; the tests compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from graph.dataset import Row
from graph.errors import QueryError
from graph.model import SUPPORT_KINDS, UNIT_STATUSES
from graph.store.base import Params


class Reader(Protocol):
    """What the gap lists read through: a store, or an open transaction's reader (`graph.proposals`)."""

    def read(self, name: str, params: Params | None = None) -> list[Row]: ...


ANY = "any"
# The default policy: one active support link of any kind covers a village.
DEFAULT_POLICY: tuple[str, ...] = (ANY,)
# Seed 003: a pairing without a practical project for a year is a paper pairing.
INACTIVE_AFTER_DAYS = 365
EXPIRING_DAYS = 90
# The levels a summary rolls up by: province → city → county → township.
BY_CHOICES = ("city", "county", "township")
# A unit's load status, worst first (declared with its words in graph.model).
STATUS_ORDER = UNIT_STATUSES


class PolicyError(QueryError):
    """A coverage policy names a support kind that does not exist."""


@dataclass(frozen=True)
class GapRow:
    """A weak village and the support it has on the as-of date, judged against a policy."""

    village_id: str
    village: str
    county: str | None
    township: str | None
    weak_reasons: tuple[str, ...]
    # Active links of each kind on the as-of date.
    pairing: int
    lead: int
    fusion: int
    station: int
    has: tuple[str, ...]
    missing: tuple[str, ...]
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None

    @property
    def covered(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class InactivePairing:
    unit_label: str
    unit_id: str
    unit: str
    village_id: str
    village: str
    county: str | None
    township: str | None
    tier: str | None
    since: dt.date
    until: dt.date | None
    # The effective last activity: the later of the pairing's column and its latest completed activity.
    last_activity: dt.date | None
    # Days from the last activity to the as-of date; None when no activity was ever recorded.
    days_since_activity: int | None
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None


@dataclass(frozen=True)
class FirstYearPairing:
    """A pairing in its first year with no activity yet: milder than a paper pairing, and listed apart."""

    unit_label: str
    unit_id: str
    unit: str
    village_id: str
    village: str
    county: str | None
    township: str | None
    tier: str | None
    since: dt.date
    until: dt.date | None
    # Days from the pairing's start to the as-of date (0 on its first day).
    days_paired: int
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None


@dataclass(frozen=True)
class ExpiringStation:
    cadre_id: str
    cadre: str
    role: str | None
    village_id: str
    village: str
    county: str | None
    township: str | None
    since: dt.date
    until: dt.date
    days_left: int
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None


@dataclass(frozen=True)
class UnitLoad:
    unit_label: str
    unit_id: str
    unit: str
    county: str | None
    capacity: int | None
    active: int
    status: str
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    county: str | None
    # None on county rows.
    township: str | None
    weak: int
    covered: int
    uncovered: int
    pairing: int
    lead: int
    fusion: int
    station: int
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None

    @property
    def rate(self) -> float:
        return self.covered / self.weak if self.weak else 1.0


@dataclass(frozen=True)
class OrgSettingRow:
    label: str
    id: str
    name: str
    county: str | None
    township: str | None
    party_members: int | None
    party_org_type: str | None
    expected_type: str | None
    leadership_size: int | None
    type_mismatch: bool
    small_leadership: bool
    # The 地级市 above the county (None where the ledger has none); last, so that positional rows still work.
    city: str | None = None


# ---------------------------------------------------------------- helpers


def today() -> dt.date:
    return dt.date.today()


def as_date(value: dt.date | str | None, what: str = "date") -> dt.date:
    """The as-of date: today when not given; ISO text accepted (`what` names the value in an error)."""
    if value is None:
        return today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"{what}: {value!r} is not a date (expected YYYY-MM-DD)") from exc


def parse_policy(policy: str | Iterable[str] | None) -> tuple[str, ...]:
    """`"any"` (or nothing) for the default; else the kinds every weak village must have, e.g. "pairing,station"."""
    if policy is None:
        return DEFAULT_POLICY
    items = policy.replace("，", ",").split(",") if isinstance(policy, str) else list(policy)
    kinds = [item.strip().lower() for item in items if item.strip()]
    if not kinds or kinds == [ANY]:
        return DEFAULT_POLICY
    if ANY in kinds:
        raise PolicyError(f"'{ANY}' cannot be combined with other kinds in a policy: {', '.join(kinds)}")
    unknown = [k for k in kinds if k not in SUPPORT_KINDS]
    if unknown:
        raise PolicyError(
            f"unknown support kind{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} in the policy; "
            f"use '{ANY}' or a comma-separated list of {', '.join(SUPPORT_KINDS)}"
        )
    # Keep the model's order so that `missing` lists read the same everywhere.
    return tuple(k for k in SUPPORT_KINDS if k in kinds)


def judge(has: Iterable[str], policy: Sequence[str]) -> tuple[str, ...]:
    """The kinds missing under a policy: for `any`, all kinds when the village has none."""
    have = set(has)
    if tuple(policy) == DEFAULT_POLICY:
        return () if have else SUPPORT_KINDS
    return tuple(k for k in policy if k not in have)


def _int(value: Any) -> int:
    # Ladybug returns sum() as Decimal.
    return int(value) if isinstance(value, int | Decimal | float) else 0


def _text_key(value: str | None) -> tuple[bool, str]:
    # Engines order nulls differently; sort in Python with missing values last.
    return (value is None, value or "")


def _filters(county: str | None, township: str | None, city: str | None = None) -> dict[str, str | None]:
    return {"city": city or None, "county": county or None, "township": township or None}


def _gap_row(row: Row, policy: Sequence[str]) -> GapRow:
    counts = {k: _int(row.get(k, 0)) for k in SUPPORT_KINDS}
    has = tuple(k for k in SUPPORT_KINDS if counts[k] > 0)
    return GapRow(
        village_id=row["village_id"],
        village=row["village"],
        city=row["city"],
        county=row["county"],
        township=row["township"],
        weak_reasons=tuple(row["weak_reasons"] or ()),
        pairing=counts["pairing"],
        lead=counts["lead"],
        fusion=counts["fusion"],
        station=counts["station"],
        has=has,
        missing=judge(has, policy),
    )


def village_order(row: GapRow) -> tuple[Any, ...]:
    # Province → city → county → township: a province's list reads city by city.
    return (_text_key(row.city), _text_key(row.county), _text_key(row.township), row.village_id)


# ---------------------------------------------------------------- the lists


def unpaired(
    store: Reader,
    asof: dt.date | str | None = None,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[GapRow]:
    """Weak villages with no active support of any kind on `asof`."""
    params = {"asof": as_date(asof), **_filters(county, township, city)}
    rows = [_gap_row(r, DEFAULT_POLICY) for r in store.read("gaps/unpaired", params)]
    return sorted(rows, key=village_order)


def support(
    store: Reader,
    asof: dt.date | str | None = None,
    policy: str | Iterable[str] | None = DEFAULT_POLICY,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[GapRow]:
    """Every weak village with the kinds it has on `asof` and those the policy still misses."""
    kinds = parse_policy(policy)
    params = {"asof": as_date(asof), **_filters(county, township, city)}
    rows = [_gap_row(r, kinds) for r in store.read("gaps/support_kinds", params)]
    return sorted(rows, key=village_order)


def gaps(
    store: Reader,
    asof: dt.date | str | None = None,
    policy: str | Iterable[str] | None = DEFAULT_POLICY,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[GapRow]:
    """The weak villages that fail the policy on `asof`; under the default policy, `unpaired`."""
    kinds = parse_policy(policy)
    if kinds == DEFAULT_POLICY:
        return unpaired(store, asof, county, township, city)
    return [r for r in support(store, asof, kinds, county, township, city) if r.missing]


def inactive(
    store: Reader,
    asof: dt.date | str | None = None,
    county: str | None = None,
    township: str | None = None,
    days: int = INACTIVE_AFTER_DAYS,
    city: str | None = None,
) -> list[InactivePairing]:
    """Paper pairings on `asof`: begun at least `days` before it, with no completed activity since `asof - days`.

    The effective last activity is the later of the pairing's `last_activity` column and its latest
    completed activity (status done or blank) up to `asof`; a pairing younger than `days` is never
    listed here (see `first_year`).
    """
    day, cutoff = _window(asof, days)
    rows = store.read("gaps/inactive_pairings", {"asof": day, "cutoff": cutoff, **_filters(county, township, city)})
    out = [
        InactivePairing(
            unit_label=r["unit_label"],
            unit_id=r["unit_id"],
            unit=r["unit"],
            village_id=r["village_id"],
            village=r["village"],
            city=r["city"],
            county=r["county"],
            township=r["township"],
            tier=r["tier"],
            since=r["since"],
            until=r["until"],
            last_activity=r["last_activity"],
            days_since_activity=(day - r["last_activity"]).days if r["last_activity"] is not None else None,
        )
        for r in rows
    ]
    # Longest silence first: never-active pairings, then the oldest last activity.
    return sorted(
        out, key=lambda p: (p.last_activity is not None, p.last_activity or day, p.village_id, p.unit_id, p.since)
    )


def first_year(
    store: Reader,
    asof: dt.date | str | None = None,
    county: str | None = None,
    township: str | None = None,
    days: int = INACTIVE_AFTER_DAYS,
    city: str | None = None,
) -> list[FirstYearPairing]:
    """Pairings begun less than `days` before `asof` with no completed activity up to it (首年尚无活动)."""
    day, cutoff = _window(asof, days)
    rows = store.read("gaps/first_year_pairings", {"asof": day, "cutoff": cutoff, **_filters(county, township, city)})
    out = [
        FirstYearPairing(
            unit_label=r["unit_label"],
            unit_id=r["unit_id"],
            unit=r["unit"],
            village_id=r["village_id"],
            village=r["village"],
            city=r["city"],
            county=r["county"],
            township=r["township"],
            tier=r["tier"],
            since=r["since"],
            until=r["until"],
            days_paired=(day - r["since"]).days,
        )
        for r in rows
    ]
    # Oldest first: those nearest to becoming paper pairings.
    return sorted(out, key=lambda p: (p.since, p.village_id, p.unit_id))


def _window(asof: dt.date | str | None, days: int) -> tuple[dt.date, dt.date]:
    """The as-of day and the cut-off `days` before it, of the inactive and first-year lists."""
    if days < 1:
        raise QueryError(f"days must be 1 or more, not {days}")
    day = as_date(asof)
    return day, day - dt.timedelta(days=days)


def expiring(
    store: Reader,
    asof: dt.date | str | None = None,
    days: int = EXPIRING_DAYS,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[ExpiringStation]:
    """Stationed cadres whose term ends within `days` of `asof` and leaves their weak village with no support."""
    if days < 0:
        raise QueryError(f"days must be 0 or more, not {days}")
    day = as_date(asof)
    params = {
        "asof": day,
        "horizon": day + dt.timedelta(days=days),
        "one_day": dt.timedelta(days=1),
        **_filters(county, township, city),
    }
    out = [
        ExpiringStation(
            cadre_id=r["cadre_id"],
            cadre=r["cadre"],
            role=r["role"],
            village_id=r["village_id"],
            village=r["village"],
            city=r["city"],
            county=r["county"],
            township=r["township"],
            since=r["since"],
            until=r["until"],
            days_left=(r["until"] - day).days,
        )
        for r in store.read("gaps/expiring_cadres", params)
    ]
    return sorted(out, key=lambda s: (s.until, s.village_id, s.cadre_id, s.since))


def unit_load(
    store: Reader, asof: dt.date | str | None = None, county: str | None = None, city: str | None = None
) -> list[UnitLoad]:
    """Every pairing unit with its capacity, active pairings on `asof` and status."""
    rows = store.read("gaps/unit_load", {"asof": as_date(asof), "county": county or None, "city": city or None})
    out = [
        UnitLoad(
            unit_label=r["unit_label"],
            unit_id=r["unit_id"],
            unit=r["unit"],
            city=r["city"],
            county=r["county"],
            capacity=r["capacity"],
            active=_int(r["active"]),
            status=r["status"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda u: (STATUS_ORDER.index(u.status), u.unit_label, u.unit_id))


def coverage(
    store: Reader,
    asof: dt.date | str | None = None,
    by: str = "county",
    county: str | None = None,
    city: str | None = None,
) -> list[CoverageRow]:
    """Weak villages and covered ones (any active support) per city, county or township, with per-kind counts.

    Rows roll up province → city → county → township: a county row carries its city, a township row its
    county and city; a city row has neither county nor township.
    """
    if by not in BY_CHOICES:
        raise QueryError(f"coverage by {by!r}: choose one of {', '.join(BY_CHOICES)}")
    rows = [
        CoverageRow(
            city=r["city"],
            county=r["county"],
            township=r["township"],
            weak=_int(r["weak"]),
            covered=_int(r["covered"]),
            uncovered=_int(r["weak"]) - _int(r["covered"]),
            pairing=_int(r["pairing"]),
            lead=_int(r["lead"]),
            fusion=_int(r["fusion"]),
            station=_int(r["station"]),
        )
        for r in store.read("gaps/coverage", {"asof": as_date(asof), "county": county or None, "city": city or None})
    ]
    if by != "township":
        rows = _rolled_up(rows, by)
    return sorted(rows, key=lambda c: (_text_key(c.city), _text_key(c.county), _text_key(c.township)))


def _rolled_up(rows: list[CoverageRow], by: str) -> list[CoverageRow]:
    # A GROUP BY cannot be switched by a parameter in Cypher: the query groups by township.
    totals: dict[tuple[str | None, str | None], list[int]] = {}
    for r in rows:
        acc = totals.setdefault((r.city, r.county if by == "county" else None), [0] * 7)
        for i, value in enumerate((r.weak, r.covered, r.uncovered, r.pairing, r.lead, r.fusion, r.station)):
            acc[i] += value
    return [_coverage_row(city, county, None, acc) for (city, county), acc in totals.items()]


def _coverage_row(city: str | None, county: str | None, township: str | None, counts: Sequence[int]) -> CoverageRow:
    """A coverage row from its place and its counts in field order (weak, covered, uncovered, then each kind)."""
    weak, covered, uncovered, pairing, lead, fusion, station = counts
    return CoverageRow(county, township, weak, covered, uncovered, pairing, lead, fusion, station, city)


def org_setting(
    store: Reader, county: str | None = None, township: str | None = None, city: str | None = None
) -> list[OrgSettingRow]:
    """Party organisations whose type does not fit their membership, or whose leadership team is too small."""
    out = [
        OrgSettingRow(
            label=r["label"],
            id=r["id"],
            name=r["name"],
            city=r["city"],
            county=r["county"],
            township=r["township"],
            party_members=r["party_members"],
            party_org_type=r["party_org_type"],
            expected_type=r["expected_type"],
            leadership_size=r["leadership_size"],
            type_mismatch=bool(r["type_mismatch"]),
            small_leadership=bool(r["small_leadership"]),
        )
        for r in store.read("gaps/org_setting", _filters(county, township, city))
    ]
    return sorted(out, key=lambda o: (_text_key(o.city), _text_key(o.county), _text_key(o.township), o.label, o.id))
