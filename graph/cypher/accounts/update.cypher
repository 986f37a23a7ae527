// purpose: Set the role, counties and password hash of the account $username; updated = 0 means there is no such account.
// params: $username, $password_hash, $role, $counties
// returns: updated
// mode: write
MATCH (a:Account {username: $username})
SET a.password_hash = $password_hash, a.role = $role, a.counties = $counties
RETURN count(a) AS updated
