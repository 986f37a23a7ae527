// Generated from graph/model.py with _templates/link_find.cypher.in; edit those, run `pairing schema --write`.
// purpose: The FUSED_WITH links from $enterprise to $village (only the one starting $since, if given), oldest first, with every property, for edits, deletions and their audit entries' "before".
// params: $enterprise, $village, $since
// returns: src, since, until, joint_party_org
// mode: read
// coalesce($since, p.since) = p.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
MATCH (a)-[p:FUSED_WITH]->(v:Village {id: $village})
WHERE a.id = $enterprise
  AND coalesce($since, p.since) = p.since
RETURN a.id AS src,
       p.since AS since,
       p.until AS until,
       p.joint_party_org AS joint_party_org
ORDER BY p.since
