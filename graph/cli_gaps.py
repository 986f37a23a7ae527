"""The gap commands of `pairing`: gaps, coverage, inactive, expiring, load-report, org-audit.

Registered on the main group by `graph.cli` (`register(cli)`); kept in their own module so that
the CLI file stays small. The commands only call `graph.gaps` and `graph.reports`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from graph import formats, gaps, reports
from graph.cli_errors import errors
from graph.reports import Column

OUTPUT_FORMATS = ("table", "csv", "xlsx", "json")
F = TypeVar("F", bound=Callable[..., Any])


def _asof(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else gaps.today()


def _output_options(func: F) -> F:
    func = click.option("--lang", type=click.Choice(reports.LANGS), default="zh", help="Header language.")(func)
    func = click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file."
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(OUTPUT_FORMATS),
        default=None,
        help="Output format (default: from the -o suffix, else table).",
    )(func)
    return func


def _asof_option(func: F) -> F:
    return click.option(
        "--asof",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The day to judge (YYYY-MM-DD); default today.",
    )(func)


def _place_options(township: bool = True) -> Callable[[F], F]:
    def wrap(func: F) -> F:
        if township:
            func = click.option("--township", default=None, help="Only this township.")(func)
        return click.option("--county", default=None, help="Only this county.")(func)

    return wrap


def emit(
    rows: Sequence[Any],
    columns: Sequence[Column],
    list_name: str,
    fmt: str | None,
    output: Path | None,
    lang: str,
    asof: dt.date | None,
    filters: Mapping[str, Any],
) -> None:
    """Print or write one list in the chosen format."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in OUTPUT_FORMATS else "table"
    title = reports.title(list_name, lang)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs -o FILE.xlsx")
        reports.write_report(rows, columns, output, "xlsx", title, lang, asof, filters)
        click.echo(f"wrote {len(rows)} rows to {output}", err=True)
        return
    if fmt == "csv" and output is not None:
        reports.write_report(rows, columns, output, "csv", title, lang, asof, filters)
        click.echo(f"wrote {len(rows)} rows to {output}", err=True)
        return
    if fmt == "json":
        # JSON is for programs: English keys and codes, lists as lists.
        out = formats.to_json(reports.as_dicts(rows), [c.key for c in columns])
    elif fmt == "csv":
        out = reports.csv_text(rows, columns, lang)
    else:
        headers = [c.header(lang) for c in columns]
        out = (
            reports.title_line(title, lang, asof, filters)
            + "\n"
            + formats.table(reports.display_rows(rows, columns, lang), headers)
        )
    if output is not None:
        output.write_text(out if out.endswith("\n") else out + "\n", encoding="utf-8")
        click.echo(f"wrote {len(rows)} rows to {output}", err=True)
    else:
        click.echo(out.rstrip("\n"))


def register(cli: click.Group) -> None:
    """Add the gap commands to the `pairing` group."""

    @cli.command(name="gaps")
    @_asof_option
    @_place_options()
    @click.option(
        "--policy",
        default="any",
        show_default=True,
        help="Kinds every weak village needs: 'any', or e.g. 'pairing,station' (pairing, lead, fusion, station).",
    )
    @_output_options
    @click.pass_obj
    def gaps_cmd(
        state: Any,
        asof: dt.datetime | None,
        county: str | None,
        township: str | None,
        policy: str,
        fmt: str | None,
        output: Path | None,
        lang: str,
    ) -> None:
        """List weak villages that lack support on a day (under the default policy: no active support at all)."""
        with errors():
            day = _asof(asof)
            kinds = gaps.parse_policy(policy)
            rows = gaps.gaps(state.store(), day, kinds, county, township)
            shown_policy = () if kinds == gaps.DEFAULT_POLICY else kinds
            filters = {"county": county, "township": township, "policy": shown_policy}
            list_name = "unpaired" if kinds == gaps.DEFAULT_POLICY else "support"
            emit(rows, reports.GAP_COLUMNS, list_name, fmt, output, lang, day, filters)

    @cli.command(name="coverage")
    @_asof_option
    @_place_options(township=False)
    @click.option("--by", type=click.Choice(gaps.BY_CHOICES), default="county", show_default=True)
    @_output_options
    @click.pass_obj
    def coverage_cmd(
        state: Any,
        asof: dt.datetime | None,
        county: str | None,
        by: str,
        fmt: str | None,
        output: Path | None,
        lang: str,
    ) -> None:
        """Count weak villages and covered ones per county or township, with the kinds of support."""
        with errors():
            day = _asof(asof)
            rows = gaps.coverage(state.store(), day, by, county)
            columns = (
                reports.COVERAGE_COLUMNS
                if by == "township"
                else tuple(c for c in reports.COVERAGE_COLUMNS if c.key != "township")
            )
            by_zh = {"county": "按县", "township": "按乡镇"}
            emit(
                rows,
                columns,
                "coverage",
                fmt,
                output,
                lang,
                day,
                {"county": county, "by": by_zh[by] if lang == "zh" else by},
            )

    @cli.command(name="inactive")
    @_asof_option
    @_place_options()
    @click.option(
        "--days",
        type=click.IntRange(min=1),
        default=gaps.INACTIVE_AFTER_DAYS,
        show_default=True,
        help="A pairing with no activity for this many days is inactive.",
    )
    @_output_options
    @click.pass_obj
    def inactive_cmd(
        state: Any,
        asof: dt.datetime | None,
        county: str | None,
        township: str | None,
        days: int,
        fmt: str | None,
        output: Path | None,
        lang: str,
    ) -> None:
        """List active pairings with no recorded activity in the past year (paper pairings, 挂名结对)."""
        with errors():
            day = _asof(asof)
            rows = gaps.inactive(state.store(), day, county, township, days)
            emit(
                rows,
                reports.INACTIVE_COLUMNS,
                "inactive",
                fmt,
                output,
                lang,
                day,
                {"county": county, "township": township},
            )

    @cli.command(name="expiring")
    @_asof_option
    @_place_options()
    @click.option(
        "--days",
        type=click.IntRange(min=0),
        default=gaps.EXPIRING_DAYS,
        show_default=True,
        help="Look this many days ahead.",
    )
    @_output_options
    @click.pass_obj
    def expiring_cmd(
        state: Any,
        asof: dt.datetime | None,
        county: str | None,
        township: str | None,
        days: int,
        fmt: str | None,
        output: Path | None,
        lang: str,
    ) -> None:
        """List stationed cadres whose term ends soon and whose weak village then has no other support."""
        with errors():
            day = _asof(asof)
            rows = gaps.expiring(state.store(), day, days, county, township)
            filters = {"county": county, "township": township, "days": days}
            emit(rows, reports.EXPIRING_COLUMNS, "expiring", fmt, output, lang, day, filters)

    @cli.command(name="load-report")
    @_asof_option
    @_place_options(township=False)
    @click.option("--status", type=click.Choice(gaps.STATUS_ORDER), default=None, help="Only units with this status.")
    @_output_options
    @click.pass_obj
    def load_cmd(
        state: Any,
        asof: dt.datetime | None,
        county: str | None,
        status: str | None,
        fmt: str | None,
        output: Path | None,
        lang: str,
    ) -> None:
        """Show each pairing unit's capacity and active pairings: overloaded, idle or ok."""
        with errors():
            day = _asof(asof)
            rows = [u for u in gaps.unit_load(state.store(), day, county) if status is None or u.status == status]
            emit(rows, reports.LOAD_COLUMNS, "unit_load", fmt, output, lang, day, {"county": county, "status": status})

    @cli.command(name="org-audit")
    @_place_options()
    @_output_options
    @click.pass_obj
    def org_cmd(
        state: Any, county: str | None, township: str | None, fmt: str | None, output: Path | None, lang: str
    ) -> None:
        """List party organisations whose type does not fit their membership or whose leadership is under 3."""
        with errors():
            rows = gaps.org_setting(state.store(), county, township)
            emit(
                rows,
                reports.ORG_COLUMNS,
                "org_setting",
                fmt,
                output,
                lang,
                None,
                {"county": county, "township": township},
            )
