// Generated from graph/model.py with _templates/link_find.cypher.in; edit those, run `pairing schema --write`.
// purpose: The STATIONED_IN links from $cadre to $village (only the one starting $since, if given), oldest first, with every property, for edits, deletions and their audit entries' "before".
// params: $cadre, $village, $since
// returns: src, role, since, until
// mode: read
// coalesce($since, p.since) = p.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
MATCH (a)-[p:STATIONED_IN]->(v:Village {id: $village})
WHERE a.id = $cadre
  AND coalesce($since, p.since) = p.since
RETURN a.id AS src,
       p.role AS role,
       p.since AS since,
       p.until AS until
ORDER BY p.since
