"""The scale commands: `migrate` (embedded store → Neo4j), and the neo4j-admin files that `export` writes."""

from __future__ import annotations

import time
from pathlib import Path

import click

from graph import migrate as migrate_mod
from graph import neo4j_admin
from graph.cli.base import Context, cli, pass_state
from graph.progress import reporter
from graph.store import GraphStore, open_store
from graph.store.base import BATCH


def export_neo4j_admin(store: GraphStore, folder: Path, database: str = "neo4j") -> neo4j_admin.ImportFiles:
    """Write the store as neo4j-admin import files and print the command that imports them."""
    dataset = store.dump()
    total = sum(dataset.counts().values())
    with reporter("export", total) as bar:
        files = neo4j_admin.write(dataset, folder, progress=bar)
    click.echo(f"wrote neo4j-admin import files for {total:,} nodes and links to {folder}")
    click.echo("import them into a stopped server's empty database with:")
    click.echo("  " + files.command_line(database))
    click.echo("then start Neo4j and apply graph/cypher/schema/neo4j.cypher (the id constraints) with cypher-shell.")
    return files


@cli.command(name="migrate")
@click.option(
    "--to",
    "target",
    required=True,
    help="Target store: a Neo4j URI (neo4j://, neo4j+s://, bolt://) or another Ladybug file.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=BATCH,
    show_default=True,
    help="Rows per transaction on the target.",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted migration into a non-empty target.")
@pass_state
def migrate_cmd(state: Context, target: str, batch_size: int, resume: bool) -> None:
    """Copy the store (--db) into another store, in batches: nodes label by label, then links."""
    source = state.store()
    if target == source.location:
        raise click.UsageError("--to names the store being copied")
    started = time.perf_counter()
    # Accounts and audit entries travel too (last); count them so the bar ends at 100%.
    total = sum(source.counts().values()) + sum(len(r) for r in source.system_rows().values())
    with open_store(target) as dest, reporter("migrate", total) as bar:
        report = migrate_mod.migrate(source, dest, batch_size, progress=bar, resume=resume)
    click.echo(
        f"copied {sum(report.source.values()):,} nodes and links from {source.location} to {target} "
        f"and {sum(report.system.values()):,} accounts and audit entries, in {report.batches} batches, "
        f"{time.perf_counter() - started:.1f} s; counts match"
    )
