// Generated from graph/model.py with _templates/load_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Create or update Village nodes from import rows, keyed by id; loading the same rows twice changes nothing.
// params: $rows
// returns: none
// mode: write
UNWIND $rows AS r
WITH r WHERE r.id IS NOT NULL
MERGE (n:Village {id: r.id})
SET n.name = r.name,
    n.city = r.city,
    n.county = r.county,
    n.township = r.township,
    n.tier = r.tier,
    n.weak_reasons = r.weak_reasons,
    n.population = r.population,
    n.party_members = r.party_members,
    n.party_org_type = r.party_org_type,
    n.leadership_size = r.leadership_size,
    n.collective_income = r.collective_income,
    n.industries = r.industries,
    n.needs = r.needs,
    n.lat = r.lat,
    n.lon = r.lon
