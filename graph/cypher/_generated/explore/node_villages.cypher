// Generated from graph/model.py with _templates/explore_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: One Village node's properties, for the explorer's details panel.
// params: $id
// returns: id, name, city, county, township, tier, weak_reasons, population, party_members, party_org_type, leadership_size, collective_income, industries, needs, lat, lon
// mode: read
MATCH (n:Village)
WHERE n.id = $id
RETURN n.id AS id,
       n.name AS name,
       n.city AS city,
       n.county AS county,
       n.township AS township,
       n.tier AS tier,
       n.weak_reasons AS weak_reasons,
       n.population AS population,
       n.party_members AS party_members,
       n.party_org_type AS party_org_type,
       n.leadership_size AS leadership_size,
       n.collective_income AS collective_income,
       n.industries AS industries,
       n.needs AS needs,
       n.lat AS lat,
       n.lon AS lon
