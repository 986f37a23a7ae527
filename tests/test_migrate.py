"""Migration between stores in batches: into a second Ladybug file through the same `GraphStore` interface
(the batches are the same code path as into Neo4j), and into a live Neo4j when NEO4J_URI is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import migrate
from graph.errors import StoreError
from graph.store import GraphStore
from tests.fixtures import StoreFactory, assert_same_graph


def assert_migrated(source: GraphStore, target: GraphStore) -> None:
    assert target.counts() == source.counts()
    assert_same_graph(target.dump(), source.dump())


def test_copies_everything_in_batches(make_store: StoreFactory) -> None:
    source = make_store("county")
    target = make_store()
    seen: dict[str, int] = {}
    calls: list[int] = []

    def progress(label: str, count: int) -> None:
        seen[label] = seen.get(label, 0) + count
        calls.append(count)

    report = migrate.migrate(source, target, batch_size=97, progress=progress)
    assert report.complete and report.target == report.source
    assert_migrated(source, target)
    # Every batch reported, none larger than asked; labels and types arrive whole.
    assert max(calls) <= 97
    assert {k: v for k, v in seen.items() if k in report.source} == {k: v for k, v in report.source.items() if v}
    assert report.batches >= sum(-(-v // 97) for v in report.source.values())


def test_gap_lists_agree_after_migration(make_store: StoreFactory) -> None:
    from graph import gaps, synth

    source = make_store("county")
    target = make_store()
    migrate.migrate(source, target, batch_size=500)
    day = synth.REFERENCE_DATE
    assert gaps.unpaired(target, day) == gaps.unpaired(source, day)
    assert gaps.coverage(target, day, "township") == gaps.coverage(source, day, "township")


def test_refuses_a_non_empty_target_unless_resuming(make_store: StoreFactory) -> None:
    source = make_store("county")
    target = make_store()
    # A migration that stopped after the villages: re-running with resume completes it.
    villages = source.read("export/villages")
    with target.transaction() as tx:
        tx.run("load/villages", {"rows": villages})
    with pytest.raises(StoreError, match="already holds data"):
        migrate.migrate(source, target)
    report = migrate.migrate(source, target, batch_size=1_000, resume=True)
    assert report.complete
    assert_migrated(source, target)


def test_batch_size_must_be_positive(make_store: StoreFactory) -> None:
    with pytest.raises(ValueError):
        migrate.migrate(make_store(), make_store(), batch_size=0)


def test_empty_source(make_store: StoreFactory) -> None:
    report = migrate.migrate(make_store(), make_store())
    assert report.complete and not any(report.target.values())


def test_cli_migrate(tmp_path: Path) -> None:
    from graph.cli import cli

    runner = CliRunner()
    ledger, a, b = tmp_path / "ledger", str(tmp_path / "a.lbug"), str(tmp_path / "b.lbug")
    assert runner.invoke(cli, ["synth", "--scale", "county", "-o", str(ledger)]).exit_code == 0
    assert runner.invoke(cli, ["--db", a, "load", str(ledger)]).exit_code == 0
    result = runner.invoke(cli, ["--db", a, "migrate", "--to", b, "--batch-size", "250"])
    assert result.exit_code == 0, result.output
    assert "counts match" in result.stdout
    assert "migrate: Village +250" in result.stderr
    again = runner.invoke(cli, ["--db", a, "migrate", "--to", b])
    assert again.exit_code == 1 and "already holds data" in again.stderr
    assert runner.invoke(cli, ["--db", a, "migrate", "--to", b, "--resume"]).exit_code == 0
    same = runner.invoke(cli, ["--db", a, "migrate", "--to", a])
    assert same.exit_code == 2


@pytest.mark.neo4j
def test_migrate_into_live_neo4j(make_store: StoreFactory, neo4j_store: GraphStore) -> None:
    source = make_store("county")
    report = migrate.migrate(source, neo4j_store, batch_size=300)
    assert report.complete
    assert_migrated(source, neo4j_store)
