// purpose: Label, id and name of every node, so that an import may reference existing nodes by id or name.
// params: none
// returns: label, id, name
// mode: read
MATCH (n:Village)
RETURN 'Village' AS label, n.id AS id, n.name AS name
UNION ALL
MATCH (n:CityCommunity)
RETURN 'CityCommunity' AS label, n.id AS id, n.name AS name
UNION ALL
MATCH (n:Enterprise)
RETURN 'Enterprise' AS label, n.id AS id, n.name AS name
UNION ALL
MATCH (n:Organisation)
RETURN 'Organisation' AS label, n.id AS id, n.name AS name
UNION ALL
MATCH (n:Cadre)
RETURN 'Cadre' AS label, n.id AS id, n.name AS name
