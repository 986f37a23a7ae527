"""The `pairing` command: a thin shell over the `graph` package (no Cypher here).

`base` defines the group, its state and the error handling; each command module adds its
commands to the group when imported, which is all this module does with them.
"""

from __future__ import annotations

from graph.cli import (
    activity,
    backups,
    bulletin,
    gaps,
    ledger,
    links,
    lists,
    match,
    period,
    queries,
    scale,
    template,
    trust,
)
from graph.cli.base import Context, cli

__all__ = [
    "Context",
    "activity",
    "backups",
    "bulletin",
    "cli",
    "gaps",
    "ledger",
    "links",
    "lists",
    "main",
    "match",
    "period",
    "queries",
    "scale",
    "template",
    "trust",
]


def main() -> None:
    cli(prog_name="pairing")
