// purpose: Every claim of the need $need, with its unit: for a write's checks and the audit trail's "before".
// params: $need
// returns: unit_label, unit_id, unit, claimed, status, due, done
// mode: read
// One branch per unit label (no portable labels()); the caller sorts.
MATCH (u:CityCommunity)-[c:CLAIMED]->(:Need {id: $need})
RETURN 'CityCommunity' AS unit_label, u.id AS unit_id, u.name AS unit,
       c.claimed AS claimed, c.status AS status, c.due AS due, c.done AS done
UNION ALL
MATCH (u:Enterprise)-[c:CLAIMED]->(:Need {id: $need})
RETURN 'Enterprise' AS unit_label, u.id AS unit_id, u.name AS unit,
       c.claimed AS claimed, c.status AS status, c.due AS due, c.done AS done
UNION ALL
MATCH (u:Organisation)-[c:CLAIMED]->(:Need {id: $need})
RETURN 'Organisation' AS unit_label, u.id AS unit_id, u.name AS unit,
       c.claimed AS claimed, c.status AS status, c.due AS due, c.done AS done
