// Generated from graph/model.py with _templates/link_create.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create a FUSED_WITH link from the Enterprise $enterprise to the village $village starting $since, unless one with the same ends and since exists; created = 0 means a missing node or a duplicate.
// params: $enterprise, $village, $since, $until, $joint_party_org
// returns: created
// mode: write
// One file per start label: Ladybug cannot CREATE a relationship from a node whose label it does not know.
MATCH (a:Enterprise {id: $enterprise})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (a)-[q:FUSED_WITH]->(v) WHERE q.since = $since }
CREATE (a)-[r:FUSED_WITH {
  since: $since,
  until: $until,
  joint_party_org: $joint_party_org
}]->(v)
RETURN count(r) AS created
