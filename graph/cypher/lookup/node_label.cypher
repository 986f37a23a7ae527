// purpose: The label of the node with id $id (no rows if there is none), so that writes can pick the right query and say what is missing.
// params: $id
// returns: label
// mode: read
// One branch per label: labels() is not portable (Ladybug has label()).
MATCH (n:Village {id: $id}) RETURN 'Village' AS label
UNION ALL
MATCH (n:CityCommunity {id: $id}) RETURN 'CityCommunity' AS label
UNION ALL
MATCH (n:Enterprise {id: $id}) RETURN 'Enterprise' AS label
UNION ALL
MATCH (n:Organisation {id: $id}) RETURN 'Organisation' AS label
UNION ALL
MATCH (n:Cadre {id: $id}) RETURN 'Cadre' AS label
