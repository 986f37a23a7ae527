"""The gap commands: one per list in `graph.gap_lists`, its options made from the list's filters.

`gaps` (unpaired), `support`, `inactive`, `expiring`, `unit-load`, `coverage`, `org-setting`;
the older names `load-report` and `org-audit` (and `unpaired`) still work but are not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph import gaps
from graph.cli.base import Context, cli, pass_state
from graph.cli.output import PLACES, asof_option, day, emit, output_options, place_option
from graph.gap_lists import GAP_LISTS, GapList


def _filter_option(gap: GapList, name: str) -> Callable[[Any], Any]:
    """The CLI option for one of the list's filters, with the list's default."""
    if name in PLACES:
        return place_option(name)
    if name == "days" and gap.days is not None:
        return click.option(
            "--days",
            type=click.IntRange(min=gap.days.minimum),
            default=gap.default("days"),
            show_default=True,
            help=gap.days.help,
        )
    if name == "policy":
        return click.option(
            "--policy",
            default=gaps.ANY,
            show_default=True,
            help="Kinds every weak village needs: 'any', or e.g. 'pairing,station' (pairing, lead, fusion, station).",
        )
    if name == "status":
        return click.option(
            "--status", type=click.Choice(gaps.STATUS_ORDER), default=None, help="Only units with this status."
        )
    if name == "by":
        return click.option("--by", type=click.Choice(gap.levels), default=gap.default("by"), show_default=True)
    raise ValueError(f"{gap.name}: no CLI option for the filter {name!r}")


def gap_command(gap: GapList, name: str, hidden: bool = False) -> click.Command:
    """The command that prints or writes `gap`, under `name` (hidden for an older name)."""

    def run(
        state: Context,
        /,
        fmt: str | None,
        output: Path | None,
        lang: str,
        asof: dt.datetime | None = None,
        **given: Any,
    ) -> None:
        when = day(asof) if gap.dated else None
        params = gap.params(**given)
        rows = gap.rows(state.store(), when, params)
        emit(rows, gap.shown_columns(params), gap.title(lang), fmt, output, lang, when, gap.title_filters(params, lang))

    callback: Callable[..., Any] = output_options(pass_state(run))
    # click lists the option applied last first: so --asof, then the filters in their order, then the output.
    for filter_name in reversed(gap.filters):
        callback = _filter_option(gap, filter_name)(callback)
    if gap.dated:
        callback = asof_option(callback)
    text = gap.summary + (f"\n\nAn older name of `pairing {gap.cli_name}`." if hidden else "")
    return click.command(name=name, help=text, hidden=hidden)(callback)


for _gap in GAP_LISTS:
    cli.add_command(gap_command(_gap, _gap.cli_name))
    for _alias in _gap.aliases:
        cli.add_command(gap_command(_gap, _alias, hidden=True))
