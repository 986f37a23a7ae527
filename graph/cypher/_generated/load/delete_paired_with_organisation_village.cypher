// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete PAIRED_WITH links from Organisation to Village, identified by both ends and since, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:Organisation {id: r.src})-[p:PAIRED_WITH]->(b:Village {id: r.dst})
WHERE p.since = date(r.since)
DELETE p
