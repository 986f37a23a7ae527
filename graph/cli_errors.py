"""How every `pairing` command reports the package's errors: a message and a non-zero exit, no traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from graph.errors import PairingError, ValidationError


@contextmanager
def errors() -> Iterator[None]:
    """Exit 2 for bad input (every problem listed), 1 for any other refusal or failure."""
    try:
        yield
    except ValidationError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except PairingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
