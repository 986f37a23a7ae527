// purpose: For every pairing unit (community, enterprise, organisation): capacity, pairings active on $asof and a status (overloaded: more than its capacity; idle: capacity above 0 but no active pairing; else ok).
// params: $asof, $city, $county
// returns: unit_label, unit_id, unit, city, county, capacity, active, status
// mode: read
// One branch per unit label (no portable labels()); the caller sorts. Null-safe filter as in gaps/unpaired.
MATCH (u:CityCommunity)
WHERE coalesce($city, u.city, '') = coalesce(u.city, '')
  AND coalesce($county, u.county, '') = coalesce(u.county, '')
WITH u, COUNT {
  MATCH (u)-[p:PAIRED_WITH]->(:Village)
  WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
} AS active
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit, u.city AS city, u.county AS county,
       u.capacity AS capacity, active,
       CASE WHEN u.capacity IS NOT NULL AND active > u.capacity THEN 'overloaded'
            WHEN active = 0 AND u.capacity > 0 THEN 'idle' ELSE 'ok' END AS status
UNION ALL
MATCH (u:Enterprise)
WHERE coalesce($city, u.city, '') = coalesce(u.city, '')
  AND coalesce($county, u.county, '') = coalesce(u.county, '')
WITH u, COUNT {
  MATCH (u)-[p:PAIRED_WITH]->(:Village)
  WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
} AS active
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit, u.city AS city, u.county AS county,
       u.capacity AS capacity, active,
       CASE WHEN u.capacity IS NOT NULL AND active > u.capacity THEN 'overloaded'
            WHEN active = 0 AND u.capacity > 0 THEN 'idle' ELSE 'ok' END AS status
UNION ALL
MATCH (u:Organisation)
WHERE coalesce($city, u.city, '') = coalesce(u.city, '')
  AND coalesce($county, u.county, '') = coalesce(u.county, '')
WITH u, COUNT {
  MATCH (u)-[p:PAIRED_WITH]->(:Village)
  WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
} AS active
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit, u.city AS city, u.county AS county,
       u.capacity AS capacity, active,
       CASE WHEN u.capacity IS NOT NULL AND active > u.capacity THEN 'overloaded'
            WHEN active = 0 AND u.capacity > 0 THEN 'idle' ELSE 'ok' END AS status
