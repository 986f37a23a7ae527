// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every LEADS link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst, since, until, mode
// mode: read
MATCH (a)-[p:LEADS]->(b)
RETURN a.id AS src,
       b.id AS dst,
       p.since AS since,
       p.until AS until,
       p.mode AS mode
ORDER BY src, dst, since
