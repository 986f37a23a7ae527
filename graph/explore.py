"""The network explorer's core: search nodes, expand a neighbourhood, take a county or township scope.

Cypher cannot parameterise the bounds of a variable-length pattern on either engine, so a
neighbourhood of depth d is d calls of `explore/neighbours` (the links touching a set of ids),
each expanding the frontier by one hop. Every result is capped at `cap` nodes: a planner's
browser cannot draw a province, and a partial picture must say that it is partial.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.model import REL_RANK, SUPPORT_EDGE
from graph.store import GraphStore

# One details query per label (no portable way to return "all properties" of any label);
# spelt out so that every query name appears in the code.
DETAIL_QUERIES = {
    "Village": "explore/node_villages",
    "CityCommunity": "explore/node_communities",
    "Enterprise": "explore/node_enterprises",
    "Organisation": "explore/node_organisations",
    "Cadre": "explore/node_cadres",
    "Need": "explore/node_needs",
    "Resource": "explore/node_resources",
}
# The alliance graph the explorer draws: the support links and who sent each cadre. The programme's records
# (practical projects, needs, resources, claims) are lists, not alliances, and are not drawn.
ALLIANCE_TYPES = (*SUPPORT_EDGE.values(), "SENT_BY")
DEFAULT_CAP = 1_500
MAX_DEPTH = 3
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    label: str
    # Only villages have a tier; other labels carry "".
    tier: str = ""

    @property
    def kind(self) -> str:
        """What the drawing colours by: the label, and for villages also the tier."""
        return f"Village:{self.tier}" if self.label == "Village" and self.tier else self.label


@dataclass(frozen=True)
class Link:
    src: str
    dst: str
    rel: str
    since: dt.date | None = None
    until: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        """docs/domain.md: active when since <= day and until is empty or not before day (SENT_BY has no dates)."""
        if self.since is not None and self.since > day:
            return False
        return self.until is None or self.until >= day


@dataclass(frozen=True)
class Hit:
    id: str
    name: str
    label: str
    tier: str
    county: str
    township: str

    @property
    def node(self) -> Node:
        return Node(self.id, self.name, self.label, self.tier)


@dataclass(frozen=True)
class Subgraph:
    # In discovery order: the focus (or the scope's villages) first, then hop by hop.
    nodes: dict[str, Node] = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    # Nodes found before the cap was applied; more than len(nodes) when truncated. Expansion stops
    # at the first hop that passes the cap, so a truncated total is a lower bound, not a count.
    total: int = 0
    cap: int = DEFAULT_CAP

    @property
    def truncated(self) -> bool:
        return self.total > len(self.nodes)

    def degree(self) -> dict[str, int]:
        out = dict.fromkeys(self.nodes, 0)
        for link in self.links:
            out[link.src] += 1
            out[link.dst] += 1
        return out

    def links_of(self, node_id: str) -> list[Link]:
        return [link for link in self.links if node_id in (link.src, link.dst)]


def search(store: GraphStore, text: str, limit: int = SEARCH_LIMIT) -> list[Hit]:
    """Nodes of any label whose name contains `text` (case-insensitive) or whose id is `text`."""
    text = text.strip()
    if not text:
        return []
    rows = store.read("explore/search", {"text": text, "limit": limit})
    hits = [Hit(r["id"], r["name"], r["label"], r["tier"] or "", r["county"] or "", r["township"] or "") for r in rows]
    # Exact names first, then shorter names: the likeliest intended node leads the list.
    hits.sort(key=lambda h: (h.name != text, len(h.name), h.name, h.id))
    return hits[:limit]


def _link_order(row: dict[str, Any]) -> tuple[Any, ...]:
    """A link row's place in a list: by the model's rank of its type, then by its ends and dates.

    The engines give a UNION's rows in different orders (Neo4j's follows its storage and plan), and the rows
    decide the links' order, which nodes are found first and so which survive the cap: the order is ours.
    """
    since, until = row.get("since"), row.get("until")
    ends = (row["src"], row.get("src_label") or "", row["dst"], row.get("dst_label") or "")
    return (REL_RANK[row["rel"]], *ends, since is None, since or dt.date.min, until is None, until or dt.date.min)


def _link_rows(store: GraphStore, ids: Iterable[str]) -> list[dict[str, Any]]:
    ids = sorted(set(ids))
    return sorted(store.read("explore/neighbours", {"ids": ids}), key=_link_order) if ids else []


def _expand(store: GraphStore, start: dict[str, Node], depth: int, cap: int) -> Subgraph:
    nodes = dict(start)
    links: dict[tuple[str, str, str, dt.date | None], Link] = {}
    frontier = set(start)
    for _ in range(depth):
        if not frontier or len(nodes) > cap:
            break
        found: list[str] = []
        for r in _link_rows(store, frontier):
            for end in ("src", "dst"):
                node_id = r[end]
                if node_id not in nodes:
                    nodes[node_id] = Node(node_id, r[f"{end}_name"], r[f"{end}_label"], r[f"{end}_tier"] or "")
                    found.append(node_id)
            link = Link(r["src"], r["dst"], r["rel"], r["since"], r["until"])
            links[(link.src, link.dst, link.rel, link.since)] = link
        frontier = set(found)
    total = len(nodes)
    if total > cap:
        kept = dict(list(nodes.items())[:cap])
        kept_links = tuple(v for v in links.values() if v.src in kept and v.dst in kept)
        return Subgraph(kept, kept_links, total, cap)
    return Subgraph(nodes, tuple(links.values()), total, cap)


def node(store: GraphStore, node_id: str) -> Node | None:
    """The node with this id, whatever its label."""
    for hit in search(store, node_id, limit=SEARCH_LIMIT):
        if hit.id == node_id:
            return hit.node
    return None


def neighbourhood(store: GraphStore, node_id: str, depth: int = 1, cap: int = DEFAULT_CAP) -> Subgraph:
    """The node and everything within `depth` hops (1–3) of it, links in either direction."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {MAX_DEPTH}, not {depth}")
    focus = node(store, node_id)
    if focus is None:
        return Subgraph(cap=cap)
    return _expand(store, {focus.id: focus}, depth, cap)


def scope(store: GraphStore, county: str, township: str = "", cap: int = DEFAULT_CAP) -> Subgraph:
    """The villages of a county (or of one township in it), every link touching them and the partners at the far end.

    When the villages alone exceed the cap, their links are not fetched at all: the caller shows
    the cap message, and the store is spared a query over tens of thousands of ids.
    """
    rows = store.read("explore/scope", {"county": county, "township": township})
    villages = {r["id"]: Node(r["id"], r["name"], "Village", r["tier"] or "") for r in rows}
    if len(villages) > cap:
        return Subgraph(dict(list(villages.items())[:cap]), (), len(villages), cap)
    return _expand(store, villages, 1, cap)


@dataclass(frozen=True)
class Place:
    county: str
    township: str
    villages: int
    # The 地级市 ("" where the ledger has none); last, so that a place still reads (county, township, villages).
    city: str = ""


def places(store: GraphStore) -> list[Place]:
    return [
        Place(r["county"] or "", r["township"] or "", int(r["villages"]), r["city"] or "")
        for r in store.read("explore/places")
    ]


def details(store: GraphStore, node: Node) -> dict[str, Any]:
    """Every stored property of the node, in the model's order."""
    rows = store.read(DETAIL_QUERIES[node.label], {"id": node.id})
    return dict(rows[0]) if rows else {}


@dataclass(frozen=True)
class Point:
    id: str
    name: str
    county: str
    township: str
    tier: str
    lat: float
    lon: float


def village_points(store: GraphStore, county: str | None = None, township: str | None = None) -> list[Point]:
    """Villages with coordinates (all, or in one county and township), for maps."""
    rows = store.read("explore/village_points", {"county": county or "", "township": township or ""})
    return [
        Point(r["id"], r["name"], r["county"] or "", r["township"] or "", r["tier"] or "", r["lat"], r["lon"])
        for r in rows
    ]
