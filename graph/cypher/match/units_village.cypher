// purpose: Strong villages that may lead weak ones (强村带弱村), with the villages they lead on $asof, for matching.
// params: $asof, $county
// returns: id, name, county, township, lat, lon, industries, active
// mode: read
MATCH (u:Village {tier: 'strong'})
WHERE coalesce($county, u.county, '') = coalesce(u.county, '')
RETURN u.id AS id,
       u.name AS name,
       u.county AS county,
       u.township AS township,
       u.lat AS lat,
       u.lon AS lon,
       u.industries AS industries,
       COUNT {
         MATCH (u)-[l:LEADS]->(:Village)
         WHERE l.since <= $asof AND (l.until IS NULL OR l.until >= $asof)
       } AS active
ORDER BY id
