// purpose: Every (city, county, township) that has villages, with their number, for the scope and filter pickers (市 → 县 → 乡镇).
// params: none
// returns: city, county, township, villages
// mode: read
MATCH (v:Village)
RETURN v.city AS city, v.county AS county, v.township AS township, count(*) AS villages
ORDER BY city, county, township
