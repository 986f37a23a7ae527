// purpose: The villages of a county (every county when $county is empty), or of one township in it when $township is not empty: the seeds of the explorer's scope view.
// params: $county, $township
// returns: id, name, tier, township
// mode: read
MATCH (v:Village)
WHERE ($county = '' OR v.county = $county) AND ($township = '' OR v.township = $township)
RETURN v.id AS id, v.name AS name, v.tier AS tier, v.township AS township
ORDER BY id
