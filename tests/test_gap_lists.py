"""The gap-list registry: every list has a CLI command, a page entry and a title, and screen and file agree;
every list of the seed on Neo4j is Ladybug's, row for row."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graph import activities, gap_lists, lists
from graph.cli import cli
from graph.gap_lists import GAP_LISTS, GapList
from graph.store import GraphStore, LadybugStore
from graph.ui import gaps_page, i18n
from tests import fixtures
from tests.test_gaps import ASOF as DAY
from tests.test_gaps import yearly_data
from tools import reference

ASOF = "2026-11-01"


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Headers and titles do not depend on the rows: an empty store is enough, and fast.
    path = tmp_path_factory.mktemp("lists") / "empty.lbug"
    LadybugStore(path).close()
    return path


def test_every_list_has_a_command_a_page_entry_and_a_title() -> None:
    names = [g.name for g in GAP_LISTS]
    assert len(set(names)) == len(names)
    assert tuple(names) == gaps_page.LISTS
    for gap in GAP_LISTS:
        command = cli.commands[gap.cli_name]
        assert not command.hidden
        for alias in gap.aliases:
            assert cli.commands[alias].hidden
        assert set(gap.filters) <= set(gap_lists.FILTERS) and len(set(gap.filters)) == len(gap.filters)
        # A list that takes `days` says what they mean (the CLI's help, the page's label).
        assert (gap.days is not None) == ("days" in gap.filters)
        assert gap.title_zh and gap.title_en
        # The page's selectbox and the report's title row say the same words.
        for lang in i18n.LANGS:
            assert i18n.t(f"gap.{gap.name}", lang) == gap.title(lang)
        assert gaps_page.COLUMNS[gap.name] == gap.shown_columns(gap.params(page=True))
    titles = [g.title_zh for g in GAP_LISTS] + [g.title_en for g in GAP_LISTS]
    assert len(set(titles)) == len(titles)


def test_renamed_commands_keep_their_old_names() -> None:
    assert gap_lists.get("unit_load").cli_name == "unit-load"
    assert gap_lists.get("org_setting").cli_name == "org-setting"
    listed = CliRunner().invoke(cli, ["--help"]).stdout
    assert "unit-load" in listed and "org-setting" in listed
    assert "load-report" not in listed and "org-audit" not in listed


@pytest.mark.parametrize("group", [[], ["user"]], ids=["pairing", "user"])
def test_summaries_are_whole_sentences(group: list[str]) -> None:
    listed = CliRunner().invoke(cli, [*group, "--help"]).stdout.partition("Commands:")[2]
    # click's default summary stops at the "." of "e.g." and cuts long ones with "...".
    assert "(e.g." not in listed and "..." not in listed
    command = cli.commands[group[0]] if group else cli
    assert isinstance(command, click.Group)
    flat = " ".join(listed.split())
    for name, sub in command.commands.items():
        if not sub.hidden:
            summary = " ".join(sub.get_short_help_str(limit=1_000).split())
            assert summary.endswith(".") and f"{name} {summary}" in flat, name
    if not group:
        assert "stats/counts" in flat


def _page_args(gap: GapList) -> list[str]:
    """CLI options for the page's starting filters, so that both sides show the same list."""
    args = [f"--{name}={value}" for name, value in gap.page_defaults.items()]
    return ([f"--asof={ASOF}"] if gap.dated else []) + args


@pytest.mark.parametrize("gap", GAP_LISTS, ids=lambda g: g.name)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_table_headers_equal_the_cli_file(empty_db: Path, tmp_path: Path, gap: GapList, lang: str) -> None:
    out = tmp_path / f"{gap.name}.xlsx"
    args = ["--db", str(empty_db), gap.cli_name, *_page_args(gap), "--lang", lang, "-o", str(out)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cli_sheet = load_workbook(out).active
    assert cli_sheet is not None
    headers = [c.value for c in cli_sheet[2]]
    assert list(gaps_page.table(gap.name, [], lang).columns) == headers
    # The page's download is the same file: title row included.
    params = gap.params(page=True)
    asof = dt.date.fromisoformat(ASOF) if gap.dated else None
    page = gaps_page.report_bytes(gap.name, [], "xlsx", asof, gap.title_filters(params, lang), lang)
    page_sheet = load_workbook(io.BytesIO(page)).active
    assert page_sheet is not None
    assert list(page_sheet.iter_rows(values_only=True)) == list(cli_sheet.iter_rows(values_only=True))
    assert page_sheet["A1"].value.startswith(gap.title(lang))


@pytest.mark.parametrize("gap", [g for g in GAP_LISTS if g.aliases], ids=lambda g: g.name)
def test_old_names_give_the_same_output(empty_db: Path, gap: GapList) -> None:
    dated = [f"--asof={ASOF}"] if gap.dated else []
    new = CliRunner().invoke(cli, ["--db", str(empty_db), gap.cli_name, *dated, "--format", "csv"])
    for alias in gap.aliases:
        old = CliRunner().invoke(cli, ["--db", str(empty_db), alias, *dated, "--format", "csv"])
        assert old.exit_code == new.exit_code == 0 and old.stdout == new.stdout


def test_first_year_follows_inactive_and_both_follow_the_yearly_rule(any_location: Callable[..., str]) -> None:
    names = [g.name for g in GAP_LISTS]
    assert names.index("first_year") == names.index("inactive") + 1
    data = yearly_data()
    path = any_location(data)
    for gap, expected in (
        (gap_lists.get("inactive"), reference.inactive(data, DAY)),
        (gap_lists.get("first_year"), reference.first_year(data, DAY)),
    ):
        args = ["--db", str(path), gap.cli_name, f"--asof={DAY}", "--format", "json"]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert [(r["unit_id"], r["village_id"], r["since"]) for r in rows] == [
            (p.unit_id, p.village_id, p.since.isoformat()) for p in expected
        ]
        assert len(rows) == {"inactive": 6, "first_year": 4}[gap.name]


# The days the seed's lists are compared on: the seed's day (seed/expected_gaps.json), a year before, and after
# some terms and pairings have ended.
SEED_DAYS = (dt.date(2026, 11, 1), dt.date(2025, 11, 1), dt.date(2027, 6, 30))


def _variants(gap: GapList, seed: Any) -> Iterator[dict[str, Any]]:
    """The filters a list is asked under: its defaults, the page's, each county, a township, and each kind of filter."""
    village = seed.nodes["Village"][0]
    yield {}
    for county in sorted({v["county"] for v in seed.nodes["Village"]}):
        yield {"county": county}
    if "township" in gap.filters:
        yield {"county": village["county"], "township": village["township"]}
    if "policy" in gap.filters:
        yield {"policy": "pairing,station"}
        yield {"policy": "lead", "county": village["county"]}
    if "days" in gap.filters and gap.days is not None:
        yield from ({"days": days} for days in (gap.days.minimum, 30, 400))
    if "status" in gap.filters:
        yield from ({"status": status} for status in ("idle", "overloaded", "ok"))
    if "by" in gap.filters:
        yield {"by": "township"}


@pytest.mark.neo4j
def test_every_list_of_the_seed_on_neo4j_equals_ladybugs(neo4j_store: GraphStore, seed_store: GraphStore) -> None:
    """Issue #14's must-show: seed/ loaded on the server gives every gap list Ladybug gives, row for row and in
    the same order, under every filter; and the 三张清单 page's lists and the activity ledger too."""
    seed = fixtures.seed_dataset()
    neo4j_store.load(seed)
    compared: dict[str, int] = {}

    def same(name: str, call: Callable[..., Sequence[Any]], *args: Any, **kwargs: Any) -> None:
        """`call(store, *args, **kwargs)` gives the same rows on both stores."""
        want = call(seed_store, *args, **kwargs)
        # repr: a row equal but of other types (a Decimal for an int, a string for a date) is a difference too.
        assert [repr(r) for r in call(neo4j_store, *args, **kwargs)] == [repr(r) for r in want], (name, args, kwargs)
        compared[name] = compared.get(name, 0) + len(want)

    for gap in GAP_LISTS:
        # Every filter on the seed's day; the defaults of the CLI and the page on the other days.
        variants = [gap.params(page=True), *(gap.params(**given) for given in _variants(gap, seed))]
        days = SEED_DAYS if gap.dated else (None,)
        for asof, params in [(days[0], p) for p in variants] + [(d, p) for d in days[1:] for p in variants[:2]]:
            same(gap.name, gap.rows, asof, params)
    counties = [None, *sorted({v["county"] for v in seed.nodes["Village"]})]
    for county in counties:
        same("needs", lists.needs, county=county)
        same("projects", lists.projects, county=county)
        same("resources", lists.resources, county=county)
        same("activities", activities.listing, county=county)
    # Each list has rows under some filter: the comparison is not of empty lists.
    assert all(compared.values()), compared
    assert set(compared) >= {g.name for g in GAP_LISTS}
