"""The embedded store's own locks, so that many processes (the app, the CLI, a cron job) share one Ladybug file.

Ladybug lets one process at a time open a file read-write, and gives a read-only Database no protection
against a writer's checkpoint: on its tracker, read-only opens racing a writer crash the reader (#642, #766,
#1007) and a held reader may read pages being rewritten (#666). So the store orders every use of the file
itself, with `flock` on two sidecar files next to it (private, like the store):

- `<store>.lock`, the file lock: shared while a read-only Database is opened or queried, exclusive while a
  read-write one is open or the file is replaced. It also holds the generation, a counter that every
  exclusive holder bumps: a reader keeps its read-only Database between reads while the generation stays.
- `<store>.writer`, the writers' lock: exclusive for a whole write (a transaction, a load with the build of its
  fresh file, a backup, a restore, an `exclusive()` block), so a long load keeps other writers out while
  readers go on reading the old file until the one rename. Its holder writes its pid and command into it,
  for the waiter's message.

A flock belongs to an open file description: each store object opens its own, so two store objects on one
file exclude each other even in one process. Every wait is bounded (`timeout()`) and ends in `StoreBusy`.
Order: writers' lock, then file lock; a reader takes only the file lock.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.errors import ConfigError, StoreBusy

LOCK_SUFFIX = ".lock"
WRITER_SUFFIX = ".writer"
# Seconds a read or a write waits for the store before it gives up; PAIRING_LOCK_TIMEOUT overrides it.
DEFAULT_TIMEOUT = 30.0
TIMEOUT_ENV = "PAIRING_LOCK_TIMEOUT"
# Polling, not a blocking flock: a blocked flock cannot be given a deadline. Starts short (most holds are
# one query or one small transaction) and backs off.
_FIRST_POLL = 0.002
_LAST_POLL = 0.05
_GENERATION_BYTES = 8
_COMMAND_CHARS = 200


def timeout() -> float:
    value = os.environ.get(TIMEOUT_ENV)
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ConfigError(f"{TIMEOUT_ENV} must be a number of seconds, 0 or more, not {value!r}")
    return seconds


def sidecars(store: Path) -> tuple[Path, Path]:
    return store.with_name(store.name + LOCK_SUFFIX), store.with_name(store.name + WRITER_SUFFIX)


class Deadline:
    """One bounded wait: started once, shared by the steps of one operation (its locks, Ladybug's own)."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = timeout() if seconds is None else seconds
        self.start = time.monotonic()
        self._poll = _FIRST_POLL

    def expired(self) -> bool:
        return time.monotonic() - self.start >= self.seconds

    def sleep(self) -> None:
        time.sleep(max(0.0, min(self._poll, self.seconds - (time.monotonic() - self.start))))
        self._poll = min(self._poll * 2, _LAST_POLL)

    def busy(self, store: Path, holder: str, access: str) -> StoreBusy:
        waited = time.monotonic() - self.start
        return StoreBusy(
            f"the store {store} is busy: {holder} is writing it, and this {access} waited {waited:.1f} s for it;"
            " try again once it has finished"
        )


def _open_sidecar(path: Path, read_only: bool) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except PermissionError:
        if not read_only:
            raise
    # A read-only store on a folder this user cannot write: nobody can write the store there either.
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None


class StoreLocks:
    """The two locks of one store file, as one store object holds them (see the module's docstring).

    In-process, `_writers` is what threads of this object wait on (a reentrant lock, held with the flock:
    the same thread may nest writes, as `exclusive()` around a load does). The file lock is taken by the
    caller under the store's own lock, which serialises this object's use of it.
    """

    def __init__(self, store: Path, read_only: bool) -> None:
        self.store = store
        self.read_only = read_only
        lock_path, writer_path = sidecars(store)
        self._lock_fd = _open_sidecar(lock_path, read_only)
        self._writer_fd = None if read_only else _open_sidecar(writer_path, read_only)
        self._writers = threading.RLock()
        self._depth = 0

    # --- the writers' lock ---------------------------------------------------------------------------

    @contextmanager
    def writing(self, deadline: Deadline | None = None) -> Iterator[None]:
        """Hold the writers' lock (reentrant in one thread): no other writer anywhere until it ends."""
        deadline = deadline or Deadline()
        if not self._writers.acquire(timeout=deadline.seconds):
            raise deadline.busy(self.store, "another thread of this process", "write")
        try:
            if self._depth == 0 and self._writer_fd is not None:
                self._flock(self._writer_fd, fcntl.LOCK_EX, deadline, "write")
                _write_holder(self._writer_fd)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._writer_fd is not None:
                    os.ftruncate(self._writer_fd, 0)
                    fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        finally:
            self._writers.release()

    # --- the file lock -------------------------------------------------------------------------------

    @contextmanager
    def reading(self, deadline: Deadline) -> Iterator[int]:
        """Hold the file lock shared (no read-write Database anywhere meanwhile); yields the generation."""
        if self._lock_fd is None:
            yield 0
            return
        self._flock(self._lock_fd, fcntl.LOCK_SH, deadline, "read")
        try:
            yield _generation(self._lock_fd)
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    @contextmanager
    def replacing(self, deadline: Deadline) -> Iterator[None]:
        """Hold the file lock exclusively (inside `writing`): no reader anywhere. The generation moves first,
        so that every reader reopens afterwards, even if this process dies before it has finished."""
        if self._lock_fd is None or self._depth == 0:
            raise AssertionError("the file lock is taken exclusively inside the writers' lock only")
        self._flock(self._lock_fd, fcntl.LOCK_EX, deadline, "write")
        try:
            os.pwrite(self._lock_fd, (_generation(self._lock_fd) + 1).to_bytes(_GENERATION_BYTES, "little"), 0)
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _flock(self, fd: int, mode: int, deadline: Deadline, access: str) -> None:
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if deadline.expired():
                    raise deadline.busy(self.store, self.holder(), access) from None
                deadline.sleep()

    def holder(self) -> str:
        """Who holds the writers' lock, as its holder wrote it; "another process" if it has not (yet)."""
        _lock_path, writer_path = sidecars(self.store)
        try:
            text = writer_path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            text = ""
        return text or "another process"

    def close(self) -> None:
        for fd in (self._lock_fd, self._writer_fd):
            if fd is not None:
                os.close(fd)
        self._lock_fd = self._writer_fd = None


def _generation(fd: int) -> int:
    return int.from_bytes(os.pread(fd, _GENERATION_BYTES, 0).ljust(_GENERATION_BYTES, b"\0"), "little")


def _command() -> str:
    """This process's command as a person would recognise it: `pairing load ...`, `streamlit run app.py`."""
    if not sys.argv or not sys.argv[0]:
        return "python"
    program = Path(sys.argv[0])
    # `python -m streamlit` runs streamlit/__main__.py: the package names the program.
    name = program.parent.name if program.name == "__main__.py" else program.name
    return " ".join([name, *sys.argv[1:]])


def _write_holder(fd: int) -> None:
    command = _command()
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"process {os.getpid()} ({command[:_COMMAND_CHARS]})".encode(), 0)
