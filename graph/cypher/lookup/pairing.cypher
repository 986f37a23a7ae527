// purpose: The stored values of the pairing of $unit with $village that started $since (no rows if there is none), for the audit trail's "before".
// params: $unit, $village, $since
// returns: until, form, funds, projects, last_activity
// mode: read
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since = $since
RETURN p.until AS until, p.form AS form, p.funds AS funds, p.projects AS projects, p.last_activity AS last_activity
