// purpose: The resources (资源清单) units offer, in $county or everywhere, for matching's complementarity.
// params: $county
// returns: unit_id, kind, name
// mode: read
// One branch per unit label, as in gaps/inactive_pairings; the caller groups by unit.
MATCH (r:Resource)-[:OFFERED_BY]->(u:CityCommunity)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN u.id AS unit_id, r.kind AS kind, r.name AS name
UNION ALL
MATCH (r:Resource)-[:OFFERED_BY]->(u:Enterprise)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN u.id AS unit_id, r.kind AS kind, r.name AS name
UNION ALL
MATCH (r:Resource)-[:OFFERED_BY]->(u:Organisation)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN u.id AS unit_id, r.kind AS kind, r.name AS name
