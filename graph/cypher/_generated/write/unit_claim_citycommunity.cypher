// Generated from graph/model.py with _templates/unit_claim.cypher.in; edit those, run `pairing schema --write`.
// purpose: Lock the CityCommunity $unit for the rest of the transaction and return its capacity and how many of its pairings overlap the span $since..$until, so that a capacity check and the create that follows cannot interleave with another writer's.
// params: $unit, $since, $until
// returns: capacity, active
// mode: write
// Setting a property to itself takes the node's write lock in Neo4j (reads alone do not serialise
// two transactions); on Ladybug the store's lock already serialises writers. $until is never null
// (the caller passes a far date for an open span): Ladybug types a null parameter BOOL.
MATCH (u:CityCommunity {id: $unit})
SET u.capacity = u.capacity
WITH u, COUNT {
  MATCH (u)-[p:PAIRED_WITH]->(:Village)
  WHERE p.since <= $until AND (p.until IS NULL OR p.until >= $since)
} AS active
RETURN u.capacity AS capacity, active
