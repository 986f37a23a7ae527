// purpose: Update the kind, funds, beneficiaries, status and note of the activity of $unit for $village on $date titled $title; a null parameter keeps the stored value; updated = 0 means no such activity.
// params: $unit, $village, $date, $title, $kind, $funds, $beneficiaries, $status, $note
// returns: updated
// mode: write
MATCH (u)-[a:ACTIVITY]->(v:Village {id: $village})
WHERE u.id = $unit AND a.date = $date AND a.title = $title
SET a.kind = coalesce($kind, a.kind),
    a.funds = coalesce($funds, a.funds),
    a.beneficiaries = coalesce($beneficiaries, a.beneficiaries),
    a.status = coalesce($status, a.status),
    a.note = coalesce($note, a.note)
RETURN count(a) AS updated
