// Generated from graph/model.py with _templates/link_end.cypher.in; edit those, run `pairing schema --write`.
// purpose: End the LEADS link from $leader to $village on $until: sets until on the links (the one starting $since, if given) that are open on that day; ended = 0 means no such open link.
// params: $leader, $village, $since, $until
// returns: ended
// mode: write
// coalesce($since, r.since) = r.since rather than ($since IS NULL OR …): Ladybug types a null parameter as BOOL.
// The start is not labelled: a pairing's unit may have any unit label, and the link type restricts it.
MATCH (a)-[r:LEADS]->(v:Village {id: $village})
WHERE a.id = $leader
  AND coalesce($since, r.since) = r.since
  AND r.since <= $until
  AND (r.until IS NULL OR r.until > $until)
SET r.until = $until
RETURN count(r) AS ended
