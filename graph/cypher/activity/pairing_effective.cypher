// purpose: What the projects and last activity of the pairing of $unit with $village that started $since are derived from on $asof: its columns, and its activities up to $asof (no rows if there is no such pairing).
// params: $unit, $village, $since, $asof
// returns: projects, last_activity, records, done, last_done
// mode: read
// The pairing's last day is computed before the OPTIONAL MATCH: Ladybug 0.22 finds no row when its WHERE reads
// p.until (even `p.until IS NULL`).
// records: the pairing's activities dated up to $asof, any status; done and last_done: the completed ones
// (status done or blank), as in gaps/inactive_pairings.
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since = $since
WITH u, v, p, coalesce(p.until, $asof) AS last_day
OPTIONAL MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND a.date <= $asof AND a.date <= last_day
WITH p, a, CASE WHEN coalesce(a.status, 'done') IN ['done', ''] THEN a.date ELSE NULL END AS done_date
RETURN p.projects AS projects, p.last_activity AS last_activity, count(a) AS records, count(done_date) AS done,
       max(done_date) AS last_done
