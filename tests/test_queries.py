"""Every query file loads with a complete header, and every one is used by some code path."""

from __future__ import annotations

import re

import pytest

from graph import queries
from graph.cypher_gen import (
    LOCKED_LABELS,
    create_query,
    delete_links_query,
    delete_nodes_query,
    delete_query,
    end_query,
    find_query,
    lock_query,
    update_query,
)
from graph.errors import QueryError
from graph.model import NODES, REL_BY_TYPE, RELS, SUPPORT_EDGE, UNIT_LABELS
from graph.store.base import load_query
from tests.fixtures import APP, ROOT


@pytest.mark.parametrize("name", queries.names())
def test_query_loads(name: str) -> None:
    q = queries.get(name)
    assert q.purpose and q.mode in ("read", "write")
    assert q.text and not q.text.startswith("//")


def test_there_are_queries() -> None:
    assert len(queries.names()) >= 25


def test_no_name_is_both_hand_written_and_generated() -> None:
    generated = set(queries.generated_names())
    assert generated, "no generated queries: run `pairing schema --write`"
    assert not generated & set(queries.hand_written_names())
    # Generated queries are named without their folder, like hand-written ones.
    assert queries.path_of("load/villages").is_relative_to(queries.GENERATED_DIR)
    with pytest.raises(QueryError, match="no query named"):
        queries.get("_generated/load/villages")


def test_undeclared_parameter_is_refused() -> None:
    with pytest.raises(QueryError, match="uses"):
        queries.parse("x", "// purpose: p\n// params: none\n// returns: a\n// mode: read\nRETURN $a AS a")
    with pytest.raises(QueryError, match="lacks"):
        queries.parse("x", "// purpose: p\nRETURN 1 AS a")


def _generated_names() -> set[str]:
    """Names the stores build from the model rather than spell out."""
    names = {f"load/{n.file}" for n in NODES} | {f"export/{n.file}" for n in NODES}
    names |= {f"load/clear_{n.file}" for n in NODES}
    # graph.writes picks these by unit label or by support kind.
    names |= {f"write/unit_claim_{label.lower()}" for label in UNIT_LABELS}
    names |= {lock_query(label) for label in LOCKED_LABELS}
    for kind, rel_type in SUPPORT_EDGE.items():
        names |= {create_query(kind, label) for label in REL_BY_TYPE[rel_type].src_labels} | {end_query(kind)}
        names |= {update_query(kind), delete_query(kind), find_query(kind)}
    names |= {f"export/{r.type.lower()}" for r in RELS}
    names |= {load_query(r.type, a, b) for r in RELS for a, b in r.pairs}
    # A county replace deletes by label and by link type (graph.store.base.GraphStore.load_removing).
    names |= {delete_nodes_query(n) for n in NODES} | {
        delete_links_query(r.type, a, b) for r in RELS for a, b in r.pairs
    }
    return names


def test_every_query_is_used_by_code() -> None:
    sources = [p.read_text(encoding="utf-8") for p in [*(ROOT / "graph").rglob("*.py"), APP]]
    literals = set(re.findall(r"[\"']([a-z_]+/[a-z_0-9]+)[\"']", "\n".join(sources)))
    unused = [n for n in queries.names() if n not in literals and n not in _generated_names()]
    assert not unused, f"query files no code path uses: {unused}"
