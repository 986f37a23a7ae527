// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete OFFERED_BY links from Resource to Organisation, identified by both ends, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:Resource {id: r.src})-[p:OFFERED_BY]->(b:Organisation {id: r.dst})
DELETE p
