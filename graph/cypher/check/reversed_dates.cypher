// purpose: Links whose until is before their since (a span that cannot be), of every type with dates.
// params: none
// returns: type, src, dst, since, until
// mode: read
// One branch per type: type(r) is not portable (Ladybug has label(r)).
MATCH (a)-[r:PAIRED_WITH]->(b) WHERE r.until < r.since
RETURN 'PAIRED_WITH' AS type, a.id AS src, b.id AS dst, r.since AS since, r.until AS until
UNION ALL
MATCH (a)-[r:LEADS]->(b) WHERE r.until < r.since
RETURN 'LEADS' AS type, a.id AS src, b.id AS dst, r.since AS since, r.until AS until
UNION ALL
MATCH (a)-[r:FUSED_WITH]->(b) WHERE r.until < r.since
RETURN 'FUSED_WITH' AS type, a.id AS src, b.id AS dst, r.since AS since, r.until AS until
UNION ALL
MATCH (a)-[r:STATIONED_IN]->(b) WHERE r.until < r.since
RETURN 'STATIONED_IN' AS type, a.id AS src, b.id AS dst, r.since AS since, r.until AS until
