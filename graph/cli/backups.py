"""`pairing backups`: the automatic backups a replace keeps beside the store, and how to put one back."""

from __future__ import annotations

import click

from graph import backup, formats
from graph.cli.base import Context, cli, pass_state
from graph.store import resolve_location

COLUMNS = ["name", "taken", "size", "reason", "ledger", "actor", "villages", "nodes", "links", "path"]


@cli.command(name="backups")
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@pass_state
def backups_cmd(state: Context, fmt: str) -> None:
    """List the automatic backups taken before each replace; put one back with `pairing restore PATH`.

    They live in <store>.backups/ beside the store file, or for a Neo4j server in <host>-<port>.backups/
    under $PAIRING_BACKUPS (default data/); private (0700 folder, 0600 files, as they hold the password
    hashes), oldest first. Restoring one replaces the whole store, accounts and audit included,
    with the state just before that replace (plus the restore's own audit entry). Nothing prunes them.
    """
    location = resolve_location(state.db)
    # Read from the folder, without opening the store: the app may hold it open.
    rows = [b.row() for b in backup.list_backups(location)]
    if not rows and fmt == "table":
        click.echo(f"no automatic backups in {backup.backups_dir(location)}")
        return
    click.echo(formats.render(rows, COLUMNS, fmt))
