// Generated from graph/model.py with _templates/load_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update Enterprise nodes from import rows, keyed by id; loading the same rows twice changes nothing.
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
WITH r WHERE r.id IS NOT NULL
MERGE (n:Enterprise {id: r.id})
SET n.name = r.name,
    n.credit_code = r.credit_code,
    n.city = r.city,
    n.county = r.county,
    n.township = r.township,
    n.industry = r.industry,
    n.size = r.size,
    n.employees = r.employees,
    n.has_party_org = r.has_party_org,
    n.party_members = r.party_members,
    n.resources = r.resources,
    n.capacity = r.capacity,
    n.lat = r.lat,
    n.lon = r.lon
