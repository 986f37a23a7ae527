"""Every Cypher file passes Neo4j's own linter with our schema, and the harness can fail.

Needs `node` and `npm ci` at the repository root (part of `make test`): nothing here is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.errors import ConfigError
from tools import cypher_lint
from tools.cypher_lint import CYPHER_DIR, Diagnostic, lint_files, linted_files

LINTED = linted_files()
# With no files yet, one case that fails (an empty parametrisation would only be skipped).
FILE_CASES = [pytest.param(p, id=p.relative_to(CYPHER_DIR).as_posix()) for p in LINTED] or [
    pytest.param(None, id="no-cypher-files")
]


@pytest.fixture(scope="module")
def file_results() -> dict[str, list[Diagnostic]]:
    # One node process for all files.
    return lint_files(LINTED) if LINTED else {}


def test_there_are_cypher_files_to_lint() -> None:
    assert LINTED, f"no .cypher files to lint under {CYPHER_DIR}"


def test_only_ladybug_schema_files_are_left_out() -> None:
    left_out = set(CYPHER_DIR.rglob("*.cypher")) - set(LINTED)
    assert all(p.parent == CYPHER_DIR / "schema" and p.name.startswith("ladybug") for p in left_out), left_out
    neo4j_ddl = CYPHER_DIR / "schema" / "neo4j.cypher"
    assert not neo4j_ddl.exists() or neo4j_ddl in LINTED


@pytest.mark.parametrize("path", FILE_CASES)
def test_cypher_file_is_clean_neo4j_cypher(path: Path | None, file_results: dict[str, list[Diagnostic]]) -> None:
    assert path is not None, f"no .cypher files to lint under {CYPHER_DIR}"
    diagnostics = file_results[str(path)]
    report = "\n".join(f"{path.relative_to(CYPHER_DIR.parent)}:{d}" for d in diagnostics)
    assert not diagnostics, (
        f"Neo4j's linter reports (warnings about unknown names are typos against graph.model):\n{report}"
    )


PROBES = {
    "syntax_error": "MATCH (v:Village RETURN v.id",
    "misspelt_label": "MATCH (v:Vilage) RETURN v.id",
    "misspelt_type": "MATCH (v:Village)<-[:PAIRD_WITH]-(u) RETURN u.id",
    "misspelt_property": "MATCH (v:Village) WHERE v.tierr = 'weak' RETURN v.id",
    "ladybug_function": "MATCH (v:Village)<-[r:PAIRED_WITH]-() RETURN label(r)",
    "two_statements": "MATCH (v:Village) RETURN v.id;\nMATCH (c:Cadre)\nRETURN c.nmae;\n",
    "good": """// purpose: a correct query using subqueries, parameters and dates
MATCH (v:Village {tier: 'weak'})
WHERE NOT EXISTS { MATCH (v)<-[:PAIRED_WITH]-() }
  AND any(n IN v.needs WHERE n IN $needs)
WITH v, COUNT { MATCH (v)<-[r:LEADS]-(:Village) WHERE r.since <= $day } AS leaders
OPTIONAL MATCH (v)<-[s:STATIONED_IN]-(c:Cadre)
RETURN v.id AS id, v.name AS name, leaders, collect(c.name) AS cadres, coalesce(v.population, 0) AS population,
       date('2024-01-01') AS start
""",
    "good_load": "UNWIND $rows AS r\nMERGE (v:Village {id: r.id})\nON CREATE SET v.name = r.name\nSET v.tier = r.tier",
    "good_ddl": "CREATE CONSTRAINT village_id IF NOT EXISTS FOR (n:Village) REQUIRE n.id IS UNIQUE;\n"
    "CREATE INDEX village_county IF NOT EXISTS FOR (n:Village) ON (n.county);\n",
}


@pytest.fixture(scope="module")
def probe_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Diagnostic]]:
    folder = tmp_path_factory.mktemp("cypher")
    paths = []
    for name, text in PROBES.items():
        path = folder / f"{name}.cypher"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return {Path(k).stem: v for k, v in lint_files(paths).items()}


def _only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


@pytest.mark.parametrize(
    ("probe", "severity", "line", "column", "fragment"),
    [
        pytest.param("syntax_error", "error", 1, 18, "RETURN", id="syntax_error_is_an_error"),
        pytest.param(
            "misspelt_label", "warning", 1, 10, "Label Vilage is not present", id="misspelt_label_is_a_warning"
        ),
        pytest.param("misspelt_property", "warning", 1, 27, "Property key tierr", id="misspelt_property_is_a_warning"),
        pytest.param("two_statements", "warning", 3, 10, "nmae", id="positions_count_across_statements"),
    ],
)
def test_probe_gets_one_diagnostic_at_its_position(
    probe: str,
    severity: str,
    line: int,
    column: int,
    fragment: str,
    probe_results: dict[str, list[Diagnostic]],
) -> None:
    d = _only(probe_results[probe])
    assert (d.severity, d.line, d.column) == (severity, line, column)
    assert fragment in d.message


@pytest.mark.parametrize(
    ("probe", "severity", "fragment"),
    [
        pytest.param("misspelt_type", "warning", "PAIRD_WITH", id="misspelt_relationship_type_is_a_warning"),
        pytest.param(
            "ladybug_function", "error", "Function label is not present", id="function_neo4j_lacks_is_an_error"
        ),
    ],
)
def test_probe_gets_one_diagnostic_of_its_kind(
    probe: str, severity: str, fragment: str, probe_results: dict[str, list[Diagnostic]]
) -> None:
    d = _only(probe_results[probe])
    assert d.severity == severity and fragment in d.message


@pytest.mark.parametrize("name", ["good", "good_load", "good_ddl"])
def test_correct_query_passes(name: str, probe_results: dict[str, list[Diagnostic]]) -> None:
    assert probe_results[name] == []


def test_schema_comes_from_the_model() -> None:
    schema = cypher_lint.schema()
    assert {"Village", "CityCommunity", "Enterprise", "Organisation", "Cadre"} <= set(schema["labels"])
    assert {"PAIRED_WITH", "LEADS", "FUSED_WITH", "STATIONED_IN", "SENT_BY"} <= set(schema["relationshipTypes"])
    assert {"id", "tier", "since", "until", "last_activity"} <= set(schema["propertyKeys"])
    assert schema["defaultLanguage"] == "CYPHER 5"


def test_results_are_cached_by_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cypher_lint, "CACHE_DIR", tmp_path)
    runs: list[list[str]] = []
    found: dict[str, Any] = {"severity": "warning", "message": "Label Vilage is not present", "line": 1, "column": 10}

    def fake_node(node: str, db_schema: dict[str, Any], texts: list[str]) -> list[list[dict[str, Any]]]:
        runs.append(texts)
        return [[found] if "Vilage" in t else [] for t in texts]

    monkeypatch.setattr(cypher_lint, "_run_node", fake_node)
    bad, good = "MATCH (v:Vilage) RETURN v.id", "MATCH (v:Village) RETURN v.id"
    first = cypher_lint.lint_texts({"a": bad, "b": bad, "c": good})
    assert first == {"a": [Diagnostic(**found)], "b": [Diagnostic(**found)], "c": []}
    assert runs == [sorted([bad, good])]
    assert cypher_lint.lint_texts({"d": bad, "e": good}) == {"d": first["a"], "e": []}
    assert len(runs) == 1, "linted again despite cached results"
    monkeypatch.setenv("CYPHER_LINT_CACHE", "0")
    cypher_lint.lint_texts({"d": bad})
    assert len(runs) == 2


def test_missing_packages_say_run_npm_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cypher_lint, "PACKAGE_DIR", tmp_path / "nothing")
    with pytest.raises(ConfigError, match="npm ci"):
        cypher_lint.lint_texts({"q": "RETURN 1"})


def test_missing_node_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ConfigError, match="node"):
        cypher_lint.lint_texts({"q": "RETURN 1"})
