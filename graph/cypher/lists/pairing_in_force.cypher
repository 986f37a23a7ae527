// purpose: How many pairings of the unit $unit with the village $village are in force on $day, so that choosing a claim pairs the two only when they are not paired yet.
// params: $unit, $village, $day
// returns: pairings
// mode: read
MATCH (u)-[p:PAIRED_WITH]->(v:Village {id: $village})
WHERE u.id = $unit AND p.since <= $day AND (p.until IS NULL OR p.until >= $day)
RETURN count(p) AS pairings
