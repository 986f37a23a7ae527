// purpose: Record one audit entry (who did what to what, with the state before and after as JSON text); runs in the transaction of the change it records.
// params: $id, $at, $actor, $action, $target, $before, $after
// returns: id
// mode: write
CREATE (e:AuditEntry {id: $id, at: $at, actor: $actor, action: $action, target: $target, before: $before, after: $after})
RETURN e.id AS id
