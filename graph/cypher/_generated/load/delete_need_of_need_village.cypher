// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete NEED_OF links from Need to Village, identified by both ends, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:Need {id: r.src})-[p:NEED_OF]->(b:Village {id: r.dst})
DELETE p
