// Generated from graph/model.py with _templates/export_link.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every ACTIVITY link with the ids of both ends and its properties, for export.
// params: none
// returns: src, dst, date, title, kind, funds, beneficiaries, status, note
// mode: read
MATCH (a)-[p:ACTIVITY]->(b)
RETURN a.id AS src,
       b.id AS dst,
       p.date AS date,
       p.title AS title,
       p.kind AS kind,
       p.funds AS funds,
       p.beneficiaries AS beneficiaries,
       p.status AS status,
       p.note AS note
ORDER BY src, dst, date, title
