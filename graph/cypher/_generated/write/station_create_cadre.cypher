// Generated from graph/model.py with _templates/link_create.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create a STATIONED_IN link from the Cadre $cadre to the village $village starting $since, unless one with the same ends and since exists; created = 0 means a missing node or a duplicate.
// params: $cadre, $village, $role, $since, $until
// returns: created
// mode: write
// One file per start label: Ladybug cannot CREATE a relationship from a node whose label it does not know.
MATCH (a:Cadre {id: $cadre})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (a)-[q:STATIONED_IN]->(v) WHERE q.since = $since }
CREATE (a)-[r:STATIONED_IN {
  role: $role,
  since: $since,
  until: $until
}]->(v)
RETURN count(r) AS created
