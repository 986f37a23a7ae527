// purpose: Id, name, place, tier and coordinates of the villages with coordinates, optionally in one county and township (empty means all), for the overview map.
// params: $county, $township
// returns: id, name, county, township, tier, lat, lon
// mode: read
MATCH (v:Village)
WHERE ($county = '' OR v.county = $county)
  AND ($township = '' OR v.township = $township)
  AND v.lat IS NOT NULL AND v.lon IS NOT NULL
RETURN v.id AS id, v.name AS name, v.county AS county, v.township AS township, v.tier AS tier, v.lat AS lat,
       v.lon AS lon
ORDER BY id
