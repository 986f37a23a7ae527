// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update OFFERED_BY links from Resource to Organisation, keyed by both ends; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Resource {id: r.src})
MATCH (b:Organisation {id: r.dst})
MERGE (a)-[p:OFFERED_BY]->(b)
RETURN count(p) AS written
