"""Practical projects and activities (实事项目 / 共建活动): what a unit did for its paired village, and when.

An activity is an ACTIVITY link unit→village keyed by (date, title). It belongs to the pairing of the
same unit and village in force on its date, so it can only be recorded while such a pairing is; it is
**completed** when its status is `done` or blank (a ledger of what was done often has no status column).
A pairing's effective `projects` and `last_activity` are derived from its completed activities where it
has any (`effective`), and read from its columns otherwise; the yearly rule (`graph.gaps.inactive`)
uses the same words.

Every write runs in one transaction, authorised for the app's account on the village's county and
audited with before/after, like `graph.writes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph import audit
from graph.accounts import Account
from graph.cypher_gen import load_query
from graph.dataset import Row
from graph.errors import ConflictError, QueryError
from graph.gaps import Reader, as_date
from graph.model import REL_BY_TYPE, UNIT_LABELS
from graph.reports import VILLAGE_COLUMNS, Column
from graph.store import GraphStore, Tx
from graph.writes import _permit, _require, _values, _who, lock, lock_link

REL = REL_BY_TYPE["ACTIVITY"]
# Statuses that count as done: the vocabulary's `done`, and none at all.
COMPLETED = ("done", "", None)
# The properties `update` may change: everything but the key (date, title).
UPDATABLE = ("kind", "funds", "beneficiaries", "status", "note")
# The widest dates, for an open end of `listing` (a null date parameter is typed BOOL on Ladybug).
_FIRST_DAY = dt.date(1, 1, 1)
_LAST_DAY = dt.date(9999, 12, 31)


def _column(name: str, en: str) -> Column:
    # The Chinese header is the ledger's own (graph.model); coded values are shown by their words.
    prop = next(p for p in REL.props if p.name == name)
    return Column(name, prop.zh, en, coded=prop.vocab is not None)


# The columns of `listing` wherever it is shown or written (the CLI, the app).
COLUMNS: tuple[Column, ...] = (
    Column("unit_id", "单位编号", "Unit ID"),
    Column("unit", "结对单位", "Unit"),
    *VILLAGE_COLUMNS,
    _column("date", "Date"),
    _column("kind", "Kind"),
    _column("title", "Title"),
    _column("funds", "Funds (10k yuan)"),
    _column("beneficiaries", "Beneficiaries"),
    _column("status", "Status"),
    _column("note", "Note"),
)
TITLE = {"zh": "实事项目台账", "en": "Practical projects and activities"}


@dataclass(frozen=True)
class Activity:
    date: dt.date
    title: str
    kind: str | None
    funds: float | None
    beneficiaries: int | None
    status: str | None
    note: str | None

    @property
    def completed(self) -> bool:
        return self.status in COMPLETED


@dataclass(frozen=True)
class ActivityRow:
    unit_id: str
    unit: str
    village_id: str
    village: str
    county: str | None
    township: str | None
    date: dt.date
    kind: str | None
    title: str
    funds: float | None
    beneficiaries: int | None
    status: str | None
    note: str | None


# The pairing's column that its activity records replace where it has any (`effective`): not edited by hand then.
RECORDED = ("projects",)


@dataclass(frozen=True)
class Effective:
    """A pairing's projects and last activity on a day, as the yearly rule reads them."""

    projects: int | None
    last_activity: dt.date | None
    # True when derived from activity records, False when read from the pairing's columns.
    from_records: bool


def completed(status: str | None) -> bool:
    return status in COMPLETED


def _target(unit: str, village: str) -> str:
    return f"{unit}->{village}"


def _title(title: str | None) -> str:
    text = (title or "").strip()
    if not text:
        raise QueryError("title is required")
    return text


def _key(unit: str, village: str, date: dt.date | str, title: str) -> dict[str, Any]:
    return {"unit": unit, "village": village, "date": as_date(date, "date"), "title": _title(title)}


def _get(tx: Tx, key: dict[str, Any]) -> Row | None:
    rows = tx.run("activity/get", key)
    return dict(rows[0]) if rows else None


def add(
    store: GraphStore,
    unit: str,
    village: str,
    date: dt.date | str,
    title: str,
    *,
    kind: str | None = None,
    funds: float | None = None,
    beneficiaries: int | None = None,
    status: str | None = "done",
    note: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> Activity:
    """Record what `unit` did for `village` on `date`; refused unless a pairing of the two is in force then.

    A `status` of None (or "") records a blank status, which counts as completed, as a ledger without a
    status column does; the default is `done`.
    """
    key = _key(unit, village, date, title)
    values = _values(
        REL, {"kind": kind, "funds": funds, "beneficiaries": beneficiaries, "status": status or None, "note": note}
    )
    with store.transaction() as tx:
        _permit(tx, account, "activity.add", village)
        label = _require(tx, unit, UNIT_LABELS, "pairing unit (community, enterprise or organisation)")
        # The duplicate check below and the audit stay true with writers racing.
        lock(tx, {label: [unit], "Village": [village]})
        _require(tx, village, ("Village",), "village")
        if not tx.run("activity/pairings_on", key):
            raise QueryError(f"no pairing of {unit!r} with {village!r} in force on {key['date']}")
        if _get(tx, key) is not None:
            raise ConflictError(
                f"an activity of {unit!r} for {village!r} on {key['date']} titled {key['title']!r} already exists"
            )
        row = {"src": unit, "dst": village, "date": key["date"], "title": key["title"], **values}
        tx.run(load_query(REL.type, label, "Village"), {"rows": [row]})
        after = _get(tx, key)
        audit.record(tx, _who(actor, account), "activity.add", _target(unit, village), None, after)
    assert after is not None
    return Activity(**after)


def update(
    store: GraphStore,
    unit: str,
    village: str,
    date: dt.date | str,
    title: str,
    *,
    kind: str | None = None,
    funds: float | None = None,
    beneficiaries: int | None = None,
    status: str | None = None,
    note: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> Activity:
    """Change an activity's kind, funds, beneficiaries, status or note; a None leaves the value as it is."""
    key = _key(unit, village, date, title)
    values = _values(
        REL, {"kind": kind, "funds": funds, "beneficiaries": beneficiaries, "status": status or None, "note": note}
    )
    with store.transaction() as tx:
        _permit(tx, account, "activity.update", village)
        lock_link(tx, unit, village)
        before = _get(tx, key)
        if before is None:
            raise QueryError(f"no activity of {unit!r} for {village!r} on {key['date']} titled {key['title']!r}")
        tx.run("activity/update", key | values)
        after = _get(tx, key)
        audit.record(tx, _who(actor, account), "activity.update", _target(unit, village), before, after)
    assert after is not None
    return Activity(**after)


def delete(
    store: GraphStore,
    unit: str,
    village: str,
    date: dt.date | str,
    title: str,
    *,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """Delete an activity entered by mistake (an admin's action in the app), audited with what it held."""
    key = _key(unit, village, date, title)
    with store.transaction() as tx:
        _permit(tx, account, "activity.delete", village)
        lock_link(tx, unit, village)
        before = _get(tx, key)
        if before is None:
            raise QueryError(f"no activity of {unit!r} for {village!r} on {key['date']} titled {key['title']!r}")
        tx.run("activity/delete", key)
        audit.record(tx, _who(actor, account), "activity.delete", _target(unit, village), before, None)


def _activity(row: Row) -> Activity:
    return Activity(**{name: row[name] for name in Activity.__dataclass_fields__})


def of_pairing(store: Reader, unit: str, village: str, since: dt.date | str) -> list[Activity]:
    """The activities of the pairing of `unit` with `village` that started `since`, newest first."""
    params = {"unit": unit, "village": village, "since": as_date(since, "since")}
    rows = [_activity(r) for r in store.read("activity/of_pairing", params)]
    return sorted(rows, key=lambda a: (a.date, a.title), reverse=True)


def listing(
    store: Reader,
    *,
    county: str | None = None,
    township: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    city: str | None = None,
) -> list[ActivityRow]:
    """Every activity dated from `since` to `until` (both included) in the villages of `city`/`county`/`township`."""
    first = as_date(since, "since") if since is not None else _FIRST_DAY
    last = as_date(until, "until") if until is not None else _LAST_DAY
    if last < first:
        raise QueryError(f"until {last} is before since {first}")
    params = {
        "city": city or None,
        "county": county or None,
        "township": township or None,
        "since": first,
        "until": last,
    }
    rows = [
        ActivityRow(**{name: r[name] for name in ActivityRow.__dataclass_fields__})
        for r in store.read("activity/listing", params)
    ]
    return sorted(rows, key=lambda r: (r.county or "", r.township or "", r.village_id, r.date, r.unit_id, r.title))


def village_county(store: Reader, village: str) -> str | None:
    """The county of `village` (None if it has none or does not exist): whose planners may record its activities."""
    rows = store.read("lookup/village_county", {"village": village})
    return rows[0]["county"] if rows else None


def effective(
    store: Reader, unit: str, village: str, since: dt.date | str, asof: dt.date | str | None = None
) -> Effective | None:
    """The pairing's projects and last activity on `asof` (None if there is no such pairing).

    The last activity is the later of the `last_activity` column and the latest completed activity up to
    `asof`; the projects are the column where the pairing has no activity records up to `asof`, else the
    number of its completed ones.
    """
    params = {"unit": unit, "village": village, "since": as_date(since, "since"), "asof": as_date(asof)}
    rows = store.read("activity/pairing_effective", params)
    if not rows:
        return None
    r = rows[0]
    dates = [d for d in (r["last_activity"], r["last_done"]) if d is not None]
    records = int(r["records"])
    return Effective(
        projects=int(r["done"]) if records else r["projects"],
        last_activity=max(dates, default=None),
        from_records=bool(records),
    )
