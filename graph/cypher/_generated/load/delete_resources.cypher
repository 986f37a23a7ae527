// Generated from graph/model.py with _templates/delete_nodes.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete the Resource nodes of the given ids with their links, for a county replace (runs in the transaction of the load).
// params: $ids
// returns: none
// mode: write
UNWIND $ids AS i
MATCH (n:Resource {id: i})
DETACH DELETE n
