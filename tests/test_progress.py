"""The progress reporter: a redrawn bar on a terminal, one log line per batch elsewhere; its use in the CLI."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from graph.cli import cli
from graph.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_plain_mode_writes_one_line_per_batch_and_no_carriage_returns() -> None:
    out = io.StringIO()
    with Progress("load", total=7_000, stream=out) as bar:
        bar("Village", 5_000)
        bar("Village", 1_000)
        bar("LEADS", 1_000)
    lines = out.getvalue().splitlines()
    assert lines == [
        "load: Village +5,000 (5,000/7,000 rows)",
        "load: Village +1,000 (6,000/7,000 rows)",
        "load: LEADS +1,000 (7,000/7,000 rows)",
    ]
    assert "\r" not in out.getvalue()
    assert bar.by_label == {"Village": 6_000, "LEADS": 1_000}


def test_plain_mode_without_total() -> None:
    out = io.StringIO()
    bar = Progress("migrate", stream=out)
    bar("Cadre", 12)
    assert out.getvalue() == "migrate: Cadre +12 (12 rows)\n"


def test_terminal_mode_redraws_one_line_and_ends_it() -> None:
    out, clock = Terminal(), Clock()
    with Progress("load", total=100, stream=out, clock=clock) as bar:
        assert bar.interactive
        clock.now = 1.0
        bar("Village", 50)
        clock.now = 2.0
        bar("Cadre", 50)
    text = out.getvalue()
    assert text.startswith("\rload: [")
    assert text.count("\n") == 1 and text.endswith("\n")
    final = text.rstrip("\n").split("\r")[-1]
    assert "100%" in final and "100/100" in final and "#" * 24 in final


def test_terminal_mode_limits_redraws_but_always_shows_the_end() -> None:
    out, clock = Terminal(), Clock()
    bar = Progress("load", total=1_000, stream=out, clock=clock, min_interval=0.5)
    for _ in range(9):
        bar("Village", 100)  # no time passes: only the first call draws
    assert out.getvalue().count("\r") == 1
    bar("Village", 100)  # complete: drawn despite the rate limit
    assert out.getvalue().count("\r") == 2
    assert "1,000/1,000" in out.getvalue().split("\r")[-1]


def test_terminal_mode_pads_over_a_longer_previous_line() -> None:
    out, clock = Terminal(), Clock()
    bar = Progress("x", stream=out, clock=clock, min_interval=0)
    bar("A_VERY_LONG_LABEL_NAME", 1)
    first = out.getvalue().split("\r")[-1]
    bar("B", 1)
    second = out.getvalue().split("\r")[-1]
    assert len(second) >= len(first)


def test_message_clears_the_bar_line() -> None:
    out, clock = Terminal(), Clock()
    bar = Progress("synth", total=10, stream=out, clock=clock)
    bar("Village", 5)
    bar.message("generated")
    assert out.getvalue().endswith("\rgenerated\n")
    plain = io.StringIO()
    Progress("synth", stream=plain).message("generated")
    assert plain.getvalue() == "generated\n"


def test_close_without_progress_writes_nothing() -> None:
    out = Terminal()
    Progress("load", stream=out).close()
    assert out.getvalue() == ""


def test_cli_load_reports_batches_on_stderr(tmp_path: Path) -> None:
    runner = CliRunner()
    ledger = tmp_path / "ledger"
    assert runner.invoke(cli, ["synth", "--scale", "county", "-o", str(ledger)]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(tmp_path / "p.lbug"), "load", str(ledger)])
    assert result.exit_code == 0, result.output
    # CliRunner's stderr is not a terminal: plain lines, one per batch, none on stdout.
    assert "load: Village +" in result.stderr and "\r" not in result.stderr
    assert "load:" not in result.stdout
