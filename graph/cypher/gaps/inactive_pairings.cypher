// purpose: Paper pairings (挂名结对) on $asof: pairings active on $asof that began on or before $cutoff and whose effective last activity (the later of the last_activity column and the latest completed ACTIVITY of the pairing, from its since to $asof) is missing or before $cutoff; the caller passes $cutoff = $asof - 365 days (or the days asked for).
// params: $asof, $cutoff, $city, $county, $township
// returns: unit_label, unit_id, unit, village_id, village, city, county, township, tier, since, until, last_activity
// mode: read
// An activity belongs to the pairing of its unit and village in force on its date; the pairing is active on $asof,
// so its activities up to $asof are those dated from its since. Completed: status done or blank (a ledger of what
// was done may have no status column). OPTIONAL MATCH + max() rather than a subquery: the same on both engines.
// One branch per unit label because Neo4j's labels() and Ladybug's label() differ; the caller sorts.
// Null-safe filters as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (u:CityCommunity)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND p.since <= $cutoff
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND coalesce(a.status, 'done') IN ['done', '']
WITH u, v, p, max(a.date) AS last_done
WITH u, v, p, last_done,
     CASE WHEN last_done IS NULL OR (p.last_activity IS NOT NULL AND p.last_activity > last_done)
          THEN p.last_activity ELSE last_done END AS last_activity
WHERE last_activity IS NULL OR last_activity < $cutoff
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.city AS city, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until, last_activity
UNION ALL
MATCH (u:Enterprise)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND p.since <= $cutoff
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND coalesce(a.status, 'done') IN ['done', '']
WITH u, v, p, max(a.date) AS last_done
WITH u, v, p, last_done,
     CASE WHEN last_done IS NULL OR (p.last_activity IS NOT NULL AND p.last_activity > last_done)
          THEN p.last_activity ELSE last_done END AS last_activity
WHERE last_activity IS NULL OR last_activity < $cutoff
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.city AS city, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until, last_activity
UNION ALL
MATCH (u:Organisation)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND p.since <= $cutoff
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND coalesce(a.status, 'done') IN ['done', '']
WITH u, v, p, max(a.date) AS last_done
WITH u, v, p, last_done,
     CASE WHEN last_done IS NULL OR (p.last_activity IS NOT NULL AND p.last_activity > last_done)
          THEN p.last_activity ELSE last_done END AS last_activity
WHERE last_activity IS NULL OR last_activity < $cutoff
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.city AS city, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until, last_activity
