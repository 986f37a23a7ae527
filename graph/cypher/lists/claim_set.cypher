// purpose: Set the status, due date and done date of the claim of the need $need by the unit $unit; a null parameter keeps the stored value; updated = 0 means no such claim.
// params: $unit, $need, $status, $due, $done
// returns: updated
// mode: write
MATCH (u)-[c:CLAIMED]->(n:Need {id: $need})
WHERE u.id = $unit
SET c.status = coalesce($status, c.status),
    c.due = coalesce($due, c.due),
    c.done = coalesce($done, c.done)
RETURN count(c) AS updated
