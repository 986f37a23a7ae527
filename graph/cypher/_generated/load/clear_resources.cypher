// Generated from graph/model.py with _templates/clear_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Delete every Resource node and its links, for `load --replace` (runs in the transaction of the load); accounts and audit entries stay.
// params: none
// returns: none
// mode: write
MATCH (n:Resource)
DETACH DELETE n
