"""The one loader of the Cypher files in `cypher/`.

Each file starts with `//` header lines of the form `// key: value`:
`purpose` (required), `params` (comma-separated `$name` list, or `none`),
`returns` (comma-separated columns, or `none`) and `mode` (`read` or `write`).
A query is named by its path under `cypher/` without the suffix, e.g. `gaps/unpaired`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph.errors import QueryError

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
# Engine-specific DDL is not a runnable named query.
_NOT_QUERIES = ("schema",)
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
        raise QueryError(f"cypher/{name}.cypher: header lacks {', '.join(missing)}")
    mode = header["mode"].lower()
    if mode not in ("read", "write"):
        raise QueryError(f"cypher/{name}.cypher: mode must be read or write, not {mode!r}")
    params = _split_list(header["params"])
    used = set(_PARAM.findall(text))
    if used != set(params):
        raise QueryError(f"cypher/{name}.cypher: header params {sorted(params)} but the query uses {sorted(used)}")
    return Query(name, text, header["purpose"], params, _split_list(header["returns"]), mode)


@cache
def get(name: str) -> Query:
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} (looked for {path})")
    return parse(name, path.read_text(encoding="utf-8"))


def names() -> list[str]:
    """Every named query, for tests that each one loads, lints and is used."""
    out = []
    for path in sorted(CYPHER_DIR.rglob("*.cypher")):
        rel = path.relative_to(CYPHER_DIR)
        if rel.parts[0] not in _NOT_QUERIES:
            out.append(rel.with_suffix("").as_posix())
    return out
