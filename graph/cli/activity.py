"""`pairing activity`: record what a unit did for its paired village (实事项目), and list what was done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from graph import activities
from graph.cli.base import Context, SummaryGroup, cli, pass_state
from graph.cli.output import emit, output_options
from graph.model import ACTIVITY_KIND, ACTIVITY_STATUS

_DATE = click.DateTime(formats=["%Y-%m-%d"])
F = TypeVar("F", bound=Callable[..., Any])


@cli.group(name="activity", cls=SummaryGroup)
def activity() -> None:
    """Record and list practical projects and activities (实事项目) of pairings."""


@activity.command(name="add")
@click.option("--unit", required=True, help="The pairing unit's id.")
@click.option("--village", required=True, help="The village's id.")
@click.option("--date", "date", type=_DATE, required=True, help="When it was done (YYYY-MM-DD).")
@click.option("--title", required=True, help="What was done (项目名称).")
@click.option("--kind", type=click.Choice(ACTIVITY_KIND.codes), default=None, help="Its kind.")
@click.option("--funds", type=click.FloatRange(min=0), default=None, help="Funds in 10,000 yuan (万元).")
@click.option("--beneficiaries", type=click.IntRange(min=0), default=None, help="How many people it served.")
@click.option(
    "--status", type=click.Choice(ACTIVITY_STATUS.codes), default="done", show_default=True, help="Its progress."
)
@click.option("--note", default=None, help="A remark (情况说明).")
@pass_state
def activity_add(
    state: Context,
    unit: str,
    village: str,
    date: dt.datetime,
    title: str,
    kind: str | None,
    funds: float | None,
    beneficiaries: int | None,
    status: str,
    note: str | None,
) -> None:
    """Record an activity of a pairing; refused unless the unit and village are paired on its date.

    A completed one (status done) counts for the yearly rule: it takes the pairing off the paper-pairing
    list (`pairing inactive`) for a year.
    """
    done = activities.add(
        state.store(),
        unit,
        village,
        date.date(),
        title,
        kind=kind,
        funds=funds,
        beneficiaries=beneficiaries,
        status=status,
        note=note,
        actor=state.user,
    )
    click.echo(f"recorded {done.status} activity {done.title!r} of {unit} for {village} on {done.date}")


def _which(func: F) -> F:
    """The options naming one activity: its unit, village, date and title (its key)."""
    func = click.option("--title", required=True, help="Its title, as recorded.")(func)
    func = click.option("--date", "date", type=_DATE, required=True, help="Its date (YYYY-MM-DD).")(func)
    func = click.option("--village", required=True, help="The village's id.")(func)
    return click.option("--unit", required=True, help="The pairing unit's id.")(func)


@activity.command(name="set")
@_which
@click.option("--kind", type=click.Choice(ACTIVITY_KIND.codes), default=None, help="A new kind.")
@click.option("--funds", type=click.FloatRange(min=0), default=None, help="New funds in 10,000 yuan (万元).")
@click.option("--beneficiaries", type=click.IntRange(min=0), default=None, help="A new count of people served.")
@click.option("--status", type=click.Choice(ACTIVITY_STATUS.codes), default=None, help="A new status.")
@click.option("--note", default=None, help="A new remark.")
@pass_state
def activity_set(
    state: Context,
    unit: str,
    village: str,
    date: dt.datetime,
    title: str,
    kind: str | None,
    funds: float | None,
    beneficiaries: int | None,
    status: str | None,
    note: str | None,
) -> None:
    """Change an activity's kind, funds, beneficiaries, status or note (e.g. mark a planned one done)."""
    if all(v is None for v in (kind, funds, beneficiaries, status, note)):
        raise click.UsageError("nothing to change: give --kind, --funds, --beneficiaries, --status or --note")
    done = activities.update(
        state.store(),
        unit,
        village,
        date.date(),
        title,
        kind=kind,
        funds=funds,
        beneficiaries=beneficiaries,
        status=status,
        note=note,
        actor=state.user,
    )
    click.echo(f"updated activity {done.title!r} of {unit} for {village} on {done.date}: status {done.status}")


@activity.command(name="delete")
@_which
@pass_state
def activity_delete(state: Context, unit: str, village: str, date: dt.datetime, title: str) -> None:
    """Delete an activity entered by mistake; the audit trail keeps what it held."""
    activities.delete(state.store(), unit, village, date.date(), title, actor=state.user)
    click.echo(f"deleted activity {title.strip()!r} of {unit} for {village} on {date.date()}")


@activity.command(name="list")
@click.option("--county", default=None, help="Only villages of this county.")
@click.option("--township", default=None, help="Only villages of this township.")
@click.option("--since", type=_DATE, default=None, help="Only activities on or after this day.")
@click.option("--until", type=_DATE, default=None, help="Only activities on or before this day.")
@output_options
@pass_state
def activity_list(
    state: Context,
    county: str | None,
    township: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    fmt: str | None,
    output: Path | None,
    lang: str,
) -> None:
    """List recorded activities by county, township and village, oldest first within a village."""
    first = since.date() if since else None
    last = until.date() if until else None
    rows = activities.listing(state.store(), county=county, township=township, since=first, until=last)
    filters = {"county": county, "township": township, "since": first, "until": last}
    emit(rows, activities.COLUMNS, activities.TITLE[lang], fmt, output, lang, None, filters)
