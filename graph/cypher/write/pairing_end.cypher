// purpose: End the pairing of $unit with $village on $until: sets until on the links (the one starting $since, if given) that are open on that day; ended = 0 means no such open pairing.
// params: $unit, $village, $since, $until
// returns: ended
// mode: write
// coalesce($since, p.since) = p.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit
  AND coalesce($since, p.since) = p.since
  AND p.since <= $until
  AND (p.until IS NULL OR p.until > $until)
SET p.until = $until
RETURN count(p) AS ended
