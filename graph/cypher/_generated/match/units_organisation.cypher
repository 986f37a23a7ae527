// Generated from graph/model.py with _templates/match_units.cypher.in; edit those, run `pairing schema --write`.
// purpose: Organisation units that may take on weak villages, with capacity and pairings active on $asof, for matching.
// params: $asof, $county
// returns: id, name, county, township, lat, lon, resources, industry, capacity, active
// mode: read
MATCH (u:Organisation)
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN u.id AS id,
       u.name AS name,
       u.county AS county,
       u.township AS township,
       u.lat AS lat,
       u.lon AS lon,
       u.resources AS resources,
       NULL AS industry,
       u.capacity AS capacity,
       COUNT {
         MATCH (u)-[p:PAIRED_WITH]->(:Village)
         WHERE p.since <= $asof AND (p.until IS NULL OR p.until >= $asof)
       } AS active
ORDER BY id
