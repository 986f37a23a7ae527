"""The embedded store: LadybugDB, one file, no server."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import ladybug as lb
import pyarrow as pa

from graph import schema
from graph.dataset import Dataset, Row
from graph.errors import StoreError
from graph.model import NODES, RELS, SYSTEM_BY_LABEL, SYSTEM_NODES, Prop, PType
from graph.progress import OnProgress
from graph.store.base import (
    GraphStore,
    Params,
    Tx,
    TxHook,
    call_query,
    link_rows,
    merge_links,
    merge_nodes,
    query_text,
    write_system_rows,
)
from graph.store.locks import Deadline, StoreLocks, sidecars

_T = TypeVar("_T")
# COPY has a fixed cost per statement (tens of ms); below this many rows the MERGE queries are quicker.
COPY_MIN_ROWS = 100
_ARROW = {
    PType.STRING: pa.string(),
    PType.INT: pa.int64(),
    PType.FLOAT: pa.float64(),
    PType.BOOL: pa.bool_(),
    PType.DATE: pa.date32(),
    PType.STRINGS: pa.list_(pa.string()),
}
# A typed stand-in value per property type; see `_encode`.
_WITNESS: dict[PType, Any] = {
    PType.STRING: "",
    PType.INT: 0,
    PType.FLOAT: 0.0,
    PType.BOOL: False,
    PType.DATE: dt.date(1970, 1, 1),
    PType.STRINGS: [],
}
_PROP_TYPES: dict[str, PType] = {p.name: p.type for n in (*NODES, *SYSTEM_NODES) for p in n.stored} | {
    p.name: p.type for r in RELS for p in r.props
}
# The loads of system rows, and the properties their rows carry: rows from an older store (or a test)
# may lack the newer ones, which Ladybug would refuse as an unknown struct field; they are added as null.
_SYSTEM_LOADS = {"accounts/load": "Account", "audit/load": "AuditEntry"}
# The store, its WAL and its backups hold every password hash: readable by their owner only.
PRIVATE_MODE = 0o600
_PRIVATE_UMASK = 0o077
# The buffer pool of a read or a small write: Ladybug's default (80% of RAM) costs more to set up than a
# small query takes (measured: 40-60 ms an open; 17 ms at 1 GiB); a few times the file holds all of it.
MIN_POOL = 1 << 30
POOL_PER_FILE_SIZE = 4
# Ladybug's own lock, as its error says it: "Could not set lock on file ... (Lock is held by PID n)".
_LADYBUG_LOCK = "Could not set lock"
_LADYBUG_HOLDER = re.compile(r"held by PID (\d+)")
# What a read-only open says of a file whose last checkpoint was cut short (a writer killed in it).
_RECOVERY_PENDING = ("checkpoint recovery is pending", "Couldn't replay shadow pages under read-only mode")


def _private_files() -> None:
    """Make every file this process creates from now on private to its owner (mode 0600, folders 0700).

    A umask rather than a chmod after the fact: Ladybug creates the WAL on the first write of a
    session and removes it on close, so a chmod would leave it world-readable for a moment each time.
    Process-wide on purpose (the CLI and the app are one-store processes); it only ever tightens.
    """
    old = os.umask(_PRIVATE_UMASK)
    os.umask(old | _PRIVATE_UMASK)


def _chmod_private(path: Path) -> None:
    """Tighten a file made before `_private_files` (a store from an older version, a backup copied in)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if path.is_file() and path.stat().st_mode & 0o077:
            os.chmod(path, PRIVATE_MODE)


def _coerce(value: Any, ptype: PType | None) -> Any:
    if value is None:
        return [] if ptype is PType.STRINGS else None
    if ptype is PType.FLOAT:
        return float(value)
    return value


def _encode(params: Params | None) -> dict[str, Any]:
    """Make `UNWIND $rows` parameters bind in Ladybug.

    Ladybug infers a struct field's type from the values in the list; a field that is null in
    every row is typed STRING and then refuses to be assigned to an INT64 or DOUBLE property.
    A leading witness row with typed values (and a null key, which the load queries filter out)
    fixes the type. Lists are never null in our model (an empty list instead), and ints in a
    DOUBLE column are widened so that one batch never mixes the two.
    """
    out = dict(params or {})
    rows = out.get("rows")
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        keys = list(rows[0])
        encoded = [{k: _coerce(r.get(k), _PROP_TYPES.get(k)) for k in keys} for r in rows]
        witness: dict[str, Any] = dict.fromkeys(keys)
        need = False
        for k in keys:
            ptype = _PROP_TYPES.get(k)
            if ptype is not None and ptype is not PType.STRING and all(r[k] is None for r in encoded):
                witness[k] = _WITNESS[ptype]
                need = True
        out["rows"] = [witness, *encoded] if need else encoded
    return out


def _result_rows(result: Any) -> list[Row]:
    results = result if isinstance(result, list) else [result]
    last = results[-1]
    columns = last.get_column_names()
    return [dict(zip(columns, values, strict=True)) for values in last.get_all()]


def _complete_system_rows(name: str, params: Params | None) -> Params | None:
    label = _SYSTEM_LOADS.get(name)
    if label is None or not params or not isinstance(params.get("rows"), list):
        return params
    props = [p.name for p in SYSTEM_BY_LABEL[label].stored]
    return {**params, "rows": [{**dict.fromkeys(props), **r} for r in params["rows"]]}


def _execute(conn: lb.Connection, mode: str, name: str, params: Params | None) -> list[Row]:
    params = _complete_system_rows(name, params)
    return call_query(
        "ladybug", mode, name, lambda: _result_rows(conn.execute(query_text(name), _encode(params))), (RuntimeError,)
    )


class _LadybugTx(Tx):
    def __init__(self, conn: lb.Connection) -> None:
        self.conn = conn

    def run(self, name: str, params: Params | None = None) -> list[Row]:
        return _execute(self.conn, "write", name, params)


def _pool_size(path: Path) -> int:
    size = sum(p.stat().st_size for p in (path, _wal(path)) if p.exists())
    return max(MIN_POOL, POOL_PER_FILE_SIZE * size)


def _database(path: Path, deadline: Deadline, *, read_only: bool, pool: int | None) -> lb.Database:
    """Open a Database on `path`, waiting (within `deadline`) while Ladybug's own lock is held.

    Ladybug's lock is held only by a read-write Database, which our own locks already exclude; a process
    that does not take them (an older version of this package) is waited for here all the same.
    """
    while True:
        try:
            # A pool of 0 is Ladybug's default.
            return lb.Database(str(path), buffer_pool_size=pool or 0, read_only=read_only)
        except RuntimeError as exc:
            if read_only and any(words in str(exc) for words in _RECOVERY_PENDING):
                raise _RecoveryPending(f"cannot open the store {path} read-only: {exc}") from exc
            if _LADYBUG_LOCK not in str(exc):
                raise StoreError(f"cannot open the store {path}: {exc}") from exc
            if deadline.expired():
                held = _LADYBUG_HOLDER.search(str(exc))
                holder = f"process {held.group(1)}" if held else "another process"
                raise deadline.busy(path, holder, "read" if read_only else "write") from exc
            deadline.sleep()


class _RecoveryPending(StoreError):
    """A writer was killed during its checkpoint: only a read-write open completes the recovery."""


class _Session:
    """A read-write Database on a file for one write (or the build of a fresh file), closed after it.

    Closing takes Ladybug's own lock on the file away with it, and checkpoints: afterwards the file alone
    is the whole committed state. It also spares us a known crash: a COPY on a connection that has seen a
    rollback crashes Ladybug 0.22, and no session outlives its write.
    """

    def __init__(self, path: Path, deadline: Deadline, pool: int | None) -> None:
        self.db = _database(path, deadline, read_only=False, pool=pool)
        self.conn = lb.Connection(self.db)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        self.conn.execute("BEGIN TRANSACTION")
        try:
            yield _LadybugTx(self.conn)
        except BaseException:
            # A failed statement may already have ended the transaction on Ladybug's side.
            with contextlib.suppress(RuntimeError):
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def create_schema(self) -> None:
        for statement in schema.ladybug_ddl():
            self.conn.execute(statement)
        # A store made by an older version lacks the system labels' newer properties (e.g. the
        # account's session version): add them, null in the old rows (the queries read null as 0).
        for node in SYSTEM_NODES:
            for prop in node.stored:
                self.conn.execute(f"ALTER TABLE {node.label} ADD IF NOT EXISTS {prop.name} {prop.type.value}")

    def checkpoint_and_close(self) -> None:
        try:
            self.conn.execute("CHECKPOINT")
        finally:
            self.close()

    def close(self) -> None:
        self.conn.close()
        self.db.close()


def _schema_current(conn: lb.Connection) -> bool:
    """Whether `_Session.create_schema` would change nothing: every table there, every system property too.

    Read from Ladybug's catalogue (engine DDL, like the schema itself), so that opening a store that is up
    to date needs no write and so never waits behind another process's long load.
    """
    tables = {row["name"] for row in _result_rows(conn.execute("CALL show_tables() RETURN name"))}
    if not {n.label for n in (*NODES, *SYSTEM_NODES)} | {r.type for r in RELS} <= tables:
        return False
    for node in SYSTEM_NODES:
        props = {row["name"] for row in _result_rows(conn.execute(f"CALL table_info('{node.label}') RETURN name"))}
        if not {p.name for p in node.stored} <= props:
            return False
    return True


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _column(rows: list[Row], name: str, ptype: PType) -> list[Any]:
    values = [r.get(name) for r in rows]
    if ptype is PType.FLOAT:
        return [None if v is None else float(v) for v in values]
    if ptype is PType.STRINGS:
        return [[] if v is None else v for v in values]
    return values


def _arrow_table(rows: list[Row], columns: list[tuple[str, PType]]) -> pa.Table:
    arrays = [pa.array(_column(rows, name, ptype), type=_ARROW[ptype]) for name, ptype in columns]
    return pa.Table.from_arrays(arrays, names=[name for name, _ in columns])


def _node_table(rows: list[Row], props: tuple[Prop, ...]) -> pa.Table:
    return _arrow_table(rows, [(p.name, p.type) for p in props])


class LadybugStore(GraphStore):
    """A Ladybug file that many processes share (`graph.store.locks`): reads go through a read-only
    Database kept while no one has written, and each write opens a read-write one for its transaction only.
    """

    engine = "ladybug"

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        # This object's Databases, used by one thread at a time: the app shares the store across sessions.
        self._lock = threading.RLock()
        # The read-only Database of the reads, with the (generation, file stamp) it was opened at.
        self._reader: tuple[tuple[int, Any], lb.Database, lb.Connection] | None = None
        # The read-write Database of the write under way (a read inside the write reads through it).
        self._session: _Session | None = None
        # Loads get Ladybug's default buffer pool: a big transaction keeps its rows there until it commits.
        self._bulk = 0
        _private_files()
        if read_only and not self.path.exists():
            raise StoreError(f"cannot open the store {self.path}: there is no such file to read")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._locks = StoreLocks(self.path, read_only)
        self._closed = False
        if read_only:
            self._reading(lambda conn: None)
            return
        for p in (self.path, _wal(self.path), *sidecars(self.path)):
            _chmod_private(p)
        self.init_schema()

    # --- this object's locks and Databases ---------------------------------------------------------

    @contextmanager
    def _held(self, deadline: Deadline) -> Iterator[None]:
        if not self._lock.acquire(timeout=deadline.seconds):
            raise deadline.busy(self.path, "another thread of this process", "read")
        try:
            if self._closed:
                raise StoreError(f"the store {self.path} is closed")
            yield
        finally:
            self._lock.release()

    def _reading(self, run: Callable[[lb.Connection], _T]) -> _T:
        try:
            return self._read_once(run)
        except _RecoveryPending:
            if self.read_only:
                raise
        # Recovered by a read-write open (and its close), under the locks of a write; then read as usual.
        with self._writing():
            pass
        return self._read_once(run)

    def _read_once(self, run: Callable[[lb.Connection], _T]) -> _T:
        deadline = Deadline()
        with self._held(deadline):
            if self._session is not None:
                return run(self._session.conn)
            with self._locks.reading(deadline) as generation:
                # The file's stamp too: a reset lock file, or a writer that takes no locks, still shows.
                key = (generation, _stamp(self.path))
                if self._reader is None or self._reader[0] != key:
                    self._close_reader()
                    db = _database(self.path, deadline, read_only=True, pool=_pool_size(self.path))
                    self._reader = (key, db, lb.Connection(db))
                return run(self._reader[2])

    @contextmanager
    def _writing(self, deadline: Deadline | None = None) -> Iterator[_Session]:
        """One write: the writers' lock, the file lock exclusively, a read-write Database for its duration."""
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
        deadline = deadline or Deadline()
        with self._locks.writing(deadline), self._held(deadline), self._locks.replacing(deadline):
            # A read-only Database would see none of this write, and each one maps terabytes of address space.
            self._close_reader()
            session = _Session(self.path, deadline, None if self._bulk else _pool_size(self.path))
            self._session = session
            try:
                yield session
            finally:
                self._session = None
                session.close()

    def _close_reader(self) -> None:
        if self._reader is not None:
            _key, db, conn = self._reader
            self._reader = None
            conn.close()
            db.close()

    @contextmanager
    def _bulk_write(self) -> Iterator[None]:
        self._bulk += 1
        try:
            yield
        finally:
            self._bulk -= 1

    # --- the store's interface ---------------------------------------------------------------------

    def init_schema(self) -> None:
        if self.read_only or (self.path.exists() and self._reading(_schema_current)):
            return
        with self._writing() as session:
            session.create_schema()

    def read(self, name: str, params: Params | None = None) -> list[Row]:
        return self._reading(lambda conn: _execute(conn, "read", name, params))

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._writing() as session, session.transaction() as tx:
            yield tx

    def load(
        self, dataset: Dataset, replace: bool = False, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        with self._locks.writing(), self._bulk_write():
            bulky = any(len(rows) >= COPY_MIN_ROWS for rows in [*dataset.nodes.values(), *dataset.links.values()])
            if bulky and (replace or self.is_empty()):
                self._swap_in(dataset, progress, on_tx)
                return
            self._load_in_one_transaction(dataset, replace, progress, on_tx)

    def load_removing(
        self, dataset: Dataset, remove: Dataset, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        with self._bulk_write():
            super().load_removing(dataset, remove, progress, on_tx)

    def _swap_in(self, dataset: Dataset, progress: OnProgress | None, on_tx: TxHook | None = None) -> None:
        """Build a fresh file with COPY, then replace the store's file with it in one rename.

        COPY is Ladybug's fast path (tens of thousands of rows in milliseconds) but crashes on a
        table that has had deletions; a new file has none. Until the rename nothing of the
        old store is touched, so a failure at any point leaves it as it was, and readers go on reading it
        (the caller holds the writers' lock only). Accounts and audit entries are not part of the dataset:
        they are copied from the old file, and the load's own audit entry (`on_tx`) is written into the new
        file, in the same transaction as the data.
        """
        system = self.system_rows()
        tmp = self.path.with_name(self.path.name + ".loading")
        _remove(tmp)
        try:
            fresh = _Session(tmp, Deadline(), None)
            try:
                fresh.create_schema()
                _copy_all(fresh, dataset, progress, system, on_tx)
                fresh.conn.execute("CHECKPOINT")
            finally:
                fresh.close()
        except BaseException:
            _remove(tmp)
            raise
        self._replace_file(tmp)

    def _replace_file(self, fresh: Path) -> None:
        """Put the checkpointed file `fresh` in place of the store's file (one rename), inside the writers' lock.

        A WAL left by a writer that was killed is folded into the old file first, so that a kill between
        the WAL's removal and the rename leaves the old store whole. The WAL goes before the rename
        because a stale WAL next to the new file would be replayed into it on the next open.
        """
        deadline = Deadline()
        with self._held(deadline), self._locks.replacing(deadline):
            self._close_reader()
            if _wal(self.path).exists():
                _Session(self.path, deadline, None).checkpoint_and_close()
            _fsync(fresh)
            _remove(_wal(self.path))
            os.replace(fresh, self.path)
            _fsync(self.path.parent)

    def exclusive(self) -> AbstractContextManager[object]:
        """Hold the writers' lock over several steps: no other writer, in this process or any other, meanwhile.

        Reentrant: the backup and the load inside take it again. Readers are not held off.
        """
        return contextlib.nullcontext() if self.read_only else self._locks.writing()

    def checkpoint(self) -> None:
        with self._writing() as session:
            session.conn.execute("CHECKPOINT")

    def backup(self, target: Path) -> None:
        """Copy a consistent snapshot of the store to `target` (a Ladybug file of its own).

        Under the writers' lock no write can run anywhere, and every write closes its read-write
        Database (a checkpoint), so the file alone is the whole committed state; a WAL left by a killed
        writer is checkpointed first. Readers go on meanwhile. The copy goes to a temporary name and is
        renamed into place, so `target` is never a half-written file.
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".partial")
        if self.read_only:
            # A read-only store takes no writers' lock: a write could change the file under the copy.
            raise StoreError(f"open the store {self.path} read-write to back it up")
        with self._locks.writing():
            if _wal(self.path).exists():
                self.checkpoint()
            try:
                # Created private before a byte is copied: a backup holds the password hashes.
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
                os.chmod(tmp, 0o600)
                shutil.copyfile(self.path, tmp)
                # The umask makes the copy private already; the chmod says so even if it was changed since.
                os.chmod(tmp, PRIVATE_MODE)
                _fsync(tmp)
            except BaseException:
                _remove(tmp)
                raise
        os.replace(tmp, target)
        _fsync(target.parent)

    def restore(self, source: Path, on_tx: TxHook | None = None) -> None:
        """Replace the whole store (graph, accounts, audit) with the backup `source`, atomically.

        The backup is copied to a fresh file next to the store and opened there first (a file that
        Ladybug cannot open is refused before anything is touched); `on_tx` (the restore's audit
        entry) is written into that file; then one rename swaps it in.
        """
        source = Path(source)
        if not source.is_file():
            raise StoreError(f"no backup file {source}")
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
        tmp = self.path.with_name(self.path.name + ".restoring")
        with self._locks.writing():
            _remove(tmp)
            try:
                shutil.copyfile(source, tmp)
                os.chmod(tmp, PRIVATE_MODE)
                probe = _Session(tmp, Deadline(), None)
                try:
                    probe.create_schema()
                    _execute(probe.conn, "read", "stats/counts", None)
                    if on_tx is not None:
                        with probe.transaction() as tx:
                            on_tx(tx)
                    probe.conn.execute("CHECKPOINT")
                finally:
                    probe.close()
            except BaseException:
                _remove(tmp)
                raise
            self._replace_file(tmp)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._close_reader()
                self._locks.close()


def _copy_all(
    session: _Session,
    dataset: Dataset,
    progress: OnProgress | None,
    system: dict[str, list[Row]] | None = None,
    on_tx: TxHook | None = None,
) -> None:
    with session.transaction() as tx:
        for node in NODES:
            rows = dataset.nodes.get(node.label, [])
            if len(rows) >= COPY_MIN_ROWS:
                _copy(session.conn, node.label, _node_table(rows, node.stored), "", progress)
            else:
                merge_nodes(tx, node, rows, progress)
        for rel in RELS:
            columns = [("src", PType.STRING), ("dst", PType.STRING), *((p.name, p.type) for p in rel.props)]
            for (src, dst), rows in link_rows(dataset, rel.type).items():
                if len(rows) >= COPY_MIN_ROWS:
                    _copy(session.conn, rel.type, _arrow_table(rows, columns), f" (from='{src}', to='{dst}')", progress)
                else:
                    merge_links(tx, rel, src, dst, rows, progress)
        if system:
            write_system_rows(tx, system)
        if on_tx is not None:
            on_tx(tx)


def _copy(conn: lb.Connection, table: str, data: pa.Table, options: str, progress: OnProgress | None) -> None:
    try:
        conn.execute(f"COPY {table} FROM $data{options}", {"data": data})
    except RuntimeError as exc:
        raise StoreError(f"loading {table}{options} failed: {exc}") from exc
    if progress:
        progress(table, data.num_rows)


def _fsync(path: Path) -> None:
    """Flush a file (or a directory's entries, after a rename) to disk: a rename is only as durable as this."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(path: Path) -> None:
    for p in (path, _wal(path)):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
