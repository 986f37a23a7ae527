"""The embedded store: LadybugDB, one file, no server."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

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
    engine = "ladybug"

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        # One connection, used by one thread at a time: the app shares the store across sessions.
        self._lock = threading.RLock()
        _private_files()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._open()
        if not read_only:
            for p in (self.path, _wal(self.path)):
                _chmod_private(p)
        if not read_only:
            self.init_schema()

    def _open(self) -> None:
        try:
            self._db = lb.Database(str(self.path), read_only=self.read_only)
        except RuntimeError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._conn = lb.Connection(self._db)

    def _reconnect(self) -> None:
        # After a rolled-back write, the next COPY on the same connection crashes Ladybug 0.22;
        # a fresh connection does not.
        self._conn.close()
        self._conn = lb.Connection(self._db)

    def init_schema(self) -> None:
        with self._lock:
            for statement in schema.ladybug_ddl():
                self._conn.execute(statement)
            # A store made by an older version lacks the system labels' newer properties (e.g. the
            # account's session version): add them, null in the old rows (the queries read null as 0).
            for node in SYSTEM_NODES:
                for prop in node.stored:
                    self._conn.execute(f"ALTER TABLE {node.label} ADD IF NOT EXISTS {prop.name} {prop.type.value}")

    def read(self, name: str, params: Params | None = None) -> list[Row]:
        with self._lock:
            return _execute(self._conn, "read", name, params)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
        with self._lock:
            self._conn.execute("BEGIN TRANSACTION")
            try:
                yield _LadybugTx(self._conn)
            except BaseException:
                # A failed statement may already have ended the transaction on Ladybug's side.
                with contextlib.suppress(RuntimeError):
                    self._conn.execute("ROLLBACK")
                self._reconnect()
                raise
            self._conn.execute("COMMIT")

    def load(
        self, dataset: Dataset, replace: bool = False, progress: OnProgress | None = None, on_tx: TxHook | None = None
    ) -> None:
        with self._lock:
            bulky = any(len(rows) >= COPY_MIN_ROWS for rows in [*dataset.nodes.values(), *dataset.links.values()])
            if bulky and (replace or self.is_empty()):
                self._swap_in(dataset, progress, on_tx)
                return
            self._load_in_one_transaction(dataset, replace, progress, on_tx)

    def _swap_in(self, dataset: Dataset, progress: OnProgress | None, on_tx: TxHook | None = None) -> None:
        """Build a fresh file with COPY, then replace the store's file with it in one rename.

        COPY is Ladybug's fast path (tens of thousands of rows in milliseconds) but crashes on a
        table that has had deletions; a new file has none. Until the rename nothing of the
        old store is touched, so a failure at any point leaves it as it was. Accounts and audit
        entries are not part of the dataset: they are copied from the old file, and the load's own
        audit entry (`on_tx`) is written into the new file, in the same transaction as the data.
        """
        system = self.system_rows()
        tmp = self.path.with_name(self.path.name + ".loading")
        _remove(tmp)
        try:
            fresh = LadybugStore(tmp)
            try:
                fresh._copy_all(dataset, progress, system, on_tx)
                fresh._conn.execute("CHECKPOINT")
            finally:
                fresh.close()
        except BaseException:
            _remove(tmp)
            raise
        self._replace_file(tmp)

    def _replace_file(self, fresh: Path) -> None:
        """Put the checkpointed file `fresh` in place of the store's file (one rename) and reopen.

        The old file is checkpointed first, so its WAL is empty when it is removed: a kill between
        the removal and the rename leaves the old store whole. The WAL goes before the rename
        because a stale WAL next to the new file would be replayed into it on the next open.
        """
        if not self.read_only:
            self._conn.execute("CHECKPOINT")
        self.close()
        _fsync(fresh)
        _remove(_wal(self.path))
        os.replace(fresh, self.path)
        _fsync(self.path.parent)
        self._open()

    def _copy_all(
        self,
        dataset: Dataset,
        progress: OnProgress | None,
        system: dict[str, list[Row]] | None = None,
        on_tx: TxHook | None = None,
    ) -> None:
        with self.transaction() as tx:
            for node in NODES:
                rows = dataset.nodes.get(node.label, [])
                if len(rows) >= COPY_MIN_ROWS:
                    self._copy(node.label, _node_table(rows, node.stored), "", progress)
                else:
                    merge_nodes(tx, node, rows, progress)
            for rel in RELS:
                columns = [("src", PType.STRING), ("dst", PType.STRING), *((p.name, p.type) for p in rel.props)]
                for (src, dst), rows in link_rows(dataset, rel.type).items():
                    if len(rows) >= COPY_MIN_ROWS:
                        self._copy(rel.type, _arrow_table(rows, columns), f" (from='{src}', to='{dst}')", progress)
                    else:
                        merge_links(tx, rel, src, dst, rows, progress)
            if system:
                write_system_rows(tx, system)
            if on_tx is not None:
                on_tx(tx)

    def _copy(self, table: str, data: pa.Table, options: str, progress: OnProgress | None) -> None:
        try:
            self._conn.execute(f"COPY {table} FROM $data{options}", {"data": data})
        except RuntimeError as exc:
            raise StoreError(f"loading {table}{options} failed: {exc}") from exc
        if progress:
            progress(table, data.num_rows)

    def exclusive(self) -> AbstractContextManager[object]:
        # Reentrant: the backup and the load inside take the same lock again.
        return self._lock

    def checkpoint(self) -> None:
        with self._lock:
            self._conn.execute("CHECKPOINT")

    def backup(self, target: Path) -> None:
        """Copy a consistent snapshot of the store to `target` (a Ladybug file of its own).

        Under the store's lock no write of this process can run, and CHECKPOINT folds the WAL into
        the main file, so the file alone is the whole committed state. The copy goes to a temporary
        name and is renamed into place, so `target` is never a half-written file.
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".partial")
        if self.read_only:
            # Without a checkpoint the file may lack commits still in the WAL of another process.
            raise StoreError(f"open the store {self.path} read-write to back it up")
        with self._lock:
            self._conn.execute("CHECKPOINT")
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
        tmp = self.path.with_name(self.path.name + ".restoring")
        with self._lock:
            _remove(tmp)
            try:
                shutil.copyfile(source, tmp)
                os.chmod(tmp, PRIVATE_MODE)
                probe = LadybugStore(tmp)
                try:
                    probe.counts()
                    if on_tx is not None:
                        with probe.transaction() as tx:
                            on_tx(tx)
                    probe._conn.execute("CHECKPOINT")
                finally:
                    probe.close()
            except BaseException:
                _remove(tmp)
                raise
            self._replace_file(tmp)

    def close(self) -> None:
        with self._lock:
            if getattr(self, "_conn", None) is not None:
                self._conn.close()
                self._db.close()
                self._conn = None  # type: ignore[assignment]


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
