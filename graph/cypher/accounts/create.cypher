// purpose: Create the account $username unless it exists; created = 0 means it exists already.
// params: $username, $password_hash, $role, $counties, $created, $session_version
// returns: created
// mode: write
OPTIONAL MATCH (old:Account {username: $username})
WITH old WHERE old IS NULL
CREATE (a:Account {username: $username, password_hash: $password_hash, role: $role, counties: $counties,
                   created: $created, session_version: $session_version, failures: 0})
RETURN count(a) AS created
