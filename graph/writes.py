"""Creating, ending and updating support links: pairings, leads, fusions and stationed cadres.

Each function runs its named query from `cypher/write/` in one transaction and turns "nothing
matched" into an error that says what was missing: `QueryError` for an unknown node or link or a
bad value, `ConflictError` when the link already exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from graph.errors import ConflictError, QueryError
from graph.model import NODE_BY_LABEL, PAIRING_FORMS, REL_BY_TYPE, UNIT_LABELS
from graph.store import GraphStore, Tx

# Support kinds other than pairing: (edge type, start label, name of the start parameter).
_LINKS = {
    "lead": ("LEADS", "Village", "leader"),
    "fusion": ("FUSED_WITH", "Enterprise", "enterprise"),
    "station": ("STATIONED_IN", "Cadre", "cadre"),
}
_STATION_ROLES = next(p for p in REL_BY_TYPE["STATIONED_IN"].props if p.name == "role").choices


def _date(name: str, value: dt.date | str | None, required: bool = False) -> dt.date | None:
    if value is None:
        if required:
            raise QueryError(f"{name} is required")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from exc


def _check_span(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and until < since:
        raise QueryError(f"until {until} is before since {since}")


def _label(tx: Tx, node_id: str) -> str | None:
    rows = tx.run("lookup/node_label", {"id": node_id})
    return rows[0]["label"] if rows else None


def _require(tx: Tx, node_id: str, labels: tuple[str, ...], what: str) -> str:
    label = _label(tx, node_id)
    if label is None:
        raise QueryError(f"no {what} with id {node_id!r}")
    if label not in labels:
        raise QueryError(f"{node_id!r} is a {NODE_BY_LABEL[label].zh} ({label}), not a {what}")
    return label


def _count(rows: Sequence[Mapping[str, Any]], column: str) -> int:
    return int(rows[0][column]) if rows else 0


def _create(tx: Tx, query: str, params: dict[str, Any], rel_type: str, src: str, village: str) -> None:
    """Run a create query; when it created nothing, say why (the start node was checked by the caller)."""
    if _count(tx.run(query, params), "created"):
        return
    _require(tx, village, ("Village",), "village")
    # Both ends exist, so the query refused a duplicate.
    raise ConflictError(f"a {rel_type} link from {src!r} to {village!r} starting {params['since']} already exists")


def _end(tx: Tx, query: str, params: dict[str, Any], what: str) -> int:
    ended = _count(tx.run(query, params), "ended")
    if not ended:
        since = f" starting {params['since']}" if params.get("since") is not None else ""
        raise QueryError(f"no {what}{since} open on {params['until']} (it may not exist, or ended already)")
    return ended


# ---------------------------------------------------------------- pairings


def create_pairing(
    store: GraphStore,
    unit: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    form: str | None = None,
    funds: float | None = None,
    projects: int | None = None,
    last_activity: dt.date | str | None = None,
) -> None:
    """Pair `unit` (community, enterprise or organisation) with `village` from `since`."""
    if form is not None and form not in PAIRING_FORMS:
        raise QueryError(f"form {form!r}: choose one of {', '.join(PAIRING_FORMS)}")
    start, end = _date("since", since, required=True), _date("until", until)
    _check_span(start, end)
    params = {
        "unit": unit,
        "village": village,
        "since": start,
        "until": end,
        "form": form,
        "funds": float(funds) if funds is not None else None,
        "projects": int(projects) if projects is not None else None,
        "last_activity": _date("last_activity", last_activity),
    }
    with store.transaction() as tx:
        # The query must name the unit's label (Ladybug), so look it up first.
        label = _require(tx, unit, UNIT_LABELS, "pairing unit (community, enterprise or organisation)")
        _create(tx, f"write/pairing_create_{label.lower()}", params, "PAIRED_WITH", unit, village)


def end_pairing(
    store: GraphStore, unit: str, village: str, until: dt.date | str, *, since: dt.date | str | None = None
) -> int:
    """End the pairing(s) of `unit` with `village` open on `until` (only the one from `since`, if given)."""
    params = {
        "unit": unit,
        "village": village,
        "since": _date("since", since),
        "until": _date("until", until, required=True),
    }
    with store.transaction() as tx:
        return _end(tx, "write/pairing_end", params, f"pairing of {unit!r} with {village!r}")


def update_pairing(
    store: GraphStore,
    unit: str,
    village: str,
    since: dt.date | str,
    *,
    form: str | None = None,
    funds: float | None = None,
    projects: int | None = None,
    last_activity: dt.date | str | None = None,
) -> None:
    """Record the form, funds, projects or latest activity of a pairing; a None leaves the value as it is."""
    if form is not None and form not in PAIRING_FORMS:
        raise QueryError(f"form {form!r}: choose one of {', '.join(PAIRING_FORMS)}")
    params = {
        "unit": unit,
        "village": village,
        "since": _date("since", since, required=True),
        "form": form,
        "funds": float(funds) if funds is not None else None,
        "projects": int(projects) if projects is not None else None,
        "last_activity": _date("last_activity", last_activity),
    }
    with store.transaction() as tx:
        if not _count(tx.run("write/pairing_update", params), "updated"):
            raise QueryError(f"no pairing of {unit!r} with {village!r} starting {params['since']}")


# ---------------------------------------------------------------- leads, fusions, stations


def _create_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    since: dt.date | str,
    until: dt.date | str | None,
    extra: dict[str, Any],
) -> None:
    rel_type, src_label, src_param = _LINKS[kind]
    start, end = _date("since", since, required=True), _date("until", until)
    _check_span(start, end)
    params = {src_param: src, "village": village, "since": start, "until": end, **extra}
    with store.transaction() as tx:
        _require(tx, src, (src_label,), f"{NODE_BY_LABEL[src_label].zh} ({src_label})")
        _create(tx, f"write/{kind}_create", params, rel_type, src, village)


def _end_link(
    store: GraphStore, kind: str, src: str, village: str, until: dt.date | str, since: dt.date | str | None
) -> int:
    rel_type, _src_label, src_param = _LINKS[kind]
    params = {
        src_param: src,
        "village": village,
        "since": _date("since", since),
        "until": _date("until", until, required=True),
    }
    with store.transaction() as tx:
        return _end(tx, f"write/{kind}_end", params, f"{rel_type} link from {src!r} to {village!r}")


def create_lead(
    store: GraphStore,
    leader: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    mode: str | None = None,
) -> None:
    """A (strong) village `leader` starts leading `village` (强村带弱村)."""
    if leader == village:
        raise QueryError(f"village {leader!r} cannot lead itself")
    _create_link(store, "lead", leader, village, since, until, {"mode": mode})


def end_lead(
    store: GraphStore, leader: str, village: str, until: dt.date | str, *, since: dt.date | str | None = None
) -> int:
    return _end_link(store, "lead", leader, village, until, since)


def create_fusion(
    store: GraphStore,
    enterprise: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    joint_party_org: str | None = None,
) -> None:
    """An enterprise and a village start a joint party organisation (村企融合)."""
    _create_link(store, "fusion", enterprise, village, since, until, {"joint_party_org": joint_party_org})


def end_fusion(
    store: GraphStore, enterprise: str, village: str, until: dt.date | str, *, since: dt.date | str | None = None
) -> int:
    return _end_link(store, "fusion", enterprise, village, until, since)


def create_station(
    store: GraphStore,
    cadre: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    role: str | None = None,
) -> None:
    """A cadre is stationed in a village for a term (驻村)."""
    if role is not None and role not in _STATION_ROLES:
        raise QueryError(f"role {role!r}: choose one of {', '.join(_STATION_ROLES)}")
    _create_link(store, "station", cadre, village, since, until, {"role": role})


def end_station(
    store: GraphStore, cadre: str, village: str, until: dt.date | str, *, since: dt.date | str | None = None
) -> int:
    return _end_link(store, "station", cadre, village, until, since)
