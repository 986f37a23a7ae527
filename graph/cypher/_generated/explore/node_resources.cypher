// Generated from graph/model.py with _templates/explore_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: One Resource node's properties, for the explorer's details panel.
// params: $id
// returns: id, name, kind, serves
// mode: read
MATCH (n:Resource)
WHERE n.id = $id
RETURN n.id AS id,
       n.name AS name,
       n.kind AS kind,
       n.serves AS serves
