"""The CLI's one error mapping: every command's package errors become a message and an exit code."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from graph.cli.base import PairingGroup
from graph.errors import ConflictError, PairingError, Problem, QueryError, ValidationError


def _group(error: Exception) -> click.Group:
    group = PairingGroup()

    @group.command()
    def fail() -> None:
        raise error

    # A subgroup's commands run inside the outer group's invoke, so they are covered too.
    @group.group()
    def sub() -> None:
        pass

    @sub.command(name="fail")
    def sub_fail() -> None:
        raise error

    return group


@pytest.mark.parametrize("path", [["fail"], ["sub", "fail"]])
def test_validation_errors_list_every_problem_and_exit_2(path: list[str]) -> None:
    problems = [Problem("villages.csv", 2, "tier", "很弱", "not a tier"), Problem("pairings.csv", 3, None, None, "x")]
    result = CliRunner().invoke(_group(ValidationError(problems)), path)
    assert result.exit_code == 2
    assert result.stderr.strip() == str(ValidationError(problems)) and not result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize("error", [PairingError("refused"), QueryError("refused"), ConflictError("refused")])
@pytest.mark.parametrize("path", [["fail"], ["sub", "fail"]])
def test_other_package_errors_exit_1_with_a_message(error: PairingError, path: list[str]) -> None:
    result = CliRunner().invoke(_group(error), path)
    assert result.exit_code == 1
    assert result.stderr == "error: refused\n" and not result.stdout


def test_other_exceptions_are_not_hidden() -> None:
    result = CliRunner().invoke(_group(RuntimeError("bug")), ["fail"])
    assert isinstance(result.exception, RuntimeError)
