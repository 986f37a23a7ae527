"""`pairing report`: the period's 通报 as XLSX and PDF (graph.bulletin), named for its scope and period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from graph import bulletin, gaps
from graph.cli.base import Context, cli, pass_state
from graph.cli.output import place_options

_DAY = click.DateTime(formats=["%Y-%m-%d"])


@cli.command("report")
@click.option("--from", "d1", type=_DAY, required=True, help="The period's first day (YYYY-MM-DD).")
@click.option("--to", "d2", type=_DAY, required=True, help="The period's last day (YYYY-MM-DD).")
@place_options
@click.option("--unit", default="", help="填报单位: the department that files the report.")
@click.option("--filed", type=_DAY, default=None, help="填报日期 (default: today).")
@click.option(
    "--policy",
    default=gaps.ANY,
    show_default=True,
    help="Kinds every weak village needs: 'any', or e.g. 'pairing,station'.",
)
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=gaps.INACTIVE_AFTER_DAYS,
    show_default=True,
    help="Days without activity that make a paper pairing.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(bulletin.FORMATS),
    default=None,
    help="Default: from the -o suffix; both when -o is a folder or not given.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="A file, or a folder for <scope>_本期变化_<from>_<to>.xlsx/.pdf (default: the current folder).",
)
@pass_state
def report_command(
    state: Context,
    d1: dt.datetime,
    d2: dt.datetime,
    city: str | None,
    county: str | None,
    township: str | None,
    unit: str,
    filed: dt.datetime | None,
    policy: str,
    days: int,
    fmt: str | None,
    output: Path | None,
) -> None:
    """通报: the period's changes from --from to --to as XLSX and PDF, with the headline figures, the
    coverage trend and the rules used, set up for printing."""
    target = output or Path.cwd()
    to_file = not target.is_dir()
    if to_file:
        suffix = target.suffix.lower().lstrip(".")
        fmt = fmt or (suffix if suffix in bulletin.FORMATS else None)
        if fmt is None:
            raise click.UsageError(f"-o {target}: name a folder, or a file ending in .xlsx or .pdf (or give --format)")
    found = bulletin.build(
        state.store(),
        d1.date(),
        d2.date(),
        city=city,
        county=county,
        township=township,
        unit=unit,
        filed=filed.date() if filed else None,
        policy=policy,
        days=days,
    )
    for chosen in (fmt,) if fmt else bulletin.FORMATS:
        path = bulletin.write(found, chosen, target)
        click.echo(f"wrote {path}", err=True)
