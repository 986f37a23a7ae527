// Generated from graph/model.py with _templates/load_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update Cadre nodes from import rows, keyed by id; loading the same rows twice changes nothing.
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
WITH r WHERE r.id IS NOT NULL
MERGE (n:Cadre {id: r.id})
SET n.name = r.name,
    n.role = r.role,
    n.skills = r.skills,
    n.birth_year = r.birth_year,
    n.education = r.education
