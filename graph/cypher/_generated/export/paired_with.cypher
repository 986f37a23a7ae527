// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every PAIRED_WITH link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst, since, until, form, funds, projects, last_activity
// mode: read
MATCH (a)-[p:PAIRED_WITH]->(b)
RETURN a.id AS src,
       b.id AS dst,
       p.since AS since,
       p.until AS until,
       p.form AS form,
       p.funds AS funds,
       p.projects AS projects,
       p.last_activity AS last_activity
ORDER BY src, dst, since
