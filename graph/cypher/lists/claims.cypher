// purpose: Every claim (项目清单) with its unit, its need and the need's village, in the county $county and township $township when given.
// params: $county, $township
// returns: unit_label, unit_id, unit, need_id, need, village_id, village, county, township, claimed, status, due, done
// mode: read
// One branch per unit label (no portable labels()); null-safe filters as in gaps/unpaired; the caller sorts.
MATCH (u:CityCommunity)-[c:CLAIMED]->(n:Need)
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit, n.id AS need_id, n.name AS need,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township,
       c.claimed AS claimed, c.status AS status, c.due AS due, c.done AS done
UNION ALL
MATCH (u:Enterprise)-[c:CLAIMED]->(n:Need)
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit, n.id AS need_id, n.name AS need,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township,
       c.claimed AS claimed, c.status AS status, c.due AS due, c.done AS done
UNION ALL
MATCH (u:Organisation)-[c:CLAIMED]->(n:Need)
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH u, c, n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit, n.id AS need_id, n.name AS need,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township,
       c.claimed AS claimed, c.status AS status, c.due AS due, c.done AS done
