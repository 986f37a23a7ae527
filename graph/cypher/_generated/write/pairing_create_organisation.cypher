// Generated from graph/model.py with _templates/link_create.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create a PAIRED_WITH link from the Organisation $unit to the village $village starting $since, unless one with the same ends and since exists; created = 0 means a missing node or a duplicate.
// params: $unit, $village, $since, $until, $form, $funds, $projects, $last_activity
// returns: created
// mode: write
// One file per start label: Ladybug cannot CREATE a relationship from a node whose label it does not know.
MATCH (a:Organisation {id: $unit})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (a)-[q:PAIRED_WITH]->(v) WHERE q.since = $since }
CREATE (a)-[r:PAIRED_WITH {
  since: $since,
  until: $until,
  form: $form,
  funds: $funds,
  projects: $projects,
  last_activity: $last_activity
}]->(v)
RETURN count(r) AS created
