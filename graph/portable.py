"""The portable backup file: the whole store (graph, accounts with their hashes, audit) as gzip'd JSON.

A server cannot be copied as a file, so its backup is what `GraphStore.snapshot` reads: every node
and link of the model and every system row, as of one moment. Any engine restores it (`graph.backup`).
The file says what it is (`format`, `version`) and how many rows of each kind it holds; gzip's CRC
and those counts catch a damaged file, and `read` checks everything before a caller touches a store.
Dates travel tagged (`{"$date": "2024-03-01"}`), so they come back as dates, not text.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.dataset import Dataset, Row
from graph.errors import StoreError
from graph.model import NODE_BY_LABEL, REL_BY_TYPE
from graph.store.base import SYSTEM_QUERIES

FORMAT = "pairing-backup"
VERSION = 1
SUFFIX = ".json.gz"
_GZIP_MAGIC = b"\x1f\x8b"
_LINK_ENDS = ("src", "src_label", "dst", "dst_label")
# Private: the file holds the password hashes.
PRIVATE_MODE = 0o600


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in a backup")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
    return obj


def counts(dataset: Dataset, system: Mapping[str, list[Row]]) -> dict[str, int]:
    return {**dataset.counts(), **{label: len(rows) for label, rows in system.items()}}


def is_portable(path: Path) -> bool:
    """Whether `path` starts like a portable backup (a gzip stream), rather than a Ladybug file."""
    try:
        with Path(path).open("rb") as f:
            return f.read(2) == _GZIP_MAGIC
    except OSError:
        return False


def write(path: Path, dataset: Dataset, system: Mapping[str, list[Row]], *, engine: str, taken: dt.datetime) -> None:
    """Write the backup to `path`: private from its first byte, under a temporary name renamed into place."""
    path = Path(path)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "taken": taken.isoformat(),
        "engine": engine,
        "counts": counts(dataset, system),
        "nodes": dataset.nodes,
        "links": dataset.links,
        "system": dict(system),
    }
    data = gzip.compress(json.dumps(document, ensure_ascii=False, default=_encode).encode("utf-8"), mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
        os.fchmod(fd, PRIVATE_MODE)  # an older file of that name may have had another mode
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read(path: Path) -> tuple[Dataset, dict[str, list[Row]]]:
    """The graph and the system rows of the backup at `path`; StoreError when it is not one, or is damaged."""
    path = Path(path)
    try:
        document = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"), object_hook=_decode)
    except OSError as exc:
        raise StoreError(f"cannot read the backup {path}: {exc}") from exc
    except (EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"{path} is not a backup of this program, or it is damaged ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StoreError(f"{path} is not a backup of this program")
    if document.get("version") != VERSION:
        raise StoreError(f"{path} is a backup of version {document.get('version')!r}; this program reads {VERSION}")
    try:
        dataset, system = _contents(document)
    except (KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"the backup {path} is damaged: {exc!r} is missing or malformed") from exc
    if counts(dataset, system) != document["counts"]:
        raise StoreError(f"the backup {path} is damaged: it does not hold the rows it says it holds")
    return dataset, system


def _contents(document: dict[str, Any]) -> tuple[Dataset, dict[str, list[Row]]]:
    dataset = Dataset()
    for label, rows in document["nodes"].items():
        node = NODE_BY_LABEL[label]
        dataset.nodes[label] = [_row(r, (node.key,)) for r in rows]
    for rel_type, rows in document["links"].items():
        REL_BY_TYPE[rel_type]  # a type the model knows
        dataset.links[rel_type] = [_row(r, _LINK_ENDS) for r in rows]
    system = {label: [_row(r, ()) for r in document["system"][label]] for label in SYSTEM_QUERIES}
    return dataset, system


def _row(row: Any, required: tuple[str, ...]) -> Row:
    if not isinstance(row, dict):
        raise TypeError("row")
    for key in required:
        if not isinstance(row[key], str):
            raise TypeError(key)
    return row
