// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete CLAIMED links from CityCommunity to Need, identified by both ends, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:CityCommunity {id: r.src})-[p:CLAIMED]->(b:Need {id: r.dst})
DELETE p
