// Generated from graph/model.py with _templates/export_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every Cadre node with all its properties, for export.
// params: none
// returns: id, name, role, skills, birth_year, education
// mode: read
MATCH (n:Cadre)
RETURN n.id AS id,
       n.name AS name,
       n.role AS role,
       n.skills AS skills,
       n.birth_year AS birth_year,
       n.education AS education
ORDER BY id
