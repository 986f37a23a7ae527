// Generated from graph/model.py with _templates/export_node.cypher.in; edit those, run `pairing schema --write`.
// purpose: Every CityCommunity node with all its properties, for export.
// params: none
// returns: id, name, city, county, township, party_members, party_org_type, leadership_size, resources, capacity, lat, lon
// mode: read
MATCH (n:CityCommunity)
RETURN n.id AS id,
       n.name AS name,
       n.city AS city,
       n.county AS county,
       n.township AS township,
       n.party_members AS party_members,
       n.party_org_type AS party_org_type,
       n.leadership_size AS leadership_size,
       n.resources AS resources,
       n.capacity AS capacity,
       n.lat AS lat,
       n.lon AS lon
ORDER BY id
