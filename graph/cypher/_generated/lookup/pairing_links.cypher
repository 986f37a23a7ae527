// Generated from graph/model.py with _templates/link_find.cypher.in; edit those, run `pairing schema --write`.
// purpose: The PAIRED_WITH links from $unit to $village (only the one starting $since, if given), oldest first, with every property, for edits, deletions and their audit entries' "before".
// params: $unit, $village, $since
// returns: src, since, until, form, funds, projects, last_activity
// mode: read
// coalesce($since, p.since) = p.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
MATCH (a)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE a.id = $unit
  AND coalesce($since, p.since) = p.since
RETURN a.id AS src,
       p.since AS since,
       p.until AS until,
       p.form AS form,
       p.funds AS funds,
       p.projects AS projects,
       p.last_activity AS last_activity
ORDER BY p.since
