// purpose: The weak villages in scope with their place, the denominators of coverage on every day of a trend (graph.period.trend).
// params: $county, $township, $city
// returns: village_id, city, county, township
// mode: read
// Null-safe filters as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (v:Village {tier: 'weak'})
WHERE coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN v.id AS village_id, v.city AS city, v.county AS county, v.township AS township
