// purpose: The activities of the pairing of $unit with $village that started $since: those of the two dated within the pairing's span (no rows if there is no such pairing).
// params: $unit, $village, $since
// returns: date, title, kind, funds, beneficiaries, status, note
// mode: read
// The caller sorts (engines order nulls differently).
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since = $since
MATCH (u)-[a:ACTIVITY]->(v)
WHERE a.date >= p.since AND (p.until IS NULL OR a.date <= p.until)
RETURN a.date AS date, a.title AS title, a.kind AS kind, a.funds AS funds, a.beneficiaries AS beneficiaries,
       a.status AS status, a.note AS note
