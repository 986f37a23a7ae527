// purpose: Open needs (not withdrawn, claimed or done) that no unit has a live claim of (one not `not_chosen`), posted on or before $cutoff, with their village, in the county $county and township $township when given; the caller passes $cutoff = as-of day - days.
// params: $cutoff, $county, $township
// returns: need_id, need, kind, posted, village_id, village, county, township
// mode: read
// A need with no posted date is never stale (nothing says how long it has waited). Null-safe filters as in gaps/unpaired.
MATCH (n:Need)
WHERE n.posted <= $cutoff AND NOT coalesce(n.status, 'open') IN ['withdrawn', 'claimed', 'done']
OPTIONAL MATCH (n)<-[c:CLAIMED]-()
WHERE coalesce(c.status, 'claimed') <> 'not_chosen'
WITH n, count(c) AS live
WHERE live = 0
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN n.id AS need_id, n.name AS need, n.kind AS kind, n.posted AS posted,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township
