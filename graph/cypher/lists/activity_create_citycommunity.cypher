// purpose: Record a completed practical project (kind project, status done) of the CityCommunity $unit for the village $village on $date titled $title, unless the two have one of that date and title; created = 0 means it was there already or a node is missing.
// params: $unit, $village, $date, $title
// returns: created
// mode: write
// One file per unit label: Ladybug cannot CREATE a relationship from a node whose label it does not know.
MATCH (u:CityCommunity {id: $unit})
MATCH (v:Village {id: $village})
WHERE NOT EXISTS { MATCH (u)-[q:ACTIVITY]->(v) WHERE q.date = $date AND q.title = $title }
CREATE (u)-[a:ACTIVITY {date: $date, title: $title, kind: 'project', status: 'done'}]->(v)
RETURN count(a) AS created
