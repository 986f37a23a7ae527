// Generated from graph/model.py with _templates/delete_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete ACTIVITY links from Enterprise to Village, identified by both ends and date, title, for a county replace (runs in the transaction of the load).
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
MATCH (a:Enterprise {id: r.src})-[p:ACTIVITY]->(b:Village {id: r.dst})
WHERE p.date = date(r.date) AND p.title = r.title
DELETE p
