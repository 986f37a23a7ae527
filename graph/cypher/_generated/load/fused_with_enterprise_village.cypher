// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update FUSED_WITH links from Enterprise to Village, keyed by both ends and since; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:Enterprise {id: r.src})
MATCH (b:Village {id: r.dst})
MERGE (a)-[p:FUSED_WITH {since: date(r.since)}]->(b)
SET p.until = date(r.until),
    p.joint_party_org = r.joint_party_org
RETURN count(p) AS written
