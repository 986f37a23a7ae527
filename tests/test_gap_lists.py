"""The gap-list registry: every list has a CLI command, a page entry and a title, and screen and file agree."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graph import gap_lists
from graph.cli import cli
from graph.gap_lists import GAP_LISTS, GapList
from graph.store import LadybugStore
from graph.ui import gaps_page, i18n
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


def test_first_year_follows_inactive_and_both_follow_the_yearly_rule(tmp_path: Path) -> None:
    names = [g.name for g in GAP_LISTS]
    assert names.index("first_year") == names.index("inactive") + 1
    data = yearly_data()
    path = tmp_path / "yearly.lbug"
    with LadybugStore(path) as store:
        store.load(data)
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
