"""Check Cypher files against Neo4j's own grammar with the official linter.

The linter is the npm package `@neo4j-cypher/language-support` (`lintCypherQuery`),
driven by `tools/cypher_lint.mjs` in one `node` process for all files. Its schema
holds our labels, relationship types and property keys from `graph.model`, so a
misspelt label, type or property comes back as a warning; syntax and semantic
errors (and functions Neo4j 5 does not have) come back as errors.

Needs Node.js 18.18+ and the packages of `package-lock.json`: `npm ci` at the
repository root. Neo4j's semantic analysis is slow (0.1-2 s of CPU a query), so
results are cached by text in `node_modules/.cache/cypher-lint` (emptied by `npm ci`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import ConfigError
from graph.model import NODES, RELS, SYSTEM_NODES, all_property_names
from graph.queries import CYPHER_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().with_name("cypher_lint.mjs")
PACKAGE_DIR = REPO_ROOT / "node_modules" / "@neo4j-cypher" / "language-support"
# Engine-specific files that are not Neo4j Cypher (Ladybug's `CREATE NODE TABLE …`).
NOT_LINTED = ("schema/ladybug*.cypher",)
TIMEOUT_S = 600
# Results by hash of (script, package version, schema, text): Neo4j's semantic analysis takes
# 0.1-2 s of CPU a query. Inside node_modules, so `npm ci` empties it. CYPHER_LINT_CACHE=0 turns it off.
CACHE_DIR = REPO_ROOT / "node_modules" / ".cache" / "cypher-lint"
_INSTALL_HINT = f"run `npm ci` in {REPO_ROOT}"


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    message: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


def schema() -> dict[str, Any]:
    """The linter's DbSchema: our labels, relationship types and property keys, Cypher 5.

    Functions and procedures are left out: the script fills in Neo4j 5's built-in ones.
    """
    return {
        "labels": [n.label for n in (*NODES, *SYSTEM_NODES)],
        "relationshipTypes": [r.type for r in RELS],
        "propertyKeys": sorted(all_property_names() | {"id"} | {p.name for n in SYSTEM_NODES for p in n.props}),
        "defaultLanguage": "CYPHER 5",
    }


def linted_files(root: Path = CYPHER_DIR) -> list[Path]:
    """Every `.cypher` file under `root` that must be Neo4j Cypher, sorted."""
    skipped = {p for pattern in NOT_LINTED for p in root.glob(pattern)}
    return sorted(p for p in root.rglob("*.cypher") if p not in skipped)


def _check_installed() -> str:
    node = shutil.which("node")
    if node is None:
        raise ConfigError(f"Node.js (`node`) is not on PATH; the Cypher linter needs Node 18.18+; then {_INSTALL_HINT}")
    if not (PACKAGE_DIR / "package.json").is_file():
        raise ConfigError(
            f"the Cypher linter's npm package is not installed ({PACKAGE_DIR} is missing): {_INSTALL_HINT}"
        )
    return node


def _run_node(node: str, db_schema: dict[str, Any], texts: list[str]) -> list[list[dict[str, Any]]]:
    request = {"schema": db_schema, "queries": [{"name": str(i), "text": t} for i, t in enumerate(texts)]}
    try:
        done = subprocess.run(
            [node, str(SCRIPT)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=REPO_ROOT,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ConfigError(f"the Cypher linter did not finish in {TIMEOUT_S} s") from exc
    if done.returncode != 0:
        raise ConfigError(
            f"the Cypher linter failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}\n"
            f"if its packages are missing or broken, {_INSTALL_HINT}"
        )
    return [r["diagnostics"] for r in json.loads(done.stdout)]


def _cache_keys(db_schema: dict[str, Any], texts: list[str]) -> list[str]:
    base = hashlib.sha256()
    base.update(SCRIPT.read_bytes())
    base.update((PACKAGE_DIR / "package.json").read_bytes())
    base.update(json.dumps(db_schema, sort_keys=True).encode())
    keys = []
    for text in texts:
        h = base.copy()
        h.update(text.encode())
        keys.append(h.hexdigest())
    return keys


def _cache_get(key: str) -> list[dict[str, Any]] | None:
    try:
        cached: list[dict[str, Any]] = json.loads((CACHE_DIR / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return cached


def _cache_put(key: str, diagnostics: list[dict[str, Any]]) -> None:
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=CACHE_DIR, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(diagnostics, f)
        os.replace(tmp, CACHE_DIR / f"{key}.json")
    except OSError:
        pass  # a cache that cannot be written only costs time


def lint_texts(queries: Mapping[str, str]) -> dict[str, list[Diagnostic]]:
    """Lint named query texts in one `node` process; diagnostics per name (empty when clean)."""
    if not queries:
        return {}
    node = _check_installed()
    db_schema = schema()
    texts = sorted(set(queries.values()))
    use_cache = os.environ.get("CYPHER_LINT_CACHE", "1") != "0"
    keys = dict(zip(texts, _cache_keys(db_schema, texts), strict=True))
    found: dict[str, list[dict[str, Any]]] = {}
    if use_cache:
        for text, key in keys.items():
            cached = _cache_get(key)
            if cached is not None:
                found[text] = cached
    missing = [t for t in texts if t not in found]
    if missing:
        for text, diagnostics in zip(missing, _run_node(node, db_schema, missing), strict=True):
            found[text] = diagnostics
            if use_cache:
                _cache_put(keys[text], diagnostics)
    return {name: [Diagnostic(**d) for d in found[text]] for name, text in queries.items()}


def lint_files(paths: Iterable[Path]) -> dict[str, list[Diagnostic]]:
    """Lint each file as a whole (several `;`-separated statements allowed); keyed by `str(path)`."""
    return lint_texts({str(p): Path(p).read_text(encoding="utf-8") for p in paths})
