// Generated from graph/model.py with _templates/load_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update ACTIVITY links from CityCommunity to Village, keyed by both ends and date, title; loading the same rows twice changes nothing.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.src IS NOT NULL
MATCH (a:CityCommunity {id: r.src})
MATCH (b:Village {id: r.dst})
MERGE (a)-[p:ACTIVITY {date: date(r.date), title: r.title}]->(b)
SET p.kind = r.kind,
    p.funds = r.funds,
    p.beneficiaries = r.beneficiaries,
    p.status = r.status,
    p.note = r.note
RETURN count(p) AS written
