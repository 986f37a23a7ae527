// purpose: Per township (with its county): weak villages, how many are covered on $asof (any active support), and how many have each support kind; county totals and the uncovered count are worked out in Python.
// params: $asof, $city, $county
// returns: city, county, township, weak, covered, pairing, lead, fusion, station
// mode: read
// OPTIONAL MATCH + count rather than COUNT {} subqueries: faster on Ladybug 0.22 at province scale (about 0.6 s against 1.0–1.5 s under load).
// The tier in the node pattern rather than in WHERE: ~20% faster on Ladybug 0.22 at province scale.
// Null-safe filter as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (v:Village {tier: 'weak'})
WHERE coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
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
RETURN v.city AS city,
       v.county AS county,
       v.township AS township,
       count(*) AS weak,
       sum(CASE WHEN np + nl + nf + ns > 0 THEN 1 ELSE 0 END) AS covered,
       sum(CASE WHEN np > 0 THEN 1 ELSE 0 END) AS pairing,
       sum(CASE WHEN nl > 0 THEN 1 ELSE 0 END) AS lead,
       sum(CASE WHEN nf > 0 THEN 1 ELSE 0 END) AS fusion,
       sum(CASE WHEN ns > 0 THEN 1 ELSE 0 END) AS station
