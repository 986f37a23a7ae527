// purpose: Party organisations of villages and city communities whose type does not fit their membership (over 100 members: committee; 50-100: general_branch; fewer: branch) or whose leadership team is under 3 where there are 3 or more members (seed 001).
// params: $city, $county, $township
// returns: label, id, name, city, county, township, party_members, party_org_type, expected_type, leadership_size, type_mismatch, small_leadership
// mode: read
// One branch per label (no portable labels()); the caller sorts. Null-safe filters as in gaps/unpaired.
MATCH (n:Village)
WHERE coalesce($city, n.city, '') = coalesce(n.city, '')
  AND coalesce($county, n.county, '') = coalesce(n.county, '')
  AND coalesce($township, n.township, '') = coalesce(n.township, '')
WITH n,
     CASE WHEN n.party_members IS NULL THEN NULL
          WHEN n.party_members > 100 THEN 'committee'
          WHEN n.party_members >= 50 THEN 'general_branch'
          ELSE 'branch' END AS expected
WITH n, expected,
     coalesce(n.party_org_type IS NOT NULL AND expected IS NOT NULL AND n.party_org_type <> expected, false) AS mismatch,
     coalesce(n.party_members >= 3 AND n.leadership_size < 3, false) AS small
WHERE mismatch OR small
RETURN 'Village' AS label, n.id AS id, n.name AS name, n.city AS city, n.county AS county, n.township AS township,
       n.party_members AS party_members, n.party_org_type AS party_org_type, expected AS expected_type,
       n.leadership_size AS leadership_size, mismatch AS type_mismatch, small AS small_leadership
UNION ALL
MATCH (n:CityCommunity)
WHERE coalesce($city, n.city, '') = coalesce(n.city, '')
  AND coalesce($county, n.county, '') = coalesce(n.county, '')
  AND coalesce($township, n.township, '') = coalesce(n.township, '')
WITH n,
     CASE WHEN n.party_members IS NULL THEN NULL
          WHEN n.party_members > 100 THEN 'committee'
          WHEN n.party_members >= 50 THEN 'general_branch'
          ELSE 'branch' END AS expected
WITH n, expected,
     coalesce(n.party_org_type IS NOT NULL AND expected IS NOT NULL AND n.party_org_type <> expected, false) AS mismatch,
     coalesce(n.party_members >= 3 AND n.leadership_size < 3, false) AS small
WHERE mismatch OR small
RETURN 'CityCommunity' AS label, n.id AS id, n.name AS name, n.city AS city, n.county AS county, n.township AS township,
       n.party_members AS party_members, n.party_org_type AS party_org_type, expected AS expected_type,
       n.leadership_size AS leadership_size, mismatch AS type_mismatch, small AS small_leadership
