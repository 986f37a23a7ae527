"""`pairing changes` (本期变化: what changed from one day to another) and `pairing trend` (coverage by month)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from graph import gaps, period, period_report, reports
from graph.cli.base import Context, cli, pass_state
from graph.cli.output import emit, place_options

_DAY = click.DateTime(formats=["%Y-%m-%d"])
CHANGES_FORMATS = ("table", "json", "xlsx")
TREND_FORMATS = ("table", "json", "csv")


def _format(fmt: str | None, output: Path | None, choices: tuple[str, ...]) -> str:
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in choices else "table"


@cli.command("changes")
@click.option("--from", "d1", type=_DAY, required=True, help="The period's first day (YYYY-MM-DD).")
@click.option("--to", "d2", type=_DAY, required=True, help="The period's last day (YYYY-MM-DD).")
@place_options
@click.option(
    "--policy",
    default=gaps.ANY,
    show_default=True,
    help="Kinds every weak village needs on --to: 'any', or e.g. 'pairing,station'.",
)
@click.option("--policy-from", default=None, help="The policy on --from, if it was another (default: --policy).")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=gaps.INACTIVE_AFTER_DAYS,
    show_default=True,
    help="Days without activity that make a paper pairing, on --to.",
)
@click.option("--days-from", type=click.IntRange(min=1), default=None, help="The same on --from (default: --days).")
@click.option("--format", "fmt", type=click.Choice(CHANGES_FORMATS), default=None, help="Default: from -o, else table.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file."
)
@click.option("--lang", type=click.Choice(reports.LANGS), default="zh", help="Language of headers and reasons.")
@pass_state
def changes_command(
    state: Context,
    d1: dt.datetime,
    d2: dt.datetime,
    city: str | None,
    county: str | None,
    township: str | None,
    policy: str,
    policy_from: str | None,
    days: int,
    days_from: int | None,
    fmt: str | None,
    output: Path | None,
    lang: str,
) -> None:
    """本期变化: gaps opened and closed (with why), links started and ended, cadres rotated, units withdrawn,
    paper pairings and coverage by township, from --from to --to.

    A link started if its since is after --from and by --to; it ended if its until is from --from to the day
    before --to (a link is active on its until day). Each item says whether the data or the rule changed.
    """
    found = period.changes(
        state.store(),
        d1.date(),
        d2.date(),
        city=city,
        county=county,
        township=township,
        policy=policy,
        days=days,
        policy_from=policy_from,
        days_from=days_from,
        lang=lang,
    )
    chosen = _format(fmt, output, CHANGES_FORMATS)
    if chosen == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs -o FILE.xlsx")
        output.write_bytes(period_report.xlsx_bytes(found, lang))
        click.echo(f"wrote {len(period_report.SECTIONS)} sheets to {output}", err=True)
        return
    text = period_report.as_json(found, lang) if chosen == "json" else period_report.as_table(found, lang)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


@cli.command("trend")
@click.option("--from", "d1", type=_DAY, required=True, help="The span's first day (YYYY-MM-DD).")
@click.option("--to", "d2", type=_DAY, required=True, help="The span's last day (YYYY-MM-DD).")
@click.option("--by", type=click.Choice(period.TREND_BY), default="month", show_default=True)
@place_options
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=gaps.INACTIVE_AFTER_DAYS,
    show_default=True,
    help="Days without activity that make a paper pairing.",
)
@click.option("--format", "fmt", type=click.Choice(TREND_FORMATS), default=None, help="Default: from -o, else table.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file."
)
@click.option("--lang", type=click.Choice(reports.LANGS), default="zh", help="Header language.")
@pass_state
def trend_command(
    state: Context,
    d1: dt.datetime,
    d2: dt.datetime,
    by: str,
    city: str | None,
    county: str | None,
    township: str | None,
    days: int,
    fmt: str | None,
    output: Path | None,
    lang: str,
) -> None:
    """Coverage (weak villages, covered, rate) and paper pairings on each month's last day from --from to --to.

    A month still running on --to is judged on --to.
    """
    points = period.trend(
        state.store(), d1.date(), d2.date(), by, county=county, township=township, days=days, city=city
    )
    title = "覆盖率趋势" if lang == "zh" else "Coverage trend"
    filters = {"city": city, "county": county, "township": township, "days": days}
    emit(points, period_report.TREND_COLUMNS, title, _format(fmt, output, TREND_FORMATS), output, lang, None, filters)
