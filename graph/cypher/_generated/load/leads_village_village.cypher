// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update LEADS links from Village to Village, keyed by both ends and since; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Village {id: r.src})
MATCH (b:Village {id: r.dst})
MERGE (a)-[p:LEADS {since: date(r.since)}]->(b)
SET p.until = date(r.until),
    p.mode = r.mode
RETURN count(p) AS written
