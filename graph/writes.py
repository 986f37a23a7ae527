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
import math
from collections.abc import Mapping, Sequence
from typing import Any

from graph import accounts, audit
from graph.accounts import Account
from graph.cypher_gen import LOCKED_LABELS, create_query, delete_query, end_query, find_query, lock_query, update_query
from graph.errors import ConflictError, QueryError
from graph.gaps import as_date
from graph.model import NODE_BY_LABEL, REL_BY_TYPE, SUPPORT_EDGE, UNIT_LABELS, Prop, PType, RelSpec
from graph.store import GraphStore, Tx

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


def permit(tx: Tx, account: Account | None, action: str, village: str) -> None:
    """`_permit` for the writes of other modules (accepting match proposals): inside their transaction."""
    _permit(tx, account, action, village)


def lock(tx: Tx, nodes: Mapping[str, Sequence[str]]) -> None:
    """Take the write locks of `nodes` (ids by label) before a check that reads, held until `tx` ends.

    Neo4j reads at read committed: two writers that both check, then both write, would both pass. The
    second now waits for the first to end, then reads what it committed. Labels go in LOCKED_LABELS
    order and ids sorted, the one order of every writer, so that two writers never wait for each other's.
    """
    for label in LOCKED_LABELS:
        ids = sorted(set(nodes.get(label, ())))
        if ids:
            tx.run(lock_query(label), {"ids": ids})


def _ends(label: str | None, src: str, village: str) -> dict[str, list[str]]:
    # A cadre is not locked: nothing counts a cadre's links.
    nodes = {"Village": [village]}
    if label in LOCKED_LABELS:
        nodes.setdefault(label, []).append(src)
    return nodes


def lock_link(tx: Tx, src: str, village: str) -> None:
    """`lock` the two ends of a link from `src` to `village` (an activity, a pairing, a lead, ...)."""
    lock(tx, _ends(_label(tx, src), src, village))


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


def _end(tx: Tx, query: str, params: dict[str, Any], rel: RelSpec, src: str, village: str) -> int:
    ended = _count(tx.run(query, params), "ended")
    if not ended:
        starting = f" starting {params['since']}" if params.get("since") is not None else ""
        raise QueryError(
            f"no {rel.type} link from {src!r} to {village!r}{starting} open on {params['until']}"
            " (it may not exist, or ended already)"
        )
    return ended


# ---------------------------------------------------------------- every kind of support link


def _rel(kind: str) -> RelSpec:
    if kind not in SUPPORT_EDGE:
        raise QueryError(f"kind {kind!r}: choose one of {', '.join(SUPPORT_EDGE)}")
    return REL_BY_TYPE[SUPPORT_EDGE[kind]]


def link_params(kind: str, src: str | None = None, village: str | None = None) -> dict[str, Any]:
    """Every parameter of `write/<kind>_create_*` (generated from the model): the two ends, the rest null."""
    rel = _rel(kind)
    return {rel.src.name: src, "village": village} | dict.fromkeys(p.name for p in rel.props)


def _value(prop: Prop, value: Any) -> Any:
    """A link property as its query takes it, checked against the model's type and choices."""
    if value is None:
        return None
    if prop.type is PType.DATE:
        return _date(prop.name, value)
    if prop.choices and value not in prop.choices:
        raise QueryError(f"{prop.name} {value!r}: choose one of {', '.join(prop.choices)}")
    try:
        if prop.type is PType.FLOAT:
            number: float = float(value)
        elif prop.type is PType.INT:
            number = int(value)
        else:
            return str(value)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"{prop.name} {value!r} is not a number") from exc
    if not math.isfinite(number):
        raise QueryError(f"{prop.name} {value!r} is out of range")
    if prop.minimum is not None and number < prop.minimum:
        raise QueryError(f"{prop.name} {number:g} is less than {prop.minimum:g}")
    return number


def _values(rel: RelSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    known = {p.name: p for p in rel.props}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"a {rel.type} link has no {', '.join(unknown)}; its properties: {', '.join(known)}")
    return {name: _value(known[name], value) for name, value in values.items()}


def _start_words(rel: RelSpec) -> str:
    if len(rel.src_labels) > 1:
        return "pairing unit (community, enterprise or organisation)"
    label = rel.src_labels[0]
    return f"{NODE_BY_LABEL[label].zh} ({label})"


def create_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    since: dt.date | str,
    *,
    until: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
    check_capacity: bool = False,
    **props: Any,
) -> None:
    """Start a support link of `kind` (pairing, lead, fusion, station) from `src` to `village` on `since`.

    `props` are the link's other properties in the model (a pairing's form, funds, projects and
    last_activity; a lead's mode; a station's role), checked against their types and choices; one
    the model does not know is refused. With `check_capacity` (pairings), refuse (ConflictError)
    when the unit's pairings overlapping the new one's span already reach its capacity; see
    `create_pairing_checked`.
    """
    rel = _rel(kind)
    if kind == "lead" and src == village:
        raise QueryError(f"village {src!r} cannot lead itself")
    params = link_params(kind, src, village) | _values(rel, {"since": since, "until": until, **props})
    if params["since"] is None:
        raise QueryError("since is required")
    _check_span(params["since"], params["until"])
    with store.transaction() as tx:
        _permit(tx, account, f"{kind}.create", village)
        create_in(tx, kind, src, village, params, _who(actor, account), check_capacity=check_capacity)


def create_in(
    tx: Tx, kind: str, src: str, village: str, params: dict[str, Any], who: str, *, check_capacity: bool = False
) -> None:
    """Create a link with checked `params` (`link_params` and the model's values) in an open transaction, audited.

    The caller has authorised the change: other modules' writes (a village's choice of a claim) pair through this.
    """
    rel = _rel(kind)
    # The query must name the start's label (Ladybug), so look it up first.
    label = _require(tx, src, rel.src_labels, _start_words(rel))
    # The duplicate and capacity checks below read: another writer of the same ends waits until this ends.
    lock(tx, _ends(label, src, village))
    if check_capacity and kind == "pairing" and label in UNIT_LABELS:
        # A duplicate is a duplicate, even of a full unit's pairing.
        if tx.run(find_query(kind), {rel.src.name: src, "village": village, "since": params["since"]}):
            raise ConflictError(
                f"a {rel.type} link from {src!r} to {village!r} starting {params['since']} already exists"
            )
        _claim(tx, label, params)
    _create(tx, create_query(kind, label), params, rel.type, src, village)
    audit.record(tx, who, f"{kind}.create", _target(src, village), None, params)


def end_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    until: dt.date | str,
    *,
    since: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> int:
    """End the `kind` link(s) from `src` to `village` open on `until` (only the one from `since`, if given)."""
    rel = _rel(kind)
    params = {
        rel.src.name: src,
        "village": village,
        "since": _date("since", since),
        "until": _date("until", until, required=True),
    }
    with store.transaction() as tx:
        _permit(tx, account, f"{kind}.end", village)
        lock_link(tx, src, village)
        ended = _end(tx, end_query(kind), params, rel, src, village)
        audit.record(tx, _who(actor, account), f"{kind}.end", _target(src, village), None, {**params, "ended": ended})
        return ended


# ---------------------------------------------------------------- pairings


def create_pairing(store: GraphStore, unit: str, village: str, since: dt.date | str, **options: Any) -> None:
    """Pair `unit` (community, enterprise or organisation) with `village` from `since` (`create_link` options)."""
    create_link(store, "pairing", unit, village, since, **options)


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


def _claim(tx: Tx, label: str, params: dict[str, Any], itself: int = 0) -> None:
    """Refuse when the unit's pairings over the span, `itself` (an edited pairing, counted) aside, fill it."""
    rows = tx.run(
        f"write/unit_claim_{label.lower()}",
        {"unit": params["unit"], "since": params["since"], "until": params["until"] or _OPEN_END},
    )
    capacity = rows[0]["capacity"] if rows else None
    active = int(rows[0]["active"]) - itself if rows else 0
    if capacity is not None and active >= int(capacity):
        raise ConflictError(
            f"unit {params['unit']!r} is full: {active} pairing(s) over that span and a capacity of {capacity}"
        )


# ---------------------------------------------------------------- editing and deleting a link


def _no_link(rel: RelSpec, src: str, village: str, since: dt.date | None) -> QueryError:
    starting = f" starting {since}" if since is not None else ""
    return QueryError(f"no {rel.type} link from {src!r} to {village!r}{starting}")


def _one(tx: Tx, kind: str, src: str, village: str, since: dt.date | None) -> dict[str, Any]:
    """The stored link (every property); QueryError when there is none, or several and no `since` to choose."""
    rel = _rel(kind)
    found = tx.run(find_query(kind), {rel.src.name: src, "village": village, "since": since})
    if not found:
        raise _no_link(rel, src, village, since)
    if len(found) > 1:
        starts = ", ".join(str(row["since"]) for row in found)
        raise QueryError(
            f"{len(found)} {rel.type} link from {src!r} to {village!r} (since {starts}): say which by its since"
        )
    row = found[0]
    # Dates as `date`s whatever the engine returns, so that they compare with the new values.
    return {p.name: _date(p.name, row[p.name]) if p.type is PType.DATE else row[p.name] for p in rel.props}


def find_links(
    store: GraphStore, kind: str, src: str, village: str, since: dt.date | str | None = None
) -> list[dict[str, Any]]:
    """The `kind` links from `src` to `village` (the one from `since`, if given), oldest first, every property."""
    rel = _rel(kind)
    params = {rel.src.name: src, "village": village, "since": _date("since", since)}
    return store.read(find_query(kind), params)


def update_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    since: dt.date | str | None,
    /,
    *,
    actor: str | None = None,
    account: Account | None = None,
    **props: Any,
) -> dict[str, Any]:
    """Change properties of the `kind` link from `src` to `village` that started `since`; returns what changed.

    `since` may be None when the two ends have one such link only. `props` are the link's properties in
    the model (until, form, funds, projects, last_activity, mode, joint_party_org, role), checked against
    their types and choices; a None clears one. `since` itself is the link's identity and is refused:
    a link that began on another day is another link (delete it and create the right one). A pairing
    whose span grows is checked against its unit's capacity, as a new one is. The audit entry holds the
    changed properties before and after; a change that changes nothing writes nothing.
    """
    rel = _rel(kind)
    if "since" in props:
        raise QueryError(
            "since is part of a link's identity and cannot be changed: delete the link, then create the right one"
        )
    if not props:
        raise QueryError("nothing to change: name at least one property")
    key = _date("since", since)
    changes = _values(rel, props)
    with store.transaction() as tx:
        _permit(tx, account, f"{kind}.update", village)
        lock_link(tx, src, village)  # `old` is then what the audit's before must say, even with writers racing
        old = _one(tx, kind, src, village, key)
        new = old | changes
        _check_span(new["since"], new["until"])
        changed = sorted(name for name in changes if old[name] != new[name])
        if not changed:
            return {}
        if kind == "pairing" and _grows(old["until"], new["until"]):
            label = _label(tx, src)
            if label in UNIT_LABELS:
                _claim(tx, label, {"unit": src, "since": new["since"], "until": new["until"]}, itself=1)
        row = {rel.src.name: src, "village": village} | new
        if not _count(tx.run(update_query(kind), {"rows": [row]}), "updated"):
            raise _no_link(rel, src, village, new["since"])
        since_key = {"since": new["since"]}
        audit.record(
            tx,
            _who(actor, account),
            f"{kind}.update",
            _target(src, village),
            since_key | {name: old[name] for name in changed},
            since_key | {name: new[name] for name in changed},
        )
        return {name: new[name] for name in changed}


def update_pairing(
    store: GraphStore,
    unit: str,
    village: str,
    since: dt.date | str,
    *,
    actor: str | None = None,
    account: Account | None = None,
    **props: Any,
) -> dict[str, Any]:
    """`update_link` of a pairing where a None leaves a value as it is (the older call: form=, funds=, …)."""
    changes = {name: value for name, value in props.items() if value is not None}
    if not changes:
        return {}
    return update_link(store, "pairing", unit, village, since, actor=actor, account=account, **changes)


def _grows(old_until: dt.date | None, new_until: dt.date | None) -> bool:
    if new_until is None:
        return old_until is not None
    return old_until is not None and new_until > old_until


def delete_link(
    store: GraphStore,
    kind: str,
    src: str,
    village: str,
    since: dt.date | str,
    *,
    actor: str | None = None,
    account: Account | None = None,
) -> dict[str, Any]:
    """Delete a link entered by mistake (an admin's action; ending a link keeps its history); returns it.

    The audit entry's `before` is the whole link.
    """
    rel = _rel(kind)
    key = _date("since", since, required=True)
    with store.transaction() as tx:
        _permit(tx, account, f"{kind}.delete", village)
        lock_link(tx, src, village)
        old = _one(tx, kind, src, village, key)
        if not _count(tx.run(delete_query(kind), {rel.src.name: src, "village": village, "since": key}), "deleted"):
            raise _no_link(rel, src, village, key)
        before = {rel.src.name: src, "village": village} | old
        audit.record(tx, _who(actor, account), f"{kind}.delete", _target(src, village), before, None)
        return before
