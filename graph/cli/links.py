"""`pairing link`: create, end, edit and delete a pairing, lead, fusion or station by hand.

Every command is one call of `graph.writes` (one transaction, audited there, by the global `--user`).
With `--account NAME` the change is also checked against that account's role and counties, as the
app checks its signed-in user's (the CLI itself is not access-controlled: docs/security.md).
Values given with `--set key=value` are parsed by the model's type of the property; `key=` clears it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from graph import accounts, writes
from graph.accounts import Account
from graph.cli.base import Context, SummaryGroup, cli, pass_state
from graph.errors import QueryError
from graph.model import SUPPORT_KINDS

DATE = click.DateTime(formats=["%Y-%m-%d"])
KIND = click.Choice(SUPPORT_KINDS)


def _account(state: Context, name: str | None) -> Account | None:
    if name is None:
        return None
    found = accounts.get(state.store(), name)
    if found is None:
        raise QueryError(f"no account named {name!r}")
    return found


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    """`key=value` pairs as the write's properties (the write parses each by the model's type); `key=` is None."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r}: write key=value", param_hint="--set")
        out[key.strip()] = value if value != "" else None
    return out


def _ends(func: Any) -> Any:
    func = click.option("--account", "account", default=None, help="Check the change against this account.")(func)
    func = click.option("--to", "village", required=True, help="The village's id.")(func)
    func = click.option("--from", "src", required=True, help="The unit's, strong village's or cadre's id.")(func)
    return click.argument("kind", type=KIND)(func)


_SET = click.option("--set", "settings", multiple=True, metavar="KEY=VALUE", help="A property (repeat for several).")


@cli.group(name="link", cls=SummaryGroup)
def link() -> None:
    """Create, end, edit or delete a support link (pairing, lead, fusion, station) by hand."""


@link.command(name="add")
@_ends
@click.option("--since", type=DATE, required=True, help="The first day of the link.")
@click.option("--until", type=DATE, default=None, help="Its last day, if known.")
@_SET
@pass_state
def link_add(
    state: Context,
    kind: str,
    src: str,
    village: str,
    account: str | None,
    since: dt.datetime,
    until: dt.datetime | None,
    settings: tuple[str, ...],
) -> None:
    """Create a link; a pairing is refused when its unit is full or the pairing exists."""
    props = _settings(settings)
    if "since" in props:
        raise click.UsageError("give the start with --since, not --set since=")
    if "until" in props and until is not None:
        raise click.UsageError("give the end once: --until or --set until=")
    end = props.pop("until", _day(until))
    writes.create_link(
        state.store(),
        kind,
        src,
        village,
        since.date(),
        until=end,
        actor=state.user,
        account=_account(state, account),
        # Capacity is checked in the transaction that creates the pairing (writes.create_pairing_checked).
        check_capacity=kind == "pairing",
        **props,
    )
    click.echo(f"created {kind} {src} -> {village} from {since.date()}")


@link.command(name="end")
@_ends
@click.option("--since", type=DATE, default=None, help="Which link, when the two have several.")
@click.option("--on", "on", type=DATE, required=True, help="The link's last day.")
@pass_state
def link_end(
    state: Context, kind: str, src: str, village: str, account: str | None, since: dt.datetime | None, on: dt.datetime
) -> None:
    """End a link on a day (its last day of support)."""
    ended = writes.end_link(
        state.store(),
        kind,
        src,
        village,
        on.date(),
        since=_day(since),
        actor=state.user,
        account=_account(state, account),
    )
    click.echo(f"ended {ended} {kind} link(s) {src} -> {village} on {on.date()}")


@link.command(name="set")
@_ends
@click.option("--since", type=DATE, default=None, help="Which link, when the two have several.")
@_SET
@pass_state
def link_set(
    state: Context,
    kind: str,
    src: str,
    village: str,
    account: str | None,
    since: dt.datetime | None,
    settings: tuple[str, ...],
) -> None:
    """Change properties of a link (until, form, funds, mode, role, …)."""
    if not settings:
        raise click.UsageError("give at least one --set key=value")
    changed = writes.update_link(
        state.store(),
        kind,
        src,
        village,
        _day(since),
        actor=state.user,
        account=_account(state, account),
        **_settings(settings),
    )
    if not changed:
        click.echo("nothing changed")
        return
    click.echo("; ".join(f"{key} = {'' if value is None else value}" for key, value in changed.items()))


@link.command(name="delete")
@_ends
@click.option("--since", type=DATE, required=True, help="The first day of the link to delete.")
@click.option("--yes", is_flag=True, help="Delete it (without: only say what would be deleted).")
@pass_state
def link_delete(
    state: Context, kind: str, src: str, village: str, account: str | None, since: dt.datetime, yes: bool
) -> None:
    """Delete a link entered by mistake (to end one that ran, use `end`)."""
    found = writes.find_links(state.store(), kind, src, village, since.date())
    if not found:
        raise QueryError(f"no {kind} link from {src!r} to {village!r} starting {since.date()}")
    what = ", ".join(f"{key}={value}" for key, value in found[0].items() if value is not None and key != "src")
    if not yes:
        click.echo(f"would delete the {kind} link {src} -> {village} ({what}); add --yes to delete it")
        return
    writes.delete_link(
        state.store(), kind, src, village, since.date(), actor=state.user, account=_account(state, account)
    )
    click.echo(f"deleted the {kind} link {src} -> {village} ({what})")
