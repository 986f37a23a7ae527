// purpose: Weak villages with no support link of any kind active on $asof (no pairing, lead from a non-weak village, fusion or stationed cadre); optional county and township filters.
// params: $asof, $city, $county, $township
// returns: village_id, village, city, county, township, weak_reasons
// mode: read
// Filters are written coalesce($f, v.f, '') = coalesce(v.f, ''), not ($f IS NULL OR v.f = $f):
// Ladybug types a null parameter as BOOL and then fails to compare it with a STRING property.
MATCH (v:Village)
WHERE v.tier = 'weak'
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND NOT EXISTS {
    MATCH (v)<-[p:PAIRED_WITH]-()
    WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
  }
  AND NOT EXISTS {
    MATCH (v)<-[l:LEADS]-(s:Village)
    WHERE s.tier <> 'weak' AND l.since <= $asof AND (l.until IS NULL OR l.until >= $asof)
  }
  AND NOT EXISTS {
    MATCH (v)<-[f:FUSED_WITH]-(:Enterprise)
    WHERE f.since <= $asof AND (f.until IS NULL OR f.until >= $asof)
  }
  AND NOT EXISTS {
    MATCH (v)<-[c:STATIONED_IN]-(:Cadre)
    WHERE c.since <= $asof AND (c.until IS NULL OR c.until >= $asof)
  }
RETURN v.id AS village_id,
       v.name AS village,
       v.city AS city,
       v.county AS county,
       v.township AS township,
       v.weak_reasons AS weak_reasons
ORDER BY county, township, village_id
