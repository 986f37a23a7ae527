// purpose: Set the role, counties, password hash and session version of the account $username; updated = 0 means there is no such account.
// params: $username, $password_hash, $role, $counties, $session_version
// returns: updated
// mode: write
MATCH (a:Account {username: $username})
SET a.password_hash = $password_hash, a.role = $role, a.counties = $counties, a.session_version = $session_version
RETURN count(a) AS updated
