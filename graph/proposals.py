"""Matching against the store: build the problem from the graph, propose, and apply accepted proposals.

The engine in `graph.matching` is pure computation; this module is the only place that feeds it
from the store and writes its proposals back (as `PAIRED_WITH {form: 'assigned'}` from units and
`LEADS` from strong villages), all in one transaction, refusing proposals that went stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from graph import audit, gaps, writes
from graph.accounts import Account
from graph.cypher_gen import create_query
from graph.dataset import Row
from graph.errors import ConflictError
from graph.gaps import Reader
from graph.matching import MatchProblem, MatchResult, Proposal, load_profile, solve, stable
from graph.matching.problem import UNIT_COLUMNS, VILLAGE_COLUMNS
from graph.matching.profile import Profile
from graph.model import MATCH_MODES
from graph.store import GraphStore, Tx
from graph.store.base import Params

MODES = MATCH_MODES  # declared with their words in graph.model
_UNIT_QUERIES = {
    "CityCommunity": "match/units_citycommunity",
    "Enterprise": "match/units_enterprise",
    "Organisation": "match/units_organisation",
    "Village": "match/units_village",
}


@dataclass(frozen=True)
class MatchRun:
    """One matching run: its inputs (as read from the store) and the engine's result."""

    asof: dt.date
    county: str | None
    mode: str
    units: pd.DataFrame
    villages: pd.DataFrame
    result: MatchResult

    def unit(self, unit_id: str) -> dict[str, Any]:
        return dict(self.units.loc[self.units["id"] == unit_id].iloc[0])

    def rows(self) -> list[dict[str, Any]]:
        """Proposals as flat rows for tables and files: ids, names, score and its parts."""
        names = dict(zip(self.units["id"], self.units["name"], strict=True))
        villages = dict(zip(self.villages["id"], self.villages["name"], strict=True))
        out = []
        for p in self.result.proposals:
            out.append(
                {
                    "village_id": p.village_id,
                    "village": villages.get(p.village_id),
                    "unit_id": p.unit_id,
                    "unit": names.get(p.unit_id),
                    "unit_kind": p.unit_kind,
                    "score": round(p.score, 4),
                    **{k: round(v, 4) for k, v in p.parts.items()},
                    "distance_km": None if p.distance_km is None else round(p.distance_km, 1),
                }
            )
        return out

    def unmatched_rows(self) -> list[dict[str, Any]]:
        """Villages left short, with where they are and why."""
        info = self.villages.set_index("id")
        return [
            {
                "village_id": u.village_id,
                "village": info.at[u.village_id, "name"],
                "county": info.at[u.village_id, "county"],
                "township": info.at[u.village_id, "township"],
                "missing": u.missing,
                "reason": u.reason,
            }
            for u in self.result.unmatched
        ]


def _entries(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    """List rows (needs or resources) grouped by their village or unit, as matching's {kind, name} entries."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r[key], r["name"] or "", r["kind"] or "")):
        out.setdefault(r[key], []).append({"kind": r["kind"], "name": r["name"]})
    return out


def _units(store: Reader, asof: dt.date, county: str | None) -> pd.DataFrame:
    offers = _entries(store.read("match/offers", {"county": county}), "unit_id")
    frames = []
    for kind, query in _UNIT_QUERIES.items():
        rows = store.read(query, {"asof": asof, "county": county})
        for r in rows:
            r["kind"] = kind
            if kind == "Village":
                # A strong village offers what it is good at; capacity falls back to the profile default.
                r["resources"] = r["industries"]
                r["capacity"] = None
            else:
                industry = r.pop("industry")
                r["industries"] = [industry] if industry else []
            r["resources"] = r.get("resources") or []
            r["offers"] = offers.get(r["id"], [])
        frames.append(pd.DataFrame(rows, columns=list(UNIT_COLUMNS)))
    return pd.concat(frames, ignore_index=True)


def build(
    store: GraphStore, asof: dt.date | None = None, county: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The units that can help and the weak villages nobody helps on `asof`, as the engine's frames."""
    day = asof or dt.date.today()
    uncovered = [g.village_id for g in gaps.unpaired(store, day, county=county)]
    columns = [c for c in VILLAGE_COLUMNS if c not in ("needed", "open_needs")]
    villages = pd.DataFrame(store.read("match/villages", {"ids": uncovered}), columns=columns)
    # Under the default policy a village nobody helps needs one partner.
    villages["needed"] = 1
    open_needs = _entries(store.read("match/open_needs", {"ids": uncovered}), "village_id")
    villages["open_needs"] = pd.Series(
        [open_needs.get(v, []) for v in villages["id"]], index=villages.index, dtype=object
    )
    return _units(store, day, county), villages


def propose(
    store: GraphStore,
    asof: dt.date | None = None,
    county: str | None = None,
    profile: Profile | Path | None = None,
    k: int | None = None,
    mode: str = "optimal",
) -> MatchRun:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    day = asof or dt.date.today()
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    units, villages = build(store, day, county)
    problem = MatchProblem.from_frames(units, villages, excluded=prof.excluded, kept=prof.kept)
    result = solve(problem, prof, k=k) if mode == "optimal" else stable(problem, profile=prof, k=k)
    return MatchRun(day, county, mode, units, villages, result)


def apply(
    store: GraphStore,
    run: MatchRun,
    accepted: Sequence[Proposal] | None = None,
    actor: str = "",
    account: Account | None = None,
) -> int:
    """Write accepted proposals (default: all) in one transaction; refuse all if any went stale.

    Stale means: the village is no longer an uncovered weak village, or the unit no longer has
    the free capacity the run counted on (another planner paired it meanwhile, or its capacity changed).
    With `account` (the app's signed-in user, then the actor), every village's county is authorised
    inside the transaction, as `graph.writes` does: one village out of bounds refuses them all.
    """
    chosen = list(run.result.proposals if accepted is None else accepted)
    if not chosen:
        return 0
    asof = dt.date.today() if run.asof < dt.date.today() else run.asof
    locked: dict[str, list[str]] = {"Village": [p.village_id for p in chosen]}
    for p in chosen:
        locked.setdefault(p.unit_kind, []).append(p.unit_id)
    with store.transaction() as tx:
        # Another server may be applying its run for the same units or villages: the check waits for it.
        writes.lock(tx, locked)
        for p in chosen:
            writes.permit(tx, account, f"{_kind(p)}.create", p.village_id)
        _check_fresh(tx, run, chosen)
        for p in chosen:
            _write(tx, p, asof)
        audit.record(
            tx,
            account.username if account is not None else actor or audit.default_actor(),
            "match.apply",
            run.county or "*",
            None,
            {"mode": run.mode, "asof": run.asof.isoformat(), "pairs": [[p.unit_id, p.village_id] for p in chosen]},
        )
    return len(chosen)


class _InTx:
    """Reads through the open transaction, so the checks see exactly what the writes will build on."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx

    def read(self, name: str, params: Params | None = None) -> list[Row]:
        return self.tx.run(name, params)


def _units_now(tx: Tx, run: MatchRun) -> dict[str, dict[str, Any]]:
    reader = _InTx(tx)
    current = _units(reader, run.asof, run.county)
    return {r["id"]: {"capacity": r["capacity"], "active": r["active"]} for r in current.to_dict("records")}


def _kind(p: Proposal) -> str:
    # A strong village proposed as a partner leads the village; a unit is paired with it.
    return "lead" if p.unit_kind == "Village" else "pairing"


def _write(tx: Tx, p: Proposal, since: dt.date) -> None:
    kind = _kind(p)
    props = {"mode": "matched"} if kind == "lead" else {"form": "assigned"}
    params = writes.link_params(kind, p.unit_id, p.village_id) | props | {"since": since}
    query = create_query(kind, p.unit_kind)
    created = tx.run(query, params)
    if not created or int(created[0]["created"]) != 1:
        raise ConflictError(f"nothing was written: {p.unit_id} → {p.village_id} could not be created (already exists?)")


def _check_fresh(tx: Tx, run: MatchRun, chosen: Sequence[Proposal]) -> None:
    problems: list[str] = []
    villages = {p.village_id for p in chosen}
    still_open = {g.village_id for g in gaps.unpaired(_InTx(tx), run.asof, county=run.county)}
    for vid in sorted(villages - still_open):
        problems.append(f"village {vid} is no longer an unpaired weak village")
    now = _units_now(tx, run)
    for uid in sorted({p.unit_id for p in chosen}):
        before, current = run.unit(uid), now.get(uid)
        if current is None:
            problems.append(f"unit {uid} no longer exists")
        elif (current["capacity"], current["active"]) != (before["capacity"], before["active"]):
            problems.append(
                f"unit {uid} changed since the proposals were made (capacity {before['capacity']} → "
                f"{current['capacity']}, active pairings {before['active']} → {current['active']})"
            )
    if problems:
        raise ConflictError("nothing was written; run the matching again:\n" + "\n".join(problems))
