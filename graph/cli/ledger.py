"""The ledger commands: validate and load a ledger, export the store, write a synthetic dataset."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from graph import import_changes, interchange, ledger
from graph import synth as synth_mod
from graph.cli.base import Context, cli, pass_state
from graph.cli.scale import export_neo4j_admin
from graph.errors import ValidationError
from graph.progress import reporter

# One option for every command that reads a ledger.
template_option = click.option(
    "--template",
    "template_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read the ledger with this mapping template (TOML, from `pairing template suggest`).",
)


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--against-store/--standalone", default=False, help="Resolve references to nodes already in the store.")
@template_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text: the mapping, notes and problems for people; json: one object for programs.",
)
@click.pass_context
def validate(ctx: click.Context, path: Path, against_store: bool, template_path: Path | None, fmt: str) -> None:
    """Check a ledger (a folder of CSV files or an .xlsx workbook) without loading it, and show how it is read.

    Prints each sheet's mapping (the table it is read as or why it is skipped, its header rows, each column's
    field and how it was matched, the skipped columns and rows) and the notes, then the problems; exit 2 on problems.
    """
    state = ctx.find_object(Context)
    assert state is not None  # the group made it
    template = _template(template_path)
    reading = ledger.inspect(path, state.store() if against_store else None, template=template)
    counts = reading.dataset.counts() if reading.dataset is not None else {}
    if fmt == "json":
        out = {
            "ok": reading.ok,
            "problems": [
                {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
                for p in reading.problems
            ],
            "total": reading.total,
            "report": reading.report.as_json(),
            "counts": counts,
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        if not reading.ok:
            ctx.exit(2)
        return
    # The CLI speaks English (it has no language switch); the ledger's own words stay as written.
    click.echo("\n".join(interchange.report_lines(reading.report, "en")))
    if not reading.ok:
        raise ValidationError(reading.problems, total=reading.total, report=reading.report)
    click.echo(f"{path}: no problems; " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))


def _template(path: Path | None) -> interchange.Template | None:
    return interchange.read_template(path) if path is not None else None


def _preview_text(path: Path, plan: ledger.Preview, show: int) -> str:
    counts = ", ".join(f"{k} {v}" for k, v in plan.dataset.counts().items() if v)
    changes = plan.changes
    what = {
        import_changes.MERGE: "loading it would change:",
        import_changes.REPLACE: "replacing the store with it would change:",
        import_changes.COUNTY: f"replacing county {changes.county} with it would change:",
    }[changes.mode]
    out = [f"{path}: no problems; {counts}", what, *changes.lines(show)]
    if changes.empty:
        out.append("no change")
    if plan.removal is not None:
        shrink = "  (a shrink: needs --yes-shrink)" if plan.removal.shrinks else ""
        out += [
            ("a county replace" if changes.mode == import_changes.COUNTY else "a replace") + " would remove:" + shrink
        ]
        out += plan.removal.lines()
    if plan.newer:
        since = plan.since.isoformat(timespec="seconds") if plan.since else "an unknown date"
        out.append(
            f"it would overwrite {len(plan.newer)} change(s) made in the store after the ledger's date ({since}); "
            "loading them needs --overwrite-newer:"
        )
        out += [e.line() for e in plan.newer]
    return "\n".join(out)


def _preview_json(path: Path, plan: ledger.Preview, show: int) -> str:
    removal = plan.removal
    data = {
        "path": str(path),
        "mode": plan.changes.mode,
        "county": plan.changes.county,
        "rows": plan.dataset.counts(),
        "no_change": plan.changes.empty,
        "changes": plan.changes.as_json(show),
        "shrinks": removal.shrinking if removal is not None else [],
        "ledger_date": plan.since.isoformat() if plan.since else None,
        "newer_edits": [e.as_json() for e in plan.newer],
        "report": plan.reading.report.as_json(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace everything in the store with this ledger.")
@click.option(
    "--replace-county",
    "county",
    default=None,
    metavar="NAME",
    help="Replace one county's villages, units, cadres and links with this ledger (which must hold only that "
    "county), leaving every other county as it was.",
)
@click.option("--if-empty", is_flag=True, help="Load only if the store holds nothing yet (for demo setup).")
@click.option(
    "--yes-shrink",
    is_flag=True,
    help=f"Go ahead with a replace that leaves fewer than {ledger.SHRINK_SHARE:.0%} of the store's nodes of some "
    "label or links of some type (refused without it, showing what would be removed).",
)
@click.option(
    "--no-backup",
    is_flag=True,
    help="Replace without the automatic backup into the store's backups folder (`pairing backups`).",
)
@click.option(
    "--overwrite-newer",
    is_flag=True,
    help="Go ahead although the load overwrites changes made in the store after the ledger's date "
    "(its 填报日期, else the file's time); refused without it, naming each one.",
)
@click.option(
    "--dry-run", is_flag=True, help="Validate and show what the load would add, change and remove; change nothing."
)
@template_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="The dry run's output.")
@click.option(
    "--show", type=click.IntRange(min=0), default=import_changes.PREVIEW_ROWS, help="Changed rows shown per table."
)
@pass_state
def load(
    state: Context,
    path: Path,
    replace: bool,
    county: str | None,
    if_empty: bool,
    yes_shrink: bool,
    no_backup: bool,
    overwrite_newer: bool,
    dry_run: bool,
    template_path: Path | None,
    fmt: str,
    show: int,
) -> None:
    """Load a ledger: validated completely first, then applied completely or not at all.

    A replace first saves the store in its backups folder (`pairing backups` lists them, `pairing restore` puts
    one back).
    """
    if replace and county:
        raise click.UsageError("--replace and --replace-county exclude each other")
    store = state.store()
    if if_empty and not store.is_empty():
        click.echo(f"{store.location} already holds data; not loading {path}.")
        return
    template = _template(template_path)
    if dry_run:
        plan = ledger.preview(store, path, replace=replace, replace_county=county, template=template)
        click.echo(_preview_json(path, plan, show) if fmt == "json" else _preview_text(path, plan, show))
        return
    try:
        with reporter("load") as bar:
            report = ledger.load(
                store,
                path,
                replace=replace,
                progress=bar,
                actor=state.user,
                allow_shrink=yes_shrink,
                keep_backup=not no_backup,
                replace_county=county,
                overwrite_newer=overwrite_newer,
                template=template,
            )
    except ledger.ShrinkRefused as exc:
        click.echo(f"error: {exc}\nCheck the ledger; if this is meant, run again with --yes-shrink.", err=True)
        sys.exit(1)
    except ledger.NewerEditsRefused as exc:
        click.echo(f"error: {exc}\nCheck them; if the ledger is right, run again with --overwrite-newer.", err=True)
        sys.exit(1)
    said = report.changes.brief() if report.changes is not None else "no change"
    click.echo(f"loaded {path} into {store.location}: {said}")
    if report.overwritten:
        click.echo(
            "overwrote changes made after the ledger's date:\n" + "\n".join(e.line() for e in report.overwritten)
        )
    if report.removal is not None and report.removal.total:
        click.echo("removed:\n" + "\n".join(report.removal.lines()))
    if report.backup is not None:
        # The whole command, --db included: without it `restore` would go to the default store, not this one.
        undo = shlex.join(["pairing", "--db", store.location, "restore", "--yes", str(report.backup)])
        click.echo(f"the replaced store is saved in {report.backup} (restore with `{undo}`)")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option(
    "--neo4j-admin",
    "admin_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also (or only) write header and data files for `neo4j-admin database import full` into this folder.",
)
@pass_state
def export(state: Context, path: Path | None, admin_dir: Path | None) -> None:
    """Export the whole store: a folder of CSV files, or one workbook if PATH ends in .xlsx."""
    if path is None and admin_dir is None:
        raise click.UsageError("give PATH, --neo4j-admin DIR, or both")
    if admin_dir is not None:
        export_neo4j_admin(state.store(), admin_dir)
    if path is None:
        return
    ledger.export(state.store(), path)
    click.echo(f"exported {state.store().location} to {path}")


@cli.command()
@click.option("--scale", type=click.Choice(["county", "city", "province", "nation"]), default="county")
@click.option("--seed", type=int, default=42)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def synth(scale: str, seed: int, output: Path) -> None:
    """Write a deterministic synthetic dataset of a given scale in the interchange format."""
    with reporter("synth") as bar:
        dataset = synth_mod.generate(scale, seed)
        bar.message(f"synth: generated {sum(dataset.counts().values()):,} nodes and links")
        if output.suffix.lower() == ".xlsx":
            interchange.write_xlsx(dataset, output)
        else:
            interchange.write_folder(dataset, output)
        counts = {k: v for k, v in dataset.counts().items() if v}
        click.echo(
            f"wrote {scale} scale (seed {seed}) to {output}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
        )
