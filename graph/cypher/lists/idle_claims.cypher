// purpose: Idle claims: live claims still in status claimed (none recorded counts as claimed), made on or before $cutoff, with no ACTIVITY of the unit to the need's village dated from the claim date to $asof; with unit (and its county), need and village, in the village's county $county and township $township when given; the caller passes $cutoff = $asof - days and groups the rows per unit.
// params: $asof, $cutoff, $county, $township
// returns: unit_label, unit_id, unit, unit_county, need_id, need, village_id, village, claimed
// mode: read
// One branch per unit label (no portable labels()); OPTIONAL MATCH + count rather than a subquery over a
// village that may be missing; null-safe filters as in gaps/unpaired.
MATCH (u:CityCommunity)-[c:CLAIMED]->(n:Need)
WHERE coalesce(c.status, 'claimed') = 'claimed' AND c.claimed <= $cutoff
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= c.claimed AND a.date <= $asof
WITH u, c, n, v, count(a) AS done_since
WHERE done_since = 0
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit, u.county AS unit_county,
       n.id AS need_id, n.name AS need, v.id AS village_id, v.name AS village, c.claimed AS claimed
UNION ALL
MATCH (u:Enterprise)-[c:CLAIMED]->(n:Need)
WHERE coalesce(c.status, 'claimed') = 'claimed' AND c.claimed <= $cutoff
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= c.claimed AND a.date <= $asof
WITH u, c, n, v, count(a) AS done_since
WHERE done_since = 0
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit, u.county AS unit_county,
       n.id AS need_id, n.name AS need, v.id AS village_id, v.name AS village, c.claimed AS claimed
UNION ALL
MATCH (u:Organisation)-[c:CLAIMED]->(n:Need)
WHERE coalesce(c.status, 'claimed') = 'claimed' AND c.claimed <= $cutoff
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= c.claimed AND a.date <= $asof
WITH u, c, n, v, count(a) AS done_since
WHERE done_since = 0
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit, u.county AS unit_county,
       n.id AS need_id, n.name AS need, v.id AS village_id, v.name AS village, c.claimed AS claimed
