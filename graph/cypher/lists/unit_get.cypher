// purpose: The label, name and county of the pairing unit $unit (no rows if no community, enterprise or organisation has that id).
// params: $unit
// returns: label, name, county
// mode: read
// One branch per label: labels() is not portable (Ladybug has label()).
MATCH (u:CityCommunity {id: $unit}) RETURN 'CityCommunity' AS label, u.name AS name, u.county AS county
UNION ALL
MATCH (u:Enterprise {id: $unit}) RETURN 'Enterprise' AS label, u.name AS name, u.county AS county
UNION ALL
MATCH (u:Organisation {id: $unit}) RETURN 'Organisation' AS label, u.name AS name, u.county AS county
