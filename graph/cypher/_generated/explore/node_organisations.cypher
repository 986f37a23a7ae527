// Generated from graph/model.py with _templates/explore_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: One Organisation node's properties, for the explorer's details panel.
// params: $id
// returns: id, name, kind, level, city, county, township, party_members, resources, capacity, lat, lon
// mode: read
MATCH (n:Organisation)
WHERE n.id = $id
RETURN n.id AS id,
       n.name AS name,
       n.kind AS kind,
       n.level AS level,
       n.city AS city,
       n.county AS county,
       n.township AS township,
       n.party_members AS party_members,
       n.resources AS resources,
       n.capacity AS capacity,
       n.lat AS lat,
       n.lon AS lon
