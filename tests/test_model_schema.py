"""The model is the one source of truth: DDL files, load queries and the stores follow it."""

from __future__ import annotations

import dataclasses
import re

from graph import cypher_gen, queries, schema, writes
from graph.cypher_gen import create_query
from graph.model import (
    NODE_BY_LABEL,
    NODES,
    PAIRING_FORMS,
    REL_BY_TYPE,
    RELS,
    SUPPORT_EDGE,
    TIERS,
    Prop,
    PType,
    all_property_names,
)
from graph.store import LadybugStore
from graph.store.base import load_query


def test_schema_files_match_the_model() -> None:
    files = schema.files()
    assert files, "the model generates no schema file"
    for path, text in files.items():
        assert path.is_file() and path.read_text(encoding="utf-8") == text, (
            f"{path} drifted from graph/model.py: run `pairing schema --write`"
        )
    assert not cypher_gen.stale_files(), "generated queries the model no longer makes: run `pairing schema --write`"


def test_generated_queries_follow_a_new_property(monkeypatch) -> None:
    # Adding a property is one edit in graph/model.py: every query of that label picks it up.
    village = NODE_BY_LABEL["Village"]
    extra = Prop("altitude", PType.FLOAT)
    grown = dataclasses.replace(village, props=(*village.props, extra))
    monkeypatch.setattr(cypher_gen, "NODES", tuple(grown if n is village else n for n in NODES))
    texts = cypher_gen.queries()
    assert "n.altitude = r.altitude" in texts["load/villages"]
    assert "n.altitude AS altitude" in texts["export/villages"]
    assert "n.altitude AS altitude" in texts["explore/node_villages"]
    assert queries.parse("export/villages", texts["export/villages"]).returns[-1] == "altitude"


def test_ladybug_tables_have_the_model_columns(tmp_path) -> None:
    store = LadybugStore(tmp_path / "s.lbug")
    try:
        for node in NODES:
            rows = store.read(f"export/{node.file}")
            assert rows == []
        dump = store.dump()
        assert set(dump.nodes) == {n.label for n in NODES}
        assert set(dump.links) == {r.type for r in RELS}
    finally:
        store.close()


def test_neo4j_constraints_cover_every_label() -> None:
    text = "\n".join(schema.neo4j_ddl())
    for node in NODES:
        assert f"FOR (n:{node.label}) REQUIRE n.id IS UNIQUE" in text


def test_each_load_query_sets_every_property() -> None:
    for node in NODES:
        text = queries.get(f"load/{node.file}").text
        for prop in node.stored:
            assert re.search(rf"\b{prop.name}\b", text), f"load/{node.file} does not set {prop.name}"
    for rel in RELS:
        for src, dst in rel.pairs:
            text = queries.get(load_query(rel.type, src, dst)).text
            assert f"(a:{src} " in text and f"(b:{dst} " in text
            for prop in rel.props:
                assert f"p.{prop.name}" in text or f"{prop.name}: " in text, (
                    f"{rel.type} {src}->{dst} misses {prop.name}"
                )


def test_export_queries_return_every_property() -> None:
    for node in NODES:
        assert queries.get(f"export/{node.file}").returns == tuple(p.name for p in node.stored)
    for rel in RELS:
        assert queries.get(f"export/{rel.type.lower()}").returns == ("src", "dst", *(p.name for p in rel.props))


def test_link_writes_pass_every_parameter_of_the_generated_query() -> None:
    for kind, rel_type in SUPPORT_EDGE.items():
        for label in REL_BY_TYPE[rel_type].src_labels:
            assert set(writes.link_params(kind)) == set(queries.get(create_query(kind, label)).params)


def test_model_values_are_consistent() -> None:
    ids = [n.props[0].name for n in NODES]
    assert ids == ["id"] * len(NODES)
    assert NODES[0].prop("tier").choices == TIERS
    assert RELS[0].props[2].choices == PAIRING_FORMS
    # One property name means one type everywhere: the Ladybug parameter encoder relies on it.
    types: dict[str, str] = {}
    for props in [n.stored for n in NODES] + [r.props for r in RELS]:
        for p in props:
            assert types.setdefault(p.name, p.type.value) == p.type.value, p.name
    assert "sent_by" not in all_property_names()
