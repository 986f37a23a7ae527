// purpose: Pairings in their first year with no activity yet on $asof (首年尚无活动): active on $asof, begun after $cutoff, with no completed ACTIVITY of the pairing from its since to $asof and no last_activity column on or before $asof; the caller passes $cutoff = $asof - 365 days (or the days asked for).
// params: $asof, $cutoff, $city, $county, $township
// returns: unit_label, unit_id, unit, village_id, village, city, county, township, tier, since, until
// mode: read
// The milder state beside gaps/inactive_pairings (same activity rule: done or blank status, dated from the
// pairing's since). One branch per unit label; null-safe filters as in gaps/unpaired; the caller sorts.
MATCH (u:CityCommunity)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND p.since > $cutoff
  AND (p.last_activity IS NULL OR p.last_activity > $asof)
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND coalesce(a.status, 'done') IN ['done', '']
WITH u, v, p, count(a) AS done
WHERE done = 0
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.city AS city, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until
UNION ALL
MATCH (u:Enterprise)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND p.since > $cutoff
  AND (p.last_activity IS NULL OR p.last_activity > $asof)
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND coalesce(a.status, 'done') IN ['done', '']
WITH u, v, p, count(a) AS done
WHERE done = 0
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.city AS city, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until
UNION ALL
MATCH (u:Organisation)-[p:PAIRED_WITH]->(v:Village)
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  AND p.since > $cutoff
  AND (p.last_activity IS NULL OR p.last_activity > $asof)
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND coalesce(a.status, 'done') IN ['done', '']
WITH u, v, p, count(a) AS done
WHERE done = 0
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit,
       v.id AS village_id, v.name AS village, v.city AS city, v.county AS county, v.township AS township, v.tier AS tier,
       p.since AS since, p.until AS until
