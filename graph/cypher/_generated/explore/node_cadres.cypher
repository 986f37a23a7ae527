// Generated from graph/model.py with _templates/explore_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: One Cadre node's properties, for the explorer's details panel.
// params: $id
// returns: id, name, role, skills, birth_year, education
// mode: read
MATCH (n:Cadre)
WHERE n.id = $id
RETURN n.id AS id,
       n.name AS name,
       n.role AS role,
       n.skills AS skills,
       n.birth_year AS birth_year,
       n.education AS education
