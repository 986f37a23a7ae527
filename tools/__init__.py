"""Test and development tools that the runtime package `graph` must not need.

`tools.reference` is the plain-Python oracle of the gap rules (tests, the seed builder, benchmarks);
`tools.cypher_lint` drives Neo4j's Cypher linter (`tools/cypher_lint.mjs`) over the query files.
Neither ships in the wheel: they are imported from a checkout, with the repository root on the path.
"""
