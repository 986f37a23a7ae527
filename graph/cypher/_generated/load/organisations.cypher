// Generated from graph/model.py with _templates/load_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update Organisation nodes from import rows, keyed by id; loading the same rows twice changes nothing.
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
WITH r WHERE r.id IS NOT NULL
MERGE (n:Organisation {id: r.id})
SET n.name = r.name,
    n.kind = r.kind,
    n.level = r.level,
    n.city = r.city,
    n.county = r.county,
    n.township = r.township,
    n.party_members = r.party_members,
    n.resources = r.resources,
    n.capacity = r.capacity,
    n.lat = r.lat,
    n.lon = r.lon
