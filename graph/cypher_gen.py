"""The query files that `graph.model` fully determines, generated into `graph/cypher/_generated/`.

Each comes from a template in `graph/cypher/_templates/` (`*.cypher.in`, with `{{name}}` placeholders)
filled from the model, so adding a property to a node or link is one edit in `graph/model.py` and
`pairing schema --write` (which regenerates these with the DDL; a test fails on drift). The Cypher
stays in the templates: this module only joins property names into lists.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.model import (
    NODE_BY_LABEL,
    NODES,
    REL_BY_TYPE,
    RELS,
    SUPPORT_EDGE,
    UNIT_LABELS,
    NodeSpec,
    Prop,
    PType,
    RelSpec,
)
from graph.queries import CYPHER_DIR, GENERATED_DIR

TEMPLATE_DIR = CYPHER_DIR / "_templates"
_HEADER = (
    "// Generated from graph/model.py with _templates/{template}.cypher.in; edit those, run `pairing schema --write`.\n"
)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_SET_SEP = ",\n    "
_RETURN_SEP = ",\n       "
# What matching reads of every unit label (`match/units_*`); a label without the property returns NULL,
# so that the frames of all labels have the same columns.
MATCH_UNIT_COLUMNS = ("id", "name", "county", "township", "lat", "lon", "resources", "industry", "capacity")
# The nodes a writer locks before a check that reads (`graph.writes.lock`), in the order every writer
# takes them: needs for their claims, units for their free places, villages (leading or led) for their links.
LOCKED_LABELS = ("Need", *UNIT_LABELS, "Village")


def create_query(kind: str, src_label: str) -> str:
    """The query creating a support link of `kind` from a node of `src_label`: one per start label (Ladybug)."""
    return f"write/{kind}_create_{src_label.lower()}"


def end_query(kind: str) -> str:
    return f"write/{kind}_end"


def update_query(kind: str) -> str:
    return f"write/{kind}_update"


def delete_query(kind: str) -> str:
    return f"write/{kind}_delete"


def find_query(kind: str) -> str:
    """The query reading a kind's links between two ends, with every property (edits, deletions, audit)."""
    return f"lookup/{kind}_links"


def load_query(rel_type: str, src: str, dst: str) -> str:
    """The load query of one (type, start label, end label): Ladybug's MATCH must name both labels."""
    return f"load/{rel_type.lower()}_{src.lower()}_{dst.lower()}"


def delete_links_query(rel_type: str, src: str, dst: str) -> str:
    """The query deleting links of one (type, start label, end label) by their identity (a county replace)."""
    return f"load/delete_{rel_type.lower()}_{src.lower()}_{dst.lower()}"


def delete_nodes_query(node: NodeSpec) -> str:
    return f"load/delete_{node.file}"


def lock_query(label: str) -> str:
    """The query taking the write locks of nodes of `label` (one of LOCKED_LABELS) by id (`graph.writes.lock`)."""
    return f"write/lock_{NODE_BY_LABEL[label].file}"


def _lock_file(node: NodeSpec) -> dict[str, str]:
    # Any property will do but the key, which Ladybug does not let a SET touch.
    prop = next(p.name for p in node.stored if p.name != node.key)
    return {lock_query(node.label): render("lock_nodes", label=node.label, prop=prop)}


def render(template: str, **values: str) -> str:
    """Fill a template; a placeholder alone on its line that fills to "" drops the line (no SET without props)."""
    source = (TEMPLATE_DIR / f"{template}.cypher.in").read_text(encoding="utf-8")
    wanted = set(_PLACEHOLDER.findall(source))
    if wanted != set(values):
        raise ValueError(f"template {template}: placeholders {sorted(wanted)}, values for {sorted(values)}")
    lines = []
    for line in source.splitlines():
        alone = _PLACEHOLDER.fullmatch(line.strip())
        if alone and values[alone[1]] == "":
            continue
        lines.append(_PLACEHOLDER.sub(lambda m: values[m[1]], line))
    return _HEADER.format(template=template) + "\n".join(lines) + "\n"


def _value(prop: Prop) -> str:
    # Import rows carry dates as ISO text or dates; date() takes either on both engines.
    return f"date(r.{prop.name})" if prop.type is PType.DATE else f"r.{prop.name}"


def _set(var: str, props: list[Prop]) -> str:
    return "SET " + _SET_SEP.join(f"{var}.{p.name} = {_value(p)}" for p in props) if props else ""


def _projection(var: str, names: list[str]) -> str:
    return _RETURN_SEP.join(f"{var}.{n} AS {n}" for n in names)


def _node_files(node: NodeSpec) -> dict[str, str]:
    names = [p.name for p in node.stored]
    columns = {"label": node.label, "returns": ", ".join(names), "projection": _projection("n", names)}
    return {
        f"load/{node.file}": render(
            "load_node", label=node.label, key=node.key, set=_set("n", [p for p in node.stored if p.name != node.key])
        ),
        f"load/clear_{node.file}": render("clear_node", label=node.label),
        delete_nodes_query(node): render("delete_nodes", label=node.label),
        f"export/{node.file}": render("export_node", key=node.key, **columns),
        f"explore/node_{node.file}": render("explore_node", key=node.key, **columns),
    }


def _rel_files(rel: RelSpec) -> dict[str, str]:
    names = [p.name for p in rel.props]
    projection = _RETURN_SEP.join(["a.id AS src", "b.id AS dst", *(f"p.{n} AS {n}" for n in names)])
    out = {
        f"export/{rel.type.lower()}": render(
            "export_link",
            type=rel.type,
            returns=", ".join(["src", "dst", *names]),
            projection=projection,
            order=", ".join(["src", "dst", *rel.key]),
        )
    }
    keys = [p for p in rel.props if p.name in rel.key]
    merge_key = " {" + ", ".join(f"{p.name}: {_value(p)}" for p in keys) + "}" if keys else ""
    keyed_by = "both ends" + (" and " + ", ".join(rel.key) if rel.key else "")
    for src, dst in rel.pairs:
        out[load_query(rel.type, src, dst)] = render(
            "load_link",
            type=rel.type,
            src=src,
            dst=dst,
            keyed_by=keyed_by,
            merge_key=merge_key,
            set=_set("p", [p for p in rel.props if p.name not in rel.key]),
        )
        where = " AND ".join(f"p.{p.name} = {_value(p)}" for p in keys)
        out[delete_links_query(rel.type, src, dst)] = render(
            "delete_link", type=rel.type, src=src, dst=dst, keyed_by=keyed_by, where=f"WHERE {where}" if where else ""
        )
    return out


def _unit_files(label: str) -> dict[str, str]:
    node = NODE_BY_LABEL[label]
    has = {p.name for p in node.stored}
    low = label.lower()
    columns = [f"u.{c} AS {c}" if c in has else f"NULL AS {c}" for c in MATCH_UNIT_COLUMNS]
    return {
        f"write/unit_claim_{low}": render("unit_claim", label=label),
        f"match/units_{low}": render(
            "match_units", label=label, returns=", ".join(MATCH_UNIT_COLUMNS), projection=_RETURN_SEP.join(columns)
        ),
    }


def _support_files(kind: str, rel: RelSpec) -> dict[str, str]:
    """The writes of one kind of support: create from each start label, end, update, delete, and the lookup."""
    out = {
        create_query(kind, label): render(
            "link_create",
            type=rel.type,
            label=label,
            src=rel.src.name,
            params=", ".join(f"${p.name}" for p in rel.props),
            props=",\n".join(f"  {p.name}: ${p.name}" for p in rel.props),
        )
        for label in rel.src_labels
    }
    out[end_query(kind)] = render("link_end", type=rel.type, src=rel.src.name)
    # since is the link's identity with its ends: an update sets everything else.
    changeable = [p for p in rel.props if p.name != "since"]
    out[update_query(kind)] = render("link_update", type=rel.type, src=rel.src.name, set=_set("p", changeable))
    out[delete_query(kind)] = render("link_delete", type=rel.type, src=rel.src.name)
    names = ["src", *(p.name for p in rel.props)]
    out[find_query(kind)] = render(
        "link_find",
        type=rel.type,
        src=rel.src.name,
        returns=", ".join(names),
        projection=_RETURN_SEP.join(["a.id AS src", *(f"p.{p.name} AS {p.name}" for p in rel.props)]),
    )
    return out


def queries() -> dict[str, str]:
    """Generated query text by query name (`load/villages`, …)."""
    out: dict[str, str] = {}
    for node in NODES:
        out |= _node_files(node)
    for rel in RELS:
        out |= _rel_files(rel)
    for label in UNIT_LABELS:
        out |= _unit_files(label)
    for label in LOCKED_LABELS:
        out |= _lock_file(NODE_BY_LABEL[label])
    for kind, rel_type in SUPPORT_EDGE.items():
        out |= _support_files(kind, REL_BY_TYPE[rel_type])
    out["stats/counts"] = _counts()
    return out


def _counts() -> str:
    patterns = [(n.label, f"({':' + n.label})") for n in NODES] + [(r.type, f"()-[:{r.type}]->()") for r in RELS]
    counts = ",\n       ".join(f"COUNT {{ MATCH {pattern} }} AS {name}" for name, pattern in patterns)
    return render("stats_counts", names=", ".join(name for name, _ in patterns), counts=counts)


def files() -> dict[Path, str]:
    return {GENERATED_DIR / f"{name}.cypher": text for name, text in sorted(queries().items())}


def stale_files() -> list[Path]:
    """Generated files the model no longer makes (a label or link removed): `write` deletes them."""
    wanted = set(files())
    found = GENERATED_DIR.rglob("*.cypher") if GENERATED_DIR.is_dir() else []
    return sorted(p for p in found if p not in wanted)
