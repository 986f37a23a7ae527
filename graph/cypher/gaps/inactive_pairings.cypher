// purpose: Pairings active on $asof with no recorded activity since $cutoff (last_activity null or earlier): paper pairings (挂名结对); the caller passes $cutoff = $asof - 365 days.
// params: $asof, $cutoff, $county, $township
// returns: unit_label, unit_id, unit, village_id, village, county, township, tier, since, until, last_activity
// mode: read
// One branch per unit label because Neo4j's labels() and Ladybug's label() differ; the caller sorts.
// Null-safe filters as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (u:CityCommunity)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND (p.last_activity IS NULL OR p.last_activity < $cutoff)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until, p.last_activity AS last_activity
UNION ALL
MATCH (u:Enterprise)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND (p.last_activity IS NULL OR p.last_activity < $cutoff)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until, p.last_activity AS last_activity
UNION ALL
MATCH (u:Organisation)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND (p.last_activity IS NULL OR p.last_activity < $cutoff)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until, p.last_activity AS last_activity
