// Generated from graph/model.py with _templates/load_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update Need nodes from import rows, keyed by id; loading the same rows twice changes nothing.
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
WITH r WHERE r.id IS NOT NULL
MERGE (n:Need {id: r.id})
SET n.name = r.name,
    n.kind = r.kind,
    n.posted = date(r.posted),
    n.status = r.status
