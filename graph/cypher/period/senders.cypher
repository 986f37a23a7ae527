// purpose: The sending unit (派出单位) of each cadre named by $ids: its label, id and name.
// params: $ids
// returns: cadre_id, sender_label, sender_id, sender
// mode: read
// One branch per unit label (labels() is not portable).
MATCH (c:Cadre)-[:SENT_BY]->(s:CityCommunity)
WHERE c.id IN $ids
RETURN c.id AS cadre_id, 'CityCommunity' AS sender_label, s.id AS sender_id, s.name AS sender
UNION ALL
MATCH (c:Cadre)-[:SENT_BY]->(s:Enterprise)
WHERE c.id IN $ids
RETURN c.id AS cadre_id, 'Enterprise' AS sender_label, s.id AS sender_id, s.name AS sender
UNION ALL
MATCH (c:Cadre)-[:SENT_BY]->(s:Organisation)
WHERE c.id IN $ids
RETURN c.id AS cadre_id, 'Organisation' AS sender_label, s.id AS sender_id, s.name AS sender
