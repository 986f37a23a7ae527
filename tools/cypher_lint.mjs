#!/usr/bin/env node
// Lint Cypher queries against Neo4j's own grammar and semantic analysis, with
// the official linter (npm @neo4j-cypher/language-support, `lintCypherQuery`).
//
// stdin:  {"schema": DbSchema, "queries": [{"name": str, "text": str}, ...]}
// stdout: [{"name": str, "diagnostics": [{"severity": "error"|"warning",
//           "message": str, "line": int, "column": int}]}]   (1-based line and column)
//
// The schema is the linter's DbSchema (labels, relationshipTypes, propertyKeys,
// defaultLanguage, ...). What this script adds on top of the linter:
// - functions/procedures: when the request names none, Neo4j 5's built-in
//   ones (135 functions; db.*, dbms.*, tx.* procedures; no APOC/GDS), taken from
//   the package's `testData.mockSchema` (a dump of a Neo4j 5 server's catalogue),
//   so that a function Neo4j lacks (Ladybug's `label()`, `cast()`) is an error;
// - parameters: the linter reports every `$param` not in schema.parameters as
//   an error; a query's own parameters are declared here, per query;
// - property keys: the linter only uses propertyKeys for completion, so unknown
//   keys are checked here: keys in node/relationship pattern maps, and the first
//   lookup on a variable bound by a node/relationship pattern (`v.tierr`,
//   `v {.nmae}`, `REQUIRE n.idd`). Lookups on other variables (UNWIND rows,
//   maps) are not checked: their keys need not be graph properties.
// Exit codes: 0 ok (diagnostics or not), 2 bad request, 3 package not installed.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const PACKAGE = '@neo4j-cypher/language-support';
let L;
try {
  // The package's ESM build uses extensionless imports that Node cannot load: use its CommonJS build.
  L = require(PACKAGE);
} catch (err) {
  process.stderr.write(`cannot load ${PACKAGE} (${err.code ?? err.message}): run \`npm ci\` at the repository root\n`);
  process.exit(3);
}
const { lintCypherQuery, parserWrapper, CypherParser: P, testData } = L;
const CYPHER = 'CYPHER 5';

function builtinCatalogue() {
  const mock = testData.mockSchema;
  const functions = Object.fromEntries(
    Object.entries(mock.functions[CYPHER]).filter(([, f]) => f.isBuiltIn),
  );
  const procedures = Object.fromEntries(
    Object.entries(mock.procedures[CYPHER]).filter(([name]) => /^(db|dbms|tx)\./.test(name)),
  );
  return { functions: { [CYPHER]: functions }, procedures: { [CYPHER]: procedures } };
}

function unquote(name) {
  return name.startsWith('`') && name.endsWith('`') ? name.slice(1, -1).replaceAll('``', '`') : name;
}

function* walk(node) {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

const ENTITY_PATTERNS = new Set([
  P.RULE_nodePattern,
  P.RULE_relationshipPattern,
  P.RULE_commandNodePattern,
  P.RULE_commandRelPattern,
]);

function variableName(ctx) {
  return ctx && ctx.ruleIndex === P.RULE_variable ? unquote(ctx.getText()) : undefined;
}

// The variable a `.key` lookup is made on, if the lookup is the first one on a bare variable.
function lookupBase(prop) {
  const parent = prop.parentCtx;
  const siblings = parent.children ?? [];
  switch (parent.ruleIndex) {
    case P.RULE_postFix: {
      const expr2 = parent.parentCtx;
      if (expr2?.ruleIndex !== P.RULE_expression2 || expr2.children[1] !== parent) return undefined;
      const expr1 = expr2.children[0];
      return expr1.children?.length === 1 ? variableName(expr1.children[0]) : undefined;
    }
    case P.RULE_propertyExpression: {
      if (siblings[1] !== prop) return undefined;
      const expr1 = siblings[0];
      return expr1.children?.length === 1 ? variableName(expr1.children[0]) : undefined;
    }
    case P.RULE_propertyList:
    case P.RULE_enclosedPropertyList:
      return variableName(siblings[siblings.indexOf(prop) - 1]);
    case P.RULE_mapProjectionElement:
      return variableName(parent.parentCtx?.children?.[0]);
    default:
      return undefined;
  }
}

function unknownPropertyKeys(statement, known) {
  const nodes = [...walk(statement.ctx)];
  const entities = new Set(
    nodes
      .filter((n) => n.ruleIndex === P.RULE_variable && ENTITY_PATTERNS.has(n.parentCtx?.ruleIndex))
      .map(variableName),
  );
  const checked = [];
  for (const n of nodes) {
    if (n.ruleIndex === P.RULE_property) {
      const base = lookupBase(n);
      if (base !== undefined && entities.has(base)) checked.push(n.propertyKeyName());
    } else if (
      n.ruleIndex === P.RULE_map &&
      n.parentCtx?.ruleIndex === P.RULE_properties &&
      ENTITY_PATTERNS.has(n.parentCtx.parentCtx?.ruleIndex)
    ) {
      checked.push(...n.propertyKeyName_list());
    }
  }
  return checked
    .filter((key) => !known.has(unquote(key.getText())))
    .map((key) => ({
      severity: 'warning',
      message:
        `Property key ${key.getText()} is not present in the schema. ` +
        "Make sure you didn't misspell it or that it is declared in the graph model",
      line: key.start.line,
      column: key.start.column + 1,
    }));
}

function lint(text, schema, knownKeys) {
  if (text.trim() === '') return [{ severity: 'error', message: 'No Cypher statement', line: 1, column: 1 }];
  const parsed = parserWrapper.parse(text);
  // The wrapper's cache is public but never filled by the package: fill it so that lintCypherQuery does not parse again.
  parserWrapper.parsingResult = parsed;
  const params = parsed.statementsParsing.flatMap((s) => s.collectedParameters.map((p) => unquote(p.name)));
  const declared = { ...(schema.parameters ?? {}) };
  for (const p of params) if (!(p in declared)) declared[p] = null;
  const diagnostics = lintCypherQuery(text, { ...schema, parameters: declared }).map((d) => ({
    severity: d.severity === 1 ? 'error' : 'warning',
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
  for (const statement of parsed.statementsParsing) {
    if (statement.command.type === 'cypher') diagnostics.push(...unknownPropertyKeys(statement, knownKeys));
  }
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

function main() {
  let request;
  try {
    request = JSON.parse(readFileSync(0, 'utf8'));
    if (!Array.isArray(request.queries)) throw new Error('"queries" must be a list');
  } catch (err) {
    process.stderr.write(`bad request: ${err.message}\n`);
    process.exit(2);
  }
  const schema = { defaultLanguage: CYPHER, ...builtinCatalogue(), ...(request.schema ?? {}) };
  const knownKeys = new Set(schema.propertyKeys ?? []);
  // One thread on purpose: Neo4j's semantic analysis (compiled from Java) costs 0.1-2 s of CPU a
  // query and each worker thread would pay ~1 s of loading and warm-up; 2 threads took 1.5x the CPU.
  const results = request.queries.map(({ name, text }) => {
    try {
      return { name, diagnostics: lint(text, schema, knownKeys) };
    } catch (err) {
      return { name, diagnostics: [{ severity: 'error', message: `linter failed: ${err.stack}`, line: 1, column: 1 }] };
    }
  });
  process.stdout.write(JSON.stringify(results));
}

main();
