"""The trust commands of `pairing`: audit, user, check, backup, restore.

The global `--user` names the actor recorded in the audit trail. The CLI is not access-controlled:
whoever may write the store's file may do anything (docs/security.md); the roles guard the app.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from graph import accounts, audit, backup, check, formats
from graph.cli.base import Context, SummaryGroup, cli, pass_state


@cli.command(name="audit")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="From this day (UTC).")
@click.option("--actor", default=None, help="Only changes by this user.")
@click.option("--action", default=None, help=f"Only this action ({', '.join(audit.ACTIONS)}).")
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@pass_state
def audit_cmd(state: Context, since: datetime | None, actor: str | None, action: str | None, fmt: str) -> None:
    """Show the audit trail: who changed what, when, before and after."""
    found = audit.entries(state.store(), since.date() if since else None, actor, action)
    rows = [audit.as_row(e) for e in found]
    click.echo(formats.render(rows, ["at", "actor", "action", "target", "before", "after"], fmt))


@cli.group(name="user", cls=SummaryGroup)
def user() -> None:
    """Manage the app's accounts (roles: viewer, planner, admin)."""


def _password(password: str | None) -> str:
    if password is not None:
        return password
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@user.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--county", "counties", multiple=True, help="A county a planner may change (repeat for several).")
@click.option(
    "--password",
    default=None,
    help="The password: 12+ characters, two kinds of letters/digits/symbols (prompted, hidden, when not given).",
)
@pass_state
def user_add(state: Context, username: str, role: str, counties: tuple[str, ...], password: str | None) -> None:
    """Create an account."""
    account = accounts.add(state.store(), username, _password(password), role, counties, actor=state.user)
    click.echo(f"added {account.username} ({account.role})")


@user.command(name="list")
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="table")
@pass_state
def user_list(state: Context, fmt: str) -> None:
    """List accounts (never their password hashes)."""
    rows = [a.public() for a in accounts.list_accounts(state.store())]
    click.echo(formats.render(rows, ["username", "role", "counties", "created", "locked"], fmt))


@user.command(name="remove")
@click.argument("username")
@pass_state
def user_remove(state: Context, username: str) -> None:
    """Delete an account."""
    accounts.remove(state.store(), username, actor=state.user)
    click.echo(f"removed {username}")


@user.command(name="set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(accounts.ROLES))
@click.option("--county", "counties", multiple=True, help="Replace the account's counties (repeat for several).")
@pass_state
def user_set_role(state: Context, username: str, role: str, counties: tuple[str, ...]) -> None:
    """Change an account's role (and counties, when given)."""
    account = accounts.set_role(state.store(), username, role, counties or None, actor=state.user)
    click.echo(f"{account.username}: {account.role} {';'.join(account.counties)}".rstrip())


@user.command(name="set-password")
@click.argument("username")
@click.option("--password", default=None, help="The new password (prompted for, hidden, when not given).")
@pass_state
def user_set_password(state: Context, username: str, password: str | None) -> None:
    """Change an account's password."""
    accounts.set_password(state.store(), username, _password(password), actor=state.user)
    click.echo(f"{username}: password changed")


@user.command(name="unlock")
@click.argument("username")
@pass_state
def user_unlock(state: Context, username: str) -> None:
    """Lift the lock-out of an account locked after too many failed sign-ins."""
    accounts.unlock(state.store(), username, actor=state.user)
    click.echo(f"{username}: unlocked")


@user.command(name="demo-admin")
@pass_state
def user_demo_admin(state: Context) -> None:
    """Create `admin` with a random password if the store has no account yet, and print it once."""
    created = accounts.ensure_demo_admin(state.store())
    if created is None:
        click.echo("accounts exist already; no demo admin created")
        return
    name, password = created
    click.echo(f"created the demo account {name} with the password {password} (shown once; change it)")


@cli.command(name="check")
@pass_state
def check_cmd(state: Context) -> None:
    """Check the store's consistency; exit 1 if anything is wrong."""
    issues = check.run(state.store())
    for issue in issues:
        click.echo(str(issue))
    if issues:
        click.echo(f"{len(issues)} issue{'s' if len(issues) != 1 else ''} found", err=True)
        sys.exit(1)
    click.echo(f"{state.store().location}: consistent")


@cli.command(name="backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--portable", is_flag=True, help="Write the portable file a Neo4j store always gets (restores into either engine)."
)
@pass_state
def backup_cmd(state: Context, path: Path, portable: bool) -> None:
    """Write a consistent snapshot of the store (graph, accounts, audit) to PATH.

    The embedded store is copied as its Ladybug file; a Neo4j store is read through the driver into a
    portable file (gzip'd JSON). `pairing restore` takes either.
    """
    backup.backup(state.store(), path, portable_file=portable)
    click.echo(f"backed up {state.store().location} to {path}")


@cli.command(name="restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def restore_cmd(state: Context, path: Path, yes: bool) -> None:
    """Replace the whole store with the backup at PATH (atomically: all of it or nothing)."""
    store = state.store()
    if not yes:
        click.confirm(f"Replace everything in {store.location} with {path}?", abort=True)
    backup.restore(store, path, actor=state.user)
    click.echo(f"restored {store.location} from {path}")
