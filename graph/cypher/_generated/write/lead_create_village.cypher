// Generated from graph/model.py with _templates/link_create.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create a LEADS link from the Village $leader to the village $village starting $since, unless one with the same ends and since exists; created = 0 means a missing node or a duplicate.
// params: $leader, $village, $since, $until, $mode
// returns: created
// mode: write
// One file per start label: Ladybug cannot CREATE a relationship from a node whose label it does not know.
MATCH (a:Village {id: $leader})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (a)-[q:LEADS]->(v) WHERE q.since = $since }
CREATE (a)-[r:LEADS {
  since: $since,
  until: $until,
  mode: $mode
}]->(v)
RETURN count(r) AS created
