"""The `pairing` command: a thin shell over the `graph` package (no Cypher here)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from graph import audit, formats, ledger, queries, schema
from graph.cli_errors import errors
from graph.progress import reporter
from graph.store import GraphStore, open_store, resolve_location


class Context:
    def __init__(self, db: str | None, user: str | None = None) -> None:
        self.db = db
        # The actor of every change this command makes, for the audit trail.
        self.user = user or audit.default_actor()
        self._store: GraphStore | None = None

    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="PAIRING_DB",
    default=None,
    help="Store: a Ladybug file (default data/pairing.lbug) or a Neo4j URI (neo4j://, bolt://, neo4j+s://).",
)
@click.option(
    "--user",
    envvar="PAIRING_USER",
    default=None,
    help="Who is making the changes, for the audit trail (default: the OS user).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None) -> None:
    """Urban–rural pairing (城乡结对共建) graph: import ledgers, find gaps, match units to villages."""
    state = Context(db, user)
    ctx.obj = state
    ctx.call_on_close(state.close)


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--against-store/--standalone", default=False, help="Resolve references to nodes already in the store.")
@click.pass_obj
def validate(state: Context, path: Path, against_store: bool) -> None:
    """Check a ledger (a folder of CSV files or an .xlsx workbook) without loading it."""
    with errors():
        dataset = ledger.validate(path, state.store() if against_store else None)
        counts = {k: v for k, v in dataset.counts().items() if v}
        click.echo(f"{path}: no problems; " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace everything in the store with this ledger.")
@click.option("--if-empty", is_flag=True, help="Load only if the store holds nothing yet (for demo setup).")
@click.pass_obj
def load(state: Context, path: Path, replace: bool, if_empty: bool) -> None:
    """Load a ledger: validated completely first, then applied completely or not at all."""
    with errors():
        store = state.store()
        if if_empty and not store.is_empty():
            click.echo(f"{store.location} already holds data; not loading {path}.")
            return
        with reporter("load") as bar:
            report = ledger.load(store, path, replace=replace, progress=bar, actor=state.user)
        changed = {k: v for k, v in report.added.items() if v}
        click.echo(
            f"loaded {path} into {store.location}: "
            + (", ".join(f"{k} {v:+d}" for k, v in changed.items()) or "no change")
        )


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option(
    "--neo4j-admin",
    "admin_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also (or only) write header and data files for `neo4j-admin database import full` into this folder.",
)
@click.pass_obj
def export(state: Context, path: Path | None, admin_dir: Path | None) -> None:
    """Export the whole store: a folder of CSV files, or one workbook if PATH ends in .xlsx."""
    if path is None and admin_dir is None:
        raise click.UsageError("give PATH, --neo4j-admin DIR, or both")
    with errors():
        if admin_dir is not None:
            from graph.cli_scale import export_neo4j_admin

            export_neo4j_admin(state.store(), admin_dir)
        if path is None:
            return
        ledger.export(state.store(), path)
        click.echo(f"exported {state.store().location} to {path}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@click.pass_obj
def stats(state: Context, fmt: str) -> None:
    """Count nodes by label and links by type."""
    with errors():
        counts = state.store().counts()
        rows = [{"name": k, "count": v} for k, v in counts.items()]
        click.echo(formats.render(rows, ["name", "count"], fmt))


def parse_param(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r}: expected key=value")
    try:
        return key, dt.date.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return key, json.loads(raw)
    except json.JSONDecodeError:
        return key, raw


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, help="key=value; values are dates, JSON or text.")
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@click.pass_obj
def query(state: Context, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a named read query from cypher/ (e.g. `stats/counts`)."""
    with errors():
        q = queries.get(name)
        if q.is_write:
            raise click.UsageError(f"{name} is a write query; the CLI runs read queries only")
        values = dict(parse_param(p) for p in params)
        missing = [p for p in q.params if p not in values]
        if missing:
            raise click.UsageError(f"{name} needs " + ", ".join(f"-p {m}=…" for m in missing))
        rows = state.store().read(name, values)
        columns = list(q.returns) or (list(rows[0]) if rows else [])
        click.echo(formats.render(rows, columns, fmt))


@cli.command(name="queries")
def list_queries() -> None:
    """List the named queries with their purpose."""
    for name in queries.names():
        q = queries.get(name)
        click.echo(f"{name:45} {q.mode:5}  {q.purpose}")


@cli.command()
@click.option("--scale", type=click.Choice(["county", "city", "province", "nation"]), default="county")
@click.option("--seed", type=int, default=42)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def synth(scale: str, seed: int, output: Path) -> None:
    """Write a deterministic synthetic dataset of a given scale in the interchange format."""
    from graph import interchange
    from graph import synth as synth_mod

    with errors(), reporter("synth") as bar:
        dataset = synth_mod.generate(scale, seed)
        bar.message(f"synth: generated {sum(dataset.counts().values()):,} nodes and links")
        if output.suffix.lower() == ".xlsx":
            interchange.write_xlsx(dataset, output)
        else:
            interchange.write_folder(dataset, output)
        counts = {k: v for k, v in dataset.counts().items() if v}
        click.echo(
            f"wrote {scale} scale (seed {seed}) to {output}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
        )


@cli.command(name="schema")
@click.option("--write", is_flag=True, help="Regenerate cypher/schema/ from graph/model.py.")
def schema_cmd(write: bool) -> None:
    """Show (or regenerate) the schema DDL derived from the model."""
    if write:
        for path in schema.write():
            click.echo(f"wrote {path}")
        return
    for path, text in schema.files().items():
        click.echo(f"// {path.name}\n{text}")


@cli.command()
@click.pass_obj
def where(state: Context) -> None:
    """Say which store the commands use."""
    click.echo(resolve_location(state.db))


from graph.cli_gaps import register as register_gaps  # noqa: E402  (the gap commands live in their own module)

register_gaps(cli)

from graph.cli_match import register as register_match  # noqa: E402  (matching and applying proposals)

register_match(cli)

from graph.cli_trust import register as register_trust  # noqa: E402  (audit, users, check, backup, restore)

register_trust(cli)

from graph.cli_scale import register as register_scale  # noqa: E402  (migrate and the neo4j-admin export)

register_scale(cli)


def main() -> None:
    cli(prog_name="pairing")


if __name__ == "__main__":
    main()
