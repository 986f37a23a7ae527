// purpose: The county of the village $village (no rows if there is no such village), for checking a planner's counties before a write.
// params: $village
// returns: county
// mode: read
MATCH (v:Village {id: $village})
RETURN v.county AS county
