"""How list commands (the gap lists, `match`) print or write their rows, and the options that choose it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from graph import formats, gaps, reports
from graph.reports import Column

OUTPUT_FORMATS = ("table", "csv", "xlsx", "json")
F = TypeVar("F", bound=Callable[..., Any])


def day(value: dt.datetime | None) -> dt.date:
    """The day an `--asof` option names: today when not given."""
    return value.date() if value is not None else gaps.today()


def asof_option(func: F) -> F:
    return click.option(
        "--asof",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The day to judge (YYYY-MM-DD); default today.",
    )(func)


# The place filters, from the top of the administrative chain down (市 → 县 → 乡镇), as every command offers them.
PLACES = ("city", "county", "township")
_PLACE_HELP = {"city": "Only this city (地级市).", "county": "Only this county.", "township": "Only this township."}


def place_option(name: str) -> Callable[[F], F]:
    """The CLI option `--city`, `--county` or `--township`: one of PLACES."""
    return click.option(f"--{name}", default=None, help=_PLACE_HELP[name])


def place_options(func: F) -> F:
    """`--city`, `--county` and `--township`, for a command that filters by every level."""
    for name in reversed(PLACES):
        func = place_option(name)(func)
    return func


def output_options(func: F) -> F:
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


def emit(
    rows: Sequence[Any],
    columns: Sequence[Column],
    title: str,
    fmt: str | None,
    output: Path | None,
    lang: str,
    asof: dt.date | None,
    filters: Mapping[str, Any],
) -> None:
    """Print or write one list in the chosen format, under `title` (in `lang`)."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in OUTPUT_FORMATS else "table"
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
