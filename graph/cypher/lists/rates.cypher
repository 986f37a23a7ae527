// purpose: Per township (with its county): needs that count (not withdrawn), claimed ones (a live claim, or status claimed or done) and done ones (status done, or a claim done), in the county $county when given; county totals and the rates are worked out in Python.
// params: $county
// returns: county, township, needs, claimed, done
// mode: read
// Needs of no village belong to no county and are left out. A live claim is one not `not_chosen`
// (a claim with no status is claimed). Null-safe filter as in gaps/unpaired.
MATCH (n:Need)-[:NEED_OF]->(v:Village)
WHERE coalesce(n.status, 'open') <> 'withdrawn'
  AND coalesce($county, v.county, '') = coalesce(v.county, '')
OPTIONAL MATCH (n)<-[c:CLAIMED]-()
WHERE coalesce(c.status, 'claimed') <> 'not_chosen'
WITH v, n, count(c) AS live, sum(CASE WHEN c.status = 'done' THEN 1 ELSE 0 END) AS finished
RETURN v.county AS county, v.township AS township, count(*) AS needs,
       sum(CASE WHEN live > 0 OR n.status IN ['claimed', 'done'] THEN 1 ELSE 0 END) AS claimed,
       sum(CASE WHEN finished > 0 OR n.status = 'done' THEN 1 ELSE 0 END) AS done
