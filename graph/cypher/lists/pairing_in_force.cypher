// purpose: How many pairings of the unit $unit with the village $village are in force on $on, so that choosing a claim pairs the two only when they are not paired yet.
// params: $unit, $village, $on
// returns: pairings
// mode: read
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since <= $on AND (p.until IS NULL OR p.until >= $on)
RETURN count(p) AS pairings
