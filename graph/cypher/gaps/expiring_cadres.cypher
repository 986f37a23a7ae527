// purpose: Stationed cadres in weak villages whose term, active on $asof, ends in ($asof, $horizon] while no other support of the village is active on the day after it ends.
// params: $asof, $horizon, $one_day, $city, $county, $township
// returns: cadre_id, cadre, role, village_id, village, city, county, township, since, until
// mode: read
// "Active on the day after s.until" (D = s.until + $one_day) is x.since <= D and (x.until null or x.until > s.until).
// $one_day is a duration passed from Python (duration() is not portable); s itself is never active on D.
// Null-safe filters as in gaps/unpaired (Ladybug types a null parameter as BOOL).
MATCH (k:Cadre)-[s:STATIONED_IN]->(v:Village)
WHERE v.tier = 'weak'
  AND s.since <= $asof AND s.until > $asof AND s.until <= $horizon
  AND coalesce($city, v.city, '') = coalesce(v.city, '')
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
  AND coalesce($township, v.township, '') = coalesce(v.township, '')
  AND NOT EXISTS {
    MATCH (v)<-[c:STATIONED_IN]-(:Cadre)
    WHERE c.since <= s.until + $one_day AND (c.until IS NULL OR c.until > s.until)
  }
  AND NOT EXISTS {
    MATCH (v)<-[p:PAIRED_WITH]-()
    WHERE p.since <= s.until + $one_day AND (p.until IS NULL OR p.until > s.until)
  }
  AND NOT EXISTS {
    MATCH (v)<-[l:LEADS]-(w:Village)
    WHERE w.tier <> 'weak' AND l.since <= s.until + $one_day AND (l.until IS NULL OR l.until > s.until)
  }
  AND NOT EXISTS {
    MATCH (v)<-[f:FUSED_WITH]-(:Enterprise)
    WHERE f.since <= s.until + $one_day AND (f.until IS NULL OR f.until > s.until)
  }
RETURN k.id AS cadre_id,
       k.name AS cadre,
       s.role AS role,
       v.id AS village_id,
       v.name AS village,
       v.city AS city,
       v.county AS county,
       v.township AS township,
       s.since AS since,
       s.until AS until
ORDER BY until, village_id, cadre_id
