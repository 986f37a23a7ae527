// purpose: Every need with its village, county and township (needs of no village too), in the county $county and township $township when given; the caller works out each need's state from its claims.
// params: $county, $township
// returns: need_id, need, kind, posted, status, village_id, village, county, township
// mode: read
// Null-safe filters as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (n:Need)
OPTIONAL MATCH (n)-[:NEED_OF]->(v:Village)
WITH n, v
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN n.id AS need_id, n.name AS need, n.kind AS kind, n.posted AS posted, n.status AS status,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township
