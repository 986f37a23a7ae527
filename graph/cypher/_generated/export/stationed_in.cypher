// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every STATIONED_IN link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst, role, since, until
// mode: read
MATCH (a)-[p:STATIONED_IN]->(b)
RETURN a.id AS src,
       b.id AS dst,
       p.role AS role,
       p.since AS since,
       p.until AS until
ORDER BY src, dst, since
