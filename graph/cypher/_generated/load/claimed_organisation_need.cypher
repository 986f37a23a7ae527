// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update CLAIMED links from Organisation to Need, keyed by both ends; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Organisation {id: r.src})
MATCH (b:Need {id: r.dst})
MERGE (a)-[p:CLAIMED]->(b)
SET p.claimed = date(r.claimed),
    p.status = r.status,
    p.due = date(r.due),
    p.done = date(r.done)
RETURN count(p) AS written
