// purpose: Every link touching the nodes with the given ids, with both ends' ids, names, labels and village tiers, the link type and its dates (the explorer expands a neighbourhood one hop per call).
// params: $ids
// returns: src, src_name, src_label, src_tier, dst, dst_name, dst_label, dst_tier, rel, since, until
// mode: read
MATCH (a:CityCommunity)-[r:PAIRED_WITH]->(b:Village)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'CityCommunity' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Village' AS dst_label, b.tier AS dst_tier,
       'PAIRED_WITH' AS rel, r.since AS since, r.until AS until
UNION ALL
MATCH (a:Enterprise)-[r:PAIRED_WITH]->(b:Village)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Enterprise' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Village' AS dst_label, b.tier AS dst_tier,
       'PAIRED_WITH' AS rel, r.since AS since, r.until AS until
UNION ALL
MATCH (a:Organisation)-[r:PAIRED_WITH]->(b:Village)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Organisation' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Village' AS dst_label, b.tier AS dst_tier,
       'PAIRED_WITH' AS rel, r.since AS since, r.until AS until
UNION ALL
MATCH (a:Village)-[r:LEADS]->(b:Village)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Village' AS src_label, a.tier AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Village' AS dst_label, b.tier AS dst_tier,
       'LEADS' AS rel, r.since AS since, r.until AS until
UNION ALL
MATCH (a:Enterprise)-[r:FUSED_WITH]->(b:Village)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Enterprise' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Village' AS dst_label, b.tier AS dst_tier,
       'FUSED_WITH' AS rel, r.since AS since, r.until AS until
UNION ALL
MATCH (a:Cadre)-[r:STATIONED_IN]->(b:Village)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Cadre' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Village' AS dst_label, b.tier AS dst_tier,
       'STATIONED_IN' AS rel, r.since AS since, r.until AS until
UNION ALL
MATCH (a:Cadre)-[r:SENT_BY]->(b:CityCommunity)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Cadre' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'CityCommunity' AS dst_label, '' AS dst_tier,
       'SENT_BY' AS rel, CASE WHEN false THEN date('1970-01-01') END AS since,
       CASE WHEN false THEN date('1970-01-01') END AS until
UNION ALL
MATCH (a:Cadre)-[r:SENT_BY]->(b:Enterprise)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Cadre' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Enterprise' AS dst_label, '' AS dst_tier,
       'SENT_BY' AS rel, CASE WHEN false THEN date('1970-01-01') END AS since,
       CASE WHEN false THEN date('1970-01-01') END AS until
UNION ALL
MATCH (a:Cadre)-[r:SENT_BY]->(b:Organisation)
WHERE a.id IN $ids OR b.id IN $ids
RETURN a.id AS src, a.name AS src_name, 'Cadre' AS src_label, '' AS src_tier,
       b.id AS dst, b.name AS dst_name, 'Organisation' AS dst_label, '' AS dst_tier,
       'SENT_BY' AS rel, CASE WHEN false THEN date('1970-01-01') END AS since,
       CASE WHEN false THEN date('1970-01-01') END AS until
