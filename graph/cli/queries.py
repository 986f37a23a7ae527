"""The query commands: run a named read query, list the queries, count the store, show the schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import click

from graph import formats, queries, schema
from graph.cli.base import Context, cli, pass_state
from graph.store import resolve_location


def parse_param(text: str) -> tuple[str, Any]:
    """A `-p key=value`: dates as dates (the queries compare dates, not strings), then JSON, else text."""
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


# Queries of the app's own bookkeeping, not of the graph: the accounts (with their password hashes) are
# read through `pairing user list`, which leaves the hashes out. Recognised by folder and by what they
# touch, so that a new query returning a hash is refused without anyone remembering to list it here.
SYSTEM_FOLDERS = ("accounts",)
_SYSTEM_TEXT = re.compile(r"password_hash|:\s*Account\b")


def is_system(q: queries.Query) -> bool:
    """Whether `pairing query` refuses `q` and `pairing queries` leaves it out (see SYSTEM_FOLDERS)."""
    return q.name.split("/")[0] in SYSTEM_FOLDERS or "password_hash" in q.returns or bool(_SYSTEM_TEXT.search(q.text))


# The short help is given: click would cut the docstring's summary at the "." of "e.g.".
@cli.command(short_help="Run a named read query, e.g. stats/counts.")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, help="key=value; values are dates, JSON or text.")
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@pass_state
def query(state: Context, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a named read query (one of `pairing queries`, e.g. `stats/counts`)."""
    q = queries.get(name)
    if is_system(q):
        raise click.UsageError(
            f"{name} reads the app's accounts, which `pairing query` does not show; use `pairing user list` "
            "(without password hashes)"
        )
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
    """List the named queries with their purpose (not the accounts' own: see `pairing user`)."""
    for name in queries.names():
        q = queries.get(name)
        if is_system(q):
            continue
        click.echo(f"{name:45} {q.mode:5}  {q.purpose}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@pass_state
def stats(state: Context, fmt: str) -> None:
    """Count nodes by label and links by type."""
    counts = state.store().counts()
    rows = [{"name": k, "count": v} for k, v in counts.items()]
    click.echo(formats.render(rows, ["name", "count"], fmt))


@cli.command(name="schema")
@click.option("--write", is_flag=True, help="Regenerate the schema and the generated queries from graph/model.py.")
def schema_cmd(write: bool) -> None:
    """Show (or regenerate) the files derived from the model: the schema DDL and the generated queries."""
    if write:
        for path in schema.write():
            click.echo(f"wrote {path}")
        return
    for path, text in schema.files().items():
        click.echo(f"// {path.relative_to(queries.CYPHER_DIR).as_posix()}\n{text}")


@cli.command()
@pass_state
def where(state: Context) -> None:
    """Say which store the commands use."""
    click.echo(resolve_location(state.db))
