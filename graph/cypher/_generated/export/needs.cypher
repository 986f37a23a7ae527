// Generated from graph/model.py with _templates/export_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every Need node with all its properties, for export.
// params: none
// returns: id, name, kind, posted, status
// mode: read
MATCH (n:Need)
RETURN n.id AS id,
       n.name AS name,
       n.kind AS kind,
       n.posted AS posted,
       n.status AS status
ORDER BY id
