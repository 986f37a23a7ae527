// purpose: Re-create audit entries from $rows (carrying them into a freshly built store file, or restoring a backup); rows with a null id are skipped.
// params: $rows
// returns: written
// mode: write
UNWIND $rows AS r
WITH r WHERE r.id IS NOT NULL
MERGE (e:AuditEntry {id: r.id})
SET e.at = r.at, e.actor = r.actor, e.action = r.action, e.target = r.target, e.before = r.before, e.after = r.after
RETURN count(e) AS written
