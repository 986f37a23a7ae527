// purpose: Every resource (资源清单) with the unit that offers it, of units in the county $county when given.
// params: $county
// returns: resource_id, resource, kind, serves, unit_label, unit_id, unit, county
// mode: read
// One branch per unit label (no portable labels()); null-safe filter as in gaps/unit_load; the caller sorts.
MATCH (r:Resource)-[:OFFERED_BY]->(u:CityCommunity)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN r.id AS resource_id, r.name AS resource, r.kind AS kind, r.serves AS serves,
       'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit, u.county AS county
UNION ALL
MATCH (r:Resource)-[:OFFERED_BY]->(u:Enterprise)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN r.id AS resource_id, r.name AS resource, r.kind AS kind, r.serves AS serves,
       'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit, u.county AS county
UNION ALL
MATCH (r:Resource)-[:OFFERED_BY]->(u:Organisation)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN r.id AS resource_id, r.name AS resource, r.kind AS kind, r.serves AS serves,
       'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit, u.county AS county
