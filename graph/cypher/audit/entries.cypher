// purpose: Audit entries at or after $since (ISO text; '' for all), by $actor and $action ('' for any), oldest first.
// params: $since, $actor, $action
// returns: id, at, actor, action, target, before, after
// mode: read
// Empty strings rather than nulls for "no filter": Ladybug types a null parameter BOOL (docs/gaps.md).
MATCH (e:AuditEntry)
WHERE e.at >= $since
  AND ($actor = '' OR e.actor = $actor)
  AND ($action = '' OR e.action = $action)
RETURN e.id AS id, e.at AS at, e.actor AS actor, e.action AS action, e.target AS target,
       e.before AS before, e.after AS after
ORDER BY at, id
