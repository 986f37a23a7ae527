// purpose: Of the units (community, enterprise, organisation) named by $ids, those with a support link to a village in scope active on $asof: a pairing, a fusion, or a station of a cadre the unit sent.
// params: $asof, $ids, $county, $township, $city
// returns: unit_label, unit_id
// mode: read
// One branch per unit label and link (labels() is not portable), each distinct; a unit may be in several.
// Null-safe filters as in gaps/unpaired. On a cadre's path they come after a WITH: in the same WHERE
// Ladybug (0.22) returned no row for a station that matches them (Neo4j did).
MATCH (u:CityCommunity)-[r:PAIRED_WITH]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'CityCommunity' AS unit_label, u.id AS unit_id
UNION ALL
MATCH (u:CityCommunity)<-[:SENT_BY]-(:Cadre)-[r:STATIONED_IN]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
WITH u, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'CityCommunity' AS unit_label, u.id AS unit_id
UNION ALL
MATCH (u:Enterprise)-[r:PAIRED_WITH]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'Enterprise' AS unit_label, u.id AS unit_id
UNION ALL
MATCH (u:Enterprise)-[r:FUSED_WITH]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'Enterprise' AS unit_label, u.id AS unit_id
UNION ALL
MATCH (u:Enterprise)<-[:SENT_BY]-(:Cadre)-[r:STATIONED_IN]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
WITH u, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'Enterprise' AS unit_label, u.id AS unit_id
UNION ALL
MATCH (u:Organisation)-[r:PAIRED_WITH]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'Organisation' AS unit_label, u.id AS unit_id
UNION ALL
MATCH (u:Organisation)<-[:SENT_BY]-(:Cadre)-[r:STATIONED_IN]->(v:Village)
WHERE u.id IN $ids AND r.since <= $asof AND (r.until IS NULL OR r.until >= $asof)
WITH u, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN DISTINCT 'Organisation' AS unit_label, u.id AS unit_id
