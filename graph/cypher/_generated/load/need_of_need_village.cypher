// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update NEED_OF links from Need to Village, keyed by both ends; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Need {id: r.src})
MATCH (b:Village {id: r.dst})
MERGE (a)-[p:NEED_OF]->(b)
RETURN count(p) AS written
