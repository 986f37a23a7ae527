// Generated from graph/model.py with _templates/export_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every Resource node with all its properties, for export.
// params: none
// returns: id, name, kind, serves
// mode: read
MATCH (n:Resource)
RETURN n.id AS id,
       n.name AS name,
       n.kind AS kind,
       n.serves AS serves
ORDER BY id
