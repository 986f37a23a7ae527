// Generated from graph/model.py with _templates/explore_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: One Enterprise node's properties, for the explorer's details panel.
// params: $id
// returns: id, name, credit_code, city, county, township, industry, size, employees, has_party_org, party_members, resources, capacity, lat, lon
// mode: read
MATCH (n:Enterprise)
WHERE n.id = $id
RETURN n.id AS id,
       n.name AS name,
       n.credit_code AS credit_code,
       n.city AS city,
       n.county AS county,
       n.township AS township,
       n.industry AS industry,
       n.size AS size,
       n.employees AS employees,
       n.has_party_org AS has_party_org,
       n.party_members AS party_members,
       n.resources AS resources,
       n.capacity AS capacity,
       n.lat AS lat,
       n.lon AS lon
