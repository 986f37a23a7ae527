// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every CLAIMED link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst, claimed, status, due, done
// mode: read
MATCH (a)-[p:CLAIMED]->(b)
RETURN a.id AS src,
       b.id AS dst,
       p.claimed AS claimed,
       p.status AS status,
       p.due AS due,
       p.done AS done
ORDER BY src, dst
