"""三张清单 written: posting a need, offering a resource, claiming a need (双向认领), the village's choice among
several claims, a project's progress, withdrawing a need.

Every write is one transaction: checked, authorised inside it (`graph.accounts.authorise` on the need's
village's county; for a resource, on the unit's county) when an `account` is given, and audited in it
with the state before and after (`graph.audit.record`). A refused write changes nothing. The rules are
docs/domain.md's (三张清单); `graph.lists` reads what these write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from graph import accounts, audit, lists, writes
from graph.accounts import Account
from graph.errors import ConflictError, QueryError
from graph.gaps import as_date, today
from graph.model import ITEM_KIND, UNIT_LABELS
from graph.store import GraphStore, Tx

# The queries that must name the unit's label (Ladybug cannot create a link from an unknown label).
_RESOURCE_CREATE = {
    "CityCommunity": "lists/resource_create_citycommunity",
    "Enterprise": "lists/resource_create_enterprise",
    "Organisation": "lists/resource_create_organisation",
}
_CLAIM_CREATE = {
    "CityCommunity": "lists/claim_create_citycommunity",
    "Enterprise": "lists/claim_create_enterprise",
    "Organisation": "lists/claim_create_organisation",
}
_ACTIVITY_CREATE = {
    "CityCommunity": "lists/activity_create_citycommunity",
    "Enterprise": "lists/activity_create_enterprise",
    "Organisation": "lists/activity_create_organisation",
}
assert set(_RESOURCE_CREATE) == set(_CLAIM_CREATE) == set(_ACTIVITY_CREATE) == set(UNIT_LABELS)
# A project's status as a planner sets it: `not_chosen` is the village's choice (`choose`), not progress.
PROGRESS = (lists.CLAIMED, lists.ONGOING, lists.DONE)
# Longest item name a need or resource may have: a ledger cell, not a document.
MAX_NAME = 200


def _who(actor: str | None, account: Account | None) -> str:
    return account.username if account is not None else actor or audit.default_actor()


def _permit(account: Account | None, action: str, county: str | None) -> None:
    if account is not None:
        accounts.authorise(account, action, county)


def _name(value: str, what: str) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise QueryError(f"the {what} is empty")
    if len(name) > MAX_NAME:
        raise QueryError(f"the {what} is longer than {MAX_NAME} characters")
    return name


def _kind(kind: str | None) -> str | None:
    if kind is None or kind == "":
        return None
    code = ITEM_KIND.aliases.get(kind, kind)
    if code not in ITEM_KIND.codes:
        raise QueryError(f"kind {kind!r}: choose one of {', '.join(ITEM_KIND.codes)}")
    return code


def _day(value: dt.date | str | None, what: str) -> dt.date | None:
    return None if value is None or value == "" else as_date(value, what)


def derived_id(prefix: str, owner: str, name: str, day: dt.date | None) -> str:
    """An id for a need or resource posted without one: the same owner, item and day give the same id."""
    digest = hashlib.sha256(f"{owner}\x1f{name}\x1f{day or ''}".encode()).hexdigest()[:10]
    return f"{prefix}-{owner}-{digest}"


def _need(tx: Tx, need: str) -> dict[str, Any]:
    """The need, locked first: its claims are then read as they stand, with other writers of it waiting."""
    writes.lock(tx, {"Need": [need]})
    rows = tx.run("lists/need_get", {"need": need})
    if not rows:
        raise QueryError(f"no need with id {need!r}")
    return dict(rows[0])


def _unit(tx: Tx, unit: str) -> dict[str, Any]:
    rows = tx.run("lists/unit_get", {"unit": unit})
    if not rows:
        raise QueryError(f"no pairing unit (community, enterprise or organisation) with id {unit!r}")
    return dict(rows[0])


def _claims(tx: Tx, need: str) -> dict[str, dict[str, Any]]:
    """The need's claims by unit id, each with its status as the rules read it."""
    out = {}
    for r in tx.run("lists/claims_of_need", {"need": need}):
        out[r["unit_id"]] = {**r, "status": lists.claim_status(r["status"])}
    return out


def _state(need: Mapping[str, Any], claims: Mapping[str, Mapping[str, Any]]) -> str:
    return lists.need_state(need["status"], (c["status"] for c in claims.values()))


def _claim_view(claim: Mapping[str, Any]) -> dict[str, Any]:
    return {k: claim.get(k) for k in ("claimed", "status", "due", "done")}


def _set_claim(tx: Tx, unit: str, need: str, **values: Any) -> None:
    params = {"unit": unit, "need": need, "status": None, "due": None, "done": None, **values}
    if not int(tx.run("lists/claim_set", params)[0]["updated"]):
        raise QueryError(f"no claim of need {need!r} by {unit!r}")


# ---------------------------------------------------------------- needs and resources


def post_need(
    store: GraphStore,
    village: str,
    name: str,
    *,
    kind: str | None = None,
    posted: dt.date | str | None = None,
    id: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> str:
    """Post a need (需求清单) of `village`: the item `name`, its `kind`, posted on `posted` (default today).

    Returns the need's id: `id`, or one derived from the village, item and day (`derived_id`). An id
    that is taken is refused (ConflictError): the same item posted twice on one day is one need.
    """
    item = _name(name, "need's item")
    day = _day(posted, "posted") or today()
    need_id = (id or "").strip() or derived_id("N", village, item, day)
    params = {"id": need_id, "name": item, "kind": _kind(kind), "posted": day, "village": village}
    with store.transaction() as tx:
        rows = tx.run("lookup/village_county", {"village": village})
        if not rows:
            raise QueryError(f"no village with id {village!r}")
        _permit(account, "need.add", rows[0]["county"])
        if tx.run("lists/need_get", {"need": need_id}):
            raise ConflictError(f"a need with id {need_id!r} exists already")
        tx.run("lists/need_create", params)
        audit.record(tx, _who(actor, account), "need.add", need_id, None, {**params, "status": lists.OPEN})
    return need_id


def withdraw_need(
    store: GraphStore,
    need: str,
    *,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """Withdraw a need the village no longer asks for; its live claims that are not done become `not_chosen`.

    A done need is refused (what was done stays done), as is one withdrawn already.
    """
    with store.transaction() as tx:
        before = _need(tx, need)
        _permit(account, "need.withdraw", before["county"])
        claims = _claims(tx, need)
        state = _state(before, claims)
        if state in (lists.DONE, lists.WITHDRAWN):
            raise ConflictError(f"need {need!r} is {state} and cannot be withdrawn")
        declined = sorted(u for u, c in claims.items() if c["status"] in (lists.CLAIMED, lists.ONGOING))
        for unit in declined:
            _set_claim(tx, unit, need, status=lists.NOT_CHOSEN)
        tx.run("lists/need_status", {"need": need, "status": lists.WITHDRAWN})
        audit.record(
            tx,
            _who(actor, account),
            "need.withdraw",
            need,
            {"status": before["status"], "claims": {u: claims[u]["status"] for u in declined}},
            {"status": lists.WITHDRAWN, "claims": dict.fromkeys(declined, lists.NOT_CHOSEN)},
        )


def offer_resource(
    store: GraphStore,
    unit: str,
    name: str,
    *,
    kind: str | None = None,
    serves: int | None = None,
    id: str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> str:
    """Offer a resource (资源清单) of `unit`: the item `name`, its `kind`, for `serves` villages. Returns its id."""
    item = _name(name, "resource's item")
    if serves is not None and (isinstance(serves, bool) or int(serves) != serves or serves < 0):
        raise QueryError(f"serves {serves!r}: a number of villages, 0 or more")
    resource_id = (id or "").strip() or derived_id("R", unit, item, None)
    params = {
        "id": resource_id,
        "name": item,
        "kind": _kind(kind),
        "serves": int(serves) if serves is not None else None,
        "unit": unit,
    }
    with store.transaction() as tx:
        found = _unit(tx, unit)
        _permit(account, "resource.add", found["county"])
        if tx.run("lists/resource_get", {"resource": resource_id}):
            raise ConflictError(f"a resource with id {resource_id!r} exists already")
        tx.run(_RESOURCE_CREATE[found["label"]], params)
        audit.record(tx, _who(actor, account), "resource.add", resource_id, None, params)
    return resource_id


# ---------------------------------------------------------------- claims and projects (项目清单)


def claim(
    store: GraphStore,
    unit: str,
    need: str,
    *,
    claimed: dt.date | str | None = None,
    due: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """`unit` claims `need` on `claimed` (default today), to be done by `due`; the need becomes claimed.

    Refused: an unknown unit or need, a withdrawn or done need, a second claim of one need by one unit,
    a due date before the claim.
    """
    day = _day(claimed, "claimed") or today()
    until = _day(due, "due")
    if until is not None and until < day:
        raise QueryError(f"due {until} is before the claim's date {day}")
    with store.transaction() as tx:
        before = _need(tx, need)
        _permit(account, "claim", before["county"])
        found = _unit(tx, unit)
        claims = _claims(tx, need)
        state = _state(before, claims)
        if state in (lists.DONE, lists.WITHDRAWN):
            raise ConflictError(f"need {need!r} is {state} and cannot be claimed")
        if unit in claims:
            raise ConflictError(f"{unit!r} has claimed need {need!r} already")
        params = {"unit": unit, "need": need, "claimed": day, "due": until}
        if not int(tx.run(_CLAIM_CREATE[found["label"]], params)[0]["created"]):
            raise ConflictError(f"{unit!r} has claimed need {need!r} already")
        audit.record(
            tx,
            _who(actor, account),
            "claim",
            f"{unit}->{need}",
            {"need_status": before["status"], "claim": None},
            {"need_status": lists.CLAIMED, "claim": {"claimed": day, "status": lists.CLAIMED, "due": until}},
        )


def choose(
    store: GraphStore,
    need: str,
    unit: str,
    *,
    on: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> bool:
    """The village of `need` chooses `unit` among the units that claimed it (群众选对), on `on` (default today).

    The chosen claim stays, the other live claims become `not_chosen`. When no pairing of the unit and
    the village is in force on that day, the two are paired from it with the form `chosen`, through the
    unit's capacity check (`graph.writes.create_in`) in the same transaction: a full unit
    refuses the whole choice. Returns whether a pairing was made.
    """
    day = _day(on, "on") or today()
    with store.transaction() as tx:
        before = _need(tx, need)
        _permit(account, "claim.choose", before["county"])
        claims = _claims(tx, need)
        mine = claims.get(unit)
        if mine is None or not lists.is_live(mine["status"]):
            raise QueryError(f"{unit!r} has no live claim of need {need!r} to choose")
        if _state(before, claims) == lists.WITHDRAWN:
            raise ConflictError(f"need {need!r} is withdrawn")
        village = before["village_id"]
        if village is None:
            raise QueryError(f"need {need!r} belongs to no village")
        others = sorted(u for u, c in claims.items() if u != unit and lists.is_live(c["status"]))
        done_others = [u for u in others if claims[u]["status"] == lists.DONE]
        if done_others:
            raise ConflictError(f"need {need!r} was done by {', '.join(map(repr, done_others))} already")
        for other in others:
            _set_claim(tx, other, need, status=lists.NOT_CHOSEN)
        who = _who(actor, account)
        paired = not int(
            tx.run("lists/pairing_in_force", {"unit": unit, "village": village, "day": day})[0]["pairings"]
        )
        if paired:
            _permit(account, "pairing.create", before["county"])
            _pair(tx, who, unit, village, day)
        audit.record(
            tx,
            who,
            "claim.choose",
            f"{unit}->{need}",
            {"claims": {u: claims[u]["status"] for u in others}},
            {"chosen": unit, "claims": dict.fromkeys(others, lists.NOT_CHOSEN), "paired": paired, "on": day},
        )
        return paired


def _pair(tx: Tx, who: str, unit: str, village: str, day: dt.date) -> None:
    """Pair `unit` with `village` from `day` (form chosen) in `tx`, through the capacity check of `graph.writes`."""
    params = writes.link_params("pairing", unit, village) | {"since": day, "form": "chosen"}
    writes.create_in(tx, "pairing", unit, village, params, who, check_capacity=True)


def set_project(
    store: GraphStore,
    unit: str,
    need: str,
    *,
    status: str | None = None,
    due: dt.date | str | None = None,
    done: dt.date | str | None = None,
    actor: str | None = None,
    account: Account | None = None,
) -> None:
    """Record a project's progress: the claim of `need` by `unit` is `claimed`, `ongoing` or `done`, or gets a due date.

    `done` (status done; default today) also marks the need done and records an ACTIVITY of the unit for the
    need's village (kind project, title the need's item, status done, dated `done`) in the same transaction,
    unless the two have one of that date and title already. A claim not chosen, or done already, is refused.
    """
    if status is not None and status not in PROGRESS:
        raise QueryError(f"project status {status!r}: choose one of {', '.join(PROGRESS)}")
    finished = _day(done, "done")
    if finished is not None and status not in (None, lists.DONE):
        raise QueryError(f"a done date goes with the status done, not {status}")
    if finished is not None:
        status = lists.DONE
    if status == lists.DONE and finished is None:
        finished = today()
    until = _day(due, "due")
    if status is None and until is None:
        raise QueryError("nothing to set: give a status or a due date")
    with store.transaction() as tx:
        before = _need(tx, need)
        _permit(account, "project.set", before["county"])
        claims = _claims(tx, need)
        mine = claims.get(unit)
        if mine is None:
            raise QueryError(f"no claim of need {need!r} by {unit!r}")
        if mine["status"] == lists.NOT_CHOSEN:
            raise ConflictError(f"the claim of need {need!r} by {unit!r} was not chosen")
        if mine["status"] == lists.DONE:
            raise ConflictError(f"the claim of need {need!r} by {unit!r} is done already")
        if _state(before, claims) == lists.WITHDRAWN:
            raise ConflictError(f"need {need!r} is withdrawn")
        if finished is not None and finished < mine["claimed"]:
            raise QueryError(f"done {finished} is before the claim's date {mine['claimed']}")
        if until is not None and until < mine["claimed"]:
            raise QueryError(f"due {until} is before the claim's date {mine['claimed']}")
        _set_claim(tx, unit, need, status=status, due=until, done=finished)
        after: dict[str, Any] = {
            "status": status or mine["status"],
            "due": until or mine["due"],
            "done": finished or mine["done"],
        }
        if status == lists.DONE:
            tx.run("lists/need_status", {"need": need, "status": lists.DONE})
            after |= {"need_status": lists.DONE, "activity": _activity(tx, unit, before, finished)}
        audit.record(
            tx,
            _who(actor, account),
            "project.set",
            f"{unit}->{need}",
            {**_claim_view(mine), "need_status": before["status"]} if status == lists.DONE else _claim_view(mine),
            {"claimed": mine["claimed"], **after},
        )


def _activity(tx: Tx, unit: str, need: Mapping[str, Any], day: dt.date | None) -> dict[str, Any] | None:
    """The completed project's activity for the need's village (None when the need has no village)."""
    if need["village_id"] is None or day is None:
        return None
    label = _unit(tx, unit)["label"]
    params = {"unit": unit, "village": need["village_id"], "date": day, "title": need["name"]}
    created = int(tx.run(_ACTIVITY_CREATE[label], params)[0]["created"])
    return {**params, "kind": "project", "status": lists.DONE, "created": bool(created)}
