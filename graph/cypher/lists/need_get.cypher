// purpose: The need $need with its village and the village's county (no rows if there is no such need), for a write's checks, its permission and the audit trail's "before".
// params: $need
// returns: need_id, name, kind, posted, status, village_id, village, county
// mode: read
MATCH (n:Need {id: $need})
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
RETURN n.id AS need_id, n.name AS name, n.kind AS kind, n.posted AS posted, n.status AS status,
       v.id AS village_id, v.name AS village, v.county AS county
