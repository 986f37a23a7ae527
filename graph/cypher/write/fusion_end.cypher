// purpose: End the FUSED_WITH link from $enterprise to $village on $until: sets until on the links (the one starting $since, if given) that are open on that day; ended = 0 means no such open link.
// params: $enterprise, $village, $since, $until
// returns: ended
// mode: write
// coalesce($since, r.since) = r.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
MATCH (a:Enterprise {id: $enterprise})-[r:FUSED_WITH]->(v:Village {id: $village})
WHERE coalesce($since, r.since) = r.since
  AND r.since <= $until
  AND (r.until IS NULL OR r.until > $until)
SET r.until = $until
RETURN count(r) AS ended
