// purpose: Create a FUSED_WITH link from the Enterprise $enterprise to the village $village starting $since, unless one with the same ends and since exists; created = 0 means a missing node or a duplicate.
// params: $enterprise, $village, $since, $until, $joint_party_org
// returns: created
// mode: write
MATCH (a:Enterprise {id: $enterprise})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (a)-[q:FUSED_WITH]->(v) WHERE q.since = $since }
CREATE (a)-[r:FUSED_WITH {
  since: $since,
  until: $until,
  joint_party_org: $joint_party_org
}]->(v)
RETURN count(r) AS created
