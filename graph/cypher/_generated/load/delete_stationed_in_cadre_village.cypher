// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete STATIONED_IN links from Cadre to Village, identified by both ends and since, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:Cadre {id: r.src})-[p:STATIONED_IN]->(b:Village {id: r.dst})
WHERE p.since = date(r.since)
DELETE p
