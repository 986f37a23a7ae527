// Generated from graph/model.py with _templates/link_delete.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete the STATIONED_IN link from $cadre to $village that started $since (a link entered by mistake; ending one keeps it); deleted = 0 means no such link.
// params: $cadre, $village, $since
// returns: deleted
// mode: write
MATCH (a)-[p:STATIONED_IN]->(v:Village {id: $village})
WHERE a.id = $cadre AND p.since = $since
DELETE p
RETURN count(*) AS deleted
