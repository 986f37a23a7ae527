// purpose: Record the outcome of a sign-in to $username: its count of consecutive failures and when it was locked ('' for not locked); updated = 0 means there is no such account.
// params: $username, $failures, $locked_at
// returns: updated
// mode: write
// '' rather than a null parameter for "not locked": Ladybug types a null parameter BOOL (docs/gaps.md).
MATCH (a:Account {username: $username})
SET a.failures = $failures, a.locked_at = CASE WHEN $locked_at = '' THEN NULL ELSE $locked_at END
RETURN count(a) AS updated
