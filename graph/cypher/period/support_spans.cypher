// purpose: The support links of the weak villages in scope that are active on some day from $from to $to (a pairing, a lead from a non-weak village, a fusion, a station), one row per link, so that coverage can be judged on many days from one read (graph.period.trend).
// params: $from, $to, $county, $township, $city
// returns: village_id, kind, since, until
// mode: read
// One branch per support kind, the rules of gaps/coverage; null-safe filters as in gaps/unpaired.
MATCH (v:Village {tier: 'weak'})<-[r:PAIRED_WITH]-()
WHERE r.since <= $to AND (r.until IS NULL OR r.until >= $from)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN v.id AS village_id, 'pairing' AS kind, r.since AS since, r.until AS until
UNION ALL
MATCH (v:Village {tier: 'weak'})<-[r:LEADS]-(s:Village)
WHERE s.tier <> 'weak' AND r.since <= $to AND (r.until IS NULL OR r.until >= $from)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN v.id AS village_id, 'lead' AS kind, r.since AS since, r.until AS until
UNION ALL
MATCH (v:Village {tier: 'weak'})<-[r:FUSED_WITH]-(:Enterprise)
WHERE r.since <= $to AND (r.until IS NULL OR r.until >= $from)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN v.id AS village_id, 'fusion' AS kind, r.since AS since, r.until AS until
UNION ALL
MATCH (v:Village {tier: 'weak'})<-[r:STATIONED_IN]-(:Cadre)
WHERE r.since <= $to AND (r.until IS NULL OR r.until >= $from)
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN v.id AS village_id, 'station' AS kind, r.since AS since, r.until AS until
