// purpose: Nodes of every label whose name contains the text (case-insensitive) or whose id equals it; at most $limit per label.
// params: $text, $limit
// returns: id, name, label, tier, county, township
// mode: read
MATCH (n:Village)
WHERE lower(n.name) CONTAINS lower($text) OR lower(n.id) = lower($text)
RETURN n.id AS id, n.name AS name, 'Village' AS label, n.tier AS tier, n.county AS county,
       n.township AS township
ORDER BY name, id
LIMIT $limit
UNION ALL
MATCH (n:CityCommunity)
WHERE lower(n.name) CONTAINS lower($text) OR lower(n.id) = lower($text)
RETURN n.id AS id, n.name AS name, 'CityCommunity' AS label, '' AS tier, n.county AS county,
       n.township AS township
ORDER BY name, id
LIMIT $limit
UNION ALL
MATCH (n:Enterprise)
WHERE lower(n.name) CONTAINS lower($text) OR lower(n.id) = lower($text)
RETURN n.id AS id, n.name AS name, 'Enterprise' AS label, '' AS tier, n.county AS county,
       n.township AS township
ORDER BY name, id
LIMIT $limit
UNION ALL
MATCH (n:Organisation)
WHERE lower(n.name) CONTAINS lower($text) OR lower(n.id) = lower($text)
RETURN n.id AS id, n.name AS name, 'Organisation' AS label, '' AS tier, n.county AS county,
       n.township AS township
ORDER BY name, id
LIMIT $limit
UNION ALL
MATCH (n:Cadre)
WHERE lower(n.name) CONTAINS lower($text) OR lower(n.id) = lower($text)
RETURN n.id AS id, n.name AS name, 'Cadre' AS label, '' AS tier, '' AS county,
       '' AS township
ORDER BY name, id
LIMIT $limit
