"""三张清单 read: the needs list (需求清单), the resources list (资源清单), the projects list (项目清单), the
claim rate (认领率) and completion rate (办结率), and the gap lists that follow from them.

The definitions are docs/domain.md's (三张清单): a need is withdrawn, done, claimed or open; a live claim
is one not `not_chosen`; a claim with no status recorded is `claimed`. Each list comes from a named query
in `graph/cypher/lists/`; this module passes the cut-off dates, types the rows, works out what Cypher
cannot do portably (grouping claims per need or unit, county totals, rates) and sorts.
`tools.reference` computes the same lists in plain Python; the tests compare the two.

The rates take no as-of date: a need's and a claim's status are kept as they are now, with no history
of when they changed, so a rate "on" a past day would mix today's statuses with that day's needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from graph.errors import QueryError
from graph.gaps import Reader, as_date
from graph.model import NEED_STATUS, PROJECT_STATUS
from graph.reports import VILLAGE_COLUMNS, Column

# A need with no live claim posted this many days ago or earlier is stale (issue #17: 90 days).
STALE_AFTER_DAYS = 90
# A claim still only `claimed` this many days after it was made, with no activity since, is idle.
IDLE_AFTER_DAYS = 90
NEED_STATES = NEED_STATUS.codes
PROJECT_STATUSES = PROJECT_STATUS.codes
OPEN, CLAIMED, DONE, WITHDRAWN = NEED_STATES
ONGOING, NOT_CHOSEN = PROJECT_STATUSES[1], PROJECT_STATUSES[3]

# The levels the rates roll up by (the city level is not in the 三张清单 queries yet).
BY_CHOICES = ("county", "township")


# The three lists' columns and titles: the CLI's output and files, and the app's tables.
NEED_COLUMNS = (
    Column("need_id", "需求编号", "Need ID"),
    Column("need", "需求事项", "Need"),
    Column("kind", "需求类别", "Kind", coded=True),
    *VILLAGE_COLUMNS,
    Column("posted", "发布日期", "Posted"),
    Column("status", "状态", "Status", coded=True),
    Column("unit_names", "认领单位", "Claimed by"),
    Column("claim_statuses", "认领状态", "Claim statuses", coded=True),
)
RESOURCE_COLUMNS = (
    Column("resource_id", "资源编号", "Resource ID"),
    Column("resource", "资源名称", "Resource"),
    Column("kind", "资源类别", "Kind", coded=True),
    Column("serves", "可服务村数", "Villages it can serve"),
    Column("unit_id", "单位编号", "Unit ID"),
    Column("unit", "提供单位", "Unit"),
    Column("unit_label", "单位类型", "Unit type", coded=True),
    Column("county", "所属县", "County"),
)
PROJECT_COLUMNS = (
    Column("unit_id", "单位编号", "Unit ID"),
    Column("unit", "认领单位", "Unit"),
    Column("unit_label", "单位类型", "Unit type", coded=True),
    Column("need_id", "需求编号", "Need ID"),
    Column("need", "需求事项", "Need"),
    *VILLAGE_COLUMNS,
    Column("claimed", "认领日期", "Claimed"),
    Column("status", "项目状态", "Status", coded=True),
    Column("due", "完成时限", "Due"),
    Column("done", "完成日期", "Done"),
)
TITLES = {
    "needs": ("需求清单", "Needs list"),
    "resources": ("资源清单", "Resources list"),
    "projects": ("项目清单", "Projects list"),
}


def title(name: str, lang: str) -> str:
    zh, en = TITLES[name]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class NeedRow:
    """A need (需求清单) with its village and the units that claimed it."""

    need_id: str
    need: str
    kind: str | None
    village_id: str | None
    village: str | None
    county: str | None
    township: str | None
    posted: dt.date | None
    # The state by the definitions (open, claimed, done, withdrawn), not only the stored status.
    status: str
    # Every claim of the need, in the order of the units' ids: ids, names and claim statuses.
    units: tuple[str, ...]
    unit_names: tuple[str, ...]
    claim_statuses: tuple[str, ...]


@dataclass(frozen=True)
class ResourceRow:
    """A resource (资源清单) and the unit that offers it."""

    resource_id: str
    resource: str
    kind: str | None
    serves: int | None
    unit_id: str
    unit: str
    unit_label: str
    county: str | None


@dataclass(frozen=True)
class ProjectRow:
    """A claim of a need by a unit (项目清单), with the need's village."""

    unit_id: str
    unit: str
    unit_label: str
    need_id: str
    need: str
    village_id: str | None
    village: str | None
    county: str | None
    township: str | None
    claimed: dt.date
    status: str
    due: dt.date | None
    done: dt.date | None


@dataclass(frozen=True)
class RateRow:
    """Needs that count (not withdrawn), claimed and done ones in a county or township, and the two rates.

    A rate with an empty denominator is None (no needs, or none claimed), shown "—": not 100%.
    """

    county: str | None
    # None on county rows.
    township: str | None
    needs: int
    claimed: int
    done: int
    claim_rate: float | None
    completion_rate: float | None


@dataclass(frozen=True)
class StaleNeed:
    need_id: str
    need: str
    kind: str | None
    village_id: str | None
    village: str | None
    county: str | None
    township: str | None
    posted: dt.date
    days_open: int


@dataclass(frozen=True)
class OverdueProject:
    unit_id: str
    unit: str
    unit_label: str
    need_id: str
    need: str
    village_id: str | None
    village: str | None
    county: str | None
    township: str | None
    claimed: dt.date
    status: str
    due: dt.date
    days_overdue: int


@dataclass(frozen=True)
class IdleClaimer:
    """A unit with claims made long ago, still only claimed, and nothing done for those villages since."""

    unit_id: str
    unit: str
    unit_label: str
    county: str | None
    claims: int
    # The idle claims' needs (ids and items), oldest claim first.
    need_ids: tuple[str, ...]
    needs: tuple[str, ...]
    # The oldest idle claim's date.
    since: dt.date


# ---------------------------------------------------------------- the rules, on plain values


def claim_status(status: str | None) -> str:
    """A claim's status: one with none recorded is a claim (`claimed`)."""
    return status or CLAIMED


def is_live(status: str | None) -> bool:
    """A live claim is one the village did not decline (`not_chosen`)."""
    return claim_status(status) != NOT_CHOSEN


def need_state(status: str | None, claim_statuses: Iterable[str | None]) -> str:
    """A need's state from its stored status and its claims' statuses (docs/domain.md, 三张清单)."""
    if status == WITHDRAWN:
        return WITHDRAWN
    live = [claim_status(s) for s in claim_statuses if is_live(s)]
    if status == DONE or DONE in live:
        return DONE
    if status == CLAIMED or live:
        return CLAIMED
    return OPEN


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _int(value: Any) -> int:
    # Ladybug returns sum() as Decimal.
    return int(value) if isinstance(value, int | Decimal | float) else 0


def _text_key(value: str | None) -> tuple[bool, str]:
    return (value is None, value or "")


def _filters(county: str | None, township: str | None) -> dict[str, str | None]:
    return {"county": county or None, "township": township or None}


def place_order(county: str | None, township: str | None, village_id: str | None) -> tuple[Any, ...]:
    return (_text_key(county), _text_key(township), _text_key(village_id))


# ---------------------------------------------------------------- the three lists


def _project(r: Mapping[str, Any]) -> ProjectRow:
    return ProjectRow(
        unit_id=r["unit_id"],
        unit=r["unit"],
        unit_label=r["unit_label"],
        need_id=r["need_id"],
        need=r["need"],
        village_id=r["village_id"],
        village=r["village"],
        county=r["county"],
        township=r["township"],
        claimed=r["claimed"],
        status=claim_status(r["status"]),
        due=r["due"],
        done=r["done"],
    )


def project_order(p: ProjectRow) -> tuple[Any, ...]:
    return (*place_order(p.county, p.township, p.village_id), p.need_id, p.unit_id)


def projects(
    store: Reader, *, county: str | None = None, township: str | None = None, status: str | None = None
) -> list[ProjectRow]:
    """Every claim (项目清单) of needs of villages in `county`/`township`, with `status` when given."""
    if status is not None and status not in PROJECT_STATUSES:
        raise QueryError(f"project status {status!r}: choose one of {', '.join(PROJECT_STATUSES)}")
    rows = [_project(r) for r in store.read("lists/claims", _filters(county, township))]
    return sorted((p for p in rows if status is None or p.status == status), key=project_order)


def needs(
    store: Reader, *, county: str | None = None, township: str | None = None, status: str | None = None
) -> list[NeedRow]:
    """Every need (需求清单) of villages in `county`/`township`, in state `status` when given, with its claims."""
    if status is not None and status not in NEED_STATES:
        raise QueryError(f"need status {status!r}: choose one of {', '.join(NEED_STATES)}")
    params = _filters(county, township)
    claims: dict[str, list[ProjectRow]] = {}
    for p in sorted(projects(store, county=county, township=township), key=lambda p: p.unit_id):
        claims.setdefault(p.need_id, []).append(p)
    out = []
    for r in store.read("lists/needs", params):
        mine = claims.get(r["need_id"], [])
        out.append(
            NeedRow(
                need_id=r["need_id"],
                need=r["need"],
                kind=r["kind"],
                village_id=r["village_id"],
                village=r["village"],
                county=r["county"],
                township=r["township"],
                posted=r["posted"],
                status=need_state(r["status"], (p.status for p in mine)),
                units=tuple(p.unit_id for p in mine),
                unit_names=tuple(p.unit for p in mine),
                claim_statuses=tuple(p.status for p in mine),
            )
        )
    rows = [n for n in out if status is None or n.status == status]
    return sorted(rows, key=lambda n: (*place_order(n.county, n.township, n.village_id), n.need_id))


def resources(store: Reader, *, county: str | None = None, unit: str | None = None) -> list[ResourceRow]:
    """Every resource (资源清单) of units in `county` (the unit's county), of the unit `unit` when given."""
    rows = [
        ResourceRow(
            resource_id=r["resource_id"],
            resource=r["resource"],
            kind=r["kind"],
            serves=r["serves"],
            unit_id=r["unit_id"],
            unit=r["unit"],
            unit_label=r["unit_label"],
            county=r["county"],
        )
        for r in store.read("lists/resources", {"county": county or None})
    ]
    rows = [r for r in rows if unit is None or r.unit_id == unit]
    return sorted(rows, key=lambda r: (_text_key(r.county), r.unit_label, r.unit_id, r.resource_id))


def rates(store: Reader, by: str = "county", county: str | None = None) -> list[RateRow]:
    """The claim rate (claimed / needs) and completion rate (done / claimed) per county or township."""
    if by not in BY_CHOICES:
        raise QueryError(f"rates by {by!r}: choose one of {', '.join(BY_CHOICES)}")
    counts: dict[tuple[str | None, str | None], list[int]] = {}
    for r in store.read("lists/rates", {"county": county or None}):
        place = (r["county"], r["township"] if by == "township" else None)
        acc = counts.setdefault(place, [0, 0, 0])
        for i, key in enumerate(("needs", "claimed", "done")):
            acc[i] += _int(r[key])
    rows = [RateRow(c, t, n, k, d, rate(k, n), rate(d, k)) for (c, t), (n, k, d) in counts.items()]
    return sorted(rows, key=lambda r: (_text_key(r.county), _text_key(r.township)))


# ---------------------------------------------------------------- the gap lists (graph.gap_lists)


def stale_needs(
    store: Reader,
    asof: dt.date | str | None = None,
    county: str | None = None,
    township: str | None = None,
    days: int = STALE_AFTER_DAYS,
) -> list[StaleNeed]:
    """Open needs no unit has a live claim of, posted `days` or more days before `asof`: the longest wait first."""
    if days < 0:
        raise QueryError(f"days must be 0 or more, not {days}")
    day = as_date(asof)
    params = {"cutoff": day - dt.timedelta(days=days), **_filters(county, township)}
    rows = [
        StaleNeed(
            need_id=r["need_id"],
            need=r["need"],
            kind=r["kind"],
            village_id=r["village_id"],
            village=r["village"],
            county=r["county"],
            township=r["township"],
            posted=r["posted"],
            days_open=(day - r["posted"]).days,
        )
        for r in store.read("lists/stale_needs", params)
    ]
    return sorted(rows, key=lambda s: (s.posted, *place_order(s.county, s.township, s.village_id), s.need_id))


def overdue_projects(
    store: Reader, asof: dt.date | str | None = None, county: str | None = None, township: str | None = None
) -> list[OverdueProject]:
    """Live claims claimed or under way whose due date is before `asof`: the longest overdue first."""
    day = as_date(asof)
    rows = [
        OverdueProject(
            unit_id=r["unit_id"],
            unit=r["unit"],
            unit_label=r["unit_label"],
            need_id=r["need_id"],
            need=r["need"],
            village_id=r["village_id"],
            village=r["village"],
            county=r["county"],
            township=r["township"],
            claimed=r["claimed"],
            status=r["status"],
            due=r["due"],
            days_overdue=(day - r["due"]).days,
        )
        for r in store.read("lists/overdue_projects", {"asof": day, **_filters(county, township)})
    ]
    return sorted(rows, key=lambda p: (p.due, *place_order(p.county, p.township, p.village_id), p.need_id, p.unit_id))


def idle_claimers(
    store: Reader,
    asof: dt.date | str | None = None,
    county: str | None = None,
    township: str | None = None,
    days: int = IDLE_AFTER_DAYS,
) -> list[IdleClaimer]:
    """Units with claims made `days` or more days before `asof`, still only claimed, and no activity since for
    those villages: one row per unit, the one idle longest first. The place filters are the needs' villages'."""
    if days < 0:
        raise QueryError(f"days must be 0 or more, not {days}")
    day = as_date(asof)
    params = {"asof": day, "cutoff": day - dt.timedelta(days=days), **_filters(county, township)}
    per_unit: dict[str, list[Mapping[str, Any]]] = {}
    for r in store.read("lists/idle_claims", params):
        per_unit.setdefault(r["unit_id"], []).append(r)
    return sorted((idle_row(claims) for claims in per_unit.values()), key=lambda u: (u.since, u.unit_id))


def idle_row(claims: list[Mapping[str, Any]]) -> IdleClaimer:
    """One unit's row from its idle claims (rows with unit_id, unit, unit_label, unit_county, need_id, need,
    claimed)."""
    ordered = sorted(claims, key=lambda r: (r["claimed"], r["need_id"]))
    first = ordered[0]
    return IdleClaimer(
        unit_id=first["unit_id"],
        unit=first["unit"],
        unit_label=first["unit_label"],
        county=first["unit_county"],
        claims=len(ordered),
        need_ids=tuple(r["need_id"] for r in ordered),
        needs=tuple(r["need"] for r in ordered),
        since=first["claimed"],
    )
