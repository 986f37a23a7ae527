"""The neo4j-admin export, checked against the header format of the Neo4j Operations Manual.

`read_import` below is a reader written from the manual's rules
("Import" → "CSV header format"), not from our writer: each header field is `<name>:<field_type>`;
node files need an `:ID` field, relationship files `:START_ID`, `:END_ID` and `:TYPE`; property types
are int, long, float, double, boolean, byte, short, char, string, point, date, localtime, time,
localdatetime, datetime or duration, `[]` making an array split on the array delimiter (`;` by
default); no type means string; a boolean is true only for the exact text `true`; an empty field
sets no property; quotes are escaped by doubling them (RFC 4180). Reading the export back this way
must give the graph that was exported. The last test runs Neo4j's own importer (tools/neo4j/admin.sh) on
the export and a server on what it imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph import neo4j_admin, synth
from graph.dataset import Dataset
from graph.model import NODES, RELS
from graph.neo4j_admin import ExportError
from graph.store import LadybugStore, Neo4jStore
from tests import fixtures

MANUAL_TYPES = {
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
}
SPECIAL = {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}
FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<kind>[A-Za-z_]+)(?P<array>\[\])?)?$")


def parse_field(text: str) -> tuple[str, str, bool]:
    m = FIELD.match(text)
    assert m, f"header field {text!r} is not <name>:<field_type>"
    kind = m["kind"] or "string"
    assert kind in SPECIAL or kind.lower() in MANUAL_TYPES, f"{text!r}: {kind} is not a type the manual lists"
    assert not (kind in SPECIAL and m["array"]), text
    assert kind in SPECIAL or m["name"], f"{text!r}: a property needs a name"
    return m["name"], kind, bool(m["array"])


def convert(raw: str, kind: str, array: bool) -> Any:
    if array:
        return [convert(item, kind, False) for item in raw.split(";")]
    kind = kind.lower()
    if kind in ("int", "long", "short", "byte"):
        return int(raw)
    if kind in ("float", "double"):
        return float(raw)
    if kind == "boolean":
        return raw == "true"
    if kind == "date":
        return dt.date.fromisoformat(raw)
    return raw


def read_file(header: Path, data: Path) -> list[tuple[dict[str, str], dict[str, Any]]]:
    """(special fields, properties) per row, as the importer would see them."""
    with header.open(encoding="utf-8", newline="") as f:
        (head,) = list(csv.reader(f))
    fields = [parse_field(h) for h in head]
    out = []
    with data.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            assert len(row) == len(fields), f"{data.name}: {len(row)} fields but the header has {len(fields)}"
            special, props = {}, {}
            for (name, kind, array), raw in zip(fields, row, strict=True):
                if kind in SPECIAL:
                    special[kind] = raw
                    if kind == "ID" and name:  # `<name>:ID` keeps the id as property `name`
                        props[name] = raw
                elif raw != "":  # an empty field sets no property
                    props[name] = convert(raw, kind, array)
            out.append((special, props))
    return out


def read_import(files: neo4j_admin.ImportFiles) -> Dataset:
    data = Dataset()
    label_of: dict[str, str] = {}
    for label, (header, path) in files.nodes.items():
        node = next(n for n in NODES if n.label == label)
        rows = []
        for special, props in read_file(header, path):
            assert special["LABEL"].split(";") == [label]
            assert special["ID"] not in label_of, "ids must be unique across labels (one ID space)"
            label_of[special["ID"]] = label
            rows.append({p.name: props.get(p.name, [] if p.is_list else None) for p in node.stored})
        data.nodes[label] = rows
    for rel_type, (header, path) in files.relationships.items():
        rel = next(r for r in RELS if r.type == rel_type)
        rows = []
        for special, props in read_file(header, path):
            assert special["TYPE"] == rel_type
            src, dst = special["START_ID"], special["END_ID"]
            rows.append(
                {"src": src, "src_label": label_of[src], "dst": dst, "dst_label": label_of[dst]}
                | {p.name: props.get(p.name) for p in rel.props}
            )
        data.links[rel_type] = rows
    return data


def canonical(data: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Rows in a fixed order; compared with ==, so 3 and 3.0 in a DOUBLE column are equal, as in the store."""

    def key(row: dict[str, Any]) -> tuple[str, ...]:
        return (row.get("id") or "", row.get("src") or "", row.get("dst") or "", str(row.get("since")))

    return {k: sorted(rows, key=key) for k, rows in (data.nodes | data.links).items() if rows}


@pytest.fixture(scope="module")
def county() -> Dataset:
    return synth.generate("county", 42)


def test_headers_use_the_manual_format(county: Dataset, tmp_path: Path) -> None:
    files = neo4j_admin.write(county, tmp_path)
    village = (tmp_path / "Village_header.csv").read_text(encoding="utf-8").strip().split(",")
    assert village[0] == "id:ID" and village[-1] == ":LABEL"
    for field in ("name", "population:long", "collective_income:double", "weak_reasons:string[]", "lat:double"):
        assert field in village
    enterprise = (tmp_path / "Enterprise_header.csv").read_text(encoding="utf-8").strip().split(",")
    assert "has_party_org:boolean" in enterprise
    pairing = (tmp_path / "PAIRED_WITH_header.csv").read_text(encoding="utf-8").strip().split(",")
    assert pairing[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert "since:date" in pairing and "projects:long" in pairing
    for header, _data in [*files.nodes.values(), *files.relationships.values()]:
        (line,) = header.read_text(encoding="utf-8").splitlines()
        for field in line.split(","):
            parse_field(field)


def test_export_reads_back_as_the_same_graph(county: Dataset, tmp_path: Path) -> None:
    files = neo4j_admin.write(county, tmp_path)
    assert set(files.nodes) == {n.label for n in NODES}
    assert set(files.relationships) == {r.type for r in RELS}
    assert canonical(read_import(files)) == canonical(county)
    assert files.rows == {k: v for k, v in county.counts().items() if v}


def test_awkward_values_survive(tmp_path: Path) -> None:
    data = synth.generate("county", 7)
    v = data.nodes["Village"][0]
    v["name"] = 'He said "hi", then left'  # delimiter and quotes: RFC 4180 quoting
    v["weak_reasons"] = []  # an empty list: no property, read back as []
    v["population"] = None
    e = data.nodes["Enterprise"][0]
    e["has_party_org"] = False
    files = neo4j_admin.write(data, tmp_path)
    assert not files.multiline
    assert canonical(read_import(files)) == canonical(data)


def test_newlines_ask_for_multiline_fields(tmp_path: Path) -> None:
    data = synth.generate("county", 7)
    data.nodes["Village"][0]["name"] = "two\nlines"
    files = neo4j_admin.write(data, tmp_path)
    assert files.multiline
    assert "--multiline-fields=true" in files.command()


def test_list_items_with_the_array_delimiter_are_refused(tmp_path: Path) -> None:
    data = synth.generate("county", 7)
    data.nodes["Village"][0]["needs"] = ["a;b"]
    with pytest.raises(ExportError, match="array delimiter"):
        neo4j_admin.write(data, tmp_path)


def test_an_id_shared_by_two_labels_is_refused(tmp_path: Path) -> None:
    data = synth.generate("county", 7)
    data.nodes["Cadre"][0]["id"] = data.nodes["Village"][0]["id"]
    with pytest.raises(ExportError, match="unique"):
        neo4j_admin.write(data, tmp_path)


def test_empty_labels_get_no_files(tmp_path: Path) -> None:
    data = Dataset()
    data.nodes["Village"] = synth.generate("county", 7).nodes["Village"][:3]
    files = neo4j_admin.write(data, tmp_path)
    assert list(files.nodes) == ["Village"] and not files.relationships
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Village.csv", "Village_header.csv"]


def test_command_line(county: Dataset, tmp_path: Path) -> None:
    files = neo4j_admin.write(county, tmp_path)
    args = files.command("pairing")
    # Since Neo4j 5.19 the database name goes before the multi-value --nodes/--relationships options.
    assert args[:5] == ["neo4j-admin", "database", "import", "full", "pairing"]
    assert "--array-delimiter=;" in args
    nodes = [a for a in args if a.startswith("--nodes=")]
    assert len(nodes) == len(NODES)
    label, _, paths = nodes[0].removeprefix("--nodes=").partition("=")
    header, data = paths.split(",")
    assert label == "Village" and Path(header).name == "Village_header.csv" and Path(data).exists()
    assert len([a for a in args if a.startswith("--relationships=")]) == len(RELS)
    assert "'--array-delimiter=;'" in files.command_line()  # quoted for the shell


def test_progress_per_file(county: Dataset, tmp_path: Path) -> None:
    seen: list[tuple[str, int]] = []
    neo4j_admin.write(county, tmp_path, progress=lambda label, n: seen.append((label, n)))
    assert sum(n for _, n in seen) == sum(county.counts().values())


def test_cli_export_neo4j_admin(tmp_path: Path) -> None:
    from graph.cli import cli

    runner = CliRunner()
    db = str(tmp_path / "p.lbug")
    ledger = tmp_path / "ledger"
    assert runner.invoke(cli, ["synth", "--scale", "county", "-o", str(ledger)]).exit_code == 0
    assert runner.invoke(cli, ["--db", db, "load", str(ledger)]).exit_code == 0
    out = tmp_path / "admin"
    result = runner.invoke(cli, ["--db", db, "export", "--neo4j-admin", str(out)])
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full neo4j" in result.stdout
    assert (out / "Village_header.csv").exists() and (out / "SENT_BY.csv").exists()
    assert "export: Village +" in result.stderr
    both = runner.invoke(cli, ["--db", db, "export", str(tmp_path / "csv"), "--neo4j-admin", str(tmp_path / "a2")])
    assert both.exit_code == 0 and (tmp_path / "csv" / "villages.csv").exists()
    neither = runner.invoke(cli, ["--db", db, "export"])
    assert neither.exit_code == 2 and "--neo4j-admin" in neither.output


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_admins_own_import_of_the_export_answers_as_the_embedded_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docs' bulk path, run for real: export the seed, `neo4j-admin database import full` it into a new
    server folder, start a server there: its gap list is the embedded store's, byte for byte, and so is its graph."""
    tools = fixtures.neo4j_launcher()
    seed = fixtures.store_file(tmp_path / "seed.lbug", "seed")
    printed = fixtures.invoke("--db", seed, "export", "--neo4j-admin", str(tmp_path / "import")).stdout
    (line,) = [x.strip() for x in printed.splitlines() if x.strip().startswith("neo4j-admin database import")]
    folder = tmp_path / "server"
    imported = subprocess.run(
        ["bash", str(tools / "admin.sh"), str(folder), *shlex.split(line)[1:]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "IMPORT DONE" in imported.stdout
    port = fixtures.free_port()
    started = subprocess.run(["bash", str(tools / "start.sh"), str(folder), str(port)], capture_output=True, text=True)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        settings = dict(line.split("=", 1) for line in (tmp_path / "server.env").read_text().split())
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        uri = settings["NEO4J_URI"]
        for command in (["gaps", "--asof", "2026-11-01", "--format", "json"], ["stats"]):
            assert fixtures.invoke("--db", uri, *command).stdout == fixtures.invoke("--db", seed, *command).stdout
        with Neo4jStore(uri) as server, LadybugStore(Path(seed)) as embedded:
            fixtures.assert_same_graph(server.dump(), embedded.dump())
    finally:
        subprocess.run(["bash", str(tools / "stop.sh"), str(folder)], capture_output=True, timeout=90)
