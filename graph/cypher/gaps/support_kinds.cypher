// purpose: For each weak village, how many support links of each kind (pairing, lead from a non-weak village, fusion, station) are active on $asof; the coverage policy is applied to these counts in Python.
// params: $asof, $city, $county, $township
// returns: village_id, village, city, county, township, weak_reasons, pairing, lead, fusion, station
// mode: read
// OPTIONAL MATCH + count rather than COUNT {} subqueries: faster on Ladybug 0.22 at province scale (about 0.6 s against 1.0–1.5 s under load).
// Null-safe filters as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (v:Village)
WHERE v.tier = 'weak'
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
OPTIONAL MATCH (v)<-[p:PAIRED_WITH]-()
WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
WITH v, count(p) AS np
OPTIONAL MATCH (v)<-[l:LEADS]-(s:Village)
WHERE s.tier <> 'weak' AND l.since <= $asof AND (l.until IS NULL OR l.until >= $asof)
WITH v, np, count(l) AS nl
OPTIONAL MATCH (v)<-[f:FUSED_WITH]-(:Enterprise)
WHERE f.since <= $asof AND (f.until IS NULL OR f.until >= $asof)
WITH v, np, nl, count(f) AS nf
OPTIONAL MATCH (v)<-[c:STATIONED_IN]-(:Cadre)
WHERE c.since <= $asof AND (c.until IS NULL OR c.until >= $asof)
WITH v, np, nl, nf, count(c) AS ns
RETURN v.id AS village_id,
       v.name AS village,
       v.city AS city,
       v.county AS county,
       v.township AS township,
       v.weak_reasons AS weak_reasons,
       np AS pairing,
       nl AS lead,
       nf AS fusion,
       ns AS station
