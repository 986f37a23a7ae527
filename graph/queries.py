"""The one loader of the Cypher files in `graph/cypher/` (package data: they ship in the wheel).

Each file starts with `//` header lines of the form `// key: value`:
`purpose` (required), `params` (comma-separated `$name` list, or `none`),
`returns` (comma-separated columns, or `none`) and `mode` (`read` or `write`).
A query is named by its path under `graph/cypher/` without the suffix, e.g. `gaps/unpaired`.
Queries that the model fully determines are generated into `graph/cypher/_generated/` by
`pairing schema --write`; they keep the name they would have by hand (`load/villages` is
`_generated/load/villages.cypher`), and a name is either hand-written or generated, never both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph.errors import QueryError

# Anchored on this module, not the repository or the working directory, so that an installed wheel finds them.
CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
GENERATED_DIR = CYPHER_DIR / "_generated"
# Engine-specific DDL is not a runnable named query; the generated ones are named without their folder,
# and the generator's templates (`*.cypher.in`) are not queries.
_NOT_QUERIES = ("schema", "_generated", "_templates")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    purpose: str
    params: tuple[str, ...]
    returns: tuple[str, ...]
    mode: str

    @property
    def is_write(self) -> bool:
        return self.mode == "write"


def _split_list(value: str) -> tuple[str, ...]:
    if value.strip().lower() in ("", "none"):
        return ()
    return tuple(item.strip().lstrip("$").split()[0] for item in value.split(",") if item.strip())


def parse(name: str, source: str) -> Query:
    header: dict[str, str] = {}
    body: list[str] = []
    in_header = True
    for line in source.splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            key, sep, value = stripped[2:].partition(":")
            if sep and key.strip().isidentifier():
                header[key.strip().lower()] = value.strip()
            continue
        in_header = False
        body.append(line)
    text = "\n".join(body).strip().rstrip(";")
    missing = [k for k in ("purpose", "params", "returns", "mode") if k not in header]
    if missing:
        raise QueryError(f"query {name}: header lacks {', '.join(missing)}")
    mode = header["mode"].lower()
    if mode not in ("read", "write"):
        raise QueryError(f"query {name}: mode must be read or write, not {mode!r}")
    params = _split_list(header["params"])
    used = set(_PARAM.findall(text))
    if used != set(params):
        raise QueryError(f"query {name}: header params {sorted(params)} but the query uses {sorted(used)}")
    return Query(name, text, header["purpose"], params, _split_list(header["returns"]), mode)


def path_of(name: str) -> Path:
    """The file of the query `name`: hand-written if there is one, else generated."""
    parts = name.split("/")
    if not name or parts[0] in _NOT_QUERIES or ".." in parts:
        raise QueryError(f"no query named {name!r}")
    for root in (CYPHER_DIR, GENERATED_DIR):
        path = root / f"{name}.cypher"
        if path.is_file():
            return path
    raise QueryError(f"no query named {name!r} (looked in {CYPHER_DIR} and {GENERATED_DIR})")


@cache
def get(name: str) -> Query:
    return parse(name, path_of(name).read_text(encoding="utf-8"))


def _names_under(root: Path, skip: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.cypher")):
        rel = path.relative_to(root)
        if rel.parts[0] not in skip:
            out.append(rel.with_suffix("").as_posix())
    return out


def hand_written_names() -> list[str]:
    return _names_under(CYPHER_DIR, _NOT_QUERIES)


def generated_names() -> list[str]:
    return _names_under(GENERATED_DIR, ()) if GENERATED_DIR.is_dir() else []


def names() -> list[str]:
    """Every named query, hand-written or generated, for tests that each one loads, lints and is used."""
    return sorted({*hand_written_names(), *generated_names()})
