// Generated from graph/model.py with _templates/link_find.cypher.in; edit those, run `pairing schema --write`.
// purpose: The LEADS links from $leader to $village (only the one starting $since, if given), oldest first, with every property, for edits, deletions and their audit entries' "before".
// params: $leader, $village, $since
// returns: src, since, until, mode
// mode: read
// coalesce($since, p.since) = p.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
MATCH (a)-[p:LEADS]->(v:Village {id: $village})
WHERE a.id = $leader
  AND coalesce($since, p.since) = p.since
RETURN a.id AS src,
       p.since AS since,
       p.until AS until,
       p.mode AS mode
ORDER BY p.since
