"""三张清单 commands: the needs, resources and projects lists, and the writes of 双向认领.

`needs`, `resources`, `projects` print or write a list (`--format table|csv|xlsx|json`, `-o FILE`);
`need add|withdraw`, `resource add`, `claim`, `choose`, `project set` write through `graph.claims`
(one audited transaction each, by `--user` or the OS user). `rates` is a gap list (`graph.gap_lists`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from graph import claims, lists
from graph.cli.base import Context, SummaryGroup, cli, pass_state
from graph.cli.output import emit, output_options
from graph.model import ITEM_KIND

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@cli.command(name="needs")
@click.option("--county", default=None, help="Only needs of villages of this county.")
@click.option("--township", default=None, help="Only needs of villages of this township.")
@click.option("--status", type=click.Choice(lists.NEED_STATES), default=None, help="Only needs in this state.")
@output_options
@pass_state
def needs_cmd(
    state: Context,
    county: str | None,
    township: str | None,
    status: str | None,
    fmt: str | None,
    output: Path | None,
    lang: str,
) -> None:
    """List the needs villages posted (需求清单), each with its state and the units that claimed it."""
    rows = lists.needs(state.store(), county=county, township=township, status=status)
    filters = {"county": county, "township": township, "status": status}
    emit(rows, lists.NEED_COLUMNS, lists.title("needs", lang), fmt, output, lang, None, filters)


@cli.command(name="resources")
@click.option("--county", default=None, help="Only resources of units of this county.")
@click.option("--unit", default=None, help="Only this unit's resources (its id).")
@output_options
@pass_state
def resources_cmd(
    state: Context, county: str | None, unit: str | None, fmt: str | None, output: Path | None, lang: str
) -> None:
    """List the resources units offer (资源清单), with how many villages each can serve."""
    rows = lists.resources(state.store(), county=county, unit=unit)
    emit(rows, lists.RESOURCE_COLUMNS, lists.title("resources", lang), fmt, output, lang, None, {"county": county})


@cli.command(name="projects")
@click.option("--county", default=None, help="Only projects of villages of this county.")
@click.option("--township", default=None, help="Only projects of villages of this township.")
@click.option("--status", type=click.Choice(lists.PROJECT_STATUSES), default=None, help="Only this status.")
@output_options
@pass_state
def projects_cmd(
    state: Context,
    county: str | None,
    township: str | None,
    status: str | None,
    fmt: str | None,
    output: Path | None,
    lang: str,
) -> None:
    """List the claimed needs (项目清单): unit, need, village, status, due and done dates."""
    rows = lists.projects(state.store(), county=county, township=township, status=status)
    filters = {"county": county, "township": township, "status": status}
    emit(rows, lists.PROJECT_COLUMNS, lists.title("projects", lang), fmt, output, lang, None, filters)


@cli.group(name="need", cls=SummaryGroup)
def need() -> None:
    """Post or withdraw a village's need (需求清单)."""


@need.command(name="add")
@click.option("--village", required=True, help="The village's id.")
@click.option("--item", required=True, help="What the village asks for.")
@click.option("--kind", type=click.Choice(ITEM_KIND.codes), default=None, help="The kind of item.")
@click.option("--posted", type=DATE, default=None, help="The day it was posted (YYYY-MM-DD); default today.")
@click.option("--id", "need_id", default=None, help="The need's id; default one derived from village, item and day.")
@pass_state
def need_add(
    state: Context, village: str, item: str, kind: str | None, posted: dt.datetime | None, need_id: str | None
) -> None:
    """Post a need of a village: it is open until a unit claims it."""
    made = claims.post_need(state.store(), village, item, kind=kind, posted=_day(posted), id=need_id, actor=state.user)
    click.echo(f"posted need {made}")


@need.command(name="withdraw")
@click.option("--need", "need_id", required=True, help="The need's id.")
@pass_state
def need_withdraw(state: Context, need_id: str) -> None:
    """Withdraw a need the village no longer asks for; its live claims become not chosen."""
    claims.withdraw_need(state.store(), need_id, actor=state.user)
    click.echo(f"withdrew need {need_id}")


@cli.group(name="resource", cls=SummaryGroup)
def resource() -> None:
    """Offer a unit's resource (资源清单)."""


@resource.command(name="add")
@click.option("--unit", required=True, help="The unit's id.")
@click.option("--item", required=True, help="What the unit offers.")
@click.option("--kind", type=click.Choice(ITEM_KIND.codes), default=None, help="The kind of item.")
@click.option("--serves", type=click.IntRange(min=0), default=None, help="How many villages it can serve.")
@click.option("--id", "resource_id", default=None, help="The resource's id; default one derived from unit and item.")
@pass_state
def resource_add(
    state: Context, unit: str, item: str, kind: str | None, serves: int | None, resource_id: str | None
) -> None:
    """Offer a resource of a unit, for a number of villages."""
    made = claims.offer_resource(state.store(), unit, item, kind=kind, serves=serves, id=resource_id, actor=state.user)
    click.echo(f"offered resource {made}")


@cli.command(name="claim")
@click.option("--unit", required=True, help="The claiming unit's id.")
@click.option("--need", "need_id", required=True, help="The need's id.")
@click.option("--due", type=DATE, default=None, help="The day the project is due (YYYY-MM-DD).")
@click.option("--on", "claimed", type=DATE, default=None, help="The day of the claim (YYYY-MM-DD); default today.")
@pass_state
def claim_cmd(state: Context, unit: str, need_id: str, due: dt.datetime | None, claimed: dt.datetime | None) -> None:
    """Record that a unit claims a village's need (双向认领): the claim is a project of the 项目清单."""
    claims.claim(state.store(), unit, need_id, claimed=_day(claimed), due=_day(due), actor=state.user)
    click.echo(f"{unit} claimed need {need_id}")


@cli.command(name="choose")
@click.option("--need", "need_id", required=True, help="The need's id.")
@click.option("--unit", required=True, help="The unit the village chose.")
@click.option("--on", "day", type=DATE, default=None, help="The day of the choice (YYYY-MM-DD); default today.")
@pass_state
def choose_cmd(state: Context, need_id: str, unit: str, day: dt.datetime | None) -> None:
    """Record the village's choice among the units that claimed its need (群众选对); it pairs them if unpaired."""
    paired = claims.choose(state.store(), need_id, unit, on=_day(day), actor=state.user)
    click.echo(f"{unit} chosen for need {need_id}" + ("; paired with its village (群众选对)" if paired else ""))


@cli.group(name="project", cls=SummaryGroup)
def project() -> None:
    """Track a claimed need's project (项目清单)."""


@project.command(name="set")
@click.option("--unit", required=True, help="The claiming unit's id.")
@click.option("--need", "need_id", required=True, help="The need's id.")
@click.option("--status", type=click.Choice(claims.PROGRESS), default=None, help="The project's status.")
@click.option("--due", type=DATE, default=None, help="The day the project is due (YYYY-MM-DD).")
@click.option("--done", type=DATE, default=None, help="The day it was done (YYYY-MM-DD; status done, default today).")
@pass_state
def project_set(
    state: Context,
    unit: str,
    need_id: str,
    status: str | None,
    due: dt.datetime | None,
    done: dt.datetime | None,
) -> None:
    """Set a project's status or due date; done also marks the need done and records the activity."""
    claims.set_project(state.store(), unit, need_id, status=status, due=_day(due), done=_day(done), actor=state.user)
    click.echo(f"project of {unit} for need {need_id} updated")
