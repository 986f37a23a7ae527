// purpose: Create a STATIONED_IN link from the Cadre $cadre to the village $village starting $since, unless one with the same ends and since exists; created = 0 means a missing node or a duplicate.
// params: $cadre, $village, $since, $until, $role
// returns: created
// mode: write
MATCH (a:Cadre {id: $cadre})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (a)-[q:STATIONED_IN]->(v) WHERE q.since = $since }
CREATE (a)-[r:STATIONED_IN {
  since: $since,
  until: $until,
  role: $role
}]->(v)
RETURN count(r) AS created
