// purpose: Every account with its password hash, role, counties, creation time, session version and lock state, by username (the hash is for authentication and backups; never shown, and `pairing query` refuses this query).
// params: none
// returns: username, password_hash, role, counties, created, session_version, failures, locked_at
// mode: read
// coalesce: stores made before the session version and the lock state have nulls there.
MATCH (a:Account)
RETURN a.username AS username, a.password_hash AS password_hash, a.role AS role, a.counties AS counties,
       a.created AS created, coalesce(a.session_version, 0) AS session_version, coalesce(a.failures, 0) AS failures,
       a.locked_at AS locked_at
ORDER BY username
