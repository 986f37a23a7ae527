// purpose: The pairings of $unit with $village in force on $date (no rows if none), which an activity of that date belongs to.
// params: $unit, $village, $date
// returns: since, until
// mode: read
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since <= $date AND (p.until IS NULL OR p.until >= $date)
RETURN p.since AS since, p.until AS until
