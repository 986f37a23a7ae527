// purpose: Re-create accounts from $rows (carrying them into a freshly built store file, or restoring a backup); rows with a null username are skipped.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.username IS NOT NULL
MERGE (a:Account {username: r.username})
SET a.password_hash = r.password_hash, a.role = r.role, a.counties = r.counties, a.created = r.created,
    a.session_version = coalesce(r.session_version, 0), a.failures = coalesce(r.failures, 0), a.locked_at = r.locked_at
RETURN count(a) AS written
