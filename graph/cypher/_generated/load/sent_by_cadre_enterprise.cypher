// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update SENT_BY links from Cadre to Enterprise, keyed by both ends; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Cadre {id: r.src})
MATCH (b:Enterprise {id: r.dst})
MERGE (a)-[p:SENT_BY]->(b)
RETURN count(p) AS written
