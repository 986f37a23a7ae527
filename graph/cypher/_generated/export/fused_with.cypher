// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every FUSED_WITH link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst, since, until, joint_party_org
// mode: read
MATCH (a)-[p:FUSED_WITH]->(b)
RETURN a.id AS src,
       b.id AS dst,
       p.since AS since,
       p.until AS until,
       p.joint_party_org AS joint_party_org
ORDER BY src, dst, since
