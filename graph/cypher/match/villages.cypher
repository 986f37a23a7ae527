// purpose: The weak villages named by $ids with what matching needs: place, needs, industries and weak reasons.
// params: $ids
// returns: id, name, county, township, lat, lon, needs, industries, weak_reasons
// mode: read
MATCH (v:Village)
WHERE v.id IN $ids
RETURN v.id AS id,
       v.name AS name,
       v.county AS county,
       v.township AS township,
       v.lat AS lat,
       v.lon AS lon,
       v.needs AS needs,
       v.industries AS industries,
       v.weak_reasons AS weak_reasons
ORDER BY id
