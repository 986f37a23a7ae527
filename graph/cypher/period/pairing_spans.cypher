// purpose: The pairings of villages in scope (any tier) active on some day from $from to $to, each with its last_activity column and the dates of its completed activities up to $to (from its since), so that paper pairings can be counted on many days from one read (graph.period.trend).
// params: $from, $to, $county, $township, $city
// returns: since, until, last_activity, done
// mode: read
// The rules of gaps/inactive_pairings: an activity belongs to the pairing of its unit and village from the
// pairing's since; completed means status done or blank. The caller keeps the dates up to each day it judges.
// Null-safe filters as in gaps/unpaired.
MATCH (u)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $to AND (p.until IS NULL OR p.until >= $from)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $to AND coalesce(a.status, 'done') IN ['done', '']
// Grouped by the link itself: two pairings may share their dates.
WITH p, collect(a.date) AS done
RETURN p.since AS since, p.until AS until, p.last_activity AS last_activity, done
