"""Consistency check of a store: what the schema alone does not guarantee on every engine.

- dangling or misplaced links: a link whose end is missing, lacks an id, or has a label the
  model does not allow for that type (Ladybug's typed tables cannot hold one; Neo4j can);
- duplicate ids: one id on two nodes, of the same label (Neo4j without its constraints) or of
  different labels (which would make ledger references ambiguous);
- reversed spans: links whose `until` is before their `since`;
- accounts with an unknown role, or planners with no county.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graph import accounts
from graph.model import REL_RANK
from graph.store import GraphStore

KINDS = ("dangling_link", "duplicate_id", "reversed_dates", "bad_account")


@dataclass(frozen=True)
class Issue:
    kind: str
    target: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.target}: {self.detail}"


def _links(store: GraphStore) -> list[Issue]:
    issues = []
    for row in store.read("check/link_ends"):
        total, good, no_id = int(row["total"]), int(row["well_formed"]), int(row["missing_id"])
        if total != good:
            issues.append(
                Issue(
                    "dangling_link",
                    row["type"],
                    f"{total - good} of {total} links do not join nodes of the labels the model allows",
                )
            )
        if no_id:
            issues.append(Issue("dangling_link", row["type"], f"{no_id} links have an end without an id"))
    return issues


def _duplicates(store: GraphStore) -> list[Issue]:
    labels: dict[str, list[str]] = defaultdict(list)
    for row in store.read("stats/node_names"):
        labels[row["id"]].append(row["label"])
    return [
        Issue("duplicate_id", node_id, f"{len(found)} nodes share this id: {', '.join(sorted(found))}")
        for node_id, found in sorted(labels.items(), key=lambda item: str(item[0]))
        if len(found) > 1
    ]


def _reversed(store: GraphStore) -> list[Issue]:
    # By the model's rank of the type, then ends and dates: the engines give a UNION's rows in their own order.
    rows = sorted(
        store.read("check/reversed_dates"),
        key=lambda r: (REL_RANK[r["type"]], str(r["src"]), str(r["dst"]), r["since"], r["until"]),
    )
    return [
        Issue(
            "reversed_dates", f"{r['type']} {r['src']}->{r['dst']}", f"until {r['until']} is before since {r['since']}"
        )
        for r in rows
    ]


def _accounts(store: GraphStore) -> list[Issue]:
    issues = []
    for account in accounts.list_accounts(store):
        if account.role not in accounts.ROLES:
            issues.append(
                Issue(
                    "bad_account",
                    account.username,
                    f"unknown role {account.role!r} (known: {', '.join(accounts.ROLES)})",
                )
            )
        elif account.role == accounts.PLANNER and not account.counties:
            issues.append(Issue("bad_account", account.username, "a planner with no county can change nothing"))
    return issues


def run(store: GraphStore) -> list[Issue]:
    """Every issue found, grouped by kind (empty when the store is consistent)."""
    return [*_links(store), *_duplicates(store), *_reversed(store), *_accounts(store)]
