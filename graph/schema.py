"""Schema DDL for both engines, derived from `graph.model`, and every other file generated from it.

The generated text is kept in `graph/cypher/schema/` (DDL) and `graph/cypher/_generated/` (the
queries of `graph.cypher_gen`) so that a reader (and the Cypher linter) sees it; `pairing schema
--write` regenerates both and a test fails if the files drift.
"""

from __future__ import annotations

from pathlib import Path

from graph import cypher_gen
from graph.model import NODES, RELS, SYSTEM_NODES, Prop
from graph.queries import CYPHER_DIR

SCHEMA_DIR = CYPHER_DIR / "schema"
_HEADER = "// Generated from graph/model.py by `pairing schema --write`; do not edit by hand.\n"


def _columns(props: tuple[Prop, ...]) -> str:
    return ", ".join(f"{p.name} {p.type.value}" for p in props)


def ladybug_ddl() -> list[str]:
    statements = []
    for node in (*NODES, *SYSTEM_NODES):
        statements.append(
            f"CREATE NODE TABLE IF NOT EXISTS {node.label}({_columns(node.stored)}, PRIMARY KEY({node.key}))"
        )
    for rel in RELS:
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
        cols = f", {_columns(rel.props)}" if rel.props else ""
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel.type}({ends}{cols})")
    return statements


def neo4j_ddl() -> list[str]:
    # Neo4j has no table schema: uniqueness of `id` per label and indexes for the filters we use.
    statements = []
    for node in NODES:
        low = node.label.lower()
        statements.append(f"CREATE CONSTRAINT {low}_id IF NOT EXISTS FOR (n:{node.label}) REQUIRE n.id IS UNIQUE")
        if any(p.name == "county" for p in node.stored):
            statements.append(f"CREATE INDEX {low}_county IF NOT EXISTS FOR (n:{node.label}) ON (n.county)")
    statements.append("CREATE INDEX village_tier IF NOT EXISTS FOR (n:Village) ON (n.tier)")
    for node in SYSTEM_NODES:
        low = node.label.lower()
        statements.append(
            f"CREATE CONSTRAINT {low}_{node.key} IF NOT EXISTS FOR (n:{node.label}) REQUIRE n.{node.key} IS UNIQUE"
        )
    # Audit queries filter and sort by time.
    statements.append("CREATE INDEX auditentry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at)")
    return statements


def render(statements: list[str]) -> str:
    return _HEADER + "".join(f"{s};\n" for s in statements)


def files() -> dict[Path, str]:
    """Every generated file and its text: the DDL of both engines and the generated queries."""
    ddl = {SCHEMA_DIR / "ladybug.cypher": render(ladybug_ddl()), SCHEMA_DIR / "neo4j.cypher": render(neo4j_ddl())}
    return ddl | cypher_gen.files()


def write() -> list[Path]:
    """Write every generated file, and delete generated queries the model no longer makes."""
    for stale in cypher_gen.stale_files():
        stale.unlink()
    written = []
    for path, text in files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def read_statements(path: Path) -> list[str]:
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]
