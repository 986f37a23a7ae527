// purpose: Live claims in status claimed or ongoing (a claim with no status is claimed) whose due date is before $asof: overdue projects, with unit, need and village, in the county $county and township $township when given.
// params: $asof, $county, $township
// returns: unit_label, unit_id, unit, need_id, need, village_id, village, county, township, claimed, status, due
// mode: read
// One branch per unit label (no portable labels()); null-safe filters as in gaps/unpaired; the caller sorts.
MATCH (u:CityCommunity)-[c:CLAIMED]->(n:Need)
WHERE coalesce(c.status, 'claimed') IN ['claimed', 'ongoing'] AND c.due < $asof
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit, n.id AS need_id, n.name AS need,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township,
       c.claimed AS claimed, coalesce(c.status, 'claimed') AS status, c.due AS due
UNION ALL
MATCH (u:Enterprise)-[c:CLAIMED]->(n:Need)
WHERE coalesce(c.status, 'claimed') IN ['claimed', 'ongoing'] AND c.due < $asof
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit, n.id AS need_id, n.name AS need,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township,
       c.claimed AS claimed, coalesce(c.status, 'claimed') AS status, c.due AS due
UNION ALL
MATCH (u:Organisation)-[c:CLAIMED]->(n:Need)
WHERE coalesce(c.status, 'claimed') IN ['claimed', 'ongoing'] AND c.due < $asof
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit, n.id AS need_id, n.name AS need,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township,
       c.claimed AS claimed, coalesce(c.status, 'claimed') AS status, c.due AS due
