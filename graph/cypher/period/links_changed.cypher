// purpose: The support links of villages in scope (any tier) that started from the day after $d1 to $d2, or ended from $d1 to the day before $d2 (a link is active on its until day): pairings, leads, fusions and stations, with the partner (unit, leading village, enterprise, cadre); a cadre's sending unit is period/senders.
// params: $d1, $d2, $county, $township, $city
// returns: kind, partner_label, partner_id, partner, partner_tier, village_id, village, county, township, tier, since, until, role
// mode: read
// One branch per partner label (labels() is not portable); blanks ('') rather than NULL
// where a kind has no such column: Ladybug types a bare NULL in a UNION branch apart from a STRING.
// Null-safe filters as in gaps/unpaired.
MATCH (u:CityCommunity)-[r:PAIRED_WITH]->(v:Village)
WHERE ((r.since > $d1 AND r.since <= $d2) OR (r.until IS NOT NULL AND r.until >= $d1 AND r.until < $d2))
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN 'pairing' AS kind, 'CityCommunity' AS partner_label, u.id AS partner_id, u.name AS partner, '' AS partner_tier,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       r.since AS since, r.until AS until, '' AS role
UNION ALL
MATCH (u:Enterprise)-[r:PAIRED_WITH]->(v:Village)
WHERE ((r.since > $d1 AND r.since <= $d2) OR (r.until IS NOT NULL AND r.until >= $d1 AND r.until < $d2))
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN 'pairing' AS kind, 'Enterprise' AS partner_label, u.id AS partner_id, u.name AS partner, '' AS partner_tier,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       r.since AS since, r.until AS until, '' AS role
UNION ALL
MATCH (u:Organisation)-[r:PAIRED_WITH]->(v:Village)
WHERE ((r.since > $d1 AND r.since <= $d2) OR (r.until IS NOT NULL AND r.until >= $d1 AND r.until < $d2))
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN 'pairing' AS kind, 'Organisation' AS partner_label, u.id AS partner_id, u.name AS partner, '' AS partner_tier,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       r.since AS since, r.until AS until, '' AS role
UNION ALL
MATCH (u:Village)-[r:LEADS]->(v:Village)
WHERE ((r.since > $d1 AND r.since <= $d2) OR (r.until IS NOT NULL AND r.until >= $d1 AND r.until < $d2))
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN 'lead' AS kind, 'Village' AS partner_label, u.id AS partner_id, u.name AS partner, coalesce(u.tier, '') AS partner_tier,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       r.since AS since, r.until AS until, '' AS role
UNION ALL
MATCH (u:Enterprise)-[r:FUSED_WITH]->(v:Village)
WHERE ((r.since > $d1 AND r.since <= $d2) OR (r.until IS NOT NULL AND r.until >= $d1 AND r.until < $d2))
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN 'fusion' AS kind, 'Enterprise' AS partner_label, u.id AS partner_id, u.name AS partner, '' AS partner_tier,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       r.since AS since, r.until AS until, '' AS role
UNION ALL
MATCH (u:Cadre)-[r:STATIONED_IN]->(v:Village)
WHERE ((r.since > $d1 AND r.since <= $d2) OR (r.until IS NOT NULL AND r.until >= $d1 AND r.until < $d2))
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
RETURN 'station' AS kind, 'Cadre' AS partner_label, u.id AS partner_id, u.name AS partner, '' AS partner_tier,
       v.id AS village_id, v.name AS village, v.county AS county, v.township AS township, v.tier AS tier,
       r.since AS since, r.until AS until, coalesce(r.role, '') AS role
