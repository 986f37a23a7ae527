// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update STATIONED_IN links from Cadre to Village, keyed by both ends and since; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Cadre {id: r.src})
MATCH (b:Village {id: r.dst})
MERGE (a)-[p:STATIONED_IN {since: date(r.since)}]->(b)
SET p.role = r.role,
    p.until = date(r.until)
RETURN count(p) AS written
