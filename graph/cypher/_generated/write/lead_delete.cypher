// Generated from graph/model.py with _templates/link_delete.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete the LEADS link from $leader to $village that started $since (a link entered by mistake; ending one keeps it); deleted = 0 means no such link.
// params: $leader, $village, $since
// returns: deleted
// mode: write
MATCH (a)-[p:LEADS]->(v:Village {id: $village})
WHERE a.id = $leader AND p.since = $since
DELETE p
RETURN count(*) AS deleted
