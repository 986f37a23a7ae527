"""What loading a ledger would change in a store, row by row: the one diff behind the preview, the guards and the audit.

A load upserts: a node is identified by its id, a link by both ends and its type's key (`RelSpec.key`,
a pairing's `since`). Every stored property of a ledger row is written, a blank one too: the load
queries `SET` each property to the ledger's value, so a property the ledger leaves blank becomes null
(an empty list for list properties) in the store. The diff says exactly that: a blank ledger cell over
a stored value is a change to null. Rows of the store the ledger does not hold stay, unless the load
removes them: a replace removes all of them, a county replace those of its county (`county_scope`),
and removing a node removes its links.

Dict lookups on whole rows only, no query per row: a province (~450k rows) is diffed in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.dataset import Dataset, Row
from graph.interchange._assemble import no_cycle_collection
from graph.model import COLUMN_RELS, NODES, REL_BY_TYPE, RELS, SUPPORT_EDGE, NodeSpec, RelSpec

Key = tuple[Any, ...]
# The modes of a load: upsert only, replace the whole graph, replace one county's part of it.
MERGE, REPLACE, COUNTY = "merge", "replace", "county"
# How many rows of each kind (added, changed, removed) of each table an import's audit entry names;
# past that it counts them only. 500 × 3 × 9 tables bounds an entry to a few MB at worst (a province's
# first import is counts and 500 ids per table), while a monthly county resubmission is recorded whole.
AUDIT_ROWS = 500
# How many changed rows a preview shows per table (the counts are always complete).
PREVIEW_ROWS = 20


def link_key(row: Row, key: tuple[str, ...]) -> Key:
    """A link's identity: both ends and its type's key properties (a pairing may be renewed: `since`)."""
    return (row["src"], row["dst"], *(row.get(k) for k in key))


def _spec_keys() -> dict[str, tuple[str, ...]]:
    return {r.type: r.key for r in RELS}


@dataclass(frozen=True)
class RowChange:
    """One row the load changes: per property (before, after)."""

    key: Key
    props: dict[str, tuple[Any, Any]]


@dataclass
class TableChanges:
    """What the load does to one label or relationship type."""

    kind: str
    added: list[Key] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Key] = field(default_factory=list)
    kept: int = 0  # store rows the ledger does not hold that the load leaves as they are

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "kept": self.kept,
        }


@dataclass
class Changes:
    """The whole diff of one load, per label and type in model order."""

    mode: str
    tables: dict[str, TableChanges]
    before: dict[str, int]  # the store's counts
    scope: dict[str, int]  # the store's rows the load may remove (all of them for a replace; none for a merge)
    names: dict[str, str]  # node id -> name, of both sides, to show rows by name
    county: str | None = None

    @property
    def empty(self) -> bool:
        """True only when the load changes nothing at all: no row added, changed or removed."""
        return all(t.empty for t in self.tables.values())

    @property
    def after(self) -> dict[str, int]:
        return {k: n + len(self.tables[k].added) - len(self.tables[k].removed) for k, n in self.before.items()}

    def changed_props(self) -> int:
        return sum(len(c.props) for t in self.tables.values() for c in t.changed)

    def row_name(self, kind: str, key: Key) -> str:
        """A row as a person reads it: a node by id and name, a link by both ends' names and its key."""
        if kind not in REL_BY_TYPE:
            name = self.names.get(key[0])
            return f"{key[0]} {name}" if name else str(key[0])
        ends = " → ".join(f"{self.names.get(k, k)} ({k})" for k in key[:2])
        rest = ", ".join(str(v) for v in key[2:])
        return ends + (f" [{rest}]" if rest else "")

    def removed_villages(self, limit: int) -> list[tuple[str, str]]:
        gone = sorted(k[0] for k in self.tables["Village"].removed)[:limit]
        return [(vid, self.names.get(vid, "")) for vid in gone]

    def brief(self) -> str:
        """One line of what changed, per table; "no change" only when nothing at all does."""
        parts = []
        for kind, table in self.tables.items():
            said = [
                f"{len(v)} {word}"
                for word, v in (("added", table.added), ("changed", table.changed), ("removed", table.removed))
                if v
            ]
            if said:
                parts.append(f"{kind} " + ", ".join(said))
        return "; ".join(parts) or "no change"

    def summary(self) -> dict[str, dict[str, int]]:
        return {k: t.counts() for k, t in self.tables.items()}

    def lines(self, limit: int = PREVIEW_ROWS) -> list[str]:
        """The preview in words (the CLI's): per table the counts, then the first changed rows' before → after."""
        out = []
        for kind, table in self.tables.items():
            c = table.counts()
            if not any(c.values()):
                continue
            words = f"  {kind}: {c['added']} added, {c['changed']} changed, {c['unchanged']} unchanged"
            if self.mode != MERGE:
                words += f", {c['removed']} removed"
            if c["kept"]:
                words += f", {c['kept']} not in the ledger and kept"
            out.append(words)
            for change in table.changed[:limit]:
                props = "; ".join(f"{p}: {show(b)} → {show(a)}" for p, (b, a) in change.props.items())
                out.append(f"    {self.row_name(kind, change.key)}: {props}")
            if len(table.changed) > limit:
                out.append(f"    and {len(table.changed) - limit} more changed rows")
        return out or ["  nothing changes"]

    def as_json(self, limit: int | None = None) -> dict[str, Any]:
        """Per table: counts, and the rows (all, or the first `limit` of each kind) with before/after."""
        out: dict[str, Any] = {}
        for kind, table in self.tables.items():
            if table.empty and not table.unchanged and not table.kept:
                continue
            entry: dict[str, Any] = table.counts()
            entry["added_rows"] = [list(k) for k in table.added[:limit]]
            entry["removed_rows"] = [list(k) for k in table.removed[:limit]]
            entry["changed_rows"] = [
                {"row": list(c.key), "props": {p: [b, a] for p, (b, a) in c.props.items()}}
                for c in table.changed[:limit]
            ]
            if limit is not None and max(len(table.added), len(table.removed), len(table.changed)) > limit:
                entry["truncated"] = True
            out[kind] = entry
        return out

    def audit_detail(self) -> dict[str, Any]:
        """The import's audit record of what it changed: `as_json` bounded to AUDIT_ROWS rows per kind."""
        return {k: v for k, v in self.as_json(AUDIT_ROWS).items() if any(v[c] for c in ("added", "changed", "removed"))}


def show(value: Any) -> str:
    if value is None or value == []:
        return "(blank)"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _by_key(rows: Iterable[Row], key: Any) -> dict[Key, Row]:
    return {key(r): r for r in rows}


def _diff_rows(
    kind: str,
    current: list[Row],
    ledger: list[Row],
    props: list[tuple[str, bool]],
    key: Any,
    removable: set[Key] | None,
) -> TableChanges:
    """`removable`: the store keys the load removes when the ledger lacks them (None: every one)."""
    table = TableChanges(kind)
    stored = _by_key(current, key)
    # Split once: the scalar properties compare as they are, the list ones with a missing list as [].
    scalars = [p for p, is_list in props if not is_list]
    lists = [p for p, is_list in props if is_list]
    seen: set[Key] = set()
    for row in ledger:
        k = key(row)
        if k in seen:  # a second row of the same identity: the load's later MERGE wins; count it once
            table.added = [a for a in table.added if a != k]
            table.changed = [c for c in table.changed if c.key != k]
        seen.add(k)
        old = stored.get(k)
        if old is None:
            table.added.append(k)
            continue
        diff = {}
        for name in scalars:
            before, after = old.get(name), row.get(name)
            if before != after:
                diff[name] = (before, after)
        for name in lists:
            before, after = old.get(name) or [], row.get(name) or []
            if before != after:
                diff[name] = (list(before), list(after))
        if diff:
            table.changed.append(RowChange(k, diff))
    table.unchanged = len(seen) - len(table.added) - len(table.changed)
    for k in stored:
        if k in seen:
            continue
        if removable is None or k in removable:
            table.removed.append(k)
        else:
            table.kept += 1
    return table


def _node_props(node: NodeSpec) -> list[tuple[str, bool]]:
    return [(p.name, p.is_list) for p in node.stored if p.name != node.key]


def _rel_props(rel: RelSpec) -> list[tuple[str, bool]]:
    return [(p.name, p.is_list) for p in rel.props if p.name not in rel.key]


def diff(
    current: Dataset,
    dataset: Dataset,
    mode: str = MERGE,
    *,
    scope: CountyScope | None = None,
    county: str | None = None,
) -> Changes:
    """What loading `dataset` into a store holding `current` changes, in `mode`.

    MERGE removes nothing; REPLACE removes every store row the ledger lacks; COUNTY removes those of
    `scope` (`county_scope`). A removed node takes its links with it, whatever the ledger says of them.
    """
    # Hundreds of thousands of keys and dicts, none cyclic: the collector would only walk them again and again.
    with no_cycle_collection():
        return _diff(current, dataset, mode, scope, county)


def _diff(current: Dataset, dataset: Dataset, mode: str, scope: CountyScope | None, county: str | None) -> Changes:
    tables: dict[str, TableChanges] = {}
    removable_of: dict[str, set[Key] | None] = {}
    owned_count: dict[str, int] = {}
    kept = scope.kept if scope is not None else set()
    for kinds in (NODES, RELS):
        for spec in kinds:
            kind = spec.label if isinstance(spec, NodeSpec) else spec.type
            owned = scope.owned.get(kind, set()) if scope is not None else set()
            # A node the county must keep is never removed (its links may be).
            is_node = isinstance(spec, NodeSpec)
            candidates = {k for k in owned if not is_node or k[0] not in kept}
            removable_of[kind] = None if mode == REPLACE else candidates
            owned_count[kind] = len(owned)
    gone_ids: set[str] = set()
    for node in NODES:
        table = _diff_rows(
            node.label,
            current.nodes.get(node.label, []),
            dataset.nodes.get(node.label, []),
            _node_props(node),
            lambda r, k=node.key: (r[k],),
            removable_of[node.label],
        )
        tables[node.label] = table
        gone_ids.update(k[0] for k in table.removed)
    for rel in RELS:
        links = current.links.get(rel.type, [])
        removable = removable_of[rel.type]
        if gone_ids and removable is not None:
            # DETACH DELETE: the links of a removed node go too.
            removable |= {link_key(r, rel.key) for r in links if r["src"] in gone_ids or r["dst"] in gone_ids}
        tables[rel.type] = _diff_rows(
            rel.type,
            links,
            dataset.links.get(rel.type, []),
            _rel_props(rel),
            lambda r, k=rel.key: link_key(r, k),
            removable,
        )
    names = {r["id"]: r.get("name") or "" for rows in current.nodes.values() for r in rows}
    names.update({r["id"]: r.get("name") or "" for rows in dataset.nodes.values() for r in rows})
    before = current.counts()
    in_scope = {k: before.get(k, 0) if mode == REPLACE else n for k, n in owned_count.items()}
    return Changes(mode, tables, before, in_scope, names, county)


# ---------------------------------------------------------------- one county's part of the graph


def village_end(rel: RelSpec) -> str | None:
    """Which end of a link is the village whose county owns it: the village a support link, an activity or a
    need reaches."""
    return "dst" if rel.type in SUPPORT_EDGE.values() or rel.dst_labels == ("Village",) else None


# Nodes that are items of another (a village's need, a unit's resource), by the link naming it: they have no
# county of their own, and belong to their village's or unit's; so do the links reaching them (a claim).
ITEM_OF = {r.src_labels[0]: r for r in COLUMN_RELS if r.dst.required}


def _owners(data: Dataset) -> dict[str, str]:
    """Each item node's village or unit."""
    return {row["src"]: row["dst"] for rel in ITEM_OF.values() for row in data.links.get(rel.type, [])}


def owner_of(rel: RelSpec, row: Row, owners: dict[str, str]) -> str | None:
    """The village or unit whose county owns a link row: the village it reaches, an item's village or unit, the
    village or unit of the item it reaches (a claim of a need); None for a cadre's SENT_BY."""
    end = village_end(rel)
    if end is not None:
        return str(row[end])
    if rel in ITEM_OF.values():
        return str(row["dst"])
    if any(label in ITEM_OF for label in rel.dst_labels):
        return owners.get(row["dst"])
    return None


@dataclass(frozen=True)
class CountyScope:
    """What a county owns in the store (`owned`, per kind), and its nodes a county replace must keep (`kept`)."""

    owned: dict[str, set[Key]]
    kept: set[str]  # node ids


def county_scope(current: Dataset, county: str, held: Dataset) -> CountyScope:
    """The store's rows a replace of `county` may remove: what the county owns there.

    A county owns its villages and units (`county` property), the support links reaching its villages
    (a pairing from another county's unit included), and the cadres stationed in its villages only,
    with their SENT_BY links. A node it owns is kept, though, when a link it has belongs to another
    county (a unit of the county pairing a village elsewhere, a village leading one elsewhere, the
    unit that sent another county's cadre), or a ledger link (`held`) names it: removing it would
    change another county or break the ledger.
    """
    own = {r["id"] for rows in current.nodes.values() for r in rows if r.get("county") == county}
    owners = _owners(current)
    owned: dict[str, set[Key]] = {}
    owned_links: dict[str, list[Row]] = {}
    foreign_ends: set[str] = set()
    for rel in RELS:
        if rel.type == "SENT_BY":
            continue
        mine = []
        for row in current.links.get(rel.type, []):
            if owner_of(rel, row, owners) in own:
                mine.append(row)
            else:
                foreign_ends.update((row["src"], row["dst"]))
        owned_links[rel.type] = mine
    cadres = {r["src"] for r in owned_links.get("STATIONED_IN", [])} - foreign_ends
    # The unit that sent another county's cadre is tied to that county.
    foreign_ends.update(r["dst"] for r in current.links.get("SENT_BY", []) if r["src"] not in cadres)
    referenced = {r[e] for rows in held.links.values() for r in rows for e in ("src", "dst")}
    for node in NODES:
        if node.label == "Cadre":
            ids = cadres
        elif node.label in ITEM_OF:
            ids = {r["id"] for r in current.nodes.get(node.label, []) if owners.get(r["id"]) in own}
        else:
            ids = {r["id"] for r in current.nodes.get(node.label, []) if r.get("county") == county}
        owned[node.label] = {(i,) for i in ids}
    for rel in RELS:
        rows = owned_links.get(rel.type)
        if rows is None:  # SENT_BY: the county's cadres'
            rows = [r for r in current.links.get(rel.type, []) if r["src"] in cadres]
        owned[rel.type] = {link_key(r, rel.key) for r in rows}
    return CountyScope(owned, foreign_ends | referenced)


def other_counties(dataset: Dataset, current: Dataset, county: str) -> list[tuple[str, Row, str]]:
    """The ledger's rows that are not of `county`: (table file, row, why). A county replace takes none of them."""
    store_county = {r["id"]: r.get("county") for rows in current.nodes.values() for r in rows if "county" in r}
    ledger_county = {r["id"]: r.get("county") for rows in dataset.nodes.values() for r in rows if "county" in r}
    out: list[tuple[str, Row, str]] = []
    for node in NODES:
        if not any(p.name == "county" for p in node.stored):
            continue
        for row in dataset.nodes.get(node.label, []):
            if row.get("county") != county:
                out.append((node.file, row, f"of county {row.get('county') or '(blank)'}, not {county}"))
            elif store_county.get(row["id"], county) != county:
                out.append((node.file, row, f"of county {store_county[row['id']]} in the store, not {county}"))
    owners = {**_owners(current), **_owners(dataset)}
    for rel in RELS:
        for row in dataset.links.get(rel.type, []):
            holder = owner_of(rel, row, owners)
            if holder is None and rel.type == "SENT_BY":
                continue
            owner = ledger_county.get(holder, store_county.get(holder)) if holder is not None else None
            if owner != county:
                what = "village" if village_end(rel) else "unit" if rel in ITEM_OF.values() else "an item of"
                out.append((rel.file, row, f"reaches {what} {holder} of county {owner or '(blank)'}, not {county}"))
    return out


# ---------------------------------------------------------------- hand edits newer than the ledger


@dataclass(frozen=True)
class NewerEdit:
    """A property the import would overwrite (or a link it would remove) that was set by hand after the ledger."""

    kind: str
    key: Key
    row: str  # the row by name (`Changes.row_name`)
    prop: str  # "" when the import removes the link
    actor: str
    at: dt.datetime
    action: str
    store: Any
    ledger: Any

    def line(self) -> str:
        when = self.at.isoformat(timespec="seconds")
        if not self.prop:
            return f"  {self.kind} {self.row}: removed; added or changed by {self.actor} ({self.action}) at {when}"
        return (
            f"  {self.kind} {self.row}, {self.prop}: {show(self.store)} → {show(self.ledger)}; "
            f"set by {self.actor} ({self.action}) at {when}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "row": list(self.key),
            "name": self.row,
            "property": self.prop or None,
            "actor": self.actor,
            "at": self.at.isoformat(),
            "action": self.action,
            "store": self.store,
            "ledger": self.ledger,
            "removed": not self.prop,
        }


@dataclass(frozen=True)
class _Edit:
    rel: str
    src: str
    dst: str
    since: dt.date | None  # None: every link between the two ends
    props: frozenset[str] | None  # None: every property (the link was created by hand)
    actor: str
    at: dt.datetime
    action: str


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _programme_edits(e: Any) -> list[_Edit]:
    """The records a write of the programme set by hand (`graph.activities`, `graph.claims`): activities, claims and
    needs; a node's edit has its id as `src` and no `dst`."""
    before, after = e.before or {}, e.after or {}
    src, _, dst = (e.target or "").partition("->")

    def edit(rel: str, start: str, end: str, props: frozenset[str] | None) -> _Edit:
        return _Edit(rel, start, end, None, props, e.actor, e.at, e.action)

    def others(need: str) -> list[_Edit]:  # the claims a choice or a withdrawal declined
        return [edit("CLAIMED", unit, need, frozenset({"status"})) for unit in after.get("claims", {})]

    if e.action == "activity.add":
        return [edit("ACTIVITY", src, dst, None)]
    if e.action == "activity.update":
        return [edit("ACTIVITY", src, dst, frozenset(k for k in after if before.get(k) != after.get(k)))]
    if e.action in ("need.add", "resource.add"):
        return [edit("Need" if e.action == "need.add" else "Resource", e.target, "", None)]
    if e.action == "need.withdraw":
        return [edit("Need", e.target, "", frozenset({"status"})), *others(e.target)]
    if e.action == "claim.choose":
        return [edit("CLAIMED", src, dst, frozenset({"status"})), *others(dst)]
    if e.action in ("claim", "project.set"):
        props = None if e.action == "claim" else frozenset(after) - {"claimed", "need_status"}
        status = [edit("Need", dst, "", frozenset({"status"}))] if "need_status" in after else []
        return [edit("CLAIMED", src, dst, props), *status]
    return []


def hand_edits(entries: Iterable[Any]) -> list[_Edit]:
    """The edits an audit trail records by hand (every action but import): links from `graph.writes` and
    `graph.proposals`, and the programme's records."""
    out: list[_Edit] = []
    for e in entries:
        kind, _, verb = e.action.partition(".")
        after = e.after or {}
        if e.action == "match.apply":
            for unit, village in after.get("pairs", []):
                out.append(_Edit("PAIRED_WITH", unit, village, None, None, e.actor, e.at, e.action))
            continue
        programme = _programme_edits(e)
        if programme:
            out += programme
            continue
        if kind not in SUPPORT_EDGE or verb not in ("create", "end", "update"):
            continue
        rel = REL_BY_TYPE[SUPPORT_EDGE[kind]]
        src, _, village = e.target.partition("->")
        src, village = after.get(rel.src.name, src), after.get("village", village)
        since = _day(after.get("since"))
        props: frozenset[str] | None
        if verb == "create":
            props = None
        elif verb == "end":
            props = frozenset({"until"})
        else:
            props = frozenset(after) - {"since", rel.src.name, "village"}
        out.append(_Edit(rel.type, src, village, since, props, e.actor, e.at, e.action))
    return out


def newer_edits(changes: Changes, entries: Iterable[Any], since: dt.datetime | None) -> list[NewerEdit]:
    """The hand edits made at or after `since` (None: any) that the load would overwrite or remove, by name.

    A property counts when the load changes it on a link a newer hand edit set; a link counts when the
    load removes it and a newer hand edit created or changed it. Per property the latest edit is named.
    """
    edits = [e for e in hand_edits(x for x in entries if x.action != "import") if since is None or e.at >= since]
    if not edits:
        return []
    by_ends: dict[tuple[str, str, str], list[_Edit]] = {}
    for e in sorted(edits, key=lambda e: e.at):
        by_ends.setdefault((e.rel, e.src, e.dst), []).append(e)
    out: list[NewerEdit] = []

    def overwritten(kind: str, change: Any, found: list[_Edit]) -> None:
        """Each property the load changes that the latest of `found` set by hand."""
        for prop, (before, after) in change.props.items():
            last = next((e for e in reversed(found) if e.props is None or prop in e.props), None)
            if last is not None:
                row = changes.row_name(kind, change.key)
                out.append(NewerEdit(kind, change.key, row, prop, last.actor, last.at, last.action, before, after))

    for node in NODES:
        for change in changes.tables[node.label].changed:
            overwritten(node.label, change, by_ends.get((node.label, change.key[0], ""), []))
    for rel in RELS:
        table = changes.tables[rel.type]
        since_at = rel.key.index("since") + 2 if "since" in rel.key else None

        def matching(key: Key, rel: RelSpec = rel, since_at: int | None = since_at) -> list[_Edit]:
            found = by_ends.get((rel.type, key[0], key[1]), [])
            return [e for e in found if e.since is None or since_at is None or e.since == key[since_at]]

        for change in table.changed:
            overwritten(rel.type, change, matching(change.key))
        for key in table.removed:
            found = matching(key)
            if found:
                last = found[-1]
                row = changes.row_name(rel.type, key)
                out.append(NewerEdit(rel.type, key, row, "", last.actor, last.at, last.action, None, None))
    return out
