// purpose: The stored values of the activity of $unit for $village on $date titled $title (no rows if there is none): a duplicate check and the audit trail's "before".
// params: $unit, $village, $date, $title
// returns: date, title, kind, funds, beneficiaries, status, note
// mode: read
MATCH (u)-[a:ACTIVITY]->(v:Village {id: $village})
WHERE u.id = $unit AND a.date = $date AND a.title = $title
RETURN a.date AS date, a.title AS title, a.kind AS kind, a.funds AS funds, a.beneficiaries AS beneficiaries,
       a.status AS status, a.note AS note
