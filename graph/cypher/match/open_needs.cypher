// purpose: The open needs (需求清单, status open or blank) of the villages named by $ids, for matching's complementarity.
// params: $ids
// returns: village_id, kind, name
// mode: read
MATCH (n:Need)-[:NEED_OF]->(v:Village)
WHERE v.id IN $ids AND coalesce(n.status, 'open') = 'open'
RETURN v.id AS village_id, n.kind AS kind, n.name AS name
ORDER BY village_id, name, kind
