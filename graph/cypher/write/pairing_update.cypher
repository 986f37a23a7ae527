// purpose: Update the form, funds, projects and last activity of the pairing of $unit with $village that started $since; a null parameter keeps the stored value; updated = 0 means no such pairing.
// params: $unit, $village, $since, $form, $funds, $projects, $last_activity
// returns: updated
// mode: write
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since = $since
SET p.form = coalesce($form, p.form),
    p.funds = coalesce($funds, p.funds),
    p.projects = coalesce($projects, p.projects),
    p.last_activity = coalesce($last_activity, p.last_activity)
RETURN count(p) AS updated
