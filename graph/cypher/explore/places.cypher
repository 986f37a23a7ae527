// purpose: Every (county, township) pair that has villages, with their number, for the scope and filter pickers.
// params: none
// returns: county, township, villages
// mode: read
MATCH (v:Village)
RETURN v.county AS county, v.township AS township, count(*) AS villages
ORDER BY county, township
