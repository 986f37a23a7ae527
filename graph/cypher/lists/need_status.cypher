// purpose: Set the status of the need $need to $status; updated = 0 means no such need.
// params: $need, $status
// returns: updated
// mode: write
MATCH (n:Need {id: $need})
SET n.status = $status
RETURN count(n) AS updated
