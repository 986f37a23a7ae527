// purpose: Every activity dated from $since to $until with its unit and village, for villages of $city, $county and $township when given.
// params: $city, $county, $township, $since, $until
// returns: unit_id, unit, village_id, village, county, township, date, kind, title, funds, beneficiaries, status, note
// mode: read
// The caller passes the widest dates for an open end (a null date parameter is typed BOOL on Ladybug) and sorts.
// Null-safe place filters as in gaps/unpaired.
MATCH (u)-[a:ACTIVITY]->(v:Village)
WHERE a.date >= $since AND a.date <= $until
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN u.id AS unit_id, u.name AS unit, v.id AS village_id, v.name AS village, v.county AS county,
       v.township AS township, a.date AS date, a.kind AS kind, a.title AS title, a.funds AS funds,
       a.beneficiaries AS beneficiaries, a.status AS status, a.note AS note
