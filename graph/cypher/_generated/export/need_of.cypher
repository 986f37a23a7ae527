// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every NEED_OF link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst
// mode: read
MATCH (a)-[p:NEED_OF]->(b)
RETURN a.id AS src,
       b.id AS dst
ORDER BY src, dst
