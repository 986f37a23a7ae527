// purpose: The CityCommunity $unit claims the need $need on $claimed (status claimed, due $due), and the need's status becomes claimed; created = 0 means a missing node or a claim of the two that exists.
// params: $unit, $need, $claimed, $due
// returns: created
// mode: write
// One file per unit label: Ladybug cannot CREATE a relationship from a node whose label it does not know.
MATCH (u:CityCommunity {id: $unit})
MATCH (n:Need {id: $need})
WHERE NOT EXISTS { MATCH (u)-[:CLAIMED]->(n) }
CREATE (u)-[c:CLAIMED {claimed: $claimed, status: 'claimed', due: $due}]->(n)
SET n.status = 'claimed'
RETURN count(c) AS created
