// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update PAIRED_WITH links from CityCommunity to Village, keyed by both ends and since; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:CityCommunity {id: r.src})
MATCH (b:Village {id: r.dst})
MERGE (a)-[p:PAIRED_WITH {since: date(r.since)}]->(b)
SET p.until = date(r.until),
    p.form = r.form,
    p.funds = r.funds,
    p.projects = r.projects,
    p.last_activity = date(r.last_activity)
RETURN count(p) AS written
