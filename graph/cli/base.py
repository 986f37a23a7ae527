"""The `pairing` group, its state and the one place that turns the package's errors into exit codes.

Command modules import `cli` and `pass_state` from here and add their commands to the group;
`graph.cli` imports the command modules, so nothing here imports a command module (no cycle).
"""

from __future__ import annotations

from typing import Any

import click

from graph import audit
from graph.errors import PairingError, ValidationError
from graph.store import GraphStore, open_store


class Context:
    """What every command shares: the store's location (opened on first use) and the acting user."""

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


pass_state = click.make_pass_decorator(Context)


class SummaryGroup(click.Group):
    """A group whose command list shows each command's whole first sentence, wrapped, never cut with "..."."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                # A limit no sentence reaches: click's default (the terminal width) cuts most summaries short.
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class PairingGroup(SummaryGroup):
    """A group whose commands report the package's errors as a message and an exit code, never a traceback.

    Exit 2 for bad input (every problem listed, as click does for bad usage), 1 for any other refusal
    or failure. Subgroups (`pairing user`) run inside this `invoke`, so they are covered too.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(2)
        except PairingError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=PairingGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
