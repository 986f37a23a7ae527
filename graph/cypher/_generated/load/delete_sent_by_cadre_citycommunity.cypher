// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete SENT_BY links from Cadre to CityCommunity, identified by both ends, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:Cadre {id: r.src})-[p:SENT_BY]->(b:CityCommunity {id: r.dst})
DELETE p
