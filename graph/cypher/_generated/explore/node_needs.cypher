// Generated from graph/model.py with _templates/explore_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: One Need node's properties, for the explorer's details panel.
// params: $id
// returns: id, name, kind, posted, status
// mode: read
MATCH (n:Need)
WHERE n.id = $id
RETURN n.id AS id,
       n.name AS name,
       n.kind AS kind,
       n.posted AS posted,
       n.status AS status
