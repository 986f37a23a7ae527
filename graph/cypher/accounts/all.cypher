// purpose: Every account with its password hash, role, counties and creation time, by username (the hash is for authentication and backups; never shown).
// params: none
// returns: username, password_hash, role, counties, created
// mode: read
MATCH (a:Account)
RETURN a.username AS username, a.password_hash AS password_hash, a.role AS role, a.counties AS counties,
       a.created AS created
ORDER BY username
