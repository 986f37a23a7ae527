// purpose: Offer the resource $id (item $name, kind $kind, for $serves villages) of the CityCommunity $unit; created = 0 means no such unit.
// params: $id, $name, $kind, $serves, $unit
// returns: created
// mode: write
// One file per unit label: Ladybug cannot CREATE a relationship to a node whose label it does not know.
MATCH (u:CityCommunity {id: $unit})
CREATE (r:Resource {id: $id, name: $name, kind: $kind, serves: $serves})
CREATE (r)-[:OFFERED_BY]->(u)
RETURN count(r) AS created
