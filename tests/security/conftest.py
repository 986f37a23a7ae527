"""Fixtures of the security regression tests: a fresh sign-in throttle per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph import accounts


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> Iterator[accounts.Throttle | None]:
    """The process-wide throttle remembers failures across tests; each test starts with a clean one.

    (None where there is no throttle, so that on a tree without it each test fails for its own reason.)
    """
    throttle_type = getattr(accounts, "Throttle", None)
    if throttle_type is None:
        yield None
        return
    throttle = throttle_type()
    monkeypatch.setattr(accounts, "THROTTLE", throttle)
    yield throttle


@pytest.fixture
def app_stores() -> Iterator[list[str]]:
    """Store files a test opened through the app (`state._open`, cached for the process): closed afterwards.

    Each open Ladybug database reserves a large share of the address space (8 TiB of 128), so the
    process can hold only so many; a test's own file is never opened again, and the suite needs the room.
    """
    from graph.ui import state

    opened: list[str] = []
    yield opened
    for db in opened:
        state._open(db).close()
