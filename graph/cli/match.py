"""`pairing match`: propose strong units for uncovered weak villages, and optionally apply them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from graph import proposals, reports
from graph.cli.base import Context, cli, pass_state
from graph.cli.output import OUTPUT_FORMATS, emit


@cli.command(name="match")
@click.option("--asof", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Day to judge; default today.")
@click.option("--county", default=None, help="Only this county's villages and units.")
@click.option(
    "--profile", type=click.Path(exists=True, path_type=Path), default=None, help="Weights and limits (TOML)."
)
@click.option("--k", type=click.IntRange(min=1), default=None, help="Candidates kept per village (profile default 20).")
@click.option("--mode", type=click.Choice(proposals.MODES), default="optimal", show_default=True)
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@click.option("--lang", type=click.Choice(reports.LANGS), default="zh", show_default=True)
@click.option("--apply", "do_apply", is_flag=True, help="Write every proposal as a pairing, in one transaction.")
@pass_state
def match_cmd(
    state: Context,
    asof: dt.datetime | None,
    county: str | None,
    profile: Path | None,
    k: int | None,
    mode: str,
    fmt: str | None,
    output: Path | None,
    lang: str,
    do_apply: bool,
) -> None:
    """Propose partners for weak villages nobody helps (min-cost flow, or stable matching)."""
    day = asof.date() if asof else dt.date.today()
    store = state.store()
    run = proposals.propose(store, day, county, profile, k, mode)
    filters = {"county": county, "mode": mode}
    emit(run.rows(), reports.PROPOSAL_COLUMNS, reports.title("proposals", lang), fmt, output, lang, day, filters)
    unmatched = run.unmatched_rows()
    if unmatched and fmt in (None, "table") and output is None:
        title = reports.title("unmatched", lang)
        emit(unmatched, reports.UNMATCHED_COLUMNS, title, "table", None, lang, day, filters)
    if do_apply:
        written = proposals.apply(store, run, actor=state.user)
        click.echo(f"applied {written} proposals; {len(unmatched)} villages left unmatched", err=True)
