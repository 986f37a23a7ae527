"""The template commands: write what reading a ledger decides as a mapping template a department can edit."""

from __future__ import annotations

from pathlib import Path

import click

from graph import interchange
from graph.cli.base import cli
from graph.errors import ValidationError


@cli.group()
def template() -> None:
    """Mapping templates: which sheet is which table, which header which field, which word which value."""


@template.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The TOML file to write."
)
def suggest(path: Path, output: Path) -> None:
    """Write what reading PATH decides (every sheet, header and value word) as a template to edit and reuse.

    Written whether or not the ledger has problems: fixing the template is how a department fixes them.
    Use it with `pairing validate PATH --template FILE.toml` and `pairing load PATH --template FILE.toml`.
    """
    reading = interchange.inspect(path)
    if not reading.report.mappings:  # nothing read at all (not a ledger): nothing to write down
        raise ValidationError(reading.problems, total=reading.total)
    found = interchange.suggest(reading.report)
    try:
        output.write_text(interchange.write_template(found), encoding="utf-8")
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror) from None
    read = sum(1 for s in found.sheets.values() if s.table)
    click.echo(
        f"wrote {output}: {len(found.sheets)} sheets ({read} read, {len(found.sheets) - read} skipped), "
        f"{sum(len(s.columns) for s in found.sheets.values())} columns, "
        f"{sum(len(w) for w in found.values.values())} value words"
    )
    if not reading.ok:
        click.echo(f"{path} has {reading.total:,} problems as read now: see `pairing validate {path}`", err=True)
