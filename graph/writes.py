"""Creating, ending and updating support links: pairings, leads, fusions and stationed cadres.

Each function runs its named `write/` query in one transaction and turns "nothing
matched" into an error that says what was missing: `QueryError` for an unknown node or link or a
bad value, `ConflictError` when the link already exists.

Every change records an audit entry (`graph.audit`) in its own transaction, by `actor` (default:
the OS user). When an `account` is given (the app's signed-in user), the change is first checked
against its role and counties (`graph.accounts.authorise`, on the village's county, inside the same
transaction) and the account's name is the actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from graph import accounts, audit
from graph.accounts import Account
from graph.errors import ConflictError, QueryError
from graph.gaps import as_date
from graph.model import CADRE_ROLE, NODE_BY_LABEL, PAIRING_FORMS, REL_BY_TYPE, SUPPORT_EDGE, UNIT_LABELS
from graph.store import GraphStore, Tx

# Support kinds other than pairing (whose start may have any unit label): (edge type, start label,
# name of the start parameter), from the model's edge of each kind.
_LINKS = {
    kind: (rel.type, rel.src_labels[0], rel.src.name)
    for kind, rel in ((k, REL_BY_TYPE[SUPPORT_EDGE[k]]) for k in ("lead", "fusion", "station"))
}
_STATION_ROLES = CADRE_ROLE.codes
# Stands for "no end" in the capacity check, whose query cannot take a null date (docs/gaps.md).
_OPEN_END = dt.date(9999, 12, 31)


def _who(actor: str | None, account: Account | None) -> str:
    if account is not None:
        return account.username
    return actor or audit.default_actor()


def _permit(tx: Tx, account: Account | None, action: str, village: str) -> None:
    """Check the account's right to change links of `village`, inside the change's transaction."""
    if account is None:
        return
    rows = tx.run("lookup/village_county", {"village": village})
    accounts.authorise(account, action, rows[0]["county"] if rows else None)


def _target(src: str, village: str) -> str:
    return f"{src}->{village}"


def _date(name: str, value: dt.date | str | None, required: bool = False) -> dt.date | None:
    if value is None:
        if required:
            raise QueryError(f"{name} is required")
        return None
    return as_date(value, name)


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


def pairing_params() -> dict[str, Any]:
    """Every parameter of `write/pairing_create_*` (generated from the model), all null."""
    return dict.fromkeys(["unit", "village", *(p.name for p in REL_BY_TYPE["PAIRED_WITH"].props)])


def _pairing_params(
    unit: str,
    village: str,
    since: dt.date | str,
    until: dt.date | str | None,
    form: str | None,
    funds: float | None,
    projects: int | None,
    last_activity: dt.date | str | None,
) -> dict[str, Any]:
    if form is not None and form not in PAIRING_FORMS:
        raise QueryError(f"form {form!r}: choose one of {', '.join(PAIRING_FORMS)}")
    start, end = _date("since", since, required=True), _date("until", until)
    _check_span(start, end)
    # `write/pairing_create_*` takes every PAIRED_WITH property of the model: one added there is written null.
    return pairing_params() | {
        "unit": unit,
        "village": village,
        "since": start,
        "until": end,
        "form": form,
        "funds": float(funds) if funds is not None else None,
        "projects": int(projects) if projects is not None else None,
        "last_activity": _date("last_activity", last_activity),
    }


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
    actor: str | None = None,
    account: Account | None = None,
    check_capacity: bool = False,
) -> None:
    """Pair `unit` (community, enterprise or organisation) with `village` from `since`.

    With `check_capacity`, refuse (ConflictError) when the unit's pairings overlapping the new
    one's span already reach its capacity; see `create_pairing_checked`.
    """
    params = _pairing_params(unit, village, since, until, form, funds, projects, last_activity)
    with store.transaction() as tx:
        _permit(tx, account, "pairing.create", village)
        # The query must name the unit's label (Ladybug), so look it up first.
        label = _require(tx, unit, UNIT_LABELS, "pairing unit (community, enterprise or organisation)")
        if check_capacity:
            _claim(tx, label, params)
        _create(tx, f"write/pairing_create_{label.lower()}", params, "PAIRED_WITH", unit, village)
        audit.record(tx, _who(actor, account), "pairing.create", _target(unit, village), None, params)


def create_pairing_checked(
    store: GraphStore,
    unit: str,
    village: str,
    since: dt.date | str,
    **options: Any,
) -> None:
    """`create_pairing` that never takes a unit beyond its capacity, even with writers racing.

    The capacity and the unit's overlapping pairings are read under the unit's write lock in the
    transaction that creates the link (`write/unit_claim_*`), so of two planners filling the last
    place at the same time exactly one succeeds and the other gets a ConflictError. A unit with
    no capacity recorded is not limited.
    """
    create_pairing(store, unit, village, since, check_capacity=True, **options)


def _claim(tx: Tx, label: str, params: dict[str, Any]) -> None:
    rows = tx.run(
        f"write/unit_claim_{label.lower()}",
        {"unit": params["unit"], "since": params["since"], "until": params["until"] or _OPEN_END},
    )
    capacity = rows[0]["capacity"] if rows else None
    active = int(rows[0]["active"]) if rows else 0
    if capacity is not None and active >= int(capacity):
        raise ConflictError(
            f"unit {params['unit']!r} is full: {active} pairing(s) over that span and a capacity of {capacity}"
        )


def end_pairing(
    store: GraphStore,
    unit: str,
    village: str,
    until: dt.date | str,
    *,
    since: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> int:
    """End the pairing(s) of `unit` with `village` open on `until` (only the one from `since`, if given)."""
    params = {
        "unit": unit,
        "village": village,
        "since": _date("since", since),
        "until": _date("until", until, required=True),
    }
    with store.transaction() as tx:
        _permit(tx, account, "pairing.end", village)
        ended = _end(tx, "write/pairing_end", params, f"pairing of {unit!r} with {village!r}")
        audit.record(tx, _who(actor, account), "pairing.end", _target(unit, village), None, {**params, "ended": ended})
        return ended


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
    actor: str | None = None,
    account: Account | None = None,
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
        _permit(tx, account, "pairing.update", village)
        old = tx.run("lookup/pairing", {"unit": unit, "village": village, "since": params["since"]})
        if not _count(tx.run("write/pairing_update", params), "updated"):
            raise QueryError(f"no pairing of {unit!r} with {village!r} starting {params['since']}")
        changed = {k: v for k, v in params.items() if v is not None and k not in ("unit", "village", "since")}
        before = {k: old[0].get(k) for k in changed} if old else None
        key = {"since": params["since"]}
        audit.record(
            tx,
            _who(actor, account),
            "pairing.update",
            _target(unit, village),
            before and {**key, **before},
            {**key, **changed},
        )


# ---------------------------------------------------------------- leads, fusions, stations


def _create_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    since: dt.date | str,
    until: dt.date | str | None,
    extra: dict[str, Any],
    actor: str | None,
    account: Account | None,
) -> None:
    rel_type, src_label, src_param = _LINKS[kind]
    start, end = _date("since", since, required=True), _date("until", until)
    _check_span(start, end)
    params = {src_param: src, "village": village, "since": start, "until": end, **extra}
    with store.transaction() as tx:
        _permit(tx, account, f"{kind}.create", village)
        _require(tx, src, (src_label,), f"{NODE_BY_LABEL[src_label].zh} ({src_label})")
        _create(tx, f"write/{kind}_create", params, rel_type, src, village)
        audit.record(tx, _who(actor, account), f"{kind}.create", _target(src, village), None, params)


def _end_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    until: dt.date | str,
    since: dt.date | str | None,
    actor: str | None,
    account: Account | None,
) -> int:
    rel_type, _src_label, src_param = _LINKS[kind]
    params = {
        src_param: src,
        "village": village,
        "since": _date("since", since),
        "until": _date("until", until, required=True),
    }
    with store.transaction() as tx:
        _permit(tx, account, f"{kind}.end", village)
        ended = _end(tx, f"write/{kind}_end", params, f"{rel_type} link from {src!r} to {village!r}")
        audit.record(tx, _who(actor, account), f"{kind}.end", _target(src, village), None, {**params, "ended": ended})
        return ended


def create_lead(
    store: GraphStore,
    leader: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    mode: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """A (strong) village `leader` starts leading `village` (强村带弱村)."""
    if leader == village:
        raise QueryError(f"village {leader!r} cannot lead itself")
    _create_link(store, "lead", leader, village, since, until, {"mode": mode}, actor, account)


def end_lead(
    store: GraphStore,
    leader: str,
    village: str,
    until: dt.date | str,
    *,
    since: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> int:
    return _end_link(store, "lead", leader, village, until, since, actor, account)


def create_fusion(
    store: GraphStore,
    enterprise: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    joint_party_org: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """An enterprise and a village start a joint party organisation (村企融合)."""
    _create_link(
        store, "fusion", enterprise, village, since, until, {"joint_party_org": joint_party_org}, actor, account
    )


def end_fusion(
    store: GraphStore,
    enterprise: str,
    village: str,
    until: dt.date | str,
    *,
    since: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> int:
    return _end_link(store, "fusion", enterprise, village, until, since, actor, account)


def create_station(
    store: GraphStore,
    cadre: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    role: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """A cadre is stationed in a village for a term (驻村)."""
    if role is not None and role not in _STATION_ROLES:
        raise QueryError(f"role {role!r}: choose one of {', '.join(_STATION_ROLES)}")
    _create_link(store, "station", cadre, village, since, until, {"role": role}, actor, account)


def end_station(
    store: GraphStore,
    cadre: str,
    village: str,
    until: dt.date | str,
    *,
    since: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> int:
    return _end_link(store, "station", cadre, village, until, since, actor, account)
