// purpose: The account named $username (no rows if there is none).
// params: $username
// returns: username, password_hash, role, counties, created
// mode: read
MATCH (a:Account {username: $username})
RETURN a.username AS username, a.password_hash AS password_hash, a.role AS role, a.counties AS counties,
       a.created AS created
